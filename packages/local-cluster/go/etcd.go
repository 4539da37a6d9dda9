package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"

	"spacekit.dev/local-cluster/internal/ports"
)

type etcdServer struct {
	*embed.Etcd
	clientURL string
}

// startEtcd runs a single-member etcd inside this process, on loopback ports.
// A port can still be taken between picking and binding it; etcd has not
// touched its data directory by then, so it is simply tried again.
func startEtcd(dir, logFile string, fsync bool) (*etcdServer, error) {
	for attempt := 1; ; attempt++ {
		e, err := startEtcdOnce(dir, logFile, fsync)
		if err == nil || attempt == 3 || !(errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")) {
			return e, err
		}
	}
}

func startEtcdOnce(dir, logFile string, fsync bool) (*etcdServer, error) {
	clientPort, err := ports.Free()
	if err != nil {
		return nil, err
	}
	peerPort, err := ports.Free()
	if err != nil {
		return nil, err
	}
	clientURL, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	peerURL, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))

	cfg := embed.NewConfig()
	cfg.Name = "spacekit"
	cfg.Dir = dir
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{logFile}
	cfg.UnsafeNoFsync = !fsync
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "5m"

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, fmt.Errorf("etcd did not become ready within 60s")
	}
	return &etcdServer{Etcd: e, clientURL: clientURL.String()}, nil
}
