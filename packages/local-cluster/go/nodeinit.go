package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// runNodeInit is process 1 of a real node's PID namespace, started by `up`
// in new network, mount, PID and UTS namespaces. It makes the node's private
// mounts and network, starts containerd, kube-router's firewall, kube-proxy
// and the kubelet, reaps every orphan (container shims are re-parented
// here), and on SIGTERM stops them. When it returns, the kernel kills every
// process left in the namespace, and with the last of them go the node's
// mounts, pod network namespaces, bridge, veths and iptables rules.
func runNodeInit(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: spacekit-cluster node-init NODE.json")
		return 2
	}
	spec, err := readNodeSpec(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "node-init: %v\n", err)
		return 1
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "node-init: must run as process 1 of a new PID namespace (spacekit-cluster up starts it)")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	procs := newReaper()
	go procs.reap()
	if err := bootNode(ctx, spec, procs); err != nil {
		fmt.Fprintf(os.Stderr, "node-init: %v\n", err)
		procs.stopAll(5 * time.Second)
		return 1
	}
	fmt.Fprintln(os.Stderr, "node-init: node is up")
	select {
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "node-init: stopping")
		procs.stopAll(3 * time.Second)
		return 0
	case exit := <-procs.exited:
		fmt.Fprintf(os.Stderr, "node-init: %s exited unexpectedly (%s)\n", exit.name, exit.status)
		procs.stopAll(5 * time.Second)
		return 1
	}
}

func bootNode(ctx context.Context, n nodeSpec, procs *reaper) error {
	if err := makeNodeMounts(n); err != nil {
		return fmt.Errorf("mounts: %w", err)
	}
	procs.tmpDir = n.stateDir()
	if err := unix.Sethostname([]byte(n.Name)); err != nil {
		return fmt.Errorf("hostname: %w", err)
	}
	if err := makeNodeNetwork(ctx, n, procs); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	// containerd finds a runtime's shim (containerd-shim-runsc-v1) on its PATH.
	env := os.Environ()
	if n.RunscShim != "" {
		env = append(env, "PATH="+filepath.Dir(n.RunscShim)+":"+os.Getenv("PATH"))
	}
	if err := procs.startEnv("containerd", n.logFile("containerd"), env, n.Containerd, "--config", n.containerdConfig()); err != nil {
		return err
	}
	if err := waitForSocket(ctx, n.containerdSocket(), procs, 30*time.Second); err != nil {
		return fmt.Errorf("containerd: %w", err)
	}
	for _, image := range n.Images {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		err := procs.run(ctx, n.Ctr, importArgs(n.containerdSocket(), image)...)
		cancel()
		if err != nil {
			return fmt.Errorf("import image %s: %w", filepath.Base(image), err)
		}
	}
	if n.Netpol != "" {
		if err := procs.start("netpol", n.logFile("netpol"), n.Netpol, netpolArgs(n)...); err != nil {
			return err
		}
	}
	v := "--v=" + strconv.Itoa(n.Verbosity)
	if err := procs.start("kube-proxy", n.logFile("kube-proxy"), n.Self, "kube-proxy", "--config="+n.proxyConfig(), v); err != nil {
		return err
	}
	return procs.start("kubelet", n.logFile("kubelet"), n.Self, "kubelet",
		"--config="+n.kubeletConfig(),
		"--kubeconfig="+n.kubeletKubeconfig(),
		"--root-dir="+n.kubeletRoot(),
		"--hostname-override="+n.Name,
		"--node-ip="+n.NodeIP,
		v)
}

// makeNodeMounts gives the node a mount namespace whose changes never reach
// the host: the root is made a slave, and every folder the node writes to is
// a tmpfs of its own, gone when the node's last process is.
func makeNodeMounts(n nodeSpec) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_SLAVE, ""); err != nil {
		return fmt.Errorf("make / a slave: %w", err)
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mount /proc: %w", err)
	}
	// /run holds runtime state by convention (runc's and runsc's roots, xtables.lock);
	// /var/log gets kubelet's /var/log/containers links, a path it does not let us move.
	for _, dir := range []string{"/run", "/var/log", n.stateDir()} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
			return fmt.Errorf("tmpfs on %s: %w", dir, err)
		}
	}
	for _, dir := range []string{n.containerdRoot(), n.containerdState(), n.kubeletRoot(), n.podLogsDir()} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// makeNodeNetwork makes the pod bridge, whose address is the node's. The
// namespace gets no other link, so there is no route off it. Bridged pod
// traffic passes iptables, so that NetworkPolicies and Services apply to it.
func makeNodeNetwork(ctx context.Context, n nodeSpec, procs *reaper) error {
	prefix := netip.MustParsePrefix(n.PodCIDR)
	steps := [][]string{
		{"ip", "link", "set", "lo", "up"},
		{"ip", "link", "add", "cni0", "type", "bridge"},
		{"ip", "addr", "add", fmt.Sprintf("%s/%d", n.NodeIP, prefix.Bits()), "dev", "cni0"},
		{"ip", "link", "set", "cni0", "up"},
	}
	for _, step := range steps {
		if err := procs.run(ctx, step[0], step[1:]...); err != nil {
			return err
		}
	}
	for path, value := range map[string]string{
		"/proc/sys/net/ipv4/ip_forward":                 "1",
		"/proc/sys/net/bridge/bridge-nf-call-iptables":  "1",
		"/proc/sys/net/bridge/bridge-nf-call-ip6tables": "1",
		"/proc/sys/net/ipv6/conf/all/disable_ipv6":      "1",
		"/proc/sys/net/ipv6/conf/default/disable_ipv6":  "1",
	} {
		if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
			return fmt.Errorf("sysctl %s: %w", path, err)
		}
	}
	return nil
}

