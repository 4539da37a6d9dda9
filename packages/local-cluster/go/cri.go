package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	remote "k8s.io/cri-client/pkg"
)

// criPod is a pod sandbox as the node's container runtime reports it over
// the CRI: what kubelet itself sees, independent of the API server.
type criPod struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	State     string `json:"state"`
	Handler   string `json:"runtimeHandler"`
	IP        string `json:"ip,omitempty"`
	// NetNS is the pod's network namespace file, a path inside the node's mount namespace.
	NetNS      string         `json:"netns,omitempty"`
	Containers []criContainer `json:"containers"`
}

type criContainer struct {
	Name  string `json:"name"`
	State string `json:"state"`
}

// runCRI implements `spacekit-cluster cri pods --data-dir DIR`: the pod
// sandboxes and containers on each real node of the cluster in DIR, as JSON.
func runCRI(args []string) int {
	if len(args) == 0 || args[0] != "pods" {
		fmt.Fprintln(os.Stderr, "usage: spacekit-cluster cri pods --data-dir DIR")
		return 2
	}
	fs := flag.NewFlagSet("cri pods", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "the running cluster's data folder")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	sockets, _ := filepath.Glob(filepath.Join(*dataDir, "nodes", "*", "containerd.sock"))
	if len(sockets) == 0 {
		fmt.Fprintf(os.Stderr, "spacekit-cluster cri: the cluster in %q has no real node\n", *dataDir)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := map[string][]criPod{}
	for _, socket := range sockets {
		pods, err := listCRIPods(ctx, socket)
		if err != nil {
			fmt.Fprintf(os.Stderr, "spacekit-cluster cri: %v\n", err)
			return 1
		}
		out[filepath.Base(filepath.Dir(socket))] = pods
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
	return 0
}

func listCRIPods(ctx context.Context, socket string) ([]criPod, error) {
	rt, err := remote.NewRemoteRuntimeService(ctx, "unix://"+socket, 10*time.Second, nil, false)
	if err != nil {
		return nil, err
	}
	sandboxes, err := rt.ListPodSandbox(ctx, nil)
	if err != nil {
		return nil, err
	}
	containers, err := rt.ListContainers(ctx, nil)
	if err != nil {
		return nil, err
	}
	pods := []criPod{}
	for _, s := range sandboxes {
		p := criPod{ID: s.Id, Name: s.Metadata.Name, Namespace: s.Metadata.Namespace, State: s.State.String(), Handler: s.RuntimeHandler, Containers: []criContainer{}}
		if status, err := rt.PodSandboxStatus(ctx, s.Id, true); err == nil {
			if status.Status.GetNetwork() != nil {
				p.IP = status.Status.Network.Ip
			}
			// containerd's verbose info carries the sandbox's OCI spec, which names its network namespace.
			var info struct {
				RuntimeSpec struct {
					Linux struct {
						Namespaces []struct {
							Type string `json:"type"`
							Path string `json:"path"`
						} `json:"namespaces"`
					} `json:"linux"`
				} `json:"runtimeSpec"`
			}
			if json.Unmarshal([]byte(status.Info["info"]), &info) == nil {
				for _, ns := range info.RuntimeSpec.Linux.Namespaces {
					if ns.Type == "network" {
						p.NetNS = ns.Path
					}
				}
			}
		}
		for _, c := range containers {
			if c.PodSandboxId == s.Id {
				p.Containers = append(p.Containers, criContainer{c.Metadata.Name, c.State.String()})
			}
		}
		pods = append(pods, p)
	}
	return pods, nil
}
