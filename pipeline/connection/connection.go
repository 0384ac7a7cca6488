// Package connection joins sshd lines into connections: the lines that one
// sshd process writes for one client, from its first to its last. sshd
// names the client's address on some of them only, and a pid comes back
// later (seconds later on a busy host) for another client, so lines are
// joined by host and pid, and a connection ends where its lines say so.
package connection

import (
	"github.com/zeebo/xxh3"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// MaxGap is the longest silence inside a connection that has not logged
// in: sshd drops a client that has not authenticated after LoginGraceTime
// (two minutes unless configured). MaxSessionGap is the same for a
// connection that logged in, whose last lines come when the session ends.
const (
	MaxGap        int64 = 10 * 60 * 1e6       // microseconds
	MaxSessionGap int64 = 7 * 24 * 3600 * 1e6 // microseconds
)

// Echo is how soon after a connection's last line another closing line of
// its pid, naming no other address, is taken as the same process's: sshd can
// log a fatal twice (the preauth child's copy relayed by the monitor), and
// the kernel hands a pid out again only after cycling through pid_max.
const Echo int64 = 1e6 // microseconds

// Flags say what a connection's lines have said so far.
const (
	Ended    uint8 = 1 << iota // a line that sshd writes last (Connection closed, Disconnected …)
	LoggedIn                   // an Accepted line
)

// Open is a connection that may go on in lines not read yet: what is
// carried from one night to the next.
type Open struct {
	Host  uint64 // xxh3.Hash of the host name (a name may be any bytes)
	PID   int32
	ID    uint32
	Last  int64  // its last line's stamp, microseconds since the epoch
	Addr  uint64 // hash of the address it named (AddrHash); 0: none yet
	Port  int32
	Flags uint8
}

// Tracker gives each line the id of its connection. Use one for all the
// sources of a run, in the order they are read.
type Tracker struct {
	open  map[uint64]*Open
	next  uint32
	hwm   int64 // the newest stamp seen
	prune int64 // when open was last pruned
	since int   // lines since then
	gave  bool  // the last Assign gave its connection its address
}

// New returns a tracker whose new connections are numbered from next on,
// carrying on the connections of open.
func New(next uint32, open []Open) *Tracker {
	if next == 0 {
		next = 1
	}
	t := &Tracker{open: make(map[uint64]*Open, len(open)), next: next}
	for i := range open {
		o := open[i]
		t.open[key(o.Host, o.PID)] = &o
		t.hwm = max(t.hwm, o.Last)
	}
	return t
}

func key(host uint64, pid int32) uint64 {
	return host ^ uint64(uint32(pid))*0x9E3779B97F4A7C15
}

// AddrHash is the hash of an address as Assign compares them; 0 for none.
func AddrHash(addr []byte) uint64 {
	if addr == nil {
		return 0
	}
	return xxh3.Hash(addr) | 1
}

// Assign returns the connection of a line of the host whose xxh3.Hash is
// hostHash and of pid, at ts, of kind, naming addr and port where it does
// (nil and 0 when not). A line without a pid belongs to no connection (0).
func (t *Tracker) Assign(hostHash uint64, pid int32, ts int64, kind sshd.Kind, addr []byte, port int32) uint32 {
	t.gave = false
	if pid == 0 {
		return 0
	}
	t.since++
	if ts > t.hwm {
		t.hwm = ts
		if ts-t.prune > MaxGap && t.since >= pruneLines {
			t.pruneOld()
		}
	}
	if Alone(kind) {
		t.gave = addr != nil
		return t.newID()
	}
	a := AddrHash(addr)
	k := key(hostHash, pid)
	c := t.open[k]
	if c == nil || startsNew(c, ts, kind, a, port) {
		if c == nil {
			c = &Open{}
			t.open[k] = c
		}
		*c = Open{Host: hostHash, PID: pid, ID: t.newID()}
	}
	c.Last = max(c.Last, ts)
	if c.Addr == 0 && a != 0 {
		c.Addr = a
		t.gave = true
	}
	if c.Port == 0 {
		c.Port = port
	}
	switch {
	case kind == sshd.KindAccepted:
		c.Flags |= LoggedIn
	case Ends(kind):
		c.Flags |= Ended
	}
	return c.ID
}

func (t *Tracker) newID() uint32 {
	id := t.next
	t.next++
	return id
}

// startsNew says whether a line of kind at ts naming address hash a and
// port begins a connection after c, which holds the pid now.
func startsNew(c *Open, ts int64, kind sshd.Kind, a uint64, port int32) bool {
	gap := ts - c.Last
	if gap < -MaxGap {
		return true // read after lines far later: another file's, another client's
	}
	if c.Flags&LoggedIn != 0 {
		if gap > MaxSessionGap {
			return true
		}
	} else if gap > MaxGap {
		return true
	}
	if a != 0 && c.Addr != 0 && a != c.Addr || port != 0 && c.Port != 0 && port != c.Port {
		return true // another client
	}
	if kind == sshd.KindConnection {
		return true // sshd's first line of a connection
	}
	if c.Flags&Ended != 0 {
		// after its last line only what sshd writes on the way out, or
		// a closing line again within a second (see Echo)
		if a != 0 && a != c.Addr {
			return true
		}
		return !Trails(kind) && !(Ends(kind) && gap <= Echo)
	}
	return false
}

// pruneOld forgets the connections that can have no more lines: silent
// for longer than MaxGap (MaxSessionGap after a login), so that memory
// holds only the connections of the last minutes however long the log.
func (t *Tracker) pruneOld() {
	t.prune, t.since = t.hwm, 0
	for k, c := range t.open {
		if !alive(c, t.hwm) {
			delete(t.open, k)
		}
	}
}

func alive(c *Open, now int64) bool {
	if c.Flags&LoggedIn != 0 {
		return now-c.Last <= MaxSessionGap
	}
	return now-c.Last <= MaxGap
}

// pruneLines is how many lines pass at least between two prunings: a
// sparse log moves its stamps on by MaxGap every few lines, and a pruning
// walks every open connection.
const pruneLines = 4096

// GaveAddr reports whether the last Assign gave its connection the first
// address it names: the line whose address stands for the connection's.
func (t *Tracker) GaveAddr() bool { return t.gave }

// Carry returns the connections that may still go on after the newest
// line seen, to be handed to New on the next run.
func (t *Tracker) Carry() []Open {
	var out []Open
	for _, c := range t.open {
		if alive(c, t.hwm) {
			out = append(out, *c)
		}
	}
	return out
}

// Next is the id the next new connection would get.
func (t *Tracker) Next() uint32 { return t.next }

// Ends reports whether sshd writes a line of kind last for a connection.
func Ends(k sshd.Kind) bool {
	switch k {
	case sshd.KindPreauthClose, sshd.KindPreauthDisconnect, sshd.KindPreauthReset,
		sshd.KindConnectionClosed, sshd.KindDisconnected, sshd.KindConnectionReset,
		sshd.KindTooManyFailures, sshd.KindNegotiationFailed, sshd.KindBannerInvalid,
		sshd.KindNoIdentification, sshd.KindAuthTimeout, sshd.KindBadProtocol, sshd.KindProtocolError,
		sshd.KindReadFailed, sshd.KindWriteFailed, sshd.KindConnectionTimeout, sshd.KindSessionEnd,
		sshd.KindRefuseConnection, sshd.KindScanned, sshd.KindProbed, sshd.KindProtocolMismatch:
		return true
	}
	return false
}

// Trails reports whether a line of kind may follow a connection's last
// line: PAM's summary after "Too many authentication failures", the end
// of a session after its disconnect.
func Trails(k sshd.Kind) bool {
	switch k {
	case sshd.KindPAMFailure, sshd.KindPAMMaxRetries, sshd.KindDisconnected, sshd.KindPreauthDisconnect,
		sshd.KindSessionEnd, sshd.KindSessionClosed:
		return true
	}
	return false
}

// Alone reports whether a line of kind is a connection of its own: the
// listener's lines about clients it dropped or penalised, logged under its
// own pid (OpenSSH 9.8+).
func Alone(k sshd.Kind) bool {
	switch k {
	case sshd.KindPenaltyDrop, sshd.KindMaxStartupsDrop, sshd.KindPenalty:
		return true
	}
	return false
}