func netpolArgs(n nodeSpec) []string {
	return []string{
		"--kubeconfig=" + n.netpolKubeconfig(),
		"--hostname-override=" + n.Name,
		"--run-firewall=true",
		"--run-router=false",
		"--run-service-proxy=false",
		"--run-loadbalancer=false",
		"--service-cluster-ip-range=" + n.ServiceCIDR,
		"--service-node-port-range=30000-32767",
		// Inside the node's network namespace: no clash with the host or another cluster.
		"--health-port=20244",
		"--metrics-port=0",
		"--v=" + strconv.Itoa(n.Verbosity),
	}
}

func importArgs(socket, archive string) []string {
	return []string{"--address", socket, "--namespace", "k8s.io", "images", "import", archive}
}

func importImage(ctx context.Context, ctr, socket, archive string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, ctr, importArgs(socket, archive)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import image %s: %v\n%s", filepath.Base(archive), err, out)
	}
	return nil
}

func waitForSocket(ctx context.Context, path string, procs *reaper, bound time.Duration) error {
	deadline := time.Now().Add(bound)
	for {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return nil
		}
		select {
		case exit := <-procs.exited:
			return fmt.Errorf("%s exited (%s)", exit.name, exit.status)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no socket at %s after %s", path, bound)
		}
	}
}

// run runs a short command to completion. Process 1 reaps every child, so
// the command is waited for through the reaper, not exec.Cmd.Wait.
func (r *reaper) run(ctx context.Context, binary string, args ...string) error {
	// In the node's private tmpfs once it is mounted, so that a command cut short leaves nothing on the host.
	out, err := os.CreateTemp(r.tmpDir, "node-init-")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = out, out
	done := make(chan unix.WaitStatus, 1)
	r.mu.Lock()
	if err := cmd.Start(); err != nil {
		r.mu.Unlock()
		return fmt.Errorf("%s: %w", binary, err)
	}
	r.waiters[cmd.Process.Pid] = done
	r.mu.Unlock()
	var status unix.WaitStatus
	select {
	case status = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		status = <-done
	}
	if status.Exited() && status.ExitStatus() == 0 {
		return nil
	}
	text, _ := os.ReadFile(out.Name())
	return fmt.Errorf("%s %s: %s: %s", binary, strings.Join(args, " "), describeWait(status), strings.TrimSpace(string(text)))
}

// reaper is process 1's child table. Orphans (container shims) are
// re-parented to process 1, so it waits for any child, not just its own;
// exec.Cmd.Wait would race with that, so children are started and reaped here.
type reaper struct {
	mu       sync.Mutex
	children map[int]string
	order    []int
	stopping bool
	exited   chan reaped
	gone     map[int]chan struct{}
	waiters  map[int]chan unix.WaitStatus
	// tmpDir holds short commands' output.
	tmpDir string
}

type reaped struct {
	name   string
	status string
}

func newReaper() *reaper {
	return &reaper{
		children: map[int]string{}, exited: make(chan reaped, 8),
		gone: map[int]chan struct{}{}, waiters: map[int]chan unix.WaitStatus{},
	}
}

func (r *reaper) start(name, logPath, binary string, args ...string) error {
	return r.startEnv(name, logPath, nil, binary, args...)
}

func (r *reaper) startEnv(name, logPath string, env []string, binary string, args ...string) error {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = logFile, logFile, env
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	pid := cmd.Process.Pid
	r.children[pid] = name
	r.order = append(r.order, pid)
	r.gone[pid] = make(chan struct{})
	return nil
}

func (r *reaper) reap() {
	for {
		var status unix.WaitStatus
		pid, err := unix.Wait4(-1, &status, 0, nil)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			// ECHILD: nothing to wait for yet.
			time.Sleep(50 * time.Millisecond)
			continue
		}
		r.mu.Lock()
		if w, ok := r.waiters[pid]; ok {
			delete(r.waiters, pid)
			w <- status
		}
		name, known := r.children[pid]
		if known {
			delete(r.children, pid)
			close(r.gone[pid])
			if !r.stopping {
				r.exited <- reaped{name, describeWait(status)}
			}
		}
		r.mu.Unlock()
	}
}

func describeWait(s unix.WaitStatus) string {
	if s.Signaled() {
		return "signal " + s.Signal().String()
	}
	return "exit status " + strconv.Itoa(s.ExitStatus())
}

// stopAll stops the node's components newest first (kubelet before the
// runtime it drives), each with SIGTERM and then SIGKILL after grace.
func (r *reaper) stopAll(grace time.Duration) {
	r.mu.Lock()
	r.stopping = true
	order := append([]int(nil), r.order...)
	r.mu.Unlock()
	for i := len(order) - 1; i >= 0; i-- {
		pid := order[i]
		r.mu.Lock()
		gone, alive := r.gone[pid], r.children[pid] != ""
		r.mu.Unlock()
		if !alive {
			continue
		}
		_ = unix.Kill(pid, unix.SIGTERM)
		select {
		case <-gone:
		case <-time.After(grace):
			_ = unix.Kill(pid, unix.SIGKILL)
			<-gone
		}
	}
}
