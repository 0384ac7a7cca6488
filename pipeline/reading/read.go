// Package reading reads one log source from a cursor into sshd events:
// it dates year-less stamps, reports bad lines by value, stands in for an
// old syslogd's repeats, and checks that a source read before is still the
// file it was. knockmap parse prints what it reads (Describe); the ingest
// loads it (pipeline/ingest).
package reading

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// Options tune how sources are read.
type Options struct {
	Location *time.Location // zone of year-less and zone-less stamps; nil: local
	Year     int            // year of each file's last line for year-less stamps; 0: from the file's mtime
	Warn     io.Writer      // where problems with single lines are reported; nil: nowhere
	Now      func() time.Time
	// Progress, when set, is told how many more bytes were read, every
	// few thousand lines and at the end of each source.
	Progress func(bytes int64)
	// Prescanned, when set, gives the New Years of a year-less log counted
	// beforehand (ScanYears, in the background); false: Source counts them.
	Prescanned func(ctx context.Context, src *input.Source) (syslog.YearScan, bool)
}

// Stats say what reading did.
type Stats struct {
	Files     int              `json:"files"`     // sources read (with something new in them)
	Unchanged int              `json:"unchanged"` // sources with nothing new since the last run
	Lines     int64            `json:"lines"`     // lines read
	Bytes     int64            `json:"bytes"`     // bytes read
	Skipped   int64            `json:"skipped"`   // lines of other programs, and sshd lines of no known family
	Bad       int64            `json:"bad"`       // lines that could not be read: no stamp, too long, …
	Kinds     map[string]int64 `json:"kinds"`     // recognised sshd lines by kind
	Redated   int64            `json:"redated"`   // year-less lines dated more than a day ahead of the clock, moved to the year before
	BadLines  []*LineError     `json:"-"`         // the first bad lines, as values (at most maxWarnings of them)
}

// LineError is a problem with one line of an input, where it is: as
// encoding/csv's ParseError, a value a caller can inspect, not only text.
type LineError struct {
	File string // the input as the user named it; "" where the caller adds it
	Line int64  // 1-based
	Err  error
}

