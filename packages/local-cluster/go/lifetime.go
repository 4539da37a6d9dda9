package main

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// exitWithParent makes this process receive SIGTERM when the process that
// started it dies, so that a crashed or SIGKILLed launcher never leaves a
// control plane running. Polling the parent pid covers the window before
// prctl takes effect and platforms where the signal is lost.
func exitWithParent() {
	parent := os.Getppid()
	_ = unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0, 0, 0)
	go func() {
		for {
			if os.Getppid() != parent {
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
				time.Sleep(10 * time.Second)
				os.Exit(1)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}()
}
