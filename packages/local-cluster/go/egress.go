package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// The apiserver reaches kubelets and pods (logs, exec, port-forward, the pod
// and service proxy) through its egress selector: an HTTP CONNECT proxy on a
// Unix socket that opens each connection from inside the node's network
// namespace. The connection then starts on the node itself, as a kubelet's
// probe does, so the NetworkPolicy engine treats it as node traffic, and the
// node needs no route to the host at all (docs/adr/0011).

// egressSelectorConfig is the apiserver's --egress-selector-config-file.
func egressSelectorConfig(socket string) string {
	return fmt.Sprintf(`apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: %s
`, socket)
}

// netnsThread runs work inside one network namespace. A socket belongs to
// the namespace of the thread that made it, so a few OS threads enter the
// namespace for good and make every socket; their I/O then runs anywhere.
type netnsThread struct {
	jobs chan func()
	quit chan struct{}
	once sync.Once
}

var errNetnsClosed = errors.New("the node's network namespace is closed")

// netnsThreads is how many threads serve the namespace: a dial to an address
// that does not answer holds its thread until the timeout, and must not hold
// up the apiserver's other connections.
const netnsThreads = 8

func enterNetns(pid int) (*netnsThread, error) {
	t := &netnsThread{jobs: make(chan func()), quit: make(chan struct{})}
	ready := make(chan error, netnsThreads)
	for range netnsThreads {
		go t.serve(pid, ready)
	}
	for range netnsThreads {
		if err := <-ready; err != nil {
			t.close()
			return nil, err
		}
	}
	return t, nil
}

func (t *netnsThread) serve(pid int, ready chan<- error) {
	// Never unlocked: the thread stays in the node's namespace and ends with this goroutine.
	runtime.LockOSThread()
	target, err := os.Open(fmt.Sprintf("/proc/%d/ns/net", pid))
	if err != nil {
		ready <- err
		return
	}
	err = unix.Setns(int(target.Fd()), unix.CLONE_NEWNET)
	target.Close()
	ready <- err
	if err != nil {
		return
	}
	for {
		select {
		case job := <-t.jobs:
			job()
		case <-t.quit:
			return
		}
	}
}

// do runs job on the namespace's thread, unless the node is gone.
func (t *netnsThread) do(job func()) error {
	done := make(chan struct{})
	select {
	case t.jobs <- func() { job(); close(done) }:
		<-done
		return nil
	case <-t.quit:
		return errNetnsClosed
	}
}

func (t *netnsThread) dial(addr string) (c net.Conn, err error) {
	if e := t.do(func() { c, err = net.DialTimeout("tcp", addr, 10*time.Second) }); e != nil {
		return nil, e
	}
	return c, err
}

func (t *netnsThread) listen(addr string) (l net.Listener, err error) {
	if e := t.do(func() { l, err = net.Listen("tcp", addr) }); e != nil {
		return nil, e
	}
	return l, err
}

// close ends the thread; later calls fail with errNetnsClosed.
func (t *netnsThread) close() { t.once.Do(func() { close(t.quit) }) }

// serveEgress answers HTTP CONNECT on a Unix socket, opening each tunnel from
// inside the node.
func serveEgress(socket string, d *netnsThread) (io.Closer, error) {
	_ = os.Remove(socket)
	l, err := net.Listen("unix", socket)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handleConnect(c, d)
		}
	}()
	return l, nil
}

func handleConnect(c net.Conn, d *netnsThread) {
	defer c.Close()
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		fmt.Fprint(c, "HTTP/1.1 405 Method Not Allowed\r\n\r\n")
		return
	}
	up, err := d.dial(req.Host)
	if err != nil {
		fmt.Fprintf(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\n%v", err)
		return
	}
	defer up.Close()
	if _, err := fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, br); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}
