package ports

import (
	"net"
	"strconv"
	"testing"
)

func TestFreeReturnsABindablePortBelowTheEphemeralRange(t *testing.T) {
	low := EphemeralLow()
	if low-lowest < 1000 {
		t.Skipf("the ephemeral range starts at %d, leaving no room below it", low)
	}
	seen := map[int]bool{}
	for range 20 {
		port, err := Free()
		if err != nil {
			t.Fatal(err)
		}
		if port < lowest || port >= low {
			t.Fatalf("port %d is outside [%d, %d)", port, lowest, low)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatalf("port %d is not free: %v", port, err)
		}
		l.Close()
		seen[port] = true
	}
	if len(seen) < 10 {
		t.Fatalf("20 picks gave only %d distinct ports; parallel control planes would collide", len(seen))
	}
}

func TestFreeSkipsAPortThatIsTaken(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().(*net.TCPAddr).Port
	spare, err := Free()
	if err != nil {
		t.Fatal(err)
	}
	// The first candidate is the busy port, the second the spare one.
	candidates := []int{taken - lowest, spare - lowest}
	port, err := free(taken+1, func(int) int {
		next := candidates[0]
		candidates = candidates[1:]
		return next
	})
	if err != nil {
		t.Fatal(err)
	}
	if port != spare {
		t.Fatalf("got port %d, want %d after skipping the busy %d", port, spare, taken)
	}
}

func TestParseLocalPortRange(t *testing.T) {
	low, high, err := ParseLocalPortRange("32768\t60999\n")
	if err != nil || low != 32768 || high != 60999 {
		t.Fatalf("got %d %d %v", low, high, err)
	}
	for _, bad := range []string{"", "32768", "a b", "60999 32768", "0 100", "1 70000"} {
		if _, _, err := ParseLocalPortRange(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
