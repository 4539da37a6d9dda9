// Command spacekit-cluster is a real Kubernetes control plane in one binary:
// embedded etcd, kube-apiserver, kube-controller-manager, kube-scheduler and a
// matching kubectl, all built from Kubernetes' own Go modules.
//
// `spacekit-cluster up` supervises the components. Each upstream component
// runs in its own child process of this same binary, because they keep
// process-global state (signal handlers that panic when installed twice,
// feature gates, the legacy metrics registry); see docs/adr/0002.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kubeproxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"

	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

func init() {
	// Children are started with Pdeathsig, which Linux ties to the thread that
	// forked them. Pinning main to one OS thread keeps that thread alive for as
	// long as the supervisor lives.
	runtime.LockOSThread()
}

const usage = `usage: spacekit-cluster <command> [flags]

commands:
  up                   start etcd, kube-apiserver, kube-controller-manager and kube-scheduler,
                       a real worker node (--nodes 1, the default; needs root) and, with
                       --kwok-nodes N, N simulated nodes played by kwok
  cri pods --data-dir DIR
                       list the real node's pod sandboxes and containers over the CRI, as JSON
  image load --data-dir DIR FILE...
                       import image archives (OCI layout or docker save) into the real node
  image build --binary BIN --name REF --out FILE
                       write a one-layer OCI image archive around a static binary
  kubectl ARGS...      run kubectl (same version as the control plane)
  version              print the Kubernetes version this binary was built from
  apiserver|controller-manager|scheduler|kwok|kubelet|kube-proxy|node-init ARGS...
                       run one upstream component directly (used by 'up')
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	sub, args := os.Args[1], os.Args[2:]
	switch sub {
	case "up":
		os.Exit(runUp(args))
	case "version", "--version":
		fmt.Println(kubeVersion())
	case "kubectl":
		os.Args = append([]string{"kubectl"}, args...)
		command := cmd.NewDefaultKubectlCommand()
		if err := cli.RunNoErrOutput(command); err != nil {
			kubectlutil.CheckErr(err)
		}
	case "apiserver":
		runComponent(apiserver.NewAPIServerCommand(), args)
	case "controller-manager":
		runComponent(controllermanager.NewControllerManagerCommand(), args)
	case "scheduler":
		runComponent(scheduler.NewSchedulerCommand(), args)
	case "kwok":
		runKwok(args)
	case "cri":
		os.Exit(runCRI(args))
	case "image":
		os.Exit(runImage(args))
	case "node-init":
		os.Exit(runNodeInit(args))
	case "kubelet":
		runComponent(kubelet.NewKubeletCommand(context.Background()), args)
	case "kube-proxy":
		runComponent(kubeproxy.NewProxyCommand(), args)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "spacekit-cluster: unknown command %q\n\n%s", sub, usage)
		os.Exit(2)
	}
}
