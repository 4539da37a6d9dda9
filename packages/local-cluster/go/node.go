package main

import (
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"spacekit.dev/local-cluster/internal/ociimage"
	"spacekit.dev/local-cluster/internal/pki"
)

// nodeSlots is how many local clusters with a real node one machine can run
// at once; a slot only names the node's cgroup root.
const nodeSlots = 64

// nodeAddons are the binaries a real node runs besides the project's own.
type nodeAddons struct {
	containerd, ctr string
	netpol          string
	coredns         string
	runsc, shim     string
	pause, probe    string
}

// The node's addresses exist only inside its own network namespace, which
// has no link to the host or anywhere else; so every local cluster can use
// the same ones. The bridge's address is the node's address.
const (
	nodeClusterCIDR = "10.244.0.0/16"
	nodePodCIDR     = "10.244.0.0/24"
)

// claimSlot takes the first slot that no other local cluster holds. The hold
// is an abstract Unix socket: exclusive, and released by the kernel when this
// process dies, however it dies, so nothing is left on disk.
func claimSlot() (int, io.Closer, error) {
	for i := 0; i < nodeSlots; i++ {
		l, err := net.Listen("unix", "@spacekit-node-slot-"+strconv.Itoa(i))
		if err == nil {
			return i, l, nil
		}
	}
	return 0, nil, fmt.Errorf("all %d node slots are taken: %d local clusters with a real node already run on this machine", nodeSlots, nodeSlots)
}

// realNode is a started node, as the host sees it.
type realNode struct {
	spec    nodeSpec
	slot    io.Closer
	netns   *netnsThread
	closers []io.Closer
	cgroups []string
	once    sync.Once
}

type nodeInfo struct {
	Name             string   `json:"name"`
	IP               string   `json:"ip"`
	PodCIDR          string   `json:"podCIDR"`
	ContainerdSocket string   `json:"containerdSocket"`
	Runtimes         []string `json:"runtimes"`
	// CgroupRoot is the node's footprint on the host, for tests that prove it is gone.
	CgroupRoot string `json:"cgroupRoot"`
}

func (n *realNode) info() nodeInfo {
	runtimes := []string{"runc"}
	if n.spec.Runsc != "" {
		runtimes = append(runtimes, "runsc")
	}
	return nodeInfo{n.spec.Name, n.spec.NodeIP, n.spec.PodCIDR, n.spec.containerdSocket(), runtimes, n.spec.CgroupRoot}
}

// nodeUnavailable says why this process cannot run a real node, or "".
func nodeUnavailable(addons nodeAddons) string {
	if os.Geteuid() != 0 {
		return "a real node needs root (kubelet, containerd and network namespaces); run as root, or use --kwok-nodes for simulated ones"
	}
	for name, path := range map[string]string{"containerd": addons.containerd, "ctr": addons.ctr} {
		if _, err := os.Stat(path); err != nil {
			return fmt.Sprintf("%s is missing at %s: install Debian's containerd (apt-get install containerd)", name, path)
		}
	}
	for _, tool := range []string{"ip", "iptables", "ipset"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Sprintf("%s is missing: install Debian's iproute2 iptables ipset", tool)
		}
	}
	if _, err := os.Stat("/usr/lib/cni/bridge"); err != nil {
		return "the CNI plugins are missing at /usr/lib/cni: install Debian's containernetworking-plugins"
	}
	return ""
}

// prepareRealNode claims a network slot and writes the node's files and
// cgroups; start then runs it. The node's cleanup removes what the kernel
// does not remove with its namespaces: its cgroups.
func prepareRealNode(name, dataDir, logDir string, certs *pki.PKI, addons nodeAddons, verbosity int) (*realNode, error) {
	slot, hold, err := claimSlot()
	if err != nil {
		return nil, err
	}
	spec := nodeSpec{
		Name: name, Dir: filepath.Join(dataDir, "nodes", name), LogDir: logDir,
		PodCIDR: nodePodCIDR, ClusterCIDR: nodeClusterCIDR, ServiceCIDR: serviceCIDR, DNSIP: dnsServiceIP,
		APIPort: nodeAPIPort, CgroupRoot: "/spacekit-node-" + strconv.Itoa(slot), Verbosity: verbosity,
		Containerd: addons.containerd, Ctr: addons.ctr, Netpol: addons.netpol, Runsc: addons.runsc, RunscShim: addons.shim,
	}
	spec.NodeIP = spec.bridgeGateway().String()
	spec.Self, err = os.Executable()
	if err != nil {
		hold.Close()
		return nil, err
	}
	node := &realNode{spec: spec, slot: hold}
	if err := node.writeFiles(certs, addons); err != nil {
		node.cleanup()
		return nil, err
	}
	if err := node.makeCgroups(); err != nil {
		node.cleanup()
		return nil, err
	}
	return node, nil
}

// start runs node-init in namespaces of its own under the supervisor, opens
// the apiserver inside the node (a listener in its namespace that forwards
// to the host's loopback) and the node to the apiserver (the egress proxy).
func (n *realNode) start(sup *supervisor, server, egressSocket string) error {
	name := n.spec.Name
	if err := sup.startIn(name, []string{n.spec.specFile()}, "node-init",
		syscall.CLONE_NEWNET|syscall.CLONE_NEWNS|syscall.CLONE_NEWPID|syscall.CLONE_NEWUTS); err != nil {
		return err
	}
	var err error
	if n.netns, err = enterNetns(sup.pids()[name]); err != nil {
		return fmt.Errorf("enter the node's network namespace: %w", err)
	}
	tunnel, err := n.netns.listen(fmt.Sprintf("0.0.0.0:%d", nodeAPIPort))
	if err != nil {
		return fmt.Errorf("apiserver tunnel: %w", err)
	}
	n.closers = append(n.closers, tunnel)
	go forward(tunnel, strings.TrimPrefix(server, "https://"))
	egress, err := serveEgress(egressSocket, n.netns)
	if err != nil {
		return fmt.Errorf("egress proxy: %w", err)
	}
	n.closers = append(n.closers, egress)
	return nil
}

