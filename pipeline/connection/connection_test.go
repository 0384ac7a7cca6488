package connection

import (
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// TestEcho checks which lines after a connection's last one stay in it:
// a closing line naming no address within Echo of it does (fail2ban's
// gh-1117 pair), later or naming another client it starts a new one.
func TestEcho(t *testing.T) {
	const host, pid = 7, 22440
	addr := []byte("192.0.2.3")
	tests := []struct {
		name string
		gap  int64
		kind sshd.Kind
		addr []byte
		same bool
	}{
		{"fatal again within a second", 1e6, sshd.KindNegotiationFailed, nil, true},
		{"fatal again the same second", 0, sshd.KindNegotiationFailed, nil, true},
		{"fatal again two seconds on", 2e6, sshd.KindNegotiationFailed, nil, false},
		{"a closing line of another client", 1e6, sshd.KindNegotiationFailed, []byte("198.51.100.9"), false},
		{"the same client's closing line", 1e6, sshd.KindNegotiationFailed, addr, true},
		{"a failure that is no closing line", 1e6, sshd.KindFailed, nil, false},
		{"a new connection line", 0, sshd.KindConnection, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(1, nil)
			const t0 = int64(1_700_000_000e6)
			first := tr.Assign(host, pid, t0, sshd.KindNegotiationFailed, addr, 0)
			next := tr.Assign(host, pid, t0+tc.gap, tc.kind, tc.addr, 0)
			if got := next == first; got != tc.same {
				t.Errorf("same connection = %v, want %v (ids %d, %d)", got, tc.same, first, next)
			}
		})
	}
}

// TestEarlierLine: lines are read in the order of their files, and a file
// read late (an old rotated one, a log appended to out of order) has lines
// far earlier than a connection's last. Such a line of the same pid is
// another connection's, even after a login, whose session may go on for
// days; a line a little out of order (syslog's clocks) stays in it.
func TestEarlierLine(t *testing.T) {
	const host, pid = 7, 22440
	addr := []byte("192.0.2.3")
	const t0 = int64(1_700_000_000e6)
	tests := []struct {
		name  string
		first sshd.Kind
		back  int64
		same  bool
	}{
		{"after a login, a month earlier", sshd.KindAccepted, 30 * 24 * 3600e6, false},
		{"after a login, eleven minutes earlier", sshd.KindAccepted, MaxGap + 60e6, false},
		{"after a login, half a minute earlier", sshd.KindAccepted, 30e6, true},
		{"before a login, a month earlier", sshd.KindFailed, 30 * 24 * 3600e6, false},
		{"before a login, a minute earlier", sshd.KindFailed, 60e6, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(1, nil)
			first := tr.Assign(host, pid, t0, tc.first, addr, 4242)
			next := tr.Assign(host, pid, t0-tc.back, sshd.KindFailed, nil, 0)
			if got := next == first; got != tc.same {
				t.Errorf("same connection = %v, want %v (ids %d, %d)", got, tc.same, first, next)
			}
		})
	}
}
