// Package ports picks loopback ports for the control plane's components.
package ports

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// lowest is where the search starts: below it sit well-known and registered
// services that a developer machine may run.
const lowest = 10000

// defaultEphemeralLow is Linux's default start of ip_local_port_range.
const defaultEphemeralLow = 32768

// Free returns a loopback port that is free now, chosen below the kernel's
// ephemeral range. The component binds it a moment (for the apiserver, a
// second or two) after this probe. A port from the ephemeral range, which is
// what listening on :0 gives, can be taken in that window by any outgoing
// connection or :0 listener on the machine, and busy parallel tests make
// plenty; a port below it can only be taken by another explicit bind.
func Free() (int, error) {
	return free(EphemeralLow(), rand.IntN)
}

func free(high int, intN func(int) int) (int, error) {
	if high-lowest >= 1000 {
		for range 200 {
			port := lowest + intN(high-lowest)
			if bindable(port) {
				return port, nil
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func bindable(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// EphemeralLow is the first port of the kernel's ephemeral range.
func EphemeralLow() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return defaultEphemeralLow
	}
	low, _, err := ParseLocalPortRange(string(data))
	if err != nil {
		return defaultEphemeralLow
	}
	return low
}

// ParseLocalPortRange reads the two numbers of ip_local_port_range.
func ParseLocalPortRange(text string) (low, high int, err error) {
	fields := strings.Fields(text)
	if len(fields) != 2 {
		return 0, 0, fmt.Errorf("want two port numbers, got %q", text)
	}
	if low, err = strconv.Atoi(fields[0]); err != nil {
		return 0, 0, err
	}
	if high, err = strconv.Atoi(fields[1]); err != nil {
		return 0, 0, err
	}
	if low < 1 || high > 65535 || low > high {
		return 0, 0, fmt.Errorf("not a port range: %q", text)
	}
	return low, high, nil
}
