package sshd

import (
	"bytes"
	"math"
)

// MaxRepeat is the most times one line may stand for ("message repeated N
// times", "PAM N more authentication failures"): a repeated line is one
// sshd process's (its pid and the client's port are in the text), and sshd
// ends a connection after MaxAuthTries failed authentications, 6 unless
// configured. A larger count is not sshd's: the reader records such a line
// as bad instead of loading it.
const MaxRepeat = 1000

// The username (and, in a few families, text after the address) is chosen by
// whoever connects. Every family is therefore read from the side that sshd
// writes itself: where the username comes before the address, the address is
// taken from the right-hand end of the message; where client text follows a
// fixed prefix, from the left. No username can move the address sshd logged.

var (
	sFrom      = []byte(" from ")
	sPort      = []byte(" port ")
	sPreauth   = []byte(" [preauth]")
	sNotAllow  = []byte(" not allowed because ")
	sTooMany   = []byte(": Too many authentication failures")
	sRhost     = []byte(" rhost=")
	sUserEq    = []byte(" user=")
	sVia       = []byte(" via ")
	sInvUser   = []byte(" invalid user")
	sIllUser   = []byte(" illegal user")
	sRepeated  = []byte("message repeated ")
	sTimes     = []byte(" times: [ ")
	sAuthUser  = []byte("authenticating user ")
	sRoot      = []byte("root") // ROOT LOGIN REFUSED names no user: it is root
	sChange    = []byte("Change of username or service not allowed: (")
	sInvUserSp = []byte("invalid user ")
	sUserSp    = []byte("user ")
)

// Parse reads one sshd message (the text after "sshd[pid]: ") into e and
// reports whether it was recognised. e is reset first; its slices point
// into msg.
func Parse(msg []byte, e *Event) bool {
	e.Reset()
	e.Repeat = 1
	msg = stripPrefixes(msg)
	if rest, ok := cutPrefix(msg, sRepeated); ok {
		n, rest, ok := leadingUint(rest)
		if !ok || n <= 0 || n > 1<<30 {
			e.Reset()
			return false
		}
		inner, ok := cutPrefix(rest, sTimes)
		if !ok || len(inner) == 0 || inner[len(inner)-1] != ']' {
			e.Reset()
			return false
		}
		if !parseOne(stripPrefixes(inner[:len(inner)-1]), e) {
			e.Reset()
			return false
		}
		e.Repeat = int32(min(int64(e.Repeat)*int64(n), math.MaxInt32))
		return true
	}
	if !parseOne(msg, e) {
		e.Reset()
		return false
	}
	return true
}

// stripPrefixes removes the "error: ", "fatal: " and Solaris "[ID n facility]"
// prefixes sshd or syslog put before some messages.
func stripPrefixes(msg []byte) []byte {
	for {
		switch {
		case hasPrefix(msg, "error: "):
			msg = msg[7:]
		case hasPrefix(msg, "fatal: "):
			msg = msg[7:]
		case hasPrefix(msg, "kernel:"):
			// "kernel:[  970.699396]: " or "kernel: [  970.699397] ", as
			// journald has been seen to prefix a forwarded line
			r := msg[len("kernel:"):]
			if len(r) > 0 && r[0] == ' ' {
				r = r[1:]
			}
			i := bytes.IndexByte(r, ']')
			if len(r) == 0 || r[0] != '[' || i < 0 {
				return msg
			}
			r = r[i+1:]
			if len(r) > 0 && r[0] == ':' {
				r = r[1:]
			}
			if len(r) == 0 || r[0] != ' ' {
				return msg
			}
			msg = r[1:]
		case hasPrefix(msg, "[ID "):
			i := bytes.IndexByte(msg, ']')
			if i < 0 || i+2 > len(msg) || msg[i+1] != ' ' {
				return msg
			}
			msg = msg[i+2:]
		default:
			return msg
		}
	}
}

