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
	KindReverseMapping          // reverse mapping checking getaddrinfo for H [A] failed - POSSIBLE BREAK-IN ATTEMPT! (a DNS warning, not a failure)
	KindConnectionClosed        // Connection closed by A port P (not before authentication)
	KindDisconnected            // Disconnected from A port P (not before authentication)
	KindConnectionReset         // Connection reset by A port P (not before authentication)
	KindConnection              // Connection from A port P on B port 22
	KindAccepted                // Accepted <method> for U from A port P ssh2

	// The kinds below were added later; their numbers are stored in
	// databases, so new ones go at the end. Most of the first ones name
	// no address: the connection's other lines (same host and pid) do.

	KindPAMUserUnknown       // pam_unix(sshd:auth): check pass; user unknown (no address)
	KindUserauthInvalidUser  // input_userauth_request: invalid user U [preauth] (no address)
	KindPAMRequirementNotMet // pam_succeed_if(sshd:auth): requirement "…" not met by user "U" (no address)
	KindPAMMaxRetries        // PAM service(sshd) ignoring max retries; N > M (no address)
	KindReadFailed           // fatal: Read from socket failed: … (no address)
	KindWriteFailed          // fatal: Write failed: … (no address)
	KindProtocolMismatch     // Protocol major versions differ[ for A port P]: …
	KindKeyTypeRefused       // userauth_pubkey: key type T not in PubkeyAcceptedAlgorithms [preauth] (no address)
	KindSessionOpened        // pam_unix(sshd:session): session opened for user U(uid=N) by (uid=0) (no address; a success)
	KindSessionClosed        // pam_unix(sshd:session): session closed for user U (no address; a success)
	KindPenaltyDrop          // drop connection #N from [A]:P on [A]:P penalty: … (OpenSSH 9.8+ listener)
	KindMaxStartupsDrop      // drop connection #N from [A]:P on [A]:P past MaxStartups
	KindPenalty              // srclimit_penalise: ipv4: new A/32 active penalty of … / A/32: activating ipv4 penalty of …
	KindRefuseConnection     // administratively prohibited connection for [invalid user ]U from A port P (RefuseConnection)
	KindScanned              // scanned from A port P with SSH-…  Don't panic.
	KindProbed               // probed from A port P with SSH-…  Don't panic.
	KindSignatureRejected    // public key T F signature for [invalid user ]U from A port P rejected: …
	KindConnectionTimeout    // Connection from A port P timed out
	KindSessionDisconnect    // Received disconnect from A port P:N: … without [preauth]: after login, not a failure
	KindSessionEnd           // Disconnected from / Connection closed by / reset by user U A port P: after login, not a failure
	KindAddressMapsTo        // Address A maps to H, but this does not map back to the address … (a DNS warning)
	KindLtypeNotice          // SSH: Server;Ltype: Version|Kex|Authname;Remote: A-P;… (patched sshds, HP-UX's among them: a connection notice)
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

	KindPAMUserUnknown:       "pam_user_unknown",
	KindUserauthInvalidUser:  "userauth_invalid_user",
	KindPAMRequirementNotMet: "pam_requirement_not_met",
	KindPAMMaxRetries:        "pam_max_retries",
	KindReadFailed:           "read_failed",
	KindWriteFailed:          "write_failed",
	KindProtocolMismatch:     "protocol_mismatch",
	KindKeyTypeRefused:       "key_type_refused",
	KindSessionOpened:        "session_opened",
	KindSessionClosed:        "session_closed",
	KindPenaltyDrop:          "penalty_drop",
	KindMaxStartupsDrop:      "maxstartups_drop",
	KindPenalty:              "penalty",
	KindRefuseConnection:     "refuse_connection",
	KindScanned:              "scanned",
	KindProbed:               "probed",
	KindSignatureRejected:    "signature_rejected",
	KindConnectionTimeout:    "connection_timeout",
	KindSessionDisconnect:    "session_disconnect",
	KindSessionEnd:           "session_end",
	KindAddressMapsTo:        "address_maps_to",
	KindLtypeNotice:          "ltype_notice",
}

// notFailure lists the kinds that are no sign of an unwelcome connection:
// a login, the lines of a logged-in session, plain connection notices and
// DNS warnings (which say something about the client's DNS, not about
// what it did).
var notFailure = [numKinds]bool{
	KindNone:              true,
	KindAccepted:          true,
	KindConnection:        true,
	KindReverseMapping:    true,
	KindSessionOpened:     true,
	KindSessionClosed:     true,
	KindSessionDisconnect: true,
	KindSessionEnd:        true,
	KindAddressMapsTo:     true,
	KindLtypeNotice:       true,
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
// everything but accepted logins, the lines of a logged-in session, plain
// connection notices and DNS warnings. It is the kinds table's failure
// flag.
func (k Kind) IsFailure() bool {
	return k < numKinds && !notFailure[k]
}

// NumKinds is one more than the largest Kind: an array of NumKinds counts
// has a place for every kind, KindNone included.
const NumKinds = int(numKinds)

// Event is what one sshd message says. Its byte slices point into the
// message passed to Parse and are valid only as long as that buffer is.
//
// Where sshd logged the client, exactly one of Addr and HostName is set:
// Addr holds an IP address (IPv4 in dotted decimal, IPv6 with any zone
// such as "%eth0" cut off, ::ffff:a.b.c.d as a.b.c.d); HostName holds a
// host name sshd wrote instead (UseDNS, PAM's rhost=), which is never an
// address: anyone who controls the client's reverse DNS chooses it (the
// parser used to give a name as Addr, so databases loaded before hold
// some names as ip, which enrich marks with the scope "hostname"). A
// line that names neither (kex_exchange_identification, "check pass;
// user unknown", …) leaves both nil; its connection's other lines, of the
// same host and pid, say where it came from.
type Event struct {
	Kind        Kind
	Method      []byte // auth method, e.g. "password", "keyboard-interactive/pam"
	User        []byte // username exactly as logged (attacker-controlled)
	InvalidUser bool   // sshd said "invalid user" / "illegal user"
	Addr        []byte // source IP address as logged (see above); for KindPenalty the network sshd penalised, its /N cut off
	HostName    []byte // source host name as logged, when sshd wrote a name instead of an address
	Port        int32  // client's source port; 0 when the message has none
	Repeat      int32  // how many times the message stands for (message repeated N times)
	HasUser     bool   // the message names a user (User may still be empty)
	// KeyType and KeyFingerprint are the key of a publickey or hostbased
	// login as sshd named it ("ED25519", "SHA256:…"); nil when the line
	// names none. A local user can write such a line: the text is shaped
	// like a key, nothing more.
	KeyType        []byte
	KeyFingerprint []byte
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