// nodeAPIPort is where the apiserver answers inside a node's network namespace.
const nodeAPIPort = 6443

const dnsServiceIP = "10.96.0.10"

func (n *realNode) writeFiles(certs *pki.PKI, addons nodeAddons) error {
	s := n.spec
	if err := os.MkdirAll(s.cniConfDir(), 0o700); err != nil {
		return err
	}
	if err := os.MkdirAll(s.path("images"), 0o700); err != nil {
		return err
	}
	nodeServer := s.kubeletServerURL()
	kubeletIdentity := "kubelet-" + s.Name
	if err := certs.AddClient(kubeletIdentity, pkix.Name{CommonName: "system:node:" + s.Name, Organization: []string{"system:nodes"}}); err != nil {
		return err
	}
	for path, identity := range map[string]string{s.kubeletKubeconfig(): kubeletIdentity, s.proxyKubeconfig(): "kube-proxy", s.netpolKubeconfig(): "netpol"} {
		if err := writeKubeconfig(path, nodeServer, certs, identity); err != nil {
			return err
		}
	}
	images := []struct {
		file string
		img  ociimage.Spec
	}{
		{"pause.tar", ociimage.Spec{Refs: []string{pauseImageRef}, Binary: addons.pause, Entrypoint: []string{"/pause"}}},
		{"probe.tar", ociimage.Spec{Refs: []string{probeImageRef}, Binary: addons.probe, Entrypoint: []string{"/probe"}, User: "65534:65534"}},
		{"coredns.tar", ociimage.Spec{Refs: []string{corednsImageRef}, Binary: addons.coredns, Entrypoint: []string{"/coredns"}, User: "65534:65534"}},
	}
	for _, i := range images {
		path := s.path("images", i.file)
		if err := ociimage.Write(path, i.img); err != nil {
			return fmt.Errorf("image %s: %w", i.img.Refs[0], err)
		}
		n.spec.Images = append(n.spec.Images, path)
	}
	files := map[string]string{
		s.containerdConfig(): renderContainerdConfig(s),
		filepath.Join(s.cniConfDir(), "10-spacekit.conflist"): renderCNIConfig(s),
		s.kubeletConfig(): renderKubeletConfig(s, certs.CACert),
		s.proxyConfig():   renderProxyConfig(s),
		s.resolvConf():    renderResolvConf(),
	}
	if s.Runsc != "" {
		files[s.runscConfig()] = renderRunscConfig(s)
	}
	for path, content := range files {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return err
		}
	}
	return writeNodeSpec(n.spec)
}

// cgroupControllers lists the machine's cgroup hierarchies: the v1
// controllers and, on a hybrid machine like this one, the v2 tree that runc
// also places containers in.
func cgroupControllers() []string {
	entries, _ := os.ReadDir("/sys/fs/cgroup")
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join("/sys/fs/cgroup", e.Name()))
		}
	}
	return dirs
}

// makeCgroups creates the node's cgroup root in every hierarchy, removing
// what an earlier run in the same slot may have left.
func (n *realNode) makeCgroups() error {
	for _, ctrl := range cgroupControllers() {
		dir := filepath.Join(ctrl, n.spec.CgroupRoot)
		_ = removeCgroupTree(dir)
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("cgroup %s: %w", dir, err)
		}
		n.cgroups = append(n.cgroups, dir)
		if strings.HasSuffix(ctrl, "/cpuset") {
			for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
				v, err := os.ReadFile(filepath.Join(ctrl, f))
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(dir, f), v, 0o644); err != nil {
					return fmt.Errorf("cgroup %s/%s: %w", dir, f, err)
				}
			}
		}
	}
	return nil
}

// removeCgroupTree removes a cgroup and its children, deepest first. A cgroup
// whose last task has just been killed may stay busy for a moment.
func removeCgroupTree(dir string) error {
	var last error
	for attempt := 0; attempt < 50; attempt++ {
		var dirs []string
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		if len(dirs) == 0 {
			return nil
		}
		last = nil
		for i := len(dirs) - 1; i >= 0; i-- {
			if err := unix.Rmdir(dirs[i]); err != nil && !errors.Is(err, unix.ENOENT) {
				last = err
			}
		}
		if last == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("remove cgroup %s: %w", dir, last)
}

// cleanup releases what outlives the node's namespaces: its cgroups and the slot.
func (n *realNode) cleanup() {
	n.once.Do(func() {
		for _, c := range n.closers {
			c.Close()
		}
		if n.netns != nil {
			n.netns.close()
		}
		for _, dir := range n.cgroups {
			if err := removeCgroupTree(dir); err != nil {
				fmt.Fprintf(os.Stderr, "spacekit-cluster: %v\n", err)
			}
		}
		if n.slot != nil {
			n.slot.Close()
		}
	})
}

// forward copies each connection accepted in the node to the apiserver on
// the host's loopback. TLS passes through untouched.
func forward(l net.Listener, target string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				return
			}
			defer up.Close()
			done := make(chan struct{}, 2)
			go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
			go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
			<-done
		}()
	}
}
