package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"spacekit.dev/local-cluster/internal/lifetime"
	"spacekit.dev/local-cluster/internal/pki"
	"spacekit.dev/local-cluster/internal/ports"
	"strconv"
	"time"
)

const (
	serviceCIDR = "10.96.0.0/16"
	serviceIP   = "10.96.0.1"
	saIssuer    = "https://kubernetes.default.svc.cluster.local"
)

type upOptions struct {
	dataDir    string
	kubeconfig string
	port       int
	output     string
	verbosity  int
	fsync      bool
	nodes      int
	kwokNodes  int
	addons     nodeAddons
	timeout    time.Duration
}

// readyEvent is the one line `up --output json` prints on stdout once the
// control plane serves; launchers parse it instead of scraping logs.
type readyEvent struct {
	Event      string         `json:"event"`
	Server     string         `json:"server"`
	Kubeconfig string         `json:"kubeconfig"`
	Version    string         `json:"version"`
	DataDir    string         `json:"dataDir"`
	LogDir     string         `json:"logDir"`
	Pid        int            `json:"pid"`
	Components map[string]int `json:"components"`
	Nodes      []nodeInfo     `json:"nodes"`
	// NodesSkipped says why no real node was started although one was asked for.
	NodesSkipped string `json:"nodesSkipped,omitempty"`
}

func parseUpFlags(args []string) (upOptions, error) {
	var o upOptions
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.StringVar(&o.dataDir, "data-dir", "", "folder for etcd data, certificates and logs (default: a new temporary folder, removed on exit)")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "where to write the admin kubeconfig (default: <data-dir>/admin.kubeconfig)")
	fs.IntVar(&o.port, "port", 0, "kube-apiserver port on 127.0.0.1 (default: a free port)")
	fs.StringVar(&o.output, "output", "text", "what to print once ready: text or json")
	fs.IntVar(&o.verbosity, "v", 0, "log verbosity of the components (their logs go to <data-dir>/logs)")
	fs.BoolVar(&o.fsync, "fsync", false, "make etcd fsync its writes (off by default: the data is throwaway)")
	fs.IntVar(&o.nodes, "nodes", 1, "real worker nodes to run (0 or 1): kubelet, containerd, CNI, kube-proxy, a NetworkPolicy engine and cluster DNS; needs root")
	fs.IntVar(&o.kwokNodes, "kwok-nodes", 0, "simulated nodes played by kwok, on which pods are pretend-Running (for scale runs)")
	fs.StringVar(&o.addons.containerd, "containerd", "/usr/bin/containerd", "containerd binary for real nodes")
	fs.StringVar(&o.addons.ctr, "ctr", "/usr/bin/ctr", "containerd's ctr binary, to import images")
	fs.StringVar(&o.addons.netpol, "netpol", "", "kube-router binary, run as the NetworkPolicy engine of real nodes")
	fs.StringVar(&o.addons.coredns, "coredns", "", "CoreDNS binary, run as cluster DNS")
	fs.StringVar(&o.addons.runsc, "runsc", "", "gVisor's runsc binary; with --runsc-shim, real nodes get the runtime handler runsc")
	fs.StringVar(&o.addons.shim, "runsc-shim", "", "gVisor's containerd shim (containerd-shim-runsc-v1)")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "how long to wait for the apiserver to become ready")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.nodes < 0 || o.nodes > 1 {
		return o, fmt.Errorf("--nodes must be 0 or 1, not %d (one real node per local cluster today; --kwok-nodes adds simulated ones)", o.nodes)
	}
	if o.kwokNodes < 0 {
		return o, fmt.Errorf("--kwok-nodes must be 0 or more, not %d", o.kwokNodes)
	}
	if (o.addons.runsc == "") != (o.addons.shim == "") {
		return o, fmt.Errorf("--runsc and --runsc-shim go together")
	}
	if o.output != "text" && o.output != "json" {
		return o, fmt.Errorf("--output must be text or json, not %q", o.output)
	}
	return o, nil
}

// shutdownBound is how long a graceful shutdown may take before the process
// is forced out; etcd's close has no bound of its own.
const shutdownBound = 45 * time.Second

func runUp(args []string) int {
	lifetime.TolerateClosedStdio()
	lifetime.ExitWithParent(shutdownBound)
	opts, err := parseUpFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(os.Stderr, "spacekit-cluster up: %v\n", err)
		return 2
	}
	ctx, stop := signalContext()
	defer stop()
	if err := up(ctx, opts); err != nil {
		fmt.Fprintf(os.Stderr, "spacekit-cluster up: %v\n", err)
		return 1
	}
	return 0
}

