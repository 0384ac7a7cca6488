package sshd_test

import (
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// benchLines are the common lines of a brute-forced server's log, in
// about the proportions gen-authlog writes them.
var benchLines = []struct{ name, msg string }{
	{"failed", "Failed password for root from 203.0.113.5 port 51234 ssh2"},
	{"failed-invalid", "Failed password for invalid user admin from 2001:db8::1 port 5 ssh2"},
	{"invalid", "Invalid user admin from 192.0.2.117 port 44004"},
	{"pam", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root"},
	{"received-disconnect", "Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]"},
	{"preauth-close", "Connection closed by invalid user admin 192.0.2.1 port 5 [preauth]"},
	{"repeated", "message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]"},
	{"accepted", "Accepted publickey for git from 192.0.2.1 port 57904 ssh2: ED25519 SHA256:v3dpapGleDaUKf4V1vKyR9ZyUgjaJAmoCTcb2PLljI"},
	{"other", "Server listening on 0.0.0.0 port 22."},
}

// BenchmarkParse parses each common line, and all of them in turn.
func BenchmarkParse(b *testing.B) {
	var e sshd.Event
	for _, l := range benchLines {
		msg := []byte(l.msg)
		b.Run(l.name, func(b *testing.B) {
			for b.Loop() {
				sshd.Parse(msg, &e)
			}
		})
	}
	msgs := make([][]byte, len(benchLines))
	for i, l := range benchLines {
		msgs[i] = []byte(l.msg)
	}
	b.Run("mix", func(b *testing.B) {
		for b.Loop() {
			for _, m := range msgs {
				sshd.Parse(m, &e)
			}
		}
	})
}
