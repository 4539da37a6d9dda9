// Command probe is the local cluster's built-in test image: a static HTTP
// server that reports what a pod itself observes (its kernel, its cgroup
// limits, whether a connection or a DNS lookup goes through), so that tests
// prove isolation from inside the pod. The same checks run as subcommands.
//
//	probe [serve] [--listen :8080]   serve the checks over HTTP
//	probe kernel | cgroup            print one check as JSON
//	probe connect HOST:PORT          try a TCP connection
//	probe resolve NAME               look a name up in DNS
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	args := os.Args[1:]
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	var result any
	switch command {
	case "serve":
		os.Exit(serve(args))
	case "kernel":
		result = kernel()
	case "cgroup":
		result = cgroup()
	case "connect":
		if len(args) != 1 {
			usage()
		}
		result = connect(args[0], 2*time.Second)
	case "resolve":
		if len(args) != 1 {
			usage()
		}
		result = resolve(args[0])
	default:
		usage()
	}
	_ = json.NewEncoder(os.Stdout).Encode(result)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: probe [serve [--listen ADDR]] | kernel | cgroup | connect HOST:PORT | resolve NAME")
	os.Exit(2)
}

func serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", ":8080", "address to serve on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	mux := http.NewServeMux()
	host, _ := os.Hostname()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "spacekit-probe on %s\n", host)
	})
	mux.HandleFunc("GET /kernel", func(w http.ResponseWriter, _ *http.Request) { reply(w, kernel()) })
	mux.HandleFunc("GET /cgroup", func(w http.ResponseWriter, _ *http.Request) { reply(w, cgroup()) })
	mux.HandleFunc("GET /connect", func(w http.ResponseWriter, r *http.Request) {
		timeout, err := time.ParseDuration(r.URL.Query().Get("timeout"))
		if err != nil || timeout <= 0 || timeout > 30*time.Second {
			timeout = 2 * time.Second
		}
		reply(w, connect(r.URL.Query().Get("addr"), timeout))
	})
	mux.HandleFunc("GET /resolve", func(w http.ResponseWriter, r *http.Request) { reply(w, resolve(r.URL.Query().Get("name"))) })
	server := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

type kernelReport struct {
	Sysname string `json:"sysname"`
	Release string `json:"release"`
	Version string `json:"version"`
	// Log is the start of the kernel's ring buffer where the kernel lets a
	// pod read it (gVisor does: "Starting gVisor..."); LogError says why not.
	Log      string `json:"log,omitempty"`
	LogError string `json:"logError,omitempty"`
}

func kernel() kernelReport {
	var u syscall.Utsname
	_ = syscall.Uname(&u)
	r := kernelReport{Sysname: str(u.Sysname[:]), Release: str(u.Release[:]), Version: str(u.Version[:])}
	buf := make([]byte, 16<<10)
	// SYSLOG_ACTION_READ_ALL
	n, _, errno := syscall.Syscall(syscall.SYS_SYSLOG, 3, uintptr(unsafePointer(buf)), uintptr(len(buf)))
	if errno != 0 {
		r.LogError = errno.Error()
	} else {
		log := string(buf[:n])
		if len(log) > 2048 {
			log = log[:2048]
		}
		r.Log = log
	}
	return r
}

func str(b []int8) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		out = append(out, byte(c))
	}
	return string(out)
}

type connectReport struct {
	Addr      string `json:"addr"`
	Connected bool   `json:"connected"`
	Error     string `json:"error,omitempty"`
	Millis    int64  `json:"millis"`
}

func connect(addr string, timeout time.Duration) connectReport {
	start := time.Now()
	r := connectReport{Addr: addr}
	c, err := net.DialTimeout("tcp", addr, timeout)
	r.Millis = time.Since(start).Milliseconds()
	if err != nil {
		r.Error = err.Error()
		return r
	}
	c.Close()
	r.Connected = true
	return r
}

type resolveReport struct {
	Name  string   `json:"name"`
	Addrs []string `json:"addrs"`
	Error string   `json:"error,omitempty"`
}

func resolve(name string) resolveReport {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, name)
	r := resolveReport{Name: name, Addrs: addrs}
	if err != nil {
		r.Error = err.Error()
	}
	if r.Addrs == nil {
		r.Addrs = []string{}
	}
	return r
}

// cgroupReport holds the limits the container runtime gave this container,
// read from the cgroup files it mounted (v1 and v2 names).
type cgroupReport struct {
	Files map[string]string `json:"files"`
	Self  string            `json:"self"`
}

func cgroup() cgroupReport {
	r := cgroupReport{Files: map[string]string{}}
	for _, f := range []string{
		"cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us", "memory/memory.limit_in_bytes",
		"cpu.max", "cpu.weight", "memory.max",
	} {
		if data, err := os.ReadFile(filepath.Join("/sys/fs/cgroup", f)); err == nil {
			r.Files[f] = strings.TrimSpace(string(data))
		}
	}
	if data, err := os.ReadFile("/proc/self/cgroup"); err == nil {
		r.Self = string(data)
	}
	return r
}
