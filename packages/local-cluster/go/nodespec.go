package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
)

// nodeSpec is everything a real node needs to know, decided on the host and
// handed to `node-init` as one JSON file. The node lives in namespaces of its
// own (network, mount, PID, UTS), like a kind node without a container engine:
// when its init process ends, the kernel ends every process, mount, network
// namespace, bridge and rule inside with it (docs/adr/0011).
type nodeSpec struct {
	Name string `json:"name"`
	// Dir is the node's folder on the host: configuration, kubeconfigs, the
	// containerd socket. Its state/ subfolder is a tmpfs private to the node.
	Dir    string `json:"dir"`
	LogDir string `json:"logDir"`
	// NodeIP is the pod bridge's address. The node's network namespace has no
	// other link: nothing in it can reach the host or leave the machine.
	NodeIP      string `json:"nodeIP"`
	PodCIDR     string `json:"podCIDR"`
	ClusterCIDR string `json:"clusterCIDR"`
	ServiceCIDR string `json:"serviceCIDR"`
	DNSIP       string `json:"dnsIP"`
	// APIPort is where, inside the node's network namespace, the host's
	// kube-apiserver is reachable (on every node address, loopback included).
	APIPort    int    `json:"apiPort"`
	CgroupRoot string `json:"cgroupRoot"`
	Verbosity  int    `json:"verbosity"`
	Self       string `json:"self"`
	Containerd string `json:"containerd"`
	Ctr        string `json:"ctr"`
	// Netpol is kube-router's binary, run with only its firewall controller.
	Netpol string `json:"netpol"`
	// Runsc and RunscShim, when set, register RuntimeClass handler "runsc".
	Runsc     string `json:"runsc,omitempty"`
	RunscShim string `json:"runscShim,omitempty"`
	// Images are image archives imported into containerd before kubelet starts.
	Images []string `json:"images"`
}

func (n nodeSpec) path(parts ...string) string {
	return filepath.Join(append([]string{n.Dir}, parts...)...)
}

// The node's files, in one place.
func (n nodeSpec) specFile() string           { return n.path("node.json") }
func (n nodeSpec) containerdSocket() string   { return n.path("containerd.sock") }
func (n nodeSpec) containerdConfig() string   { return n.path("containerd.toml") }
func (n nodeSpec) kubeletConfig() string      { return n.path("kubelet.yaml") }
func (n nodeSpec) kubeletKubeconfig() string  { return n.path("kubelet.kubeconfig") }
func (n nodeSpec) proxyConfig() string        { return n.path("kube-proxy.yaml") }
func (n nodeSpec) proxyKubeconfig() string    { return n.path("kube-proxy.kubeconfig") }
func (n nodeSpec) netpolKubeconfig() string   { return n.path("netpol.kubeconfig") }
func (n nodeSpec) cniConfDir() string         { return n.path("cni") }
func (n nodeSpec) resolvConf() string         { return n.path("resolv.conf") }
func (n nodeSpec) runscConfig() string        { return n.path("runsc.toml") }
func (n nodeSpec) stateDir() string           { return n.path("state") }
func (n nodeSpec) logFile(name string) string { return filepath.Join(n.LogDir, n.Name+"-"+name+".log") }
func (n nodeSpec) containerdRoot() string     { return filepath.Join(n.stateDir(), "containerd") }
func (n nodeSpec) containerdState() string    { return filepath.Join(n.stateDir(), "run") }
func (n nodeSpec) kubeletRoot() string        { return filepath.Join(n.stateDir(), "kubelet") }
func (n nodeSpec) podLogsDir() string         { return filepath.Join(n.stateDir(), "pod-logs") }
func (n nodeSpec) bridgeGateway() netip.Addr  { return netip.MustParsePrefix(n.PodCIDR).Addr().Next() }
func (n nodeSpec) kubeletServerURL() string   { return fmt.Sprintf("https://127.0.0.1:%d", n.APIPort) }
func (n nodeSpec) sandboxImage() string       { return pauseImageRef }

func writeNodeSpec(n nodeSpec) error {
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(n.specFile(), data, 0o600)
}

func readNodeSpec(path string) (nodeSpec, error) {
	var n nodeSpec
	data, err := os.ReadFile(path)
	if err != nil {
		return n, err
	}
	return n, json.Unmarshal(data, &n)
}