func up(ctx context.Context, opts upOptions) (err error) {
	dataDir := opts.dataDir
	if dataDir == "" {
		dataDir, err = os.MkdirTemp("", "spacekit-cluster-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dataDir)
		lifetime.AtForcedExit(func() { _ = lifetime.RemoveAll(dataDir) })
	}
	dataDir, err = filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	logDir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return err
	}
	kubeconfig := opts.kubeconfig
	if kubeconfig == "" {
		kubeconfig = filepath.Join(dataDir, "admin.kubeconfig")
	}

	certs, err := pki.New(filepath.Join(dataDir, "pki"), serviceIP)
	if err != nil {
		return err
	}
	if _, _, err := certs.WriteClient("apiserver-kubelet-client"); err != nil {
		return err
	}

	etcd, err := startEtcd(filepath.Join(dataDir, "etcd"), filepath.Join(logDir, "etcd.log"), opts.fsync)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()

	port := opts.port
	if port == 0 {
		if port, err = ports.Free(); err != nil {
			return err
		}
	}
	server := "https://127.0.0.1:" + strconv.Itoa(port)
	componentKubeconfigs := map[string]string{}
	for _, identity := range []string{"controller-manager", "scheduler"} {
		path := filepath.Join(dataDir, identity+".kubeconfig")
		if err := writeKubeconfig(path, server, certs, identity); err != nil {
			return err
		}
		componentKubeconfigs[identity] = path
	}

	// Whether a real node runs decides the apiserver's egress, so it is settled first.
	node, nodesSkipped, err := planNode(opts, dataDir, logDir, certs)
	if err != nil {
		return err
	}
	egressSocket := filepath.Join(dataDir, "egress.sock")
	var extraArgs []string
	if node != nil {
		// Registered before the supervisor's stop, so they run after it: the node's
		// cgroups can go only once its processes have.
		defer node.cleanup()
		lifetime.AtForcedExit(node.cleanup)
		config := filepath.Join(dataDir, "egress-selector.yaml")
		if err := os.WriteFile(config, []byte(egressSelectorConfig(egressSocket)), 0o600); err != nil {
			return err
		}
		extraArgs = append(extraArgs, "--egress-selector-config-file="+config)
	}

	sup := newSupervisor(logDir)
	defer sup.stopAll()
	// Children write logs into the data directory, so they go before it does.
	lifetime.AtForcedExit(sup.killAll)

	verbosity := "--v=" + strconv.Itoa(opts.verbosity)
	if err := sup.start("apiserver", append(apiserverArgs(certs, etcd.clientURL, port, verbosity), extraArgs...)); err != nil {
		return err
	}
	readyCtx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	if err := waitReadyz(readyCtx, server, certs, sup); err != nil {
		return fmt.Errorf("kube-apiserver did not become ready: %w\n%s", err, sup.logTail("apiserver", 40))
	}
	if err := sup.start("controller-manager", controllerManagerArgs(certs, componentKubeconfigs["controller-manager"], verbosity)); err != nil {
		return err
	}
	if err := sup.start("scheduler", schedulerArgs(componentKubeconfigs["scheduler"], verbosity)); err != nil {
		return err
	}
	adminKubeconfig := filepath.Join(dataDir, "admin.kubeconfig")
	if err := writeKubeconfig(adminKubeconfig, server, certs, "admin"); err != nil {
		return err
	}
	var nodes []nodeInfo
	if node != nil {
		if err := createNodeObjects(ctx, adminKubeconfig, node.spec); err != nil {
			return err
		}
		if err := node.start(sup, server, egressSocket); err != nil {
			return fmt.Errorf("real node: %w", err)
		}
		nodes = append(nodes, node.info())
	}
	if opts.kwokNodes > 0 {
		if err := createFakeNodes(ctx, adminKubeconfig, opts.kwokNodes); err != nil {
			return err
		}
		stages, err := writeKwokStages(dataDir)
		if err != nil {
			return err
		}
		if err := sup.start("kwok", kwokArgs(adminKubeconfig, stages)); err != nil {
			return err
		}
	}
	// The requested kubeconfig is written last: its existence means "serving".
	if kubeconfig != adminKubeconfig {
		if err := writeKubeconfig(kubeconfig, server, certs, "admin"); err != nil {
			return err
		}
	}

	announce(opts.output, readyEvent{
		Event: "ready", Server: server, Kubeconfig: kubeconfig, Version: kubeVersion(),
		DataDir: dataDir, LogDir: logDir, Pid: os.Getpid(), Components: sup.pids(),
		Nodes: nodes, NodesSkipped: nodesSkipped,
	})

	select {
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "spacekit-cluster: shutting down")
		time.AfterFunc(shutdownBound, func() {
			fmt.Fprintln(os.Stderr, "spacekit-cluster: shutdown took too long; exiting")
			lifetime.ForceExit(1)
		})
		return nil
	case exit := <-sup.exited:
		return fmt.Errorf("%s exited unexpectedly (%v)\n%s", exit.name, exit.err, sup.logTail(exit.name, 40))
	}
}

