package ingest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// TestParsedKeepsStrings: a block copies each line's strings, since the
// reader reuses the line; its text buffer may grow past its size (a long
// username) without changing the rows added before; nil strings stay nil
// and empty ones empty; full says when to send it, and reset empties it.
func TestParsedKeepsStrings(t *testing.T) {
	var p parsed
	line := make([]byte, 0, 1024)
	type want struct{ host, user, ip, msg string }
	var wants []want
	for i := 0; !p.full(); i++ {
		user := fmt.Sprintf("user%d", i)
		if i == 100 {
			user = string(bytes.Repeat([]byte{'x'}, parsedText)) // the text buffer grows
		}
		line = append(line[:0], "host1 "...)
		line = append(line, user...)
		line = append(line, fmt.Sprintf(" 10.0.%d.%d Failed password", i/256, i%256)...)
		host, rest, _ := bytes.Cut(line, []byte(" "))
		u := rest[:len(user)]
		ip := rest[len(user)+1 : bytes.LastIndexByte(rest, 'F')-1]
		rec := syslog.Record{TS: int64(i), Host: host, PID: int32(i), Msg: rest}
		ev := sshd.Event{Kind: sshd.KindFailed, User: u, HasUser: true, Addr: ip, Port: 22, Repeat: 1}
		if i%7 == 0 {
			ev.User, ev.HasUser = u[:0], true // logged, but empty
		}
		p.add(&rec, &ev, host, 3, int64(i+1))
		w := want{"host1", string(ev.User), string(ip), string(rest)}
		wants = append(wants, w)
		clear(line[:cap(line)]) // the reader's buffer is reused
	}
	if len(p.rows) != len(wants) || len(p.msgs) != len(wants) {
		t.Fatalf("%d rows and %d messages for %d lines", len(p.rows), len(p.msgs), len(wants))
	}
	if len(wants) >= parsedRows {
		t.Errorf("the long username did not fill the block: %d rows", len(wants))
	}
	for i, w := range wants {
		r := p.rows[i]
		if string(r.Host) != w.host || string(r.User) != w.user || string(r.IP) != w.ip || string(p.msgs[i]) != w.msg {
			t.Fatalf("row %d: host %q user %.20q ip %q msg %.40q, want %q %.20q %q %.40q",
				i, r.Host, r.User, r.IP, p.msgs[i], w.host, w.user, w.ip, w.msg)
		}
		if r.Method != nil {
			t.Errorf("row %d: no method was logged, got %q", i, r.Method)
		}
		if r.User == nil || !r.HasUser {
			t.Errorf("row %d: an empty username became none", i)
		}
		if r.TS != int64(i) || r.PID != int32(i) || r.Line != int64(i+1) || r.Source != 3 || r.Port != 22 || r.Repeat != 1 || r.Kind != uint8(sshd.KindFailed) {
			t.Errorf("row %d: %+v", i, r)
		}
	}
	p.reset()
	if len(p.rows) != 0 || len(p.msgs) != 0 || len(p.text) != 0 || p.full() {
		t.Errorf("after reset: %d rows, %d messages, %d bytes of text", len(p.rows), len(p.msgs), len(p.text))
	}
	if p.rows[:1][0].User != nil {
		t.Error("reset left a slice into the text in a row")
	}
}
