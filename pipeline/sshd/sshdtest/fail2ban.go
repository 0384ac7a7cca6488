// Package sshdtest reads fail2ban's annotated sshd test logs (the corpus
// in ../shared/corpus/fail2ban) for the tests of pipeline/sshd and
// pipeline/ingest.
package sshdtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// Annotated is one log line of a fail2ban test file with the failJSON
// annotation in front of it.
type Annotated struct {
	File  string // base name of the file
	Line  int    // 1-based line number of the log line
	Text  string
	Match bool
	Host  string // "host", else "ip4" or "ip6"; "" when none
	Desc  string // the annotation's "desc"
}

// ReadAnnotated reads a fail2ban test log: each "# failJSON: {…}" comment
// describes the next log line that is neither empty nor a comment.
func ReadAnnotated(path string) ([]Annotated, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Annotated
	var pending *Annotated
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		s := sc.Text()
		if j, ok := strings.CutPrefix(s, "# failJSON:"); ok {
			var a struct {
				Match bool   `json:"match"`
				Host  string `json:"host"`
				IP4   string `json:"ip4"`
				IP6   string `json:"ip6"`
				Desc  string `json:"desc"`
			}
			if err := json.Unmarshal([]byte(j), &a); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			h := a.Host
			if h == "" {
				h = a.IP4
			}
			if h == "" {
				h = a.IP6
			}
			pending = &Annotated{File: filepath.Base(path), Match: a.Match, Host: h, Desc: a.Desc}
			continue
		}
		if IsComment(s) || pending == nil {
			continue
		}
		pending.Line, pending.Text = n, s
		out = append(out, *pending)
		pending = nil
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// IsComment reports whether a line of a fail2ban test file is no log line:
// empty, or a "#" comment (annotations included).
func IsComment(s string) bool {
	return s == "" || strings.HasPrefix(s, "#")
}

// IsIPLiteral reports whether h is an IP address rather than a host name.
// fail2ban's corpus also writes "192.030.0.6" (a zero-padded octet, which
// netip refuses): four dot-separated decimal groups count too.
func IsIPLiteral(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	parts := strings.Split(h, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// NormHost gives ::ffff:a.b.c.d as a.b.c.d, as sshd.Event.Addr does.
func NormHost(h string) string {
	if r, ok := strings.CutPrefix(strings.ToLower(h), "::ffff:"); ok && strings.Contains(r, ".") && !strings.Contains(r, ":") {
		return r
	}
	return h
}

// InjectedInfo is the one corpus message whose annotation knockmap
// deliberately disagrees with. fail2ban says 127.0.0.1: its test pretends
// the text after "ssh2: " came from the client's auth info. But these are
// exactly the bytes sshd writes for a user named "test from 127.0.0.1 port
// 58946 ssh2:" connecting from 10.10.1.2, and usernames are the common
// injection vector; the project decided that for Failed/Accepted the
// right-most complete "from A port P sshN" followed by the end or ": "
// wins, so the address is InjectedAddr.
const (
	InjectedInfo = "Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2"
	InjectedAddr = "10.10.1.2"
)

// Want is the address a line annotated with host should be read with:
// NormHost(host), or InjectedAddr for a line whose message is InjectedInfo.
func Want(text, host string) string {
	if strings.HasSuffix(text, ": "+InjectedInfo) || text == InjectedInfo {
		return InjectedAddr
	}
	return NormHost(host)
}
