package sshd_test

import (
	"syscall"
	"testing"
	"time"

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
			start := cpuTime()
			for b.Loop() {
				sshd.Parse(msg, &e)
			}
			reportCPU(b, start)
		})
	}
	msgs := make([][]byte, len(benchLines))
	for i, l := range benchLines {
		msgs[i] = []byte(l.msg)
	}
	b.Run("mix", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			for _, m := range msgs {
				sshd.Parse(m, &e)
			}
		}
		reportCPU(b, start)
	})
}

// cpuTime is the process's user and system CPU time so far. On a machine
// shared with other work, CPU time per operation (run with -test.cpu 1)
// moves far less than ns/op, which counts the time the benchmark waited
// for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the cpu-ns/op metric since start.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
