package lifetime

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests below run this test binary again as a child, selected by this
// variable, because what they check ends or kills the process.
const roleEnv = "LIFETIME_TEST_ROLE"

func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "":
		os.Exit(m.Run())
	case "force-exit":
		dir := os.Getenv("LIFETIME_TEST_DIR")
		order := filepath.Join(dir, "order")
		AtForcedExit(func() { appendLine(order, "registered first") })
		AtForcedExit(func() { appendLine(order, "registered second") })
		ForceExit(3)
	case "force-exit-twice":
		order := filepath.Join(os.Getenv("LIFETIME_TEST_DIR"), "order")
		second := make(chan struct{})
		AtForcedExit(func() {
			close(second)
			time.Sleep(300 * time.Millisecond)
			appendLine(order, "slow hook finished")
		})
		go func() {
			<-second
			ForceExit(5)
		}()
		ForceExit(3)
	case "write-to-closed-stderr":
		TolerateClosedStdio()
		_, err := os.Stderr.WriteString("nobody reads this\n")
		if errors.Is(err, syscall.EPIPE) {
			os.Exit(0)
		}
		os.Exit(4)
	case "write-to-closed-stderr-untreated":
		_, _ = os.Stderr.WriteString("nobody reads this\n")
		os.Exit(0)
	}
}

func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	_, _ = f.WriteString(line + "\n")
}

func child(t *testing.T, role string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), roleEnv+"="+role), env...)
	return cmd
}

// forceExitChild runs a role that ends in ForceExit, checks its exit code
// and returns what its hooks wrote, one line each, in order.
func forceExitChild(t *testing.T, role string, wantCode int) string {
	t.Helper()
	dir := t.TempDir()
	err := child(t, role, "LIFETIME_TEST_DIR="+dir).Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != wantCode {
		t.Fatalf("want exit code %d, got %v", wantCode, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "order"))
	if err != nil {
		t.Fatalf("no hook finished: %v", err)
	}
	return strings.TrimSpace(string(data))
}

func TestForceExitRunsHooksLastRegisteredFirstAndExitsWithTheCode(t *testing.T) {
	if got, want := forceExitChild(t, "force-exit", 3), "registered second\nregistered first"; got != want {
		t.Fatalf("hooks ran as %q, want %q", got, want)
	}
}

func TestAConcurrentForceExitWaitsForTheFirstOnesHooks(t *testing.T) {
	// Exit code 3 is the first caller's; the second one's (5) would mean it cut the hook short.
	if got, want := forceExitChild(t, "force-exit-twice", 3), "slow hook finished"; got != want {
		t.Fatalf("hooks ran as %q, want %q", got, want)
	}
}

// runWithClosedStderr starts a child whose stderr is a pipe nobody reads any
// more, as when the launcher that spawned the control plane was SIGKILLed.
func runWithClosedStderr(t *testing.T, role string) error {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := child(t, role)
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return cmd.Wait()
}

func TestWithoutTolerateClosedStdioAWriteToAClosedStderrKillsTheProcess(t *testing.T) {
	err := runWithClosedStderr(t, "write-to-closed-stderr-untreated")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("want the child to die of SIGPIPE, got %v", err)
	}
	status := exit.Sys().(syscall.WaitStatus)
	if !status.Signaled() || status.Signal() != syscall.SIGPIPE {
		t.Fatalf("want death by SIGPIPE, got %v", status)
	}
}

func TestTolerateClosedStdioTurnsTheWriteIntoAnEPIPEError(t *testing.T) {
	if err := runWithClosedStderr(t, "write-to-closed-stderr"); err != nil {
		t.Fatalf("want a clean exit after seeing EPIPE, got %v", err)
	}
}

func TestRemoveAllRemovesANestedTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "etcd", "member", "wal"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "etcd", "member", "wal", "0.wal"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists: %v", dir, err)
	}
}
