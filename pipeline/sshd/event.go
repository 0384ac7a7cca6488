// Package sshd reads the message part of an sshd log line and says what
// happened: which kind of event, with which method, username, address and
// port. It is a hand-written scanner over bytes with no regular expressions
// and no allocation.
package sshd

// Kind names one family of sshd messages.
type Kind uint8

// The kinds of event a message can be. KindNone means the message was not
// recognised.
const (
	KindNone               Kind = iota
	KindFailed                  // Failed <method> for [invalid user ]U from A port P ssh2
	KindInvalidUser             // Invalid user U from A [port P]
	KindPAMFailure              // pam_unix authentication failure, PAM: Authentication failure, PAM N more failures
	KindMaxAttempts             // error: maximum authentication attempts exceeded for U from A port P ssh2
	KindTooManyFailures         // Disconnecting[…]: Too many authentication failures
	KindPreauthClose            // Connection closed by [invalid|authenticating user U ]A port P [preauth]
	KindPreauthDisconnect       // Disconnected from [invalid|authenticating user U ]A port P [preauth]
	KindPreauthReset            // Connection reset by [authenticating user U ]A port P [preauth]
	KindReceivedDisconnect      // Received disconnect from A port P:N: reason
	KindNegotiationFailed       // Unable to negotiate with A port P: no matching …
	KindNoIdentification        // Did not receive identification string from A
	KindBannerInvalid           // banner exchange: Connection from A port P: invalid format
	KindBadProtocol             // Bad protocol version identification '…' from A
	KindKexIdentification       // kex_exchange_identification: … (no address)
	KindProtocolError           // ssh_dispatch_run_fatal / Magic value check failed
	KindNotAllowed              // User U from A not allowed because …
	KindRootRefused             // ROOT LOGIN REFUSED FROM A
	KindAuthTimeout             // fatal: Timeout before authentication for A port P
	KindRefusedConnect          // refused connect from H (A)  (tcp wrappers)
	KindReverseMapping          // reverse mapping checking getaddrinfo … POSSIBLE BREAK-IN ATTEMPT!
	KindConnectionClosed        // Connection closed by A port P (not before authentication)
	KindDisconnected            // Disconnected from [user U ]A port P (not before authentication)
	KindConnectionReset         // Connection reset by A port P (not before authentication)
	KindConnection              // Connection from A port P on B port 22
	KindAccepted                // Accepted <method> for U from A port P ssh2
	numKinds
)

var kindNames = [numKinds]string{
	KindNone:               "",
	KindFailed:             "failed",
	KindInvalidUser:        "invalid_user",
	KindPAMFailure:         "pam_failure",
	KindMaxAttempts:        "max_attempts",
	KindTooManyFailures:    "too_many_failures",
	KindPreauthClose:       "preauth_close",
	KindPreauthDisconnect:  "preauth_disconnect",
	KindPreauthReset:       "preauth_reset",
	KindReceivedDisconnect: "received_disconnect",
	KindNegotiationFailed:  "negotiation_failed",
	KindNoIdentification:   "no_identification",
	KindBannerInvalid:      "banner_invalid",
	KindBadProtocol:        "bad_protocol",
	KindKexIdentification:  "kex_identification",
	KindProtocolError:      "protocol_error",
	KindNotAllowed:         "not_allowed",
	KindRootRefused:        "root_refused",
	KindAuthTimeout:        "auth_timeout",
	KindRefusedConnect:     "refused_connect",
	KindReverseMapping:     "reverse_mapping",
	KindConnectionClosed:   "connection_closed",
	KindDisconnected:       "disconnected",
	KindConnectionReset:    "connection_reset",
	KindConnection:         "connection",
	KindAccepted:           "accepted",
}

// String returns the kind's name as stored in the events table.
func (k Kind) String() string {
	if k >= numKinds {
		return "unknown"
	}
	return kindNames[k]
}

// Kinds lists every kind a message can be, KindNone excluded, in order.
func Kinds() []Kind {
	out := make([]Kind, 0, numKinds-1)
	for k := KindNone + 1; k < numKinds; k++ {
		out = append(out, k)
	}
	return out
}

// IsFailure reports whether the kind is a sign of an unwelcome connection:
// everything but accepted logins and plain connection notices.
func (k Kind) IsFailure() bool {
	return k != KindNone && k != KindAccepted && k != KindConnection
}

// Event is what one sshd message says. Its byte slices point into the
// message passed to Parse and are valid only as long as that buffer is.
type Event struct {
	Kind        Kind
	Method      []byte // auth method, e.g. "password", "keyboard-interactive/pam"
	User        []byte // username exactly as logged (attacker-controlled)
	InvalidUser bool   // sshd said "invalid user" / "illegal user"
	Addr        []byte // source address as logged; ::ffff:a.b.c.d is given as a.b.c.d
	Port        int32  // client's source port; 0 when the message has none
	Repeat      int32  // how many times the message stands for (message repeated N times)
	HasUser     bool   // the message names a user (User may still be empty)
}

// Reset clears the event for reuse.
func (e *Event) Reset() {
	*e = Event{}
}

// IsDaemon reports whether a syslog tag is one of sshd's programs: sshd,
// and sshd-session and sshd-auth, which OpenSSH 9.8 and 10 split out of it.
func IsDaemon(ident []byte) bool {
	switch string(ident) {
	case "sshd", "sshd-session", "sshd-auth":
		return true
	}
	return false
}
