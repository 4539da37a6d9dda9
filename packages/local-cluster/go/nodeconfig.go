package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The node's configuration files, rendered from its spec. Pure: unit-tested
// without a node.

// pauseImageRef is the pod sandbox image. The node imports a pause image the
// project builds itself under this name, because no registry is reachable;
// it is also what test pods and kubelet's own default name.
const pauseImageRef = "registry.k8s.io/pause:3.10"

func renderContainerdConfig(n nodeSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, `version = 2
root = %q
state = %q
# Snapshotters and services a node without them never uses.
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = %q

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = %q
  # This machine has no CAP_SYS_RESOURCE: no oom_score_adj may be lowered.
  restrict_oom_score_adj = true
  # Pod network namespaces are mounted in the node's private state, so they go with it.
  netns_mounts_under_state_dir = true
  enable_cdi = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
`, n.containerdRoot(), n.containerdState(), n.containerdSocket(), n.sandboxImage())
	if n.Runsc != "" {
		fmt.Fprintf(&b, `    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]
      runtime_type = "io.containerd.runsc.v1"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc.options]
        TypeUrl = "io.containerd.runsc.v1.options"
        ConfigPath = %q
`, n.runscConfig())
	}
	fmt.Fprintf(&b, `  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = %q
    max_conf_num = 1
`, n.cniConfDir())
	return b.String()
}

// renderCNIConfig is a host-local bridge: pods get addresses from the node's
// pod CIDR and the bridge is their gateway. The node itself has no default
// route, so nothing a pod sends can leave the machine.
func renderCNIConfig(n nodeSpec) string {
	conf := map[string]any{
		"cniVersion": "1.0.0",
		"name":       "spacekit",
		"plugins": []any{
			map[string]any{
				"type":        "bridge",
				"bridge":      "cni0",
				"isGateway":   true,
				"ipMasq":      false,
				"hairpinMode": true,
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": [][]map[string]string{{{"subnet": n.PodCIDR}}},
					"routes": []map[string]string{{"dst": "0.0.0.0/0"}},
					// host-local keeps its leases here; in the node's private state.
					"dataDir": n.stateDir() + "/cni-ipam",
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	data, _ := json.MarshalIndent(conf, "", "  ")
	return string(data) + "\n"
}

func renderKubeletConfig(n nodeSpec, caFile string) string {
	return fmt.Sprintf(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine mounts cgroup v1 controllers; Kubernetes 1.37 still runs there when asked.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: true
# Every pod cgroup lives under this root, which the host removes when the node stops.
cgroupRoot: %s
enforceNodeAllocatable: []
containerRuntimeEndpoint: unix://%s
address: %s
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: %s}
authorization:
  mode: Webhook
clusterDomain: cluster.local
clusterDNS: [%s]
resolvConf: %s
failSwapOn: false
podLogsDir: %s
oomScoreAdj: 0
maxPods: 110
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: "1%%"
  nodefs.inodesFree: "1%%"
  imagefs.available: "1%%"
  imagefs.inodesFree: "1%%"
`, n.CgroupRoot, n.containerdSocket(), n.NodeIP, caFile, n.DNSIP, n.resolvConf(), n.podLogsDir())
}

func renderProxyConfig(n nodeSpec) string {
	return fmt.Sprintf(`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: %s
hostnameOverride: %s
clusterCIDR: %s
bindAddress: %s
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
oomScoreAdj: 0
# Zero leaves the machine-wide conntrack table as it is.
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  localhostNodePorts: false
`, n.proxyKubeconfig(), n.Name, n.ClusterCIDR, n.NodeIP)
}

// renderRunscConfig is the runsc shim's configuration: the runsc binary and
// the flags it passes to every sandbox.
func renderRunscConfig(n nodeSpec) string {
	// systrap needs no KVM and no ptrace; the sandbox joins the pod's cgroup, so quota applies to it.
	return fmt.Sprintf(`binary_name = %q
root = %q
[runsc_config]
  platform = "systrap"
  network = "sandbox"
`, n.Runsc, n.stateDir()+"/runsc")
}

// A node's own resolv.conf has no upstream servers: there is no network to
// reach them. Pods with dnsPolicy ClusterFirst get the cluster DNS instead.
func renderResolvConf() string {
	return "# No upstream resolvers: this node has no route off the machine.\noptions ndots:1\n"
}
