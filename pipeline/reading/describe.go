package reading

import (
	"time"

	"github.com/zeebo/xxh3"

	"github.com/knockmap/knockmap/pipeline/connection"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// Parsed is how one recognised sshd line was read, as knockmap parse
// prints it (one JSON object a line). Absent values are null.
type Parsed struct {
	File        string  `json:"file"`
	Line        int64   `json:"line"`
	TS          string  `json:"ts"`
	Kind        string  `json:"kind"`
	Method      *string `json:"method"`
	User        *string `json:"user"`
	InvalidUser bool    `json:"invalid_user"`
	IP          *string `json:"ip"`
	Port        *int32  `json:"port"`
	Repeat      int32   `json:"repeat"`
	Connection  uint32  `json:"connection"`                // the line's connection, numbered from 1 in the order read; 0: none (no pid)
	KeyType     *string `json:"key_type,omitempty"`        // a publickey or hostbased login's key, as sshd named it
	Fingerprint *string `json:"key_fingerprint,omitempty"` // its fingerprint
}

// Describer describes lines in the order they are read, giving each the
// connection it joins (pipeline/connection), as ingest does.
type Describer struct {
	conns *connection.Tracker
}

// NewDescriber returns a Describer whose connections are numbered from 1.
func NewDescriber() *Describer { return &Describer{conns: connection.New(1, nil)} }

// Describe returns how a line was read and which connection it joins.
func (d *Describer) Describe(file string, rec *syslog.Record, ev *sshd.Event, line int64) Parsed {
	p := Describe(file, rec, ev, line)
	p.Connection = d.conns.Assign(xxh3.Hash(rec.Host), rec.PID, rec.TS, ev.Kind, ev.Addr, ev.Port)
	return p
}

// Describe returns how a line was read. It copies what it keeps.
func Describe(file string, rec *syslog.Record, ev *sshd.Event, line int64) Parsed {
	p := Parsed{
		File: file, Line: line, Kind: ev.Kind.String(), InvalidUser: ev.InvalidUser, Repeat: ev.Repeat,
		TS: time.UnixMicro(rec.TS).UTC().Format(time.RFC3339Nano),
	}
	str := func(b []byte) *string { s := string(load.Escape(b)); return &s } // as stored
	if ev.Method != nil {
		p.Method = str(ev.Method)
	}
	if ev.HasUser {
		p.User = str(ev.User)
	}
	if ev.Addr != nil {
		p.IP = str(ev.Addr)
	}
	if ev.Port != 0 {
		port := ev.Port
		p.Port = &port
	}
	if ev.KeyType != nil {
		p.KeyType, p.Fingerprint = str(ev.KeyType), str(ev.KeyFingerprint)
	}
	return p
}
