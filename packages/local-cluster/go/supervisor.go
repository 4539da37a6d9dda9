package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

type childExit struct {
	name string
	err  error
}

// supervisor runs upstream components as children of this binary and stops
// them in reverse order of start.
type supervisor struct {
	logDir   string
	mu       sync.Mutex
	order    []string
	children map[string]*exec.Cmd
	done     map[string]chan struct{}
	exited   chan childExit
	stopping bool
}

func newSupervisor(logDir string) *supervisor {
	return &supervisor{
		logDir:   logDir,
		children: map[string]*exec.Cmd{},
		done:     map[string]chan struct{}{},
		exited:   make(chan childExit, 8),
	}
}

func (s *supervisor) logPath(name string) string {
	return filepath.Join(s.logDir, name+".log")
}

func (s *supervisor) start(name string, args []string) error {
	return s.startIn(name, args, name, 0)
}

// startIn runs `self command args...` as child name, in new namespaces when
// cloneflags asks for them.
func (s *supervisor) startIn(name string, args []string, command string, cloneflags uintptr) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logFile, err := os.OpenFile(s.logPath(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(self, append([]string{command}, args...)...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Cloneflags: cloneflags}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.order = append(s.order, name)
	s.children[name] = cmd
	s.done[name] = done
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		logFile.Close()
		close(done)
		s.mu.Lock()
		stopping := s.stopping
		s.mu.Unlock()
		if !stopping {
			s.exited <- childExit{name, err}
		}
	}()
	return nil
}

func (s *supervisor) pids() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for name, cmd := range s.children {
		out[name] = cmd.Process.Pid
	}
	return out
}

// stopAll sends SIGTERM to every child at once and SIGKILLs any that has not
// exited within the grace period. Children are independent processes, so a
// parallel stop keeps shutdown short even on a loaded machine.
func (s *supervisor) stopAll() {
	s.mu.Lock()
	s.stopping = true
	order := append([]string(nil), s.order...)
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, name := range order {
		cmd, done := s.children[name], s.done[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		}()
	}
	wg.Wait()
}

// killAll SIGKILLs every child, then waits a bounded time for them all to
// be reaped, for a shutdown that can no longer be graceful.
func (s *supervisor) killAll() {
	s.mu.Lock()
	s.stopping = true
	dones := make([]chan struct{}, 0, len(s.order))
	for _, name := range s.order {
		_ = s.children[name].Process.Kill()
		dones = append(dones, s.done[name])
	}
	s.mu.Unlock()
	deadline := time.After(5 * time.Second)
	for _, done := range dones {
		select {
		case <-done:
		case <-deadline:
			return
		}
	}
}

func (s *supervisor) logTail(name string, lines int) string {
	data, err := os.ReadFile(s.logPath(name))
	if err != nil {
		return fmt.Sprintf("(no log for %s: %v)", name, err)
	}
	parts := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return fmt.Sprintf("--- last %d lines of %s ---\n%s", len(parts), s.logPath(name), bytes.Join(parts, []byte("\n")))
}
