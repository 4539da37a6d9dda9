// Package lifetime ties the control plane's life to the process that started
// it, and makes sure that even a shutdown cut short removes what it created.
package lifetime

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var (
	hooks struct {
		sync.Mutex
		fns []func()
	}
	forcing sync.Once
)

// AtForcedExit registers cleanup that ForceExit runs, last registered first.
// The graceful path has its own deferred cleanup; these hooks are for the
// moment that path is abandoned.
func AtForcedExit(fn func()) {
	hooks.Lock()
	defer hooks.Unlock()
	hooks.fns = append(hooks.fns, fn)
}

// ForceExit runs the registered hooks and exits with code. os.Exit skips
// deferred calls, so without the hooks a shutdown that overruns its bound
// would leave the temporary data directory behind. The shutdown bound and the
// parent-death fallback can fire together; the later caller waits for the
// first one's hooks instead of exiting in the middle of them.
func ForceExit(code int) {
	forcing.Do(func() {
		hooks.Lock()
		fns := hooks.fns
		hooks.Unlock()
		for i := len(fns) - 1; i >= 0; i-- {
			fns[i]()
		}
		os.Exit(code)
	})
	select {}
}

// ExitWithParent makes this process receive SIGTERM when the process that
// started it dies, so that a crashed or SIGKILLed launcher never leaves a
// control plane running. Polling the parent pid covers the window before
// prctl takes effect and platforms where the signal is lost. If the graceful
// shutdown has not finished within bound, the process is forced out.
func ExitWithParent(bound time.Duration) {
	parent := os.Getppid()
	_ = unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0, 0, 0)
	go func() {
		for os.Getppid() == parent {
			time.Sleep(500 * time.Millisecond)
		}
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(bound)
		ForceExit(1)
	}()
}

// TolerateClosedStdio keeps a write to a closed stdout or stderr from killing
// the process. When the launcher is SIGKILLed, the pipes it read are closed
// while this process is still shutting down, and Go's default for such a
// write is death by SIGPIPE, before any deferred cleanup runs. Notify, unlike
// signal.Ignore, is not inherited by the components this process execs.
func TolerateClosedStdio() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
}

// RemoveAll removes dir, retrying briefly: during a forced exit, in-process
// etcd may still be writing into it.
func RemoveAll(dir string) error {
	var err error
	for range 5 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}