// planNode prepares the real node that opts ask for, or says why none runs.
func planNode(opts upOptions, dataDir, logDir string, certs *pki.PKI) (*realNode, string, error) {
	if opts.nodes == 0 {
		return nil, "", nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	opts.addons.pause = filepath.Join(filepath.Dir(self), "spacekit-pause")
	opts.addons.probe = filepath.Join(filepath.Dir(self), "spacekit-probe")
	if why := nodeUnavailable(opts.addons); why != "" {
		fmt.Fprintf(os.Stderr, "spacekit-cluster: not starting a real node: %s\n", why)
		return nil, why, nil
	}
	if opts.addons.netpol == "" || opts.addons.coredns == "" {
		return nil, "", errors.New("a real node needs --netpol and --coredns (spacekit-local-cluster up builds them), or --nodes 0")
	}
	node, err := prepareRealNode("spacekit-node", dataDir, logDir, certs, opts.addons, opts.verbosity)
	if err != nil {
		return nil, "", fmt.Errorf("real node: %w", err)
	}
	return node, "", nil
}

func announce(output string, ev readyEvent) {
	if output == "json" {
		line, _ := json.Marshal(ev)
		fmt.Println(string(line))
		return
	}
	fmt.Printf(`Kubernetes %s control plane is ready.
  server:      %s
  kubeconfig:  %s
  data:        %s
  logs:        %s
  components:  etcd (in-process), kube-apiserver, kube-controller-manager, kube-scheduler
Try:  KUBECONFIG=%s spacekit-cluster kubectl get namespaces
Press Ctrl-C to stop; everything is removed on exit unless --data-dir was given.
`, ev.Version, ev.Server, ev.Kubeconfig, ev.DataDir, ev.LogDir, ev.Kubeconfig)
}

func apiserverArgs(p *pki.PKI, etcdURL string, port int, verbosity string) []string {
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + p.Dir,
		"--tls-cert-file=" + p.ServingCert,
		"--tls-private-key-file=" + p.ServingKey,
		"--client-ca-file=" + p.CACert,
		"--service-account-key-file=" + p.SAPub,
		"--service-account-signing-key-file=" + p.SAKey,
		"--service-account-issuer=" + saIssuer,
		"--service-cluster-ip-range=" + serviceCIDR,
		// Node authorization and NodeRestriction limit each kubelet to its own node and pods, as in a real cluster.
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--kubelet-client-certificate=" + filepath.Join(p.Dir, "apiserver-kubelet-client.crt"),
		"--kubelet-client-key=" + filepath.Join(p.Dir, "apiserver-kubelet-client.key"),
		"--kubelet-preferred-address-types=InternalIP",
		"--endpoint-reconciler-type=none",
		// Privileged pods are allowed by the apiserver so that Pod Security
		// admission, as in a real cluster, is what decides.
		"--allow-privileged=true",
		"--profiling=false",
		verbosity,
	}
}

func controllerManagerArgs(p *pki.PKI, kubeconfig, verbosity string) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--controllers=*",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file=" + p.SAKey,
		"--root-ca-file=" + p.CACert,
		"--cluster-signing-cert-file=" + p.CACert,
		"--cluster-signing-key-file=" + p.CAKey,
		"--service-cluster-ip-range=" + serviceCIDR,
		"--leader-elect=false",
		"--secure-port=0",
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--profiling=false",
		verbosity,
	}
}

func schedulerArgs(kubeconfig, verbosity string) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--secure-port=0",
		"--profiling=false",
		verbosity,
	}
}

// waitReadyz polls /readyz with the admin identity until it answers 200,
// failing early if the apiserver process has already died.
func waitReadyz(ctx context.Context, server string, p *pki.PKI, sup *supervisor) error {
	admin := p.Clients["admin"]
	cert, err := tls.X509KeyPair(admin.CertPEM, admin.KeyPEM)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.CA)
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{cert}}},
	}
	defer client.CloseIdleConnections()
	last := "no answer yet"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, server+"/readyz", nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last answer: %s)", ctx.Err(), last)
		case exit := <-sup.exited:
			return fmt.Errorf("%s exited (%v)", exit.name, exit.err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
