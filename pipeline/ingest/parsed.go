package ingest

import (
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// parsed is a block of parsed lines on its way from the goroutine that
// reads a source to the one that fills batches with them (reader.fill):
// keying the lines, coding their strings and filling the batches is a
// third of the reading's work, and apart the two halves run side by side.
type parsed struct {
	rows []load.Row // their byte slices point into text
	msgs [][]byte   // each row's message, for its key; in text too
	text []byte
	read int64 // bytes of the source read by the time the block was sent
}

// add appends a parsed line as a row of source, with host as its host,
// copying its strings and message: the line they come from is reused. The
// text buffer may grow, leaving earlier rows' slices in its old array,
// which stays as it was.
func (p *parsed) add(rec *syslog.Record, ev *sshd.Event, host []byte, source int32, line int64) {
	if p.rows == nil {
		p.rows = make([]load.Row, 0, parsedRows)
		p.msgs = make([][]byte, 0, parsedRows)
		p.text = make([]byte, 0, parsedText+4096)
	}
	p.msgs = append(p.msgs, p.keep(rec.Msg))
	p.rows = append(p.rows, load.Row{})
	r := &p.rows[len(p.rows)-1]
	r.TS, r.PID, r.Kind = rec.TS, rec.PID, uint8(ev.Kind)
	r.Host, r.Method, r.User, r.IP = p.keep(host), p.keep(ev.Method), p.keep(ev.User), p.keep(ev.Addr)
	r.RHost = p.keep(ev.HostName)
	if ev.KeyType != nil {
		r.Pubkey = p.keepKey(ev.KeyType, ev.KeyFingerprint)
	}
	r.HasUser, r.InvalidUser = ev.HasUser, ev.InvalidUser
	r.Port, r.Repeat, r.Source, r.Line = ev.Port, ev.Repeat, source, line
}

// keep copies s into the block's text; nil stays nil.
func (p *parsed) keep(s []byte) []byte {
	if s == nil {
		return nil
	}
	n := len(p.text)
	p.text = append(p.text, s...)
	return p.text[n:len(p.text):len(p.text)]
}

// keepKey copies a login's key into the block's text as it is stored:
// "TYPE FINGERPRINT".
func (p *parsed) keepKey(typ, fp []byte) []byte {
	n := len(p.text)
	p.text = append(append(append(p.text, typ...), ' '), fp...)
	return p.text[n:len(p.text):len(p.text)]
}

func (p *parsed) full() bool { return len(p.rows) >= parsedRows || len(p.text) >= parsedText }

func (p *parsed) reset() {
	clear(p.rows) // drop the slices into text
	clear(p.msgs)
	p.rows, p.msgs, p.text, p.read = p.rows[:0], p.msgs[:0], p.text[:0], 0
}
