package sshd_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// ev is an Event with strings, to compare and print. Every field is
// compared: a field a row leaves out is expected to be zero.
type ev struct {
	kind    sshd.Kind
	method  string
	user    string
	hasUser bool
	invalid bool
	addr    string
	host    string // Event.HostName
	port    int32
	repeat  int32
	keyType string // Event.KeyType
	keyFP   string // Event.KeyFingerprint
}

func (w ev) String() string {
	return fmt.Sprintf("{kind:%q method:%q user:%q hasUser:%v invalid:%v addr:%q host:%q port:%d repeat:%d keyType:%q keyFP:%q}",
		w.kind, w.method, w.user, w.hasUser, w.invalid, w.addr, w.host, w.port, w.repeat, w.keyType, w.keyFP)
}

func toEv(e *sshd.Event) ev {
	return ev{
		kind:    e.Kind,
		method:  string(e.Method),
		user:    string(e.User),
		hasUser: e.HasUser,
		invalid: e.InvalidUser,
		addr:    string(e.Addr),
		host:    string(e.HostName),
		port:    e.Port,
		repeat:  e.Repeat,
		keyType: string(e.KeyType),
		keyFP:   string(e.KeyFingerprint),
	}
}

// safeParse is sshd.Parse with a panic turned into an error, so that one
// bad message fails its own test instead of ending the test binary.
func safeParse(msg []byte, e *sshd.Event) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return sshd.Parse(msg, e), nil
}

type parseTest struct {
	name string
	msg  string // the message after "sshd[pid]: "
	ok   bool
	want ev
}

// Shorthands for the table.
const (
	kFailed       = sshd.KindFailed
	kInvalid      = sshd.KindInvalidUser
	kPAM          = sshd.KindPAMFailure
	kMax          = sshd.KindMaxAttempts
	kTooMany      = sshd.KindTooManyFailures
	kPreClose     = sshd.KindPreauthClose
	kPreDisc      = sshd.KindPreauthDisconnect
	kPreReset     = sshd.KindPreauthReset
	kRecvDisc     = sshd.KindReceivedDisconnect
	kNegotiation  = sshd.KindNegotiationFailed
	kNoIdent      = sshd.KindNoIdentification
	kBanner       = sshd.KindBannerInvalid
	kBadProto     = sshd.KindBadProtocol
	kKex          = sshd.KindKexIdentification
	kProtoErr     = sshd.KindProtocolError
	kNotAllowed   = sshd.KindNotAllowed
	kRootRefused  = sshd.KindRootRefused
	kTimeout      = sshd.KindAuthTimeout
	kRefused      = sshd.KindRefusedConnect
	kReverse      = sshd.KindReverseMapping
	kClosed       = sshd.KindConnectionClosed
	kDisconnected = sshd.KindDisconnected
	kReset        = sshd.KindConnectionReset
	kConnection   = sshd.KindConnection
	kAccepted     = sshd.KindAccepted

	kUserUnknown   = sshd.KindPAMUserUnknown
	kUserauthInv   = sshd.KindUserauthInvalidUser
	kRequirement   = sshd.KindPAMRequirementNotMet
	kMaxRetries    = sshd.KindPAMMaxRetries
	kReadFailed    = sshd.KindReadFailed
	kWriteFailed   = sshd.KindWriteFailed
	kProtoMismatch = sshd.KindProtocolMismatch
	kKeyType       = sshd.KindKeyTypeRefused
	kSessOpened    = sshd.KindSessionOpened
	kSessClosed    = sshd.KindSessionClosed
	kPenaltyDrop   = sshd.KindPenaltyDrop
	kMaxStartups   = sshd.KindMaxStartupsDrop
	kPenalty       = sshd.KindPenalty
	kRefuseConn    = sshd.KindRefuseConnection
	kScanned       = sshd.KindScanned
	kProbed        = sshd.KindProbed
	kSigRejected   = sshd.KindSignatureRejected
	kConnTimeout   = sshd.KindConnectionTimeout
	kSessDisc      = sshd.KindSessionDisconnect
	kSessEnd       = sshd.KindSessionEnd
	kAddrMaps      = sshd.KindAddressMapsTo
	kLtype         = sshd.KindLtypeNotice
)

