package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	nodefast "sigs.k8s.io/kwok/kustomize/stage/node/fast"
	nodeheartbeat "sigs.k8s.io/kwok/kustomize/stage/node/heartbeat"
	podfast "sigs.k8s.io/kwok/kustomize/stage/pod/fast"
	kwokconfig "sigs.k8s.io/kwok/pkg/config"
	kwokcmd "sigs.k8s.io/kwok/pkg/kwok/cmd"
	kwoklog "sigs.k8s.io/kwok/pkg/log"

	"spacekit.dev/local-cluster/internal/lifetime"
)

// kwokNodeLabel marks the fake nodes this control plane creates; kwok manages
// exactly the nodes that carry it, so real nodes joined later are left alone.
const kwokNodeLabel = "spacekit.dev/kwok-node"

// kwokTaintKey keeps pods off simulated nodes unless they tolerate it, as kwok's own docs suggest.
const kwokTaintKey = "kwok.x-k8s.io/node"

// runKwok runs kwok's controller, which plays the kubelet for fake nodes:
// it keeps them Ready and moves pods bound to them through their lifecycle.
func runKwok(args []string) {
	lifetime.ExitWithParent(componentShutdownBound)
	ctx, cancel := signalContext()
	defer cancel()
	ctx = kwoklog.NewContext(ctx, kwoklog.NewLogger(os.Stderr, kwoklog.LevelInfo))
	// kwok reads its stages from --config files through its own flag parsing of os.Args.
	os.Args = append([]string{"kwok"}, args...)
	global := pflag.NewFlagSet("global", pflag.ContinueOnError)
	global.ParseErrorsAllowlist.UnknownFlags = true
	ctx, err := kwokconfig.InitFlags(ctx, global)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kwok: %v\n", err)
		os.Exit(1)
	}
	command := kwokcmd.NewCommand(ctx)
	command.PersistentFlags().AddFlagSet(global)
	// cobra would add a bool --version flag, which clashes with the --version
	// flag that Kubernetes' verflag registers globally in this binary.
	command.Version = ""
	command.SetArgs(args)
	if err := command.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "kwok: %v\n", err)
		os.Exit(1)
	}
}

// writeKwokStages writes kwok's own "fast" stages (nodes become Ready and
// keep a heartbeat; pods become Running, complete and delete) to a config file.
func writeKwokStages(dir string) (string, error) {
	path := filepath.Join(dir, "kwok-stages.yaml")
	stages := []string{
		nodefast.DefaultNodeInit,
		nodeheartbeat.DefaultNodeHeartbeat,
		podfast.DefaultPodReady,
		podfast.DefaultPodComplete,
		podfast.DefaultPodDelete,
	}
	return path, os.WriteFile(path, []byte(strings.Join(stages, "\n---\n")), 0o600)
}

func kwokArgs(kubeconfig, stagesFile string) []string {
	return []string{
		"--config=" + stagesFile,
		"--kubeconfig=" + kubeconfig,
		"--manage-nodes-with-label-selector=" + kwokNodeLabel + "=true",
	}
}

// createFakeNodes registers count Node objects for kwok to manage, sized like
// a generous worker so that quota, not node capacity, is what limits pods.
func createFakeNodes(ctx context.Context, kubeconfig string, count int) error {
	client, err := clientFor(kubeconfig)
	if err != nil {
		return err
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("250"),
	}
	for i := 0; i < count; i++ {
		name := fmt.Sprintf("kwok-node-%d", i)
		node := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name: name,
				Labels: map[string]string{
					kwokNodeLabel:            "true",
					"kubernetes.io/hostname": name,
					"kubernetes.io/os":       "linux",
					"kubernetes.io/arch":     "amd64",
					"type":                   "kwok",
				},
				Annotations: map[string]string{"kwok.x-k8s.io/node": "fake"},
			},
			// Pods land here only when they ask to: by default they go to a real node and really run.
			Spec:   corev1.NodeSpec{Taints: []corev1.Taint{{Key: kwokTaintKey, Value: "fake", Effect: corev1.TaintEffectNoSchedule}}},
			Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
		}
		if _, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("create node %s: %w", name, err)
		}
	}
	return nil
}