func (e *LineError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// NewStats returns empty Stats.
func NewStats() *Stats { return &Stats{Kinds: map[string]int64{}} }

// Events returns the number of recognised sshd lines.
func (s *Stats) Events() int64 {
	var n int64
	for _, v := range s.Kinds {
		n += v
	}
	return n
}

// Cursor is how far a source has been read, and the state that year-less
// stamps carry from one line to the next.
type Cursor struct {
	Offset int64 // decompressed bytes read, to the end of a whole line
	Lines  int64 // lines read
	Year   int   // year of the last year-less line (with Month)
	Month  int   // its month; 0 when no year-less line was read
	// Tail is the hash of the input.TailBytes bytes before Offset (TailSum):
	// a source is the one read up to Offset only when its bytes there are
	// the same. 0: not known (a source read before schema 7).
	Tail uint64
}

// ErrChanged says that a source is not the file its cursor was read from,
// although its first line is the same: it is shorter than the cursor's
// offset, or its bytes before the offset differ. It is a new source, to be
// read from its start.
var ErrChanged = errors.New("not the file read before: shorter than the offset, or other bytes before it")

// TailSum is the hash of the bytes before a cursor's offset kept in
// Cursor.Tail; never 0, which stands for "not known".
func TailSum(b []byte) uint64 {
	return xxh3.Hash(b) | 1
}

// skipTo reads r up to offset and returns the input.TailBytes bytes before
// it; ErrChanged when r ends first.
func skipTo(r io.Reader, offset int64) ([]byte, error) {
	buf := make([]byte, skipBuffer)
	var tail []byte
	for left := offset; left > 0; {
		n, err := r.Read(buf[:min(left, int64(len(buf)))])
		left -= int64(n)
		chunk := buf[:n]
		if len(chunk) >= input.TailBytes {
			tail = append(tail[:0], chunk[len(chunk)-input.TailBytes:]...)
		} else {
			tail = append(tail, chunk...)
			if len(tail) > input.TailBytes {
				tail = append(tail[:0], tail[len(tail)-input.TailBytes:]...)
			}
		}
		if err == io.EOF {
			if left > 0 {
				return nil, ErrChanged
			}
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return tail, nil
}

// ReadSource reads src from cur and calls fn for every recognised sshd
// line, with its line number. first is the source's first line (from its
// fingerprint), used to tell whether it has year-less stamps. It returns how
// far it got: on an error, the cursor still covers every line handed to fn.
// From an offset, it first checks that the bytes before it are the ones
// the cursor was read from (Cursor.Tail), and returns ErrChanged, having
// read no line, when they are not or the source is shorter.
func ReadSource(ctx context.Context, src *input.Source, first []byte, cur Cursor, opt Options, stats *Stats,
	fn func(rec *syslog.Record, ev *sshd.Event, line int64) error) (Cursor, error) {
	loc := opt.Location
	if loc == nil {
		loc = time.Local
	}
	p := syslog.NewParser(loc, 0)
	switch {
	case cur.Offset > 0 && cur.Month != 0:
		p.SetYear(cur.Year, cur.Month)
	case cur.Offset == 0 && syslog.MonthOf(first) != 0:
		// a new year-less log: count the New Years it crosses, so that its
		// last line falls in the year of its mtime (or --year)
		var scan syslog.YearScan
		ok := false
		if opt.Prescanned != nil {
			scan, ok = opt.Prescanned(ctx, src)
		}
		if !ok {
			var err error
			if scan, err = ScanYears(ctx, src); err != nil {
				return cur, err
			}
		}
		p.SetYear(scan.FirstYear(src.ModTime.In(loc), opt.Year), 0)
	default:
		y := opt.Year
		if y == 0 {
			y = src.ModTime.In(loc).Year()
		}
		p.SetYear(y, 0)
	}

	// A source read before is read on only when its bytes before the
	// offset are the ones read: one block, read with a pread, or on the
	// way to the offset of a compressed file.
	var before []byte
	if cur.Offset > 0 && !src.Compressed {
		b, ok, err := src.Before(cur.Offset, input.TailBytes)
		if err != nil {
			return cur, err
		}
		if !ok {
			return cur, ErrChanged
		}
		before = b
	}
	rc, err := src.Open()
	if err != nil {
		return cur, err
	}
	defer rc.Close()
	if cur.Offset > 0 {
		if sk, ok := rc.(io.Seeker); ok && !src.Compressed {
			_, err = sk.Seek(cur.Offset, io.SeekStart)
		} else {
			before, err = skipTo(rc, cur.Offset)
		}
		if errors.Is(err, ErrChanged) {
			return cur, err
		}
		if err != nil {
			return cur, fmt.Errorf("skipping to byte %d, where the last run stopped: %w", cur.Offset, err)
		}
		if cur.Tail != 0 && TailSum(before) != cur.Tail {
			return cur, ErrChanged
		}
	}
	// A last line with no newline is read only when nothing can still be
	// writing it: a compressed file, stdin, or a file left alone for a while.
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	final := src.Compressed || src.Complete || now().Sub(src.ModTime) > SettledAfter
	lr := input.NewLineReader(rc, cur.Offset, cur.Lines, MaxLine, final)
	lr.SetBefore(before)
	start := cur.Offset

	var (
		rec      syslog.Record
		ev       sshd.Event
		warnings int
		kinds    [sshd.NumKinds]int64
		prev     previousLines
	)
	warn := func(line int64, err error) {
		stats.Bad++
		warnings++
		le := &LineError{File: src.Name, Line: line, Err: err}
		if len(stats.BadLines) < maxWarnings {
			stats.BadLines = append(stats.BadLines, le)
		}
		if opt.Warn != nil && warnings <= maxWarnings {
			fmt.Fprintln(opt.Warn, le)
		}
	}
	// a year-less stamp more than a day ahead of the clock is from the
	// year before (a log copied with a new mtime, a wrong --year)
	ahead := now().Add(24 * time.Hour).UnixMicro()
	var redated int64
	var readErr error
	reported := start
	for {
		if lr.Line()&0xFFF == 0 {
			if ctx.Err() != nil {
				readErr = ctx.Err()
				break
			}
			if opt.Progress != nil {
				opt.Progress(lr.Offset() - reported)
				reported = lr.Offset()
			}
		}
		line, err := lr.Next()
		if err != nil {
			if err == input.ErrLineTooLong {
				stats.Lines++
				warn(lr.Line(), fmt.Errorf("line longer than %d bytes skipped", MaxLine))
				continue
			}
			if err != io.EOF {
				readErr = &LineError{Line: lr.Line() + 1, Err: err} // the caller names the file
			}
			break
		}
		stats.Lines++
		if err := p.Parse(line, &rec); err != nil {
			if err != syslog.ErrSkip {
				warn(lr.Line(), err)
			}
			continue
		}
		if rec.Format == syslog.FormatClassic && rec.TS > ahead {
			rec.TS = yearBefore(rec.TS, loc)
			redated++
		}
		if rec.Repeated > 0 {
			// an old syslogd's "last message repeated N times": the host's
			// previous line, N more times, at this line's time
			last := prev.of(rec.Host)
			if last == nil || !last.sshd {
				stats.Skipped++
				continue
			}
			n := rec.Repeated
			rec.Ident, rec.PID, rec.Msg = last.ident(), last.pid, last.msg()
			if !sshd.Parse(rec.Msg, &ev) {
				stats.Skipped++
				continue
			}
			ev.Repeat = int32(min(int64(ev.Repeat)*int64(n), math.MaxInt32)) // MaxRepeat is checked below
		} else if !sshd.IsDaemon(rec.Ident) || !sshd.Parse(rec.Msg, &ev) {
			prev.forget(rec.Host)
			stats.Skipped++
			continue
		} else {
			prev.remember(&rec)
		}
		if ev.Repeat > sshd.MaxRepeat {
			warn(lr.Line(), fmt.Errorf("a line repeated %d times is not sshd's (one connection logs at most %d alike; see sshd.MaxRepeat): not loaded", ev.Repeat, sshd.MaxRepeat))
			continue
		}
		kinds[ev.Kind]++
		if err := fn(&rec, &ev, lr.Line()); err != nil {
			readErr = err
			break
		}
	}
	for k, n := range kinds {
		if n > 0 {
			stats.Kinds[sshd.Kind(k).String()] += n
		}
	}
	if redated > 0 {
		stats.Redated += redated
		if opt.Warn != nil {
			fmt.Fprintf(opt.Warn, "%s: %d lines dated more than a day ahead of the clock were put in the year before (--year sets the year of the last line)\n", src.Name, redated)
		}
	}
	if opt.Warn != nil && warnings > maxWarnings {
		fmt.Fprintf(opt.Warn, "%s: %d more lines could not be read\n", src.Name, warnings-maxWarnings)
	}
	if src.Compressed && start > 0 && lr.Offset() == start && readErr == nil {
		stats.Unchanged++ // a compressed file read whole before, known only now
	} else {
		stats.Files++
	}
	stats.Bytes += lr.Offset() - start
	if opt.Progress != nil {
		opt.Progress(lr.Offset() - reported)
	}
	cur.Offset, cur.Lines = lr.Offset(), lr.Line()
	if cur.Offset > 0 {
		cur.Tail = TailSum(lr.Tail())
	}
	if y, m := p.Year(); m != 0 {
		cur.Year, cur.Month = y, m
	}
	return cur, readErr
}

// previousLines keeps, for each host, a copy of its last line when that
// was a recognised sshd line, for an old syslogd's "last message repeated
// N times", which stands for N more of the previous line of its host.
// Nearly every line of a file has the host of the line before, so the
// last host's entry is looked at first. A log of more than maxHosts hosts
// (the host is the sender's word) starts the table afresh rather than
// letting it grow.
type previousLines struct {
	hosts map[string]*previousLine
	last  *previousLine
}

type previousLine struct {
	host  string
	sshd  bool   // the host's last line was a recognised sshd line
	buf   []byte // its ident, then its message
	split int    // where the message starts in buf
	pid   int32
}

func (l *previousLine) ident() []byte { return l.buf[:l.split:l.split] }
func (l *previousLine) msg() []byte   { return l.buf[l.split:] }

// of returns host's entry, nil when it has none.
func (p *previousLines) of(host []byte) *previousLine {
	if p.last != nil && p.last.host == string(host) {
		return p.last
	}
	if l := p.hosts[string(host)]; l != nil {
		p.last = l
		return l
	}
	return nil
}

// forget notes that host's last line was no sshd line.
func (p *previousLines) forget(host []byte) {
	if l := p.of(host); l != nil {
		l.sshd = false
	}
}

// remember copies rec as its host's last line.
func (p *previousLines) remember(rec *syslog.Record) {
	l := p.of(rec.Host)
	if l == nil {
		if p.hosts == nil || len(p.hosts) >= maxHosts {
			p.hosts = map[string]*previousLine{}
		}
		l = &previousLine{host: string(rec.Host)}
		p.hosts[l.host] = l
		p.last = l
	}
	l.sshd, l.pid = true, rec.PID
	l.buf = append(append(l.buf[:0], rec.Ident...), rec.Msg...)
	l.split = len(rec.Ident)
}

// yearBefore returns the stamp ts (microseconds, UTC) a year earlier on
// the wall clock of loc.
func yearBefore(ts int64, loc *time.Location) int64 {
	t := time.UnixMicro(ts).In(loc)
	return time.Date(t.Year()-1, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UnixMicro()
}