// parseTests holds one or more real-shaped messages per family of
// /work/shared/docs/sshd-messages.md and per Kind. Expected values are what
// the message says: the client's address and source port as sshd wrote them
// (::ffff:a.b.c.d as a.b.c.d), the username byte for byte.
var parseTests = []parseTest{
	// Failed authentication, every method the docs name.
	{"failed password ipv4", "Failed password for root from 203.0.113.5 port 51234 ssh2", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, addr: "203.0.113.5", port: 51234, repeat: 1}},
	{"failed publickey with key info", "Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA SHA256:0eFFxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", true,
		ev{kind: kFailed, method: "publickey", user: "git", hasUser: true, addr: "192.0.2.1", port: 57904, repeat: 1}},
	{"failed none invalid user", "Failed none for invalid user admin from 198.51.100.7 port 40022 ssh2", true,
		ev{kind: kFailed, method: "none", user: "admin", hasUser: true, invalid: true, addr: "198.51.100.7", port: 40022, repeat: 1}},
	{"failed keyboard-interactive/pam ipv6", "Failed keyboard-interactive/pam for invalid user oracle from 2001:db8::5 port 60001 ssh2", true,
		ev{kind: kFailed, method: "keyboard-interactive/pam", user: "oracle", hasUser: true, invalid: true, addr: "2001:db8::5", port: 60001, repeat: 1}},
	{"failed hostbased with client info", `Failed hostbased for dan from 127.0.0.1 port 45785 ssh2: RSA 8c:e3:aa:0f:64:51:02:f7:14:79:89:3f:65:84:7c:30, client user "dan", client host "localhost.localdomain"`, true,
		ev{kind: kFailed, method: "hostbased", user: "dan", hasUser: true, addr: "127.0.0.1", port: 45785, repeat: 1}},
	{"failed gssapi-with-mic", "Failed gssapi-with-mic for alice from 192.0.2.9 port 1022 ssh2", true,
		ev{kind: kFailed, method: "gssapi-with-mic", user: "alice", hasUser: true, addr: "192.0.2.9", port: 1022, repeat: 1}},
	{"failed password ipv4-mapped", "Failed password for root from ::ffff:198.51.100.23 port 33333 ssh2", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, addr: "198.51.100.23", port: 33333, repeat: 1}},
	{"failed password host name", "Failed password for root from host-7.example.net port 4000 ssh2", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, host: "host-7.example.net", port: 4000, repeat: 1}},
	{"failed password older without ssh2", "Failed password for invalid user ROOT from 194.117.26.70 port 12345", true,
		ev{kind: kFailed, method: "password", user: "ROOT", hasUser: true, invalid: true, addr: "194.117.26.70", port: 12345, repeat: 1}},
	{"failed password very old without port", "Failed password for invalid user ROOT from aaaa:bbbb:cccc:1234::1:1", true,
		ev{kind: kFailed, method: "password", user: "ROOT", hasUser: true, invalid: true, addr: "aaaa:bbbb:cccc:1234::1:1", repeat: 1}},
	{"failed password ssh1", "Failed password for dan from 127.0.0.1 port 45416 ssh1", true,
		ev{kind: kFailed, method: "password", user: "dan", hasUser: true, addr: "127.0.0.1", port: 45416, repeat: 1}},
	{"failed illegal user (old sshd)", "Failed password for illegal user test from 192.0.2.4 port 2222 ssh2", true,
		ev{kind: kFailed, method: "password", user: "test", hasUser: true, invalid: true, addr: "192.0.2.4", port: 2222, repeat: 1}},
	{"failed solaris ID prefix", "[ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 205.186.180.55 port 42742 ssh2", true,
		ev{kind: kFailed, method: "keyboard-interactive", user: "<invalid username>", hasUser: true, addr: "205.186.180.55", port: 42742, repeat: 1}},
	{"failed unknown method rfc5424 sample", "Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2", true,
		ev{kind: kFailed, method: "unknown", user: "redmond", hasUser: true, invalid: true, addr: "192.0.2.1", port: 59197, repeat: 1}},
	{"failed empty user", "Failed password for invalid user  from 192.0.2.68 port 34916 ssh2", true,
		ev{kind: kFailed, method: "password", user: "", hasUser: true, invalid: true, addr: "192.0.2.68", port: 34916, repeat: 1}},

	// Injection into the text after the address (fail2ban's test lines).
	{"failed ssh1 ruser injection", "Failed password for user from 127.0.0.1 port 20000 ssh1: ruser from 1.2.3.4", true,
		ev{kind: kFailed, method: "password", user: "user", hasUser: true, addr: "127.0.0.1", port: 20000, repeat: 1}},
	{"failed ssh1 long ruser injection ipv6", "Failed password for user from aaaa:bbbb:cccc:1234::1:1 port 20000 ssh1: ruser " + strings.Repeat("X", 100) + " from 1.2.3.4", true,
		ev{kind: kFailed, method: "password", user: "user", hasUser: true, addr: "aaaa:bbbb:cccc:1234::1:1", port: 20000, repeat: 1}},
	// The deliberate decision: these bytes are also what sshd writes for a
	// user named "test from 127.0.0.1 port 58946 ssh2:" connecting from
	// 10.10.1.2; the right-most complete "from A port P sshN" that ends the
	// message wins, whatever fail2ban's annotation says (127.0.0.1).
	{"fail2ban info line read as username injection", "Failed password for user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2", true,
		ev{kind: kFailed, method: "password", user: "user test from 127.0.0.1 port 58946 ssh2:", hasUser: true, addr: "10.10.1.2", port: 55555, repeat: 1}},
	{"fail2ban info line invalid user", "Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2", true,
		ev{kind: kFailed, method: "password", user: "test from 127.0.0.1 port 58946 ssh2:", hasUser: true, invalid: true, addr: "10.10.1.2", port: 55555, repeat: 1}},
	{"fail2ban username injection from", "Failed password for invalid user from 10.10.1.1 from 127.0.0.1 port 58946 ssh2", true,
		ev{kind: kFailed, method: "password", user: "from 10.10.1.1", hasUser: true, invalid: true, addr: "127.0.0.1", port: 58946, repeat: 1}},
	{"fail2ban username injection full tail", "Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2", true,
		ev{kind: kFailed, method: "password", user: "test from 10.10.1.2 port 55555 ssh2", hasUser: true, invalid: true, addr: "127.0.0.1", port: 58946, repeat: 1}},
	{"username injection ipv6", "Failed password for invalid user a from ::1 port 1 ssh2 from 2001:db8::7 port 2 ssh2", true,
		ev{kind: kFailed, method: "password", user: "a from ::1 port 1 ssh2", hasUser: true, invalid: true, addr: "2001:db8::7", port: 2, repeat: 1}},
	{"username with leading space and injection", "Failed password for invalid user  from 6.6.6.6 port 22 from 198.51.100.1 port 40000 ssh2", true,
		ev{kind: kFailed, method: "password", user: " from 6.6.6.6 port 22", hasUser: true, invalid: true, addr: "198.51.100.1", port: 40000, repeat: 1}},

	// Invalid user.
	{"invalid user with port", "Invalid user admin from 192.0.2.117 port 44004", true,
		ev{kind: kInvalid, user: "admin", hasUser: true, invalid: true, addr: "192.0.2.117", port: 44004, repeat: 1}},
	{"invalid user older without port", "Invalid user ftp from 192.0.2.1", true,
		ev{kind: kInvalid, user: "ftp", hasUser: true, invalid: true, addr: "192.0.2.1", repeat: 1}},
	{"invalid user ipv6", "Invalid user test from 2001:db8::1 port 5555", true,
		ev{kind: kInvalid, user: "test", hasUser: true, invalid: true, addr: "2001:db8::1", port: 5555, repeat: 1}},
	{"invalid user ipv4-mapped", "Invalid user pi from ::ffff:192.0.2.44 port 3210", true,
		ev{kind: kInvalid, user: "pi", hasUser: true, invalid: true, addr: "192.0.2.44", port: 3210, repeat: 1}},
	{"invalid user empty", "Invalid user  from 1.2.3.4 port 5", true,
		ev{kind: kInvalid, user: "", hasUser: true, invalid: true, addr: "1.2.3.4", port: 5, repeat: 1}},
	{"invalid user info-shaped username", "Invalid user x from 6.6.6.6 port 22 ssh2: from 198.51.100.1 port 40000", true,
		ev{kind: kInvalid, user: "x from 6.6.6.6 port 22 ssh2:", hasUser: true, invalid: true, addr: "198.51.100.1", port: 40000, repeat: 1}},
	// Old OpenSSH (3.x) wrote "Illegal user U from A".
	{"illegal user old sshd", "Illegal user test from 198.51.100.20", true,
		ev{kind: kInvalid, user: "test", hasUser: true, invalid: true, addr: "198.51.100.20", repeat: 1}},

	// PAM.
	{"pam_unix failure with user", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root", true,
		ev{kind: kPAM, user: "root", hasUser: true, addr: "192.0.2.112", repeat: 1}},
	// user= is absent for unknown users: no user, and the user is not valid.
	{"pam_unix failure unknown user", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186 ", true,
		ev{kind: kPAM, invalid: true, addr: "173.234.31.186", repeat: 1}},
	{"pam_unix failure host name", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn ", true,
		ev{kind: kPAM, invalid: true, host: "ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn", repeat: 1}},
	{"pam_unix failure ipv4-mapped", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=::ffff:1.2.3.4  user=root", true,
		ev{kind: kPAM, user: "root", hasUser: true, addr: "1.2.3.4", repeat: 1}},
	{"pam N more failures", "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root", true,
		ev{kind: kPAM, user: "root", hasUser: true, host: "5.36.59.76.dynamic-dsl-ip.omantel.net.om", repeat: 2}},
	{"pam 1 more failure ipv6", "PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::8  user=root", true,
		ev{kind: kPAM, user: "root", hasUser: true, addr: "2001:db8::8", repeat: 1}},
	{"PAM error authentication failure", "error: PAM: Authentication failure for myhlj1374 from 192.030.0.6", true,
		ev{kind: kPAM, user: "myhlj1374", hasUser: true, addr: "192.030.0.6", repeat: 1}},
	{"PAM error illegal user", "error: PAM: Authentication failure for illegal user foo from 1.2.3.4", true,
		ev{kind: kPAM, user: "foo", hasUser: true, invalid: true, addr: "1.2.3.4", repeat: 1}},
	{"PAM error host name via", "error: PAM: authentication error for james from example.com via 192.168.1.201", true,
		ev{kind: kPAM, user: "james", hasUser: true, host: "example.com", repeat: 1}},
	{"PAM error ipv6", "error: PAM: Authentication failure for test-ipv6 from 2606:2800:220:1:248:1893:25c8:1946", true,
		ev{kind: kPAM, user: "test-ipv6", hasUser: true, addr: "2606:2800:220:1:248:1893:25c8:1946", repeat: 1}},
	{"PAM error user not known trailing space", "error: PAM: User not known to the underlying authentication module for illegal user kernelitshell from 10.215.4.227 ", true,
		ev{kind: kPAM, user: "kernelitshell", hasUser: true, invalid: true, addr: "10.215.4.227", repeat: 1}},

	// Maximum attempts, too many failures.
	{"max attempts", "error: maximum authentication attempts exceeded for root from 61.0.0.1 port 49940 ssh2 [preauth]", true,
		ev{kind: kMax, user: "root", hasUser: true, addr: "61.0.0.1", port: 49940, repeat: 1}},
	{"max attempts invalid user", "error: maximum authentication attempts exceeded for invalid user xxx from 192.0.2.7 port 49941 ssh2 [preauth]", true,
		ev{kind: kMax, user: "xxx", hasUser: true, invalid: true, addr: "192.0.2.7", port: 49941, repeat: 1}},
	{"max attempts ipv6", "error: maximum authentication attempts exceeded for root from 2001:db8::2 port 50000 ssh2 [preauth]", true,
		ev{kind: kMax, user: "root", hasUser: true, addr: "2001:db8::2", port: 50000, repeat: 1}},
	{"max attempts username with [preauth]", "error: maximum authentication attempts exceeded for invalid user x [preauth] from 192.0.2.7 port 4 ssh2 [preauth]", true,
		ev{kind: kMax, user: "x [preauth]", hasUser: true, invalid: true, addr: "192.0.2.7", port: 4, repeat: 1}},
	{"too many failures for user", "Disconnecting: Too many authentication failures for root [preauth]", true,
		ev{kind: kTooMany, user: "root", hasUser: true, repeat: 1}},
	{"too many failures bare", "Disconnecting: Too many authentication failures [preauth]", true,
		ev{kind: kTooMany, repeat: 1}},
	{"too many failures authenticating user", "Disconnecting authenticating user root 192.0.2.9 port 2222: Too many authentication failures [preauth]", true,
		ev{kind: kTooMany, user: "root", hasUser: true, addr: "192.0.2.9", port: 2222, repeat: 1}},
	{"too many failures invalid user", "Disconnecting invalid user xxx 192.0.2.7 port 49941: Too many authentication failures [preauth]", true,
		ev{kind: kTooMany, user: "xxx", hasUser: true, invalid: true, addr: "192.0.2.7", port: 49941, repeat: 1}},
	{"too many failures ipv6", "Disconnecting invalid user a b 2001:db8::3 port 7: Too many authentication failures [preauth]", true,
		ev{kind: kTooMany, user: "a b", hasUser: true, invalid: true, addr: "2001:db8::3", port: 7, repeat: 1}},
	{"disconnecting other reason", "Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]", true,
		ev{kind: kPreDisc, user: "admin", hasUser: true, invalid: true, addr: "192.0.2.117", port: 44004, repeat: 1}},
	// The username is the client's: it must not supply the address.
	{"disconnecting other reason username injection", "Disconnecting invalid user x 6.6.6.6 port 22: y 192.0.2.117 port 44004: Change of username or service not allowed: (x 6.6.6.6 port 22: y,ssh-connection) -> (user,ssh-connection) [preauth]", true,
		ev{kind: kPreDisc, user: "x 6.6.6.6 port 22: y", hasUser: true, invalid: true, addr: "192.0.2.117", port: 44004, repeat: 1}},

	// A client that changes username mid-authentication picks both names;
	// this one made Parse panic (slice bounds out of range).
	{"disconnecting other reason username like an address", "Disconnecting invalid user 0. port 0: 192.0.2.118 port 44005: Change of username or service not allowed: (0. port 0:,ssh-connection) -> (root,ssh-connection) [preauth]", true,
		ev{kind: kPreDisc, user: "0. port 0:", hasUser: true, invalid: true, addr: "192.0.2.118", port: 44005, repeat: 1}},

	// Closed, disconnected, reset before authentication.
	{"preauth close invalid user", "Connection closed by invalid user admin 192.0.2.1 port 5 [preauth]", true,
		ev{kind: kPreClose, user: "admin", hasUser: true, invalid: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"preauth close invalid empty user", "Connection closed by invalid user  192.0.2.68 port 34916 [preauth]", true,
		ev{kind: kPreClose, user: "", hasUser: true, invalid: true, addr: "192.0.2.68", port: 34916, repeat: 1}},
	{"preauth close authenticating user", "Connection closed by authenticating user root 192.0.2.10 port 46038 [preauth]", true,
		ev{kind: kPreClose, user: "root", hasUser: true, addr: "192.0.2.10", port: 46038, repeat: 1}},
	{"preauth close username injection", "Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth]", true,
		ev{kind: kPreClose, user: "test 127.0.0.1 port 12345", hasUser: true, addr: "192.0.2.11", port: 46039, repeat: 1}},
	{"preauth close bare", "Connection closed by 192.0.2.39 port 14282 [preauth]", true,
		ev{kind: kPreClose, addr: "192.0.2.39", port: 14282, repeat: 1}},
	{"preauth close bare without port", "Connection closed by 192.0.2.111 [preauth]", true,
		ev{kind: kPreClose, addr: "192.0.2.111", repeat: 1}},
	{"preauth close ipv6", "Connection closed by 2001:db8::2 port 5 [preauth]", true,
		ev{kind: kPreClose, addr: "2001:db8::2", port: 5, repeat: 1}},
	{"preauth close ipv4-mapped", "Connection closed by invalid user x ::ffff:192.0.2.3 port 6 [preauth]", true,
		ev{kind: kPreClose, user: "x", hasUser: true, invalid: true, addr: "192.0.2.3", port: 6, repeat: 1}},
	// sshd only says "invalid user" before authentication.
	{"close invalid user without [preauth]", "Connection closed by invalid user x 192.0.2.1 port 5", true,
		ev{kind: kPreClose, user: "x", hasUser: true, invalid: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"preauth disconnect invalid user", "Disconnected from invalid user test 192.0.2.2 port 5 [preauth]", true,
		ev{kind: kPreDisc, user: "test", hasUser: true, invalid: true, addr: "192.0.2.2", port: 5, repeat: 1}},
	{"preauth disconnect authenticating user", "Disconnected from authenticating user root 192.0.2.6 port 33553 [preauth]", true,
		ev{kind: kPreDisc, user: "root", hasUser: true, addr: "192.0.2.6", port: 33553, repeat: 1}},
	{"preauth disconnect bare", "Disconnected from 192.0.2.4 port 36985 [preauth]", true,
		ev{kind: kPreDisc, addr: "192.0.2.4", port: 36985, repeat: 1}},
	{"preauth disconnect username with [preauth]", "Disconnected from invalid user a [preauth] 192.0.2.1 port 5 [preauth]", true,
		ev{kind: kPreDisc, user: "a [preauth]", hasUser: true, invalid: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"preauth reset authenticating user", "Connection reset by authenticating user root 192.0.2.20 port 1558 [preauth]", true,
		ev{kind: kPreReset, user: "root", hasUser: true, addr: "192.0.2.20", port: 1558, repeat: 1}},
	{"preauth reset invalid user", "Connection reset by invalid user x 192.0.2.1 port 5 [preauth]", true,
		ev{kind: kPreReset, user: "x", hasUser: true, invalid: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"preauth reset bare ipv6", "Connection reset by 2001:db8::9 port 14282 [preauth]", true,
		ev{kind: kPreReset, addr: "2001:db8::9", port: 14282, repeat: 1}},

	// The same after authentication (or without saying).
	{"connection closed", "Connection closed by 192.0.2.15 port 35352", true,
		ev{kind: kClosed, addr: "192.0.2.15", port: 35352, repeat: 1}},
	{"connection closed without port", "Connection closed by 192.0.2.5", true,
		ev{kind: kClosed, addr: "192.0.2.5", repeat: 1}},
	// "user U" with neither "invalid" nor "authenticating": U has logged in.
	{"connection closed by user", "Connection closed by user root 192.0.2.1 port 5", true,
		ev{kind: kSessEnd, user: "root", hasUser: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"disconnected user", "Disconnected from user root 192.0.2.1 port 5", true,
		ev{kind: kSessEnd, user: "root", hasUser: true, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"connection reset by user", "Connection reset by user deploy 2001:db8::7 port 5", true,
		ev{kind: kSessEnd, user: "deploy", hasUser: true, addr: "2001:db8::7", port: 5, repeat: 1}},
	{"disconnected bare", "Disconnected from 192.0.2.8 port 22001", true,
		ev{kind: kDisconnected, addr: "192.0.2.8", port: 22001, repeat: 1}},
	{"disconnected bare ipv6", "Disconnected from 2001:db8::1 port 5", true,
		ev{kind: kDisconnected, addr: "2001:db8::1", port: 5, repeat: 1}},
	{"connection reset", "Connection reset by 192.0.2.16 port 51280", true,
		ev{kind: kReset, addr: "192.0.2.16", port: 51280, repeat: 1}},

	// Received disconnect.
	{"received disconnect bye", "Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]", true,
		ev{kind: kRecvDisc, addr: "198.51.100.76", port: 58846, repeat: 1}},
	{"received disconnect old format", "Received disconnect from 198.51.100.34: 11: Bye Bye [preauth]", true,
		ev{kind: kRecvDisc, addr: "198.51.100.34", repeat: 1}},
	{"received disconnect error no methods", "error: Received disconnect from 192.168.2.92 port 1684:14: No supported authentication methods available [preauth]", true,
		ev{kind: kRecvDisc, addr: "192.168.2.92", port: 1684, repeat: 1}},
	{"received disconnect jsch", "Received disconnect from 89.24.13.192: 3: com.jcraft.jsch.JSchException: Auth fail", true,
		ev{kind: kRecvDisc, addr: "89.24.13.192", repeat: 1}},
	// Without sshd's [preauth], the new "port P:N:" form is a logged-in
	// session's end; the old "A: N:" form (jsch's Auth fail) predates
	// [preauth] and stays a failure.
	{"received disconnect ipv6 after login", "Received disconnect from 2001:db8::3 port 5000:11: disconnected by user", true,
		ev{kind: kSessDisc, addr: "2001:db8::3", port: 5000, repeat: 1}},
	{"received disconnect after login", "Received disconnect from 192.0.2.50 port 50022:11: disconnected by user", true,
		ev{kind: kSessDisc, addr: "192.0.2.50", port: 50022, repeat: 1}},
	{"received disconnect client reason mimics preauth", "Received disconnect from 192.0.2.51 port 50023:11: x [preauth] [preauth]", true,
		ev{kind: kRecvDisc, addr: "192.0.2.51", port: 50023, repeat: 1}},
	{"received disconnect ipv6 old format", "Received disconnect from 2001:db8::3: 11: Bye Bye [preauth]", true,
		ev{kind: kRecvDisc, addr: "2001:db8::3", repeat: 1}},
	{"received disconnect ipv4-mapped", "Received disconnect from ::ffff:192.0.2.9 port 5:11: Bye Bye [preauth]", true,
		ev{kind: kRecvDisc, addr: "192.0.2.9", port: 5, repeat: 1}},
	{"received disconnect reason injection", "Received disconnect from 192.0.2.1 port 5:11: from 6.6.6.6 port 22 [preauth]", true,
		ev{kind: kRecvDisc, addr: "192.0.2.1", port: 5, repeat: 1}},

	// Negotiation.
	{"negotiation cipher", "Unable to negotiate with 192.0.2.1 port 55419: no matching cipher found. Their offer: aes256-cbc,rijndael-cbc@lysator.liu.se,aes192-cbc,aes128-cbc,arcfour128,arcfour,3des-cbc,none [preauth]", true,
		ev{kind: kNegotiation, addr: "192.0.2.1", port: 55419, repeat: 1}},
	{"negotiation kex fatal", "fatal: Unable to negotiate with 192.0.2.2 port 55419: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1", true,
		ev{kind: kNegotiation, addr: "192.0.2.2", port: 55419, repeat: 1}},
	{"negotiation host key ipv6", "Unable to negotiate with 2001:db8::9 port 4444: no matching host key type found. Their offer: ssh-rsa [preauth]", true,
		ev{kind: kNegotiation, addr: "2001:db8::9", port: 4444, repeat: 1}},
	{"negotiation no address", "fatal: Unable to negotiate a key exchange method [preauth]", true,
		ev{kind: kNegotiation, repeat: 1}},
	{"negotiation old no matching mac", "fatal: no matching mac found: client hmac-xxx,hmac-xxx server hmac-xxx,umac-xxx [preauth]", true,
		ev{kind: kNegotiation, repeat: 1}},

	// Scanners and protocol noise.
	{"no identification string", "Did not receive identification string from 69.61.56.114", true,
		ev{kind: kNoIdent, addr: "69.61.56.114", repeat: 1}},
	{"no identification string with port", "Did not receive identification string from 192.0.2.5 port 35836", true,
		ev{kind: kNoIdent, addr: "192.0.2.5", port: 35836, repeat: 1}},
	{"no identification string ipv4-mapped", "Did not receive identification string from ::ffff:192.0.2.77 port 5", true,
		ev{kind: kNoIdent, addr: "192.0.2.77", port: 5, repeat: 1}},
	{"no identification string ipv6", "Did not receive identification string from 2001:db8::10 port 6", true,
		ev{kind: kNoIdent, addr: "2001:db8::10", port: 6, repeat: 1}},
	{"banner exchange invalid format", "banner exchange: Connection from 192.0.2.12 port 44105: invalid format", true,
		ev{kind: kBanner, addr: "192.0.2.12", port: 44105, repeat: 1}},
	{"banner exchange broken pipe ipv6", "banner exchange: Connection from 2001:db8::4 port 5: Broken pipe", true,
		ev{kind: kBanner, addr: "2001:db8::4", port: 5, repeat: 1}},
	{"banner exchange could not read", "banner exchange: Connection from 192.0.2.13 port 7: could not read protocol version", true,
		ev{kind: kBanner, addr: "192.0.2.13", port: 7, repeat: 1}},
	{"bad protocol version", "Bad protocol version identification 'dummy string' from 69.61.56.115 port 31778", true,
		ev{kind: kBadProto, addr: "69.61.56.115", port: 31778, repeat: 1}},
	{"bad protocol version injection", "Bad protocol version identification 'dummy string' from 192.0.2.1' from 69.61.56.115 port 31778", true,
		ev{kind: kBadProto, addr: "69.61.56.115", port: 31778, repeat: 1}},
	{"bad protocol version no port", "error: Bad protocol version identification 'GET / HTTP/1.1' from 192.0.2.9", true,
		ev{kind: kBadProto, addr: "192.0.2.9", repeat: 1}},
	{"kex reset by peer", "error: kex_exchange_identification: read: Connection reset by peer", true,
		ev{kind: kKex, repeat: 1}},
	{"kex closed by remote host", "error: kex_exchange_identification: Connection closed by remote host", true,
		ev{kind: kKex, repeat: 1}},
	{"kex invalid identifier", `kex_exchange_identification: client sent invalid protocol identifier ""`, true,
		ev{kind: kKex, repeat: 1}},
	{"dispatch fatal mac", "ssh_dispatch_run_fatal: Connection from 192.0.2.13 port 33738: message authentication code incorrect [preauth]", true,
		ev{kind: kProtoErr, addr: "192.0.2.13", port: 33738, repeat: 1}},
	{"dispatch fatal corrupted ipv6", "ssh_dispatch_run_fatal: Connection from 2001:db8::13 port 52452: Connection corrupted [preauth]", true,
		ev{kind: kProtoErr, addr: "2001:db8::13", port: 52452, repeat: 1}},
	// OpenSSH puts its log preamble ("authenticating user U" / "invalid
	// user U") before the address once a user is named (packet.c
	// sshpkt_fmt_connection_id); seen in real logs.
	{"dispatch fatal authenticating user", "ssh_dispatch_run_fatal: Connection from authenticating user root 218.92.0.24 port 51181: message authentication code incorrect [preauth]", true,
		ev{kind: kProtoErr, user: "root", hasUser: true, addr: "218.92.0.24", port: 51181, repeat: 1}},
	{"dispatch fatal invalid user", "ssh_dispatch_run_fatal: Connection from invalid user admin 192.0.2.14 port 40000: Connection corrupted [preauth]", true,
		ev{kind: kProtoErr, user: "admin", hasUser: true, invalid: true, addr: "192.0.2.14", port: 40000, repeat: 1}},
	{"magic value check", "Magic value check failed (1234) on obfuscated handshake from 192.0.2.1 port 5", true,
		ev{kind: kProtoErr, addr: "192.0.2.1", port: 5, repeat: 1}},
	{"reverse mapping", "reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!", true,
		ev{kind: kReverse, addr: "173.234.31.186", repeat: 1}},
	{"address maps to", "Address 1.2.3.4 maps to 1234.bbbbbb.com, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!", true,
		ev{kind: kAddrMaps, addr: "1.2.3.4", repeat: 1}},
	{"address maps to no exclamation", "Address 1.2.3.4 maps to 1234.bbbbbb.com, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT", true,
		ev{kind: kAddrMaps, addr: "1.2.3.4", repeat: 1}},

	// Patched sshds' (HP-UX's) connection notices: the address and port
	// only; the client's version string and username that follow are not read.
	{"ltype version", "SSH: Server;Ltype: Version;Remote: 127.0.0.1-1780;Protocol: 2.0;Client: libssh2_1.4.3", true,
		ev{kind: kLtype, addr: "127.0.0.1", port: 1780, repeat: 1}},
	{"ltype kex", "SSH: Server;Ltype: Kex;Remote: 10.9.40.180-4494;Enc: aes256-ctr;MAC: hmac-sha1;Comp: none", true,
		ev{kind: kLtype, addr: "10.9.40.180", port: 4494, repeat: 1}},
	{"ltype authname", "SSH: Server;Ltype: Authname;Remote: 2001:db8::1-57645;Name: byte [preauth]", true,
		ev{kind: kLtype, addr: "2001:db8::1", port: 57645, repeat: 1}},
	{"ltype authname mapped", "SSH: Server;Ltype: Authname;Remote: ::ffff:192.0.2.7-22;Name: x;Remote: 6.6.6.6-1;", true,
		ev{kind: kLtype, addr: "192.0.2.7", port: 22, repeat: 1}},

	// Refused.
	{"not allowed AllowUsers", "User root from 211.188.220.49 not allowed because not listed in AllowUsers", true,
		ev{kind: kNotAllowed, user: "root", hasUser: true, addr: "211.188.220.49", repeat: 1}},
	{"not allowed DenyUsers", "User root from 46.45.128.3 not allowed because listed in DenyUsers", true,
		ev{kind: kNotAllowed, user: "root", hasUser: true, addr: "46.45.128.3", repeat: 1}},
	{"not allowed host name", "User allena from example.com not allowed because not in any group", true,
		ev{kind: kNotAllowed, user: "allena", hasUser: true, host: "example.com", repeat: 1}},
	{"not allowed AllowGroups ipv6", "User root from 2001:db8::1 not allowed because none of user's groups are listed in AllowGroups", true,
		ev{kind: kNotAllowed, user: "root", hasUser: true, addr: "2001:db8::1", repeat: 1}},
	// sshd writes the shell and locked-account reasons without "from A".
	{"not allowed shell does not exist", "User root not allowed because shell /bin/false does not exist", true,
		ev{kind: kNotAllowed, user: "root", hasUser: true, repeat: 1}},
	{"root login refused", "ROOT LOGIN REFUSED FROM 1.2.3.4", true,
		ev{kind: kRootRefused, user: "root", hasUser: true, addr: "1.2.3.4", repeat: 1}},
	{"root login refused with port", "ROOT LOGIN REFUSED FROM 1.2.3.4 port 12345 [preauth]", true,
		ev{kind: kRootRefused, user: "root", hasUser: true, addr: "1.2.3.4", port: 12345, repeat: 1}},
	{"root login refused ipv4-mapped", "ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4", true,
		ev{kind: kRootRefused, user: "root", hasUser: true, addr: "1.2.3.4", repeat: 1}},
	{"refused connect tcp wrappers", "refused connect from _U2FsdGVkX19P3BCJmFBHhjLza8BcMH06WCUVwttMHpE=_@::ffff:218.249.210.161 (::ffff:218.249.210.161)", true,
		ev{kind: kRefused, addr: "218.249.210.161", repeat: 1}},
	{"refused connect host name", "refused connect from host.example.com (192.0.2.1)", true,
		ev{kind: kRefused, addr: "192.0.2.1", repeat: 1}},
	{"timeout before authentication", "fatal: Timeout before authentication for 192.0.2.14 port 55555", true,
		ev{kind: kTimeout, addr: "192.0.2.14", port: 55555, repeat: 1}},
	{"timeout before authentication ipv6", "Timeout before authentication for 2001:db8::1 port 22222", true,
		ev{kind: kTimeout, addr: "2001:db8::1", port: 22222, repeat: 1}},
	{"timeout before authentication old", "Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098", true,
		ev{kind: kTimeout, addr: "192.0.2.17", repeat: 1}},

	// Connection notices: recognised, not failures. The port is the
	// client's, not the server's 22.
	{"connection from", "Connection from 192.0.2.10 port 62004 on 192.0.2.10 port 22", true,
		ev{kind: kConnection, addr: "192.0.2.10", port: 62004, repeat: 1}},
	{"connection from rdomain ipv6", `Connection from 2001:db8::1 port 5 on 2001:db8::2 port 22 rdomain ""`, true,
		ev{kind: kConnection, addr: "2001:db8::1", port: 5, repeat: 1}},

	// Success.
	{"accepted password", "Accepted password for known from 192.0.2.114 port 52100 ssh2", true,
		ev{kind: kAccepted, method: "password", user: "known", hasUser: true, addr: "192.0.2.114", port: 52100, repeat: 1}},
	{"accepted publickey with key", "Accepted publickey for git from 192.0.2.1 port 57904 ssh2: ED25519 SHA256:v3dpapGleDaUKf4V1vKyR9ZyUgjaJAmoCTcb2PLljI", true,
		ev{kind: kAccepted, method: "publickey", user: "git", hasUser: true, addr: "192.0.2.1", port: 57904, repeat: 1, keyType: "ED25519", keyFP: "SHA256:v3dpapGleDaUKf4V1vKyR9ZyUgjaJAmoCTcb2PLljI"}},
	{"accepted publickey ecdsa", "Accepted publickey for ops from 192.0.2.2 port 40000 ssh2: ECDSA SHA256:Jx+Kq/9zW0aH3mT1vLk2Yw4eR7uN8sP5dC6bA1fG0hI", true,
		ev{kind: kAccepted, method: "publickey", user: "ops", hasUser: true, addr: "192.0.2.2", port: 40000, repeat: 1, keyType: "ECDSA", keyFP: "SHA256:Jx+Kq/9zW0aH3mT1vLk2Yw4eR7uN8sP5dC6bA1fG0hI"}},
	{"accepted publickey security key", "Accepted publickey for ops from 192.0.2.2 port 40001 ssh2: ED25519-SK SHA256:q1w2e3", true,
		ev{kind: kAccepted, method: "publickey", user: "ops", hasUser: true, addr: "192.0.2.2", port: 40001, repeat: 1, keyType: "ED25519-SK", keyFP: "SHA256:q1w2e3"}},
	{"accepted publickey certificate", "Accepted publickey for root from 192.0.2.3 port 51000 ssh2: ED25519-CERT SHA256:kEyFp ID alice@laptop (serial 42) CA ED25519 SHA256:cAfP", true,
		ev{kind: kAccepted, method: "publickey", user: "root", hasUser: true, addr: "192.0.2.3", port: 51000, repeat: 1, keyType: "ED25519-CERT", keyFP: "SHA256:kEyFp"}},
	{"accepted publickey rsa certificate id with from", "Accepted publickey for root from 192.0.2.3 port 51001 ssh2: RSA-CERT SHA256:rSaFp ID x from 6.6.6.6 port 1 ssh1 (serial 7) CA RSA SHA256:cA", true,
		ev{kind: kAccepted, method: "publickey", user: "root", hasUser: true, addr: "192.0.2.3", port: 51001, repeat: 1, keyType: "RSA-CERT", keyFP: "SHA256:rSaFp"}},
	{"accepted publickey md5 old", "Accepted publickey for pi from 192.0.2.4 port 2200 ssh2: DSA 36:48:0a:ff", true,
		ev{kind: kAccepted, method: "publickey", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2200, repeat: 1, keyType: "DSA", keyFP: "36:48:0a:ff"}},
	{"accepted publickey md5 named", "Accepted publickey for pi from 192.0.2.4 port 2201 ssh2: RSA MD5:36:48:0a:ff", true,
		ev{kind: kAccepted, method: "publickey", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2201, repeat: 1, keyType: "RSA", keyFP: "MD5:36:48:0a:ff"}},
	{"accepted hostbased", `Accepted hostbased for pi from 192.0.2.5 port 2202 ssh2: RSA SHA256:hOsT, client user "pi", client host "h"`, true,
		ev{kind: kAccepted, method: "hostbased", user: "pi", hasUser: true, addr: "192.0.2.5", port: 2202, repeat: 1, keyType: "RSA", keyFP: "SHA256:hOsT"}},
	{"accepted publickey not a key", "Accepted publickey for pi from 192.0.2.4 port 2203 ssh2: \x1b[31m SHA256:<b>", true,
		ev{kind: kAccepted, method: "publickey", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2203, repeat: 1}},
	{"accepted publickey fingerprint with markup", "Accepted publickey for pi from 192.0.2.4 port 2204 ssh2: RSA SHA256:<script>", true,
		ev{kind: kAccepted, method: "publickey", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2204, repeat: 1}},
	{"accepted password no key from info", "Accepted password for pi from 192.0.2.4 port 2205 ssh2: RSA SHA256:abc", true,
		ev{kind: kAccepted, method: "password", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2205, repeat: 1}},
	{"accepted key in username", "Accepted password for x from 1.2.3.4 port 22 ssh2: RSA SHA256:fake from 192.0.2.6 port 2206 ssh2", true,
		ev{kind: kAccepted, method: "password", user: "x from 1.2.3.4 port 22 ssh2: RSA SHA256:fake", hasUser: true, addr: "192.0.2.6", port: 2206, repeat: 1}},
	{"failed publickey keeps no key", "Failed publickey for pi from 192.0.2.4 port 2207 ssh2: RSA SHA256:abc", true,
		ev{kind: kFailed, method: "publickey", user: "pi", hasUser: true, addr: "192.0.2.4", port: 2207, repeat: 1}},
	{"accepted keyboard-interactive ipv4-mapped", "Accepted keyboard-interactive/pam for pi from ::ffff:10.0.0.2 port 6000 ssh2", true,
		ev{kind: kAccepted, method: "keyboard-interactive/pam", user: "pi", hasUser: true, addr: "10.0.0.2", port: 6000, repeat: 1}},
	{"accepted ipv6", "Accepted publickey for deploy from 2001:db8::44 port 61000 ssh2: RSA SHA256:abc", true,
		ev{kind: kAccepted, method: "publickey", user: "deploy", hasUser: true, addr: "2001:db8::44", port: 61000, repeat: 1, keyType: "RSA", keyFP: "SHA256:abc"}},

	// Lines with no address: the connection's other lines (same host and
	// pid) name it. Real lines from ../shared/corpus where there are some.
	{"pam check pass user unknown (loghub)", "pam_unix(sshd:auth): check pass; user unknown", true,
		ev{kind: kUserUnknown, invalid: true, repeat: 1}},
	{"input_userauth_request invalid user (loghub)", "input_userauth_request: invalid user admin [preauth]", true,
		ev{kind: kUserauthInv, user: "admin", hasUser: true, invalid: true, repeat: 1}},
	{"input_userauth_request empty user", "input_userauth_request: invalid user  [preauth]", true,
		ev{kind: kUserauthInv, user: "", hasUser: true, invalid: true, repeat: 1}},
	{"input_userauth_request illegal user", "input_userauth_request: illegal user test", true,
		ev{kind: kUserauthInv, user: "test", hasUser: true, invalid: true, repeat: 1}},
	{"pam_succeed_if requirement", `pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"`, true,
		ev{kind: kRequirement, user: "root", hasUser: true, repeat: 1}},
	{"pam_succeed_if requirement quoting user", `pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "a" not met by user "b"`, true,
		ev{kind: kRequirement, user: `a" not met by user "b`, hasUser: true, repeat: 1}},
	{"pam ignoring max retries (loghub)", "PAM service(sshd) ignoring max retries; 6 > 3", true,
		ev{kind: kMaxRetries, repeat: 1}},
	{"kex banner line too long (fail2ban)", "error: kex_exchange_identification: banner line too long", true,
		ev{kind: kKex, repeat: 1}},
	{"read from socket failed (fail2ban)", "fatal: Read from socket failed: Connection reset by peer [preauth]", true,
		ev{kind: kReadFailed, repeat: 1}},
	{"read from socket failed timed out", "fatal: Read from socket failed: Connection timed out", true,
		ev{kind: kReadFailed, repeat: 1}},
	{"write failed", "fatal: Write failed: Connection reset by peer [preauth]", true,
		ev{kind: kWriteFailed, repeat: 1}},
	{"write failed broken pipe", "fatal: Write failed: Broken pipe", true,
		ev{kind: kWriteFailed, repeat: 1}},
	{"protocol major versions differ", "error: Protocol major versions differ: 2 vs. 1", true,
		ev{kind: kProtoMismatch, repeat: 1}},
	{"protocol major versions differ old", "Protocol major versions differ for 192.0.2.30 port 40404: SSH-2.0-OpenSSH_7.4 vs. SSH-1.5-Nmap-SSH1-Hostkey", true,
		ev{kind: kProtoMismatch, addr: "192.0.2.30", port: 40404, repeat: 1}},
	{"userauth_pubkey key type", "userauth_pubkey: key type ssh-dss not in PubkeyAcceptedAlgorithms [preauth]", true,
		ev{kind: kKeyType, repeat: 1}},
	{"userauth_pubkey signature algorithm", "userauth_pubkey: signature algorithm ssh-rsa not in PubkeyAcceptedAlgorithms [preauth]", true,
		ev{kind: kKeyType, repeat: 1}},
	{"userauth_pubkey key types old", "userauth_pubkey: key type ssh-dss not in PubkeyAcceptedKeyTypes [preauth]", true,
		ev{kind: kKeyType, repeat: 1}},

	// A logged-in session's lines: recognised, not failures.
	{"session opened (fail2ban)", "pam_unix(sshd:session): session opened for user rda by (uid=0)", true,
		ev{kind: kSessOpened, user: "rda", hasUser: true, repeat: 1}},
	{"session opened uid", "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)", true,
		ev{kind: kSessOpened, user: "root", hasUser: true, repeat: 1}},
	{"session opened by name", "pam_unix(sshd:session): session opened for user deploy(uid=1000) by root(uid=0)", true,
		ev{kind: kSessOpened, user: "deploy", hasUser: true, repeat: 1}},
	{"session closed", "pam_unix(sshd:session): session closed for user root", true,
		ev{kind: kSessClosed, user: "root", hasUser: true, repeat: 1}},

	// PAM modules other than pam_unix write the same failure line.
	{"pam_sss failure", "pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.60 user=alice", true,
		ev{kind: kPAM, user: "alice", hasUser: true, addr: "192.0.2.60", repeat: 1}},
	{"pam_ldap failure", "pam_ldap(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::60  user=bob", true,
		ev{kind: kPAM, user: "bob", hasUser: true, addr: "2001:db8::60", repeat: 1}},
	{"pam_krb5 failure", "pam_krb5(sshd:auth): authentication failure; logname=root uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.61", true,
		ev{kind: kPAM, invalid: true, addr: "192.0.2.61", repeat: 1}},
	{"pam_winbind failure", "pam_winbind(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.62 user=DOM\\carol", true,
		ev{kind: kPAM, user: "DOM\\carol", hasUser: true, addr: "192.0.2.62", repeat: 1}},
	{"pam_sss check pass", "pam_sss(sshd:auth): check pass; user unknown", true,
		ev{kind: kUserUnknown, invalid: true, repeat: 1}},

	// OpenSSH 9.8 to 10.x.
	{"drop connection penalty", "drop connection #0 from [192.0.2.70]:53632 on [192.0.2.1]:22 penalty: exceeded LoginGraceTime", true,
		ev{kind: kPenaltyDrop, addr: "192.0.2.70", port: 53632, repeat: 1}},
	{"drop connection penalty ipv6", "drop connection #1 from [2001:db8::70]:53633 on [2001:db8::1]:22 penalty: failed authentication", true,
		ev{kind: kPenaltyDrop, addr: "2001:db8::70", port: 53633, repeat: 1}},
	{"drop connection past MaxStartups", "drop connection #10 from [192.0.2.71]:40000 on [192.0.2.1]:22 past MaxStartups", true,
		ev{kind: kMaxStartups, addr: "192.0.2.71", port: 40000, repeat: 1}},
	{"drop connection past Maxstartups", "drop connection #11 from [192.0.2.72]:40001 on [192.0.2.1]:22 past Maxstartups", true,
		ev{kind: kMaxStartups, addr: "192.0.2.72", port: 40001, repeat: 1}},
	// The address is the network sshd penalised, its /N cut off.
	{"srclimit new active penalty", "srclimit_penalise: ipv4: new 192.0.2.73/32 active penalty of 30.000 seconds for penalty: failed authentication", true,
		ev{kind: kPenalty, addr: "192.0.2.73", repeat: 1}},
	{"srclimit new deferred penalty ipv6 network", "srclimit_penalise: ipv6: new 2001:db8::/64 deferred penalty of 5.000 seconds for penalty: connections without attempting authentication", true,
		ev{kind: kPenalty, addr: "2001:db8::", repeat: 1}},
	{"srclimit activating penalty", "srclimit_penalise: 192.0.2.74/32: activating ipv4 penalty of 15.000 seconds for penalty: connections without attempting authentication", true,
		ev{kind: kPenalty, addr: "192.0.2.74", repeat: 1}},
	{"administratively prohibited", "administratively prohibited connection for root from 192.0.2.75 port 50505", true,
		ev{kind: kRefuseConn, user: "root", hasUser: true, addr: "192.0.2.75", port: 50505, repeat: 1}},
	{"administratively prohibited invalid user", "administratively prohibited connection for invalid user x from 6.6.6.6 port 1 from 192.0.2.76 port 50506", true,
		ev{kind: kRefuseConn, user: "x from 6.6.6.6 port 1", hasUser: true, invalid: true, addr: "192.0.2.76", port: 50506, repeat: 1}},
	{"scanned", "scanned from 192.0.2.77 port 33333 with SSH-2.0-ScannerX.  Don't panic.", true,
		ev{kind: kScanned, addr: "192.0.2.77", port: 33333, repeat: 1}},
	{"probed injection in version", "probed from 192.0.2.78 port 33334 with SSH-1.0-x from 6.6.6.6 port 1.  Don't panic.", true,
		ev{kind: kProbed, addr: "192.0.2.78", port: 33334, repeat: 1}},
	{"public key signature rejected", "public key ED25519-SK SHA256:AbCdEf signature for git from 192.0.2.79 port 50507 rejected: user presence (authenticator touch) requirement not met ", true,
		ev{kind: kSigRejected, user: "git", hasUser: true, addr: "192.0.2.79", port: 50507, repeat: 1}},
	{"public key signature rejected invalid user", "public key ECDSA-SK SHA256:AbCdEf signature for invalid user x rejected: y from 192.0.2.80 port 50508 rejected: user verification requirement not met ", true,
		ev{kind: kSigRejected, user: "x rejected: y", hasUser: true, invalid: true, addr: "192.0.2.80", port: 50508, repeat: 1}},
	{"connection timed out", "Connection from 192.0.2.81 port 50509 timed out", true,
		ev{kind: kConnTimeout, addr: "192.0.2.81", port: 50509, repeat: 1}},
	{"timeout before authentication 10.x (fail2ban)", "Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098", true,
		ev{kind: kTimeout, addr: "192.0.2.17", repeat: 1}},

	// Addresses: an IPv6 zone is cut off; a host name is never an address.
	{"ipv6 zone", "Failed password for root from fe80::1%eth0 port 22 ssh2", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, addr: "fe80::1", port: 22, repeat: 1}},
	{"ipv6 zone closed", "Connection closed by fe80::2%enp0s3 port 5 [preauth]", true,
		ev{kind: kPreClose, addr: "fe80::2", port: 5, repeat: 1}},
	{"pam rhost host name", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.net  user=root", true,
		ev{kind: kPAM, user: "root", hasUser: true, host: "host.example.net", repeat: 1}},
	{"failed host name", "Failed password for root from host.example.net port 22 ssh2", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, host: "host.example.net", port: 22, repeat: 1}},
	{"zero-padded ipv4 is an address", "Invalid user a from 192.030.0.6 port 1", true,
		ev{kind: kInvalid, user: "a", hasUser: true, invalid: true, addr: "192.030.0.6", port: 1, repeat: 1}},
	{"hex letters with a dot is a name", "Invalid user a from dead.beef port 1", true,
		ev{kind: kInvalid, user: "a", hasUser: true, invalid: true, host: "dead.beef", port: 1, repeat: 1}},

	// rsyslog's reduction.
	{"repeated failed password", "message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]", true,
		ev{kind: kFailed, method: "password", user: "root", hasUser: true, addr: "5.36.59.76", port: 42393, repeat: 5}},
	{"repeated failed invalid user ipv6", "message repeated 2 times: [ Failed password for invalid user admin from 2001:db8::1 port 5 ssh2]", true,
		ev{kind: kFailed, method: "password", user: "admin", hasUser: true, invalid: true, addr: "2001:db8::1", port: 5, repeat: 2}},
	{"repeated max attempts with error prefix", "message repeated 3 times: [ error: maximum authentication attempts exceeded for root from 1.2.3.4 port 5 ssh2 [preauth]]", true,
		ev{kind: kMax, user: "root", hasUser: true, addr: "1.2.3.4", port: 5, repeat: 3}},
	// Two messages each standing for two failures.
	{"repeated PAM N more", "message repeated 2 times: [ PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root]", true,
		ev{kind: kPAM, user: "root", hasUser: true, addr: "1.2.3.4", repeat: 4}},
	{"repeated username with bracket", "message repeated 2 times: [ Failed password for invalid user a] from 6.6.6.6 port 1 ssh2 from 192.0.2.1 port 5 ssh2]", true,
		ev{kind: kFailed, method: "password", user: "a] from 6.6.6.6 port 1 ssh2", hasUser: true, invalid: true, addr: "192.0.2.1", port: 5, repeat: 2}},

	// Not recognised: other sshd messages, and broken ones. The event is
	// left zero.
	{"server listening ipv4", "Server listening on 0.0.0.0 port 22.", false, ev{}},
	{"server listening ipv6", "Server listening on :: port 22.", false, ev{}},
	{"received signal", "Received signal 15; terminating.", false, ev{}},
	{"pam other line", "pam_unix(sshd:auth): something else", false, ev{}},
	{"pam session other line", "pam_unix(sshd:session): something else", false, ev{}},
	{"pam requirement without user", `pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met`, false, ev{}},
	{"input_userauth_request other", "input_userauth_request: no user", false, ev{}},
	{"drop connection other reason", "drop connection #3 from [192.0.2.1]:5 on [192.0.2.2]:22 for fun", false, ev{}},
	{"srclimit penalty without mask", "srclimit_penalise: ipv4: new 192.0.2.1 active penalty of 10.000 seconds for penalty: failed authentication", false, ev{}},
	{"address zone only", "Invalid user a from fe80::1% port 5", false, ev{}},
	{"address not ipv6", "Invalid user a from host:name port 5", false, ev{}},
	{"postponed publickey", "Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]", false, ev{}},
	{"accepted key found (verbose)", "Accepted key RSA SHA256:xxx found at /root/.ssh/authorized_keys:1", false, ev{}},
	{"starting session", "Starting session: shell on pts/0 for root from 192.0.2.1 port 5 id 0", false, ev{}},
	{"user child", "User child is on pid 1234", false, ev{}},
	{"ltype other type", "SSH: Server;Ltype: Other;Remote: 127.0.0.1-1780;Protocol: 2.0", false, ev{}},
	{"ltype no port", "SSH: Server;Ltype: Version;Remote: 127.0.0.1;Protocol: 2.0", false, ev{}},
	{"ltype port too large", "SSH: Server;Ltype: Version;Remote: 127.0.0.1-65536;Protocol: 2.0", false, ev{}},
	{"ltype no field end", "SSH: Server;Ltype: Kex;Remote: 127.0.0.1-1780", false, ev{}},
	{"ltype address not an address", "SSH: Server;Ltype: Kex;Remote: a b-1780;Enc: x", false, ev{}},
	{"ltype not remote first", "SSH: Server;Ltype: Authname;Name: x;Remote: 6.6.6.6-1;", false, ev{}},
	{"empty", "", false, ev{}},
	{"failed without from", "Failed password for root", false, ev{}},
	{"failed address not an address", "Failed password for root from nowhere port 5 ssh2", false, ev{}},
	{"failed port too large", "Failed password for root from 1.2.3.4 port 65536 ssh2", false, ev{}},
	{"invalid user without from", "Invalid user admin", false, ev{}},
	{"repeated zero times", "message repeated 0 times: [ Failed password for root from 1.2.3.4 port 5 ssh2]", false, ev{}},
	{"repeated without closing bracket", "message repeated 2 times: [ Failed password for root from 1.2.3.4 port 5 ssh2", false, ev{}},
	{"repeated other message", "message repeated 3 times: [ Server listening on 0.0.0.0 port 22.]", false, ev{}},
}

// hostileUsers are usernames a client may send. sshd logs them as sent,
// with non-printable bytes as octal escapes (the text \033 below).
var hostileUsers = []string{
	"x from 6.6.6.6 port 22",
	"root from 6.6.6.6 port 22 ssh2",
	"root from 6.6.6.6 port 22 ssh2:",
	"x from 6.6.6.6 port 22 ssh2: y",
	"x 6.6.6.6 port 22",
	"x 6.6.6.6 port 22: y",
	"john smith",
	" lead and trail ",
	`"admin'--`,
	"<script>alert(1)</script>",
	`\033[2J\033[31mred\033[0m`,
	`\303\274ser`,
	"",
	"invalid user bob",
	"a [preauth]",
	"x]",
	"from",
	" from ",
	"port 22",
	"%s%n%x",
}

// hostileTemplates build a message around a username u; the address is
// always 203.0.113.7 and the port 4242, as sshd wrote them.
var hostileTemplates = []struct {
	name  string
	build func(u string) string
	want  ev // user filled in per username
}{
	{"failed", func(u string) string {
		return "Failed password for invalid user " + u + " from 203.0.113.7 port 4242 ssh2"
	}, ev{kind: kFailed, method: "password", hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"invalid", func(u string) string {
		return "Invalid user " + u + " from 203.0.113.7 port 4242"
	}, ev{kind: kInvalid, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"invalid-mapped", func(u string) string {
		return "Invalid user " + u + " from ::ffff:203.0.113.7 port 4242"
	}, ev{kind: kInvalid, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"max", func(u string) string {
		return "error: maximum authentication attempts exceeded for invalid user " + u + " from 203.0.113.7 port 4242 ssh2 [preauth]"
	}, ev{kind: kMax, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"closed", func(u string) string {
		return "Connection closed by invalid user " + u + " 203.0.113.7 port 4242 [preauth]"
	}, ev{kind: kPreClose, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"disconnected", func(u string) string {
		return "Disconnected from authenticating user " + u + " 203.0.113.7 port 4242 [preauth]"
	}, ev{kind: kPreDisc, hasUser: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"too-many", func(u string) string {
		return "Disconnecting invalid user " + u + " 203.0.113.7 port 4242: Too many authentication failures [preauth]"
	}, ev{kind: kTooMany, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"change-of-username", func(u string) string {
		return "Disconnecting invalid user " + u + " 203.0.113.7 port 4242: Change of username or service not allowed: (" + u + ",ssh-connection) -> (root,ssh-connection) [preauth]"
	}, ev{kind: kPreDisc, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"pam", func(u string) string {
		return "error: PAM: Authentication failure for illegal user " + u + " from 203.0.113.7"
	}, ev{kind: kPAM, hasUser: true, invalid: true, addr: "203.0.113.7", repeat: 1}},
	{"refuse-connection", func(u string) string {
		return "administratively prohibited connection for invalid user " + u + " from 203.0.113.7 port 4242"
	}, ev{kind: kRefuseConn, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"signature-rejected", func(u string) string {
		return "public key ED25519-SK SHA256:AbCdEf signature for invalid user " + u + " from 203.0.113.7 port 4242 rejected: user presence (authenticator touch) requirement not met "
	}, ev{kind: kSigRejected, hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	{"session-end", func(u string) string {
		return "Disconnected from user " + u + " 203.0.113.7 port 4242"
	}, ev{kind: kSessEnd, hasUser: true, addr: "203.0.113.7", port: 4242, repeat: 1}},
	// Address-less families that name the user: the whole name, nothing more.
	{"userauth-invalid-user", func(u string) string {
		return "input_userauth_request: invalid user " + u + " [preauth]"
	}, ev{kind: kUserauthInv, hasUser: true, invalid: true, repeat: 1}},
	{"pam-requirement", func(u string) string {
		return `pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "` + u + `"`
	}, ev{kind: kRequirement, hasUser: true, repeat: 1}},
	{"repeated", func(u string) string {
		return "message repeated 2 times: [ Failed password for invalid user " + u + " from 203.0.113.7 port 4242 ssh2]"
	}, ev{kind: kFailed, method: "password", hasUser: true, invalid: true, addr: "203.0.113.7", port: 4242, repeat: 2}},
}

// checkParse parses msg into an event dirtied by an earlier parse, to show
// that nothing leaks from one message to the next.
func checkParse(t *testing.T, msg string, wantOK bool, want ev) {
	t.Helper()
	var e sshd.Event
	sshd.Parse([]byte("Failed publickey for other from 9.9.9.9 port 9 ssh2"), &e)
	e.InvalidUser, e.Repeat = true, 77
	ok, err := safeParse([]byte(msg), &e)
	if err != nil {
		t.Fatalf("Parse(%q): %v", msg, err)
	}
	if ok != wantOK {
		t.Errorf("Parse(%q) = %v, want %v (event %v)", msg, ok, wantOK, toEv(&e))
	}
	if got := toEv(&e); got != want {
		t.Errorf("Parse(%q)\n got  %v\n want %v", msg, got, want)
	}
}

func TestParse(t *testing.T) {
	seen := map[string]bool{}
	for _, tt := range parseTests {
		if seen[tt.name] {
			t.Fatalf("duplicate test name %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.msg, tt.ok, tt.want)
		})
	}
}

// TestParseHostileUsernames puts each hostile username into each family
// that logs one: the address must be the one sshd wrote to its right, and
// the username exactly what the client sent.
func TestParseHostileUsernames(t *testing.T) {
	for _, tmpl := range hostileTemplates {
		for i, u := range hostileUsers {
			t.Run(fmt.Sprintf("%s/%d", tmpl.name, i), func(t *testing.T) {
				want := tmpl.want
				want.user = u
				checkParse(t, tmpl.build(u), true, want)
			})
		}
	}
}

// TestParseNoPanicOnBarePreamble: "invalid user ", "authenticating user "
// or "user " directly followed by the address (no username, not even the
// empty one sshd writes as two spaces) is no line sshd writes, but anyone
// who can write to the log (logger -t sshd) can. Parse must not panic on
// it; if it reads the line at all, the address is the only one there.
func TestParseNoPanicOnBarePreamble(t *testing.T) {
	for _, msg := range []string{
		"Connection closed by user ",
		"Connection closed by invalid user 1.2.3.4 port 5 [preauth]",
		"Connection closed by user 1.2.3.4 port 5",
		"Disconnected from authenticating user 1.2.3.4 port 5 [preauth]",
		"Connection reset by authenticating user 1.2.3.4 port 5 [preauth]",
		"Disconnecting invalid user 1.2.3.4 port 5: Too many authentication failures [preauth]",
		"Disconnecting invalid user 1.2.3.4 port 5: Bye [preauth]",
		"message repeated 2 times: [ Connection closed by invalid user 1.2.3.4 port 5 [preauth]]",
	} {
		var e sshd.Event
		ok, err := safeParse([]byte(msg), &e)
		switch {
		case err != nil:
			t.Errorf("Parse(%q): %v", msg, err)
		case ok && !strings.Contains(msg, "1.2.3.4"):
			t.Errorf("Parse(%q) = true, but it names no address: %v", msg, toEv(&e))
		case ok && string(e.Addr) != "1.2.3.4":
			t.Errorf("Parse(%q): addr %q, want 1.2.3.4", msg, e.Addr)
		}
	}
}

// TestParseCoversEveryKind makes sure the table names every Kind.
func TestParseCoversEveryKind(t *testing.T) {
	have := map[sshd.Kind]bool{}
	for _, tt := range parseTests {
		if tt.ok {
			have[tt.want.kind] = true
		}
	}
	for _, k := range sshd.Kinds() {
		if !have[k] {
			t.Errorf("no test row for kind %q", k)
		}
	}
}

func TestKinds(t *testing.T) {
	// The names the README gives for the events table, in Kind order.
	names := []string{"failed", "invalid_user", "pam_failure", "max_attempts", "too_many_failures",
		"preauth_close", "preauth_disconnect", "preauth_reset", "received_disconnect",
		"negotiation_failed", "no_identification", "banner_invalid", "bad_protocol",
		"kex_identification", "protocol_error", "not_allowed", "root_refused",
		"auth_timeout", "refused_connect", "reverse_mapping", "connection_closed",
		"disconnected", "connection_reset", "connection", "accepted",
		"pam_user_unknown", "userauth_invalid_user", "pam_requirement_not_met", "pam_max_retries",
		"read_failed", "write_failed", "protocol_mismatch", "key_type_refused",
		"session_opened", "session_closed", "penalty_drop", "maxstartups_drop", "penalty",
		"refuse_connection", "scanned", "probed", "signature_rejected", "connection_timeout",
		"session_disconnect", "session_end", "address_maps_to", "ltype_notice"}
	notFailure := map[sshd.Kind]bool{
		sshd.KindAccepted: true, sshd.KindConnection: true, sshd.KindReverseMapping: true,
		sshd.KindSessionOpened: true, sshd.KindSessionClosed: true, sshd.KindSessionDisconnect: true,
		sshd.KindSessionEnd: true, sshd.KindAddressMapsTo: true, sshd.KindLtypeNotice: true,
	}
	ks := sshd.Kinds()
	if len(ks) != len(names) {
		t.Fatalf("Kinds() has %d kinds, want %d", len(ks), len(names))
	}
	for i, k := range ks {
		if k.String() != names[i] {
			t.Errorf("kind %d is %q, want %q", k, k, names[i])
		}
		if want := !notFailure[k]; k.IsFailure() != want {
			t.Errorf("%q.IsFailure() = %v, want %v", k, k.IsFailure(), want)
		}
	}
	if sshd.KindNone.String() != "" || sshd.KindNone.IsFailure() {
		t.Errorf("KindNone: %q, failure %v", sshd.KindNone, sshd.KindNone.IsFailure())
	}
	if s := sshd.Kind(200).String(); s != "unknown" {
		t.Errorf("Kind(200).String() = %q", s)
	}
}

func TestIsDaemon(t *testing.T) {
	for s, want := range map[string]bool{
		"sshd": true, "sshd-session": true, "sshd-auth": true,
		"": false, "CRON": false, "sshd-keygen": false, "ssh": false, "SSHD": false,
	} {
		if got := sshd.IsDaemon([]byte(s)); got != want {
			t.Errorf("IsDaemon(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestParseSlicesPointIntoMessage checks the Event doc comment: the byte
// slices point into the message (ROOT LOGIN REFUSED names no user in the
// message; its "root" is the parser's).
func TestParseSlicesPointIntoMessage(t *testing.T) {
	for _, tt := range parseTests {
		if !tt.ok {
			continue
		}
		msg := []byte(tt.msg)
		var e sshd.Event
		if ok, err := safeParse(msg, &e); !ok || err != nil {
			continue // reported by TestParse
		}
		for _, f := range []struct {
			name string
			b    []byte
		}{{"Addr", e.Addr}, {"HostName", e.HostName}, {"Method", e.Method}, {"User", e.User}} {
			if len(f.b) == 0 || (f.name == "User" && e.Kind == sshd.KindRootRefused) {
				continue
			}
			if _, ok := offsetIn(msg, f.b); !ok {
				t.Errorf("%s: %s %q does not point into the message", tt.name, f.name, f.b)
			}
		}
	}
}

// offsetIn returns where sub starts in msg when sub is a non-empty slice of
// msg's own bytes.
func offsetIn(msg, sub []byte) (int, bool) {
	if len(sub) == 0 || len(msg) == 0 {
		return 0, false
	}
	off := cap(msg) - cap(sub)
	if off < 0 || off+len(sub) > len(msg) || &msg[off] != &sub[0] {
		return 0, false
	}
	return off, true
}

// TestParseAllocs: Parse must not allocate, on any recognised message of
// the table (the hot path is Failed, Invalid user, pam_unix and the preauth
// lines; the rest must not allocate either).
func TestParseAllocs(t *testing.T) {
	hot := [][]byte{
		[]byte("Failed password for root from 203.0.113.5 port 51234 ssh2"),
		[]byte("Failed password for invalid user admin from 2001:db8::1 port 5 ssh2"),
		[]byte("Invalid user admin from 192.0.2.117 port 44004"),
		[]byte("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root"),
		[]byte("Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]"),
		[]byte("Connection closed by invalid user admin 192.0.2.1 port 5 [preauth]"),
		[]byte("message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]"),
	}
	var e sshd.Event
	if n := testing.AllocsPerRun(200, func() {
		for _, m := range hot {
			if !sshd.Parse(m, &e) {
				panic("hot line not recognised: " + string(m))
			}
		}
	}); n != 0 {
		t.Errorf("Parse of the hot-path lines: %v allocations per run, want 0", n)
	}
	for _, tt := range parseTests {
		msg := []byte(tt.msg)
		if _, err := safeParse(msg, &e); err != nil {
			continue // reported by TestParse
		}
		if n := testing.AllocsPerRun(50, func() { sshd.Parse(msg, &e) }); n != 0 {
			t.Errorf("%s: %v allocations per Parse, want 0", tt.name, n)
		}
	}
}