func parseOne(msg []byte, e *Event) bool {
	if len(msg) == 0 {
		return false
	}
	switch msg[0] {
	case 'F':
		if rest, ok := cutPrefix(msg, []byte("Failed ")); ok {
			e.Kind = KindFailed
			return authLine(rest, e)
		}
	case 'A':
		if rest, ok := cutPrefix(msg, []byte("Accepted ")); ok {
			e.Kind = KindAccepted
			return authLine(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("Address ")); ok {
			// Address A maps to H, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT
			e.Kind = KindAddressMapsTo
			return addrLeft(rest, e)
		}

	case 'S':
		if rest, ok := cutPrefix(msg, []byte("SSH: Server;Ltype: ")); ok {
			return ltypeNotice(rest, e)
		}
	case 'I':
		if rest, ok := cutPrefix(msg, []byte("Invalid user")); ok {
			e.Kind = KindInvalidUser
			e.InvalidUser = true
			return userFromAddr(rest, e, false)
		}
		if rest, ok := cutPrefix(msg, []byte("Illegal user")); ok { // OpenSSH 3.x
			e.Kind = KindInvalidUser
			e.InvalidUser = true
			return userFromAddr(rest, e, false)
		}
	case 'p':
		if hasPrefix(msg, "pam_") {
			return pamModule(msg, e)
		}
		if rest, ok := cutPrefix(msg, []byte("probed from ")); ok {
			// probed from A port P with SSH-…  Don't panic. (the version is the client's)
			e.Kind = KindProbed
			return addrLeft(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("public key ")); ok {
			return signatureRejected(rest, e)
		}
	case 'P':
		if rest, ok := cutPrefix(msg, []byte("PAM: ")); ok {
			return pamError(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("PAM service(")); ok {
			// PAM service(sshd) ignoring max retries; 6 > 3
			if i := bytes.Index(rest, []byte(") ignoring max retries; ")); i < 0 {
				return false
			}
			e.Kind = KindPAMMaxRetries
			return true
		}
		if rest, ok := cutPrefix(msg, []byte("PAM ")); ok {
			// PAM N more authentication failure(s); logname= … rhost=A  user=U
			n, rest, ok := leadingUint(rest)
			if !ok || !hasPrefix(rest, " more authentication failure") || n <= 0 || n > 1<<20 {
				return false
			}
			e.Kind = KindPAMFailure
			pamFields(rest, e)
			e.Repeat = int32(n)
			return true
		}
		if rest, ok := cutPrefix(msg, []byte("Protocol major versions differ")); ok {
			// "…: 2 vs. 1" (OpenSSH 7.5+), "… for A port P: SSH-2.0-… vs. SSH-1.5-…" (older)
			e.Kind = KindProtocolMismatch
			if r, ok := cutPrefix(rest, []byte(" for ")); ok {
				return addrLeft(r, e)
			}
			return hasPrefix(rest, ":")
		}
	case 'm':
		if rest, ok := cutPrefix(msg, []byte("maximum authentication attempts exceeded for")); ok {
			e.Kind = KindMaxAttempts
			rest, _ = cutPreauth(rest)
			return userFromAddr(rest, e, true)
		}
	case 'D':
		if rest, ok := cutPrefix(msg, []byte("Disconnecting")); ok {
			return disconnecting(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("Disconnected from ")); ok {
			rest, pre := cutPreauth(rest)
			return closedBy(rest, e, pre, KindPreauthDisconnect, KindDisconnected)
		}
		if rest, ok := cutPrefix(msg, []byte("Did not receive identification string from ")); ok {
			e.Kind = KindNoIdentification
			return addrLeft(rest, e)
		}
	case 'C':
		if rest, ok := cutPrefix(msg, []byte("Connection closed by ")); ok {
			rest, pre := cutPreauth(rest)
			return closedBy(rest, e, pre, KindPreauthClose, KindConnectionClosed)
		}
		if rest, ok := cutPrefix(msg, []byte("Connection reset by ")); ok {
			rest, pre := cutPreauth(rest)
			return closedBy(rest, e, pre, KindPreauthReset, KindConnectionReset)
		}
		if rest, ok := cutPrefix(msg, []byte("Connection from ")); ok {
			e.Kind = KindConnection
			if bytes.HasSuffix(rest, []byte(" timed out")) {
				// Connection from A port P timed out (LoginGraceTime, 9.8+)
				e.Kind = KindConnectionTimeout
			}
			return addrLeft(rest, e)
		}
	case 'R':
		if rest, ok := cutPrefix(msg, []byte("Received disconnect from ")); ok {
			e.Kind = KindReceivedDisconnect
			if !receivedDisconnect(rest, e) {
				return false
			}
			// "A port P:N: reason" is OpenSSH 7.3+, which ends every line
			// of a connection that has not logged in with sshd's own
			// " [preauth]" (a client's reason cannot take it away): without
			// it, the session had logged in. The older "A: N: reason" came
			// before [preauth] was everywhere, so it stays a failure.
			if e.Port != 0 && !bytes.HasSuffix(rest, sPreauth) {
				e.Kind = KindSessionDisconnect
			}
			return true
		}
		if hasPrefix(msg, "Read from socket failed: ") {
			// fatal: Read from socket failed: Connection reset by peer [preauth]
			// (older sshd): the connection is gone before sshd logged its address
			e.Kind = KindReadFailed
			return true
		}
		if rest, ok := cutPrefix(msg, []byte("ROOT LOGIN REFUSED FROM ")); ok {
			e.Kind = KindRootRefused
			e.User, e.HasUser = sRoot, true
			rest, _ = cutPreauth(rest)
			return addrLeft(rest, e)
		}
	case 'U':
		if rest, ok := cutPrefix(msg, []byte("User ")); ok {
			return notAllowed(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("Unable to negotiate with ")); ok {
			e.Kind = KindNegotiationFailed
			return addrLeft(rest, e)
		}
		if hasPrefix(msg, "Unable to negotiate a key exchange method") {
			e.Kind = KindNegotiationFailed
			return true
		}
	case 'b':
		if rest, ok := cutPrefix(msg, []byte("banner exchange: Connection from ")); ok {
			e.Kind = KindBannerInvalid
			return addrLeft(rest, e)
		}
	case 'B':
		if rest, ok := cutPrefix(msg, []byte("Bad protocol version identification ")); ok {
			// '…' is what the client sent: the address is the last "from A[ port P]".
			e.Kind = KindBadProtocol
			rest, _ = cutPreauth(rest)
			return fromAddrAtEnd(rest, e)
		}
	case 'a':
		if rest, ok := cutPrefix(msg, []byte("administratively prohibited connection for")); ok {
			// … for [invalid user ]U from A port P (RefuseConnection, OpenSSH 9.9+):
			// U is the client's, the address is read from the right.
			e.Kind = KindRefuseConnection
			return userFromAddr(rest, e, false)
		}
	case 'W':
		if hasPrefix(msg, "Write failed: ") {
			// fatal: Write failed: Connection reset by peer [preauth] (no address)
			e.Kind = KindWriteFailed
			return true
		}
	case 'i':
		if rest, ok := cutPrefix(msg, []byte("input_userauth_request: ")); ok {
			// input_userauth_request: invalid user U [preauth] (no address)
			for _, p := range [][]byte{sInvUserSp, []byte("illegal user ")} {
				if u, ok := cutPrefix(rest, p); ok {
					u, _ = cutPreauth(u)
					e.Kind = KindUserauthInvalidUser
					e.User, e.HasUser, e.InvalidUser = u, true, true
					return true
				}
			}
			return false
		}
	case 'u':
		if rest, ok := cutPrefix(msg, []byte("userauth_pubkey: ")); ok {
			// userauth_pubkey: key type ssh-dss not in PubkeyAcceptedAlgorithms [preauth]
			// (also "signature algorithm …", and PubkeyAcceptedKeyTypes before 8.5)
			if bytes.Contains(rest, []byte(" not in PubkeyAccepted")) {
				e.Kind = KindKeyTypeRefused
				return true
			}
		}
	case 'd':
		if rest, ok := cutPrefix(msg, []byte("drop connection #")); ok {
			return dropConnection(rest, e)
		}
	case 'k':
		if hasPrefix(msg, "kex_exchange_identification: ") {
			e.Kind = KindKexIdentification
			return true
		}
	case 'n':
		if hasPrefix(msg, "no matching ") {
			e.Kind = KindNegotiationFailed
			return true
		}
	case 's':
		if rest, ok := cutPrefix(msg, []byte("srclimit_penalise: ")); ok {
			return penalise(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("scanned from ")); ok {
			// scanned from A port P with SSH-…  Don't panic. (the version is the client's)
			e.Kind = KindScanned
			return addrLeft(rest, e)
		}
		if rest, ok := cutPrefix(msg, []byte("ssh_dispatch_run_fatal: Connection from ")); ok {
			e.Kind = KindProtocolError
			if hasPrefix(rest, "invalid user ") || hasPrefix(rest, "authenticating user ") || hasPrefix(rest, "user ") {
				rest, _ = cutPreauth(rest)
				who := whoBeforeReason(rest)
				if who == nil {
					return false
				}
				return closedBy(who, e, true, KindProtocolError, KindProtocolError)
			}
			return addrLeft(rest, e)
		}
	case 'M':
		if hasPrefix(msg, "Magic value check failed") {
			e.Kind = KindProtocolError
			rest, _ := cutPreauth(msg)
			return fromAddrAtEnd(rest, e)
		}
	case 'T':
		if rest, ok := cutPrefix(msg, []byte("Timeout before authentication for ")); ok {
			e.Kind = KindAuthTimeout
			rest, _ = cutPrefix(rest, []byte("connection from "))
			return addrLeft(rest, e)
		}
	case 'r':
		if rest, ok := cutPrefix(msg, []byte("refused connect from ")); ok {
			// refused connect from H (A): the address is in the last parentheses.
			e.Kind = KindRefusedConnect
			if len(rest) < 3 || rest[len(rest)-1] != ')' {
				return false
			}
			i := bytes.LastIndexByte(rest, '(')
			if i < 0 {
				return false
			}
			return setAddr(rest[i+1:len(rest)-1], e)
		}
		if rest, ok := cutPrefix(msg, []byte("reverse mapping checking getaddrinfo for ")); ok {
			e.Kind = KindReverseMapping
			i := bytes.LastIndex(rest, []byte("] failed"))
			if i < 0 {
				return false
			}
			j := bytes.LastIndex(rest[:i], []byte(" ["))
			if j < 0 {
				return false
			}
			return setAddr(rest[j+2:i], e)
		}
	}
	return false
}

// authLine reads "<method> for [invalid user ]U from A port P ssh2[: info]",
// the tail of "Failed …" and "Accepted …".
func authLine(rest []byte, e *Event) bool {
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return false
	}
	e.Method = rest[:sp]
	rest = rest[sp:] // keeps the space before "for"
	rest, ok := cutPrefix(rest, []byte(" for"))
	if !ok {
		return false
	}
	return userFromAddr(rest, e, true)
}

// userFromAddr reads " [invalid user ]U from A[ port P][ sshN][: info]" where
// s starts with the space before U. The address is the right-most
// "from A …" that ends the message; with allowInfo, the right-most complete
// "from A port P sshN" followed by ": info" is preferred, since sshd appends
// key and host information there (an old sshd's "ssh1: ruser …" too). The
// username always lies to the left of the address sshd wrote, so it can
// never supply the address.
func userFromAddr(s []byte, e *Event, allowInfo bool) bool {
	if !e.InvalidUser {
		s = cutInvalidUser(s, e)
	}
	if len(s) == 0 || s[0] != ' ' {
		return false
	}
	endAt := -1
	var endAddr []byte
	var endPort int32
	for i := len(s); i > 0; {
		j := lastIndex(s[:i], sFrom)
		if j < 0 {
			break
		}
		addr, port, info, st := fromTail(s[j+len(sFrom):])
		if st == tailInfo && allowInfo {
			if !setUserAddr(s, j, addr, port, e) {
				return false
			}
			if e.Kind == KindAccepted {
				acceptedKey(info, e)
			}
			return true
		}
		if st == tailEnd && endAt < 0 {
			endAt, endAddr, endPort = j, addr, port
			if !allowInfo {
				break
			}
		}
		i = j
	}
	if endAt < 0 {
		return false
	}
	return setUserAddr(s, endAt, endAddr, endPort, e)
}

// cutInvalidUser removes " invalid user" or " illegal user" from the start
// of s (which starts with a space), noting it in e.
func cutInvalidUser(s []byte, e *Event) []byte {
	for _, p := range [][]byte{sInvUser, sIllUser} {
		if r, ok := cutPrefix(s, p); ok && len(r) > 0 && r[0] == ' ' {
			e.InvalidUser = true
			return r
		}
	}
	return s
}

func setUserAddr(s []byte, j int, addr []byte, port int32, e *Event) bool {
	if j == 0 {
		e.User = s[:0]
	} else {
		e.User = s[1:j]
	}
	e.HasUser = true
	e.Port = port
	return setAddr(addr, e)
}

type tailState uint8

const (
	tailBad  tailState = iota
	tailEnd            // "A[ port P][ sshN]" and nothing more
	tailInfo           // "A port P sshN" then ": info" (or nothing)
)

// fromTail reads what follows " from ": "A[ port P][ sshN][: info]".
// info is what follows ": ", for tailInfo.
func fromTail(t []byte) (addr []byte, port int32, info []byte, st tailState) {
	sp := bytes.IndexByte(t, ' ')
	if sp < 0 {
		return t, 0, nil, tailEnd
	}
	addr, t = t[:sp], t[sp:]
	t, ok := cutPrefix(t, sPort)
	if !ok {
		return nil, 0, nil, tailBad
	}
	n, t, ok := leadingUint(t)
	if !ok || n > 65535 {
		return nil, 0, nil, tailBad
	}
	port = int32(n)
	if len(t) == 0 {
		return addr, port, nil, tailEnd
	}
	if !hasPrefix(t, " ssh") {
		return nil, 0, nil, tailBad
	}
	_, t, ok = leadingUint(t[4:])
	if !ok {
		return nil, 0, nil, tailBad
	}
	if len(t) == 0 {
		return addr, port, nil, tailInfo
	}
	if hasPrefix(t, ": ") {
		return addr, port, t[2:], tailInfo
	}
	return nil, 0, nil, tailBad
}

// acceptedKey reads the key sshd names after a publickey or hostbased
// login, "T F[ ID … (serial N) CA T F][, client user …]": T the key's type
// (ED25519, RSA-CERT, ECDSA-SK …), F its fingerprint ("SHA256:base64",
// "MD5:hex", or an old sshd's bare "hex:hex:…"). For a certificate F is
// that of the certified key, so a re-issued certificate keeps it. Anything
// else leaves the key unset: text that is not a key is not kept as one.
func acceptedKey(info []byte, e *Event) {
	if m := string(e.Method); m != "publickey" && m != "hostbased" {
		return
	}
	sp := bytes.IndexByte(info, ' ')
	if sp <= 0 || !keyTypeLike(info[:sp]) {
		return
	}
	fp := info[sp+1:]
	if end := bytes.IndexAny(fp, " ,"); end >= 0 {
		fp = fp[:end]
	}
	if !fingerprintLike(fp) {
		return
	}
	e.KeyType, e.KeyFingerprint = info[:sp], fp
}

// keyTypeLike reports whether t is shaped like sshkey_type's names:
// capitals, digits and dashes, starting with a capital.
func keyTypeLike(t []byte) bool {
	if len(t) > 32 || t[0] < 'A' || t[0] > 'Z' {
		return false
	}
	for _, c := range t {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// fingerprintLike reports whether f is shaped like an sshd fingerprint:
// an upper-case hash name, a colon and base64 or hex, or bare hex pairs
// joined by colons.
func fingerprintLike(f []byte) bool {
	if len(f) < 2 || len(f) > 128 {
		return false
	}
	body := f
	if i := bytes.IndexByte(f, ':'); i > 0 && keyTypeLike(f[:i]) {
		body = f[i+1:]
	} else if !bytes.ContainsRune(f, ':') {
		return false
	}
	if len(body) == 0 {
		return false
	}
	for _, c := range body {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '+', c == '/', c == '=', c == ':':
		default:
			return false
		}
	}
	return true
}

// closedBy reads "[invalid user U |authenticating user U |user U ]A[ port P]"
// (after "Connection closed by ", "Disconnected from ", "Connection reset by "):
// the address is the last word once the port is taken off the end.
func closedBy(rest []byte, e *Event, preauth bool, pre, post Kind) bool {
	session := false
	rest, port, _ := cutTrailingPort(rest)
	i := bytes.LastIndexByte(rest, ' ')
	addr := rest[i+1:]
	e.Port = port
	if i >= 0 {
		who := rest[:i+1] // "invalid user U " etc., with its trailing space
		var p []byte
		switch {
		case hasPrefix(who, "invalid user "):
			e.InvalidUser = true
			p = sInvUserSp
		case hasPrefix(who, "authenticating user "):
			p = sAuthUser
		case hasPrefix(who, "user "):
			p = sUserSp
			// sshd names a plain "user U" only once U has logged in
			// (auth2.c sets that log preamble on success)
			session = true
		default:
			return false
		}
		if len(who) <= len(p) {
			// "invalid user A port P": no user between prefix and address
			// (an empty one is logged as two spaces)
			return false
		}
		e.User = who[len(p) : len(who)-1]
		e.HasUser = true
		preauth = preauth || e.InvalidUser || hasPrefix(who, "authenticating")
	}
	switch {
	case preauth:
		e.Kind = pre
	case session && (post == KindDisconnected || post == KindConnectionClosed || post == KindConnectionReset):
		e.Kind = KindSessionEnd
	default:
		e.Kind = post
	}
	return setAddr(addr, e)
}

// disconnecting reads what follows "Disconnecting":
// ": Too many authentication failures[ for U] [preauth]" or
// " invalid user U A port P: reason [preauth]" /
// " authenticating user U A port P: reason [preauth]".
func disconnecting(rest []byte, e *Event) bool {
	rest, _ = cutPreauth(rest)
	if r, ok := cutPrefix(rest, []byte(": ")); ok {
		if !hasPrefix(r, "Too many authentication failures") {
			return false
		}
		e.Kind = KindTooManyFailures
		if u, ok := cutPrefix(r[len("Too many authentication failures"):], []byte(" for ")); ok {
			e.User, e.HasUser = u, true
		}
		return true
	}
	if len(rest) == 0 || rest[0] != ' ' {
		return false
	}
	var who []byte
	if bytes.HasSuffix(rest, sTooMany) {
		e.Kind = KindTooManyFailures
		who = rest[1 : len(rest)-len(sTooMany)]
	} else {
		e.Kind = KindPreauthDisconnect
		who = whoBeforeReason(rest[1:])
		if who == nil {
			return false
		}
	}
	return closedBy(who, e, true, e.Kind, e.Kind)
}

// whoBeforeReason finds, in "[invalid |authenticating ]user U A port P:
// reason", the part before the reason. Only U is the client's; the reason
// is sshd's, except that "Change of username or service not allowed: (U,s)
// -> (U2,s2)" quotes U and the new user U2. So: a split whose reason quotes
// the same U is taken (the rightmost such); without one, the rightmost
// split whose left part ends in an address and port, since sshd's own
// reasons hold no "A port P: ". A username made to look like a whole
// second line can still mislead the first rule; see the README. It
// returns nil when no split fits.
func whoBeforeReason(rest []byte) []byte {
	var last, quoted []byte
	for off := 0; ; {
		k := bytes.Index(rest[off:], []byte(": "))
		if k < 0 {
			break
		}
		cand := rest[:off+k]
		reason := rest[off+k+2:]
		off += k + 2
		c, _, ok := cutTrailingPort(cand)
		if !ok {
			continue
		}
		i := bytes.LastIndexByte(c, ' ')
		if i < 0 || !isAddr(c[i+1:]) {
			continue
		}
		last = cand
		if r, ok := cutPrefix(reason, sChange); ok {
			if u := userOf(c[:i+1]); u != nil && bytes.HasPrefix(r, u) && len(r) > len(u) && r[len(u)] == ',' {
				quoted = cand
			}
		}
	}
	if quoted != nil {
		return quoted
	}
	if last != nil {
		return last
	}
	return nil
}

// userOf returns U of "[invalid |authenticating ]user U " (with its
// trailing space), or nil.
func userOf(who []byte) []byte {
	for _, p := range [][]byte{sInvUserSp, sAuthUser, sUserSp} {
		if bytes.HasPrefix(who, p) && len(who) > len(p) {
			return who[len(p) : len(who)-1]
		}
	}
	return nil
}

// receivedDisconnect reads "A port P:N: reason" or "A: N: reason"; the
// reason is the client's, so the address is read from the left.
func receivedDisconnect(rest []byte, e *Event) bool {
	sp := bytes.IndexByte(rest, ' ')
	var addr []byte
	if sp < 0 {
		addr, rest = rest, nil
	} else {
		addr, rest = rest[:sp], rest[sp:]
	}
	if len(addr) > 0 && addr[len(addr)-1] == ':' {
		addr = addr[:len(addr)-1]
	} else if r, ok := cutPrefix(rest, sPort); ok {
		n, _, ok := leadingUint(r)
		if ok && n <= 65535 {
			e.Port = int32(n)
		}
	}
	return setAddr(addr, e)
}

// notAllowed reads "U from A not allowed because …" or "U not allowed because …".
func notAllowed(rest []byte, e *Event) bool {
	i := lastIndex(rest, sNotAllow)
	if i < 0 {
		return false
	}
	e.Kind = KindNotAllowed
	e.HasUser = true
	who := rest[:i]
	j := lastIndex(who, sFrom)
	if j >= 0 && isAddr(who[j+len(sFrom):]) {
		e.User = who[:j]
		return setAddr(who[j+len(sFrom):], e)
	}
	e.User = who
	return true
}

// addrLeft reads "A[ port P]…" (optionally "A:" or "A," before more text)
// at the start of rest, for messages whose tail is the client's or sshd's
// own text.
func addrLeft(rest []byte, e *Event) bool {
	end := 0
	for end < len(rest) && rest[end] != ' ' {
		end++
	}
	addr := rest[:end]
	if n := len(addr); n > 0 && (addr[n-1] == ':' || addr[n-1] == ',') {
		addr = addr[:n-1]
	}
	if r, ok := cutPrefix(rest[end:], sPort); ok {
		if n, _, ok := leadingUint(r); ok && n <= 65535 {
			e.Port = int32(n)
		}
	}
	return setAddr(addr, e)
}

// ltypeNotice reads the rest of "SSH: Server;Ltype: T;Remote: A-P;…", the
// notices of patched sshds (HP-UX's among them) for a connection's version
// exchange (T Version), key exchange (Kex) and username (Authname): the
// client's address and port, the first field after the type. What follows
// (the client's version string, the username) is the client's text and is
// not read.
func ltypeNotice(rest []byte, e *Event) bool {
	i := bytes.IndexByte(rest, ';')
	if i <= 0 {
		return false
	}
	switch string(rest[:i]) {
	case "Version", "Kex", "Authname":
	default:
		return false
	}
	r, ok := cutPrefix(rest[i+1:], []byte("Remote: "))
	if !ok {
		return false
	}
	end := bytes.IndexByte(r, ';')
	if end < 0 {
		return false
	}
	r = r[:end]
	dash := bytes.LastIndexByte(r, '-')
	if dash <= 0 {
		return false
	}
	n, tail, ok := leadingUint(r[dash+1:])
	if !ok || len(tail) != 0 || n > 65535 {
		return false
	}
	e.Kind = KindLtypeNotice
	e.Port = int32(n)
	return setAddr(r[:dash], e)
}

// fromAddrAtEnd reads "… from A[ port P]" from the right-hand end.
func fromAddrAtEnd(rest []byte, e *Event) bool {
	rest, port, _ := cutTrailingPort(rest)
	j := lastIndex(rest, sFrom)
	if j < 0 {
		return false
	}
	e.Port = port
	return setAddr(rest[j+len(sFrom):], e)
}

// pamModule reads the lines a PAM module writes for sshd, "pam_M(sshd:auth): …"
// and "pam_M(sshd:session): …", for any module M (pam_unix, pam_sss,
// pam_ldap, pam_krb5, pam_winbind, …):
//
//	authentication failure; logname= … rhost=A  user=U
//	check pass; user unknown
//	requirement "…" not met by user "U"          (pam_succeed_if)
//	session opened for user U(uid=N) by (uid=0)
//	session closed for user U
func pamModule(msg []byte, e *Event) bool {
	i := bytes.Index(msg, []byte("): "))
	if i < 0 {
		return false
	}
	svc, rest := msg[:i], msg[i+3:]
	switch {
	case bytes.HasSuffix(svc, []byte(":auth")):
		switch {
		case hasPrefix(rest, "authentication failure;"):
			e.Kind = KindPAMFailure
			pamFields(rest, e)
			return true
		case hasPrefix(rest, "check pass; user unknown"):
			e.Kind = KindPAMUserUnknown
			e.InvalidUser = true
			return true
		case hasPrefix(rest, "requirement "):
			// the requirement is the administrator's and comes first; the
			// user, quoted, ends the line
			j := bytes.Index(rest, []byte(` not met by user "`))
			if j < 0 || rest[len(rest)-1] != '"' || j+len(` not met by user "`) > len(rest)-1 {
				return false
			}
			e.Kind = KindPAMRequirementNotMet
			e.User, e.HasUser = rest[j+len(` not met by user "`):len(rest)-1], true
			return true
		}
	case bytes.HasSuffix(svc, []byte(":session")):
		if u, ok := cutPrefix(rest, []byte("session opened for user ")); ok {
			// "U(uid=N) by X(uid=M)", or "U by (uid=M)" (older): the
			// part after the last " by " is PAM's, and so is "(uid=N)"
			k := lastIndex(u, []byte(" by "))
			if k < 0 {
				return false
			}
			u = u[:k]
			if n := len(u); n > 0 && u[n-1] == ')' {
				if p := bytes.LastIndex(u, []byte("(uid=")); p >= 0 {
					u = u[:p]
				}
			}
			e.Kind = KindSessionOpened
			e.User, e.HasUser = u, true
			return true
		}
		if u, ok := cutPrefix(rest, []byte("session closed for user ")); ok {
			e.Kind = KindSessionClosed
			e.User, e.HasUser = u, true
			return true
		}
	}
	return false
}

// signatureRejected reads what follows "public key ": "T F signature for
// [invalid user ]U from A port P rejected: reason" (auth2-pubkey.c, a FIDO
// key whose touch or verification was missing). The key and the reason
// are sshd's and hold no " rejected: " or " signature for ", so the first
// " signature for " and the last " rejected: " bound the part in which the
// address is read from the right, as for Failed.
func signatureRejected(rest []byte, e *Event) bool {
	i := bytes.Index(rest, []byte(" signature for"))
	j := bytes.LastIndex(rest, []byte(" rejected: "))
	if i < 0 || j < i+len(" signature for") {
		return false
	}
	e.Kind = KindSignatureRejected
	return userFromAddr(rest[i+len(" signature for"):j], e, false)
}

// dropConnection reads what follows "drop connection #": "N from [A]:P on
// [B]:Q reason", the OpenSSH 9.8+ listener refusing a connection, with the
// reason "penalty: …" or "past MaxStartups" (9.8 writes "past Maxstartups").
// Every byte of it is sshd's.
func dropConnection(rest []byte, e *Event) bool {
	_, rest, ok := leadingUint(rest)
	if !ok {
		return false
	}
	rest, ok = cutPrefix(rest, []byte(" from ["))
	if !ok {
		return false
	}
	k := bytes.IndexByte(rest, ']')
	if k < 0 || !hasPrefix(rest[k:], "]:") {
		return false
	}
	addr := rest[:k]
	port, r, ok := leadingUint(rest[k+2:])
	if !ok || port > 65535 {
		return false
	}
	r, ok = cutPrefix(r, []byte(" on ["))
	if !ok {
		return false
	}
	if k = bytes.IndexByte(r, ']'); k < 0 || !hasPrefix(r[k:], "]:") {
		return false
	}
	_, r, ok = leadingUint(r[k+2:])
	if !ok || len(r) == 0 || r[0] != ' ' {
		return false
	}
	switch r = r[1:]; {
	case hasPrefix(r, "penalty: "):
		e.Kind = KindPenaltyDrop
	case hasPrefix(r, "past MaxStartups"), hasPrefix(r, "past Maxstartups"):
		e.Kind = KindMaxStartupsDrop
	default:
		return false
	}
	e.Port = int32(port)
	return setAddr(addr, e)
}

// penalise reads what follows "srclimit_penalise: " (OpenSSH 9.8+):
// "ipv4: new A/N active penalty of S seconds for penalty: …" (also
// "deferred", and ipv6), or "A/N: activating ipv4 penalty of S seconds
// for …". A/N is the network sshd penalises (PerSourceNetBlockSize, /32
// and /128 unless configured): the address is recorded as logged without
// its /N, so with a shorter prefix it stands for a whole network.
func penalise(rest []byte, e *Event) bool {
	var net []byte
	if hasPrefix(rest, "ipv4: new ") || hasPrefix(rest, "ipv6: new ") {
		r := rest[len("ipv4: new "):]
		sp := bytes.IndexByte(r, ' ')
		if sp < 0 || !(hasPrefix(r[sp:], " active penalty of ") || hasPrefix(r[sp:], " deferred penalty of ")) {
			return false
		}
		net = r[:sp]
	} else {
		i := bytes.Index(rest, []byte(": activating ipv"))
		if i < 0 {
			return false
		}
		net = rest[:i]
	}
	slash := bytes.IndexByte(net, '/')
	if slash < 0 {
		return false
	}
	if bits, r, ok := leadingUint(net[slash+1:]); !ok || len(r) != 0 || bits > 128 {
		return false
	}
	e.Kind = KindPenalty
	return setAddr(net[:slash], e)
}

// pamFields reads the rhost= and user= fields of a PAM failure line. sshd
// sets rhost itself; user= comes last and is the attempted username.
func pamFields(rest []byte, e *Event) {
	i := bytes.Index(rest, sRhost)
	if i < 0 {
		return
	}
	v := rest[i+len(sRhost):]
	end := bytes.IndexByte(v, ' ')
	if end < 0 {
		end = len(v)
	}
	setAddr(v[:end], e)
	v = v[end:]
	// "  user=U" (two spaces in pam_unix) or " user=U"; user= absent for unknown users.
	for len(v) > 0 && v[0] == ' ' {
		v = v[1:]
	}
	if u, ok := cutPrefix(v, sUserEq[1:]); ok {
		e.User, e.HasUser = u, true
	} else {
		// pam_unix leaves user= out when the user does not exist.
		e.InvalidUser = true
	}
}

// pamError reads "Authentication failure for [illegal user ]U from A[ via B]"
// and the other "error: PAM: … for U from A" messages.
func pamError(rest []byte, e *Event) bool {
	i := bytes.Index(rest, []byte(" for "))
	if i < 0 {
		return false
	}
	e.Kind = KindPAMFailure
	s := cutInvalidUser(rest[i+4:], e) // from the space before U
	s = bytes.TrimRight(s, " ")
	if v := lastIndex(s, sVia); v >= 0 && bytes.IndexByte(s[v+len(sVia):], ' ') < 0 {
		s = s[:v]
	}
	j := lastIndex(s, sFrom)
	if j < 0 {
		return false
	}
	if j == 0 {
		e.User = s[:0]
	} else {
		e.User = s[1:j]
	}
	e.HasUser = true
	return setAddr(s[j+len(sFrom):], e)
}

// setAddr stores a as the event's address if it is one, or as its host
// name if it is a name, and reports whether it was either. An address with
// a colon is IPv6: its zone ("%eth0") is cut off and ::ffff:a.b.c.d is
// given in its IPv4 form; one of digits and dots only is IPv4; a name (a
// dot and letters, no colon) goes to HostName and never to Addr.
func setAddr(a []byte, e *Event) bool {
	if len(a) == 0 || len(a) > 255 || a[0] == '-' || a[0] == '.' {
		return false
	}
	var seen byte
	for _, c := range a {
		k := addrByte[c]
		if k == 0 {
			return false
		}
		seen |= k
	}
	zone := -1
	if seen&addrPct != 0 {
		// an IPv6 zone: what is before the first '%' decides
		zone = bytes.IndexByte(a, '%')
		seen = 0
		for _, c := range a[:zone] {
			seen |= addrByte[c]
		}
	}
	switch {
	case seen&addrColon != 0:
		if seen&addrName != 0 {
			return false // letters beyond a-f before the zone: no IPv6 address
		}
		if zone >= 0 {
			if zone == len(a)-1 {
				return false
			}
			for _, c := range a[zone+1:] {
				if addrByte[c]&(addrDigit|addrHex|addrName|addrDot) == 0 {
					return false
				}
			}
			a = a[:zone]
		}
		if seen&addrDot != 0 {
			// an IPv4 address in the last group: "::ffff:a.b.c.d", "64:ff9b::a.b.c.d"
			v4 := a[bytes.LastIndexByte(a, ':')+1:]
			if len(v4) == 0 || v4[0] == '.' || v4[len(v4)-1] == '.' {
				return false
			}
			for _, c := range v4 {
				if addrByte[c]&(addrDigit|addrDot) == 0 {
					return false
				}
			}
			if len(a) == 7+len(v4) && (hasPrefix(a, "::ffff:") || hasPrefix(a, "::FFFF:")) {
				a = v4
			}
		}
		e.Addr = a
	case zone >= 0 || seen&addrDot == 0:
		return false
	case seen&(addrHex|addrName) == 0:
		e.Addr = a
	default:
		e.HostName = a
	}
	return true
}

// isAddr reports whether a looks like an IPv4 or IPv6 address or a host
// name: address characters only, with a dot or a colon in it.
func isAddr(a []byte) bool {
	if len(a) == 0 || len(a) > 255 {
		return false
	}
	var seen byte
	for _, c := range a {
		k := addrByte[c]
		if k == 0 {
			return false
		}
		seen |= k
	}
	return seen&(addrDot|addrColon) != 0 && a[0] != '-' && a[0] != '.'
}

// addrByte classes the bytes of an address or host name for isAddr and
// setAddr (a table: they run on every line, and the ranges tested one by
// one were 7% of parsing): 0 for a byte that cannot be in one.
var addrByte = func() (t [256]byte) {
	for c := range 256 {
		switch {
		case c >= '0' && c <= '9':
			t[c] = addrDigit
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			t[c] = addrHex
		case c >= 'g' && c <= 'z', c >= 'G' && c <= 'Z', c == '-', c == '_':
			t[c] = addrName
		case c == '%':
			t[c] = addrPct
		case c == '.':
			t[c] = addrDot
		case c == ':':
			t[c] = addrColon
		}
	}
	return t
}()

// The classes of addrByte.
const (
	addrDigit = 1 << iota
	addrHex   // a-f, A-F: IPv6 digits, or letters of a name
	addrName  // the other letters, '-' and '_': a name's only
	addrPct   // '%', before an IPv6 zone
	addrDot
	addrColon
)

// cutTrailingPort removes " port P" from the end of s.
func cutTrailingPort(s []byte) ([]byte, int32, bool) {
	i := lastIndex(s, sPort)
	if i < 0 {
		return s, 0, false
	}
	n, r, ok := leadingUint(s[i+len(sPort):])
	if !ok || len(r) != 0 || n > 65535 {
		return s, 0, false
	}
	return s[:i], int32(n), true
}

// lastIndex is bytes.LastIndex for the separators used here (" from ",
// " port ", …: a space, then a letter). It looks for the letter with
// LastIndexByte and checks the rest, which is several times faster than the
// general search on these short messages.
func lastIndex(s, sep []byte) int {
	n := len(sep)
	for i := len(s); i > 0; {
		j := bytes.LastIndexByte(s[:i], sep[1])
		if j < 1 {
			return -1
		}
		if k := j - 1; k+n <= len(s) && bytes.Equal(s[k:k+n], sep) {
			return k
		}
		i = j
	}
	return -1
}

func cutPreauth(s []byte) ([]byte, bool) {
	if bytes.HasSuffix(s, sPreauth) {
		return s[:len(s)-len(sPreauth)], true
	}
	return s, false
}

// leadingUint reads the decimal digits at the start of s (at most 9).
func leadingUint(s []byte) (int, []byte, bool) {
	n, i := 0, 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || i == 10 {
		return 0, s, false
	}
	return n, s[i:], true
}

func hasPrefix(s []byte, p string) bool {
	return len(s) >= len(p) && string(s[:len(p)]) == p
}

func cutPrefix(s, p []byte) ([]byte, bool) {
	if len(s) >= len(p) && bytes.Equal(s[:len(p)], p) {
		return s[len(p):], true
	}
	return s, false
}
