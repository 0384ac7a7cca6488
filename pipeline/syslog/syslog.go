// Package syslog reads the front of a log line (the time stamp, host, tag
// and pid) in the formats a server writes: classic BSD syslog with no year
// (also busybox syslogd's "host auth.info tag:" and FreeBSD syslogd -v's
// "<auth.info> host tag:"), RFC 3339 rsyslog, RFC 5424, journalctl -o
// short-iso and journalctl -o json, and runit's svlogd behind socklog.
// It hands back the message part for the sshd parser. It does not allocate on
// the hot path.
package syslog

import (
	"errors"
	"fmt"
	"time"
)

// Format is a line format. Detection is per line, from its first bytes, so a
// file that mixes formats is read too.
type Format uint8

// The formats a line can be in.
const (
	FormatUnknown Format = iota
	FormatClassic        // Mmm dd hh:mm:ss host tag[pid]: msg
	FormatRFC3339        // 2024-01-15T10:23:45.123456+01:00 host tag[pid]: msg (also short-iso's +0100)
	FormatRFC5424        // <38>1 2024-01-15T10:23:45.123Z host app procid msgid sd msg
	FormatJSON           // journalctl -o json
	FormatSvlogd         // svlogd -tt "2024-01-15_10:23:45.12345 " or -t TAI64N "@4000… ", then socklog's "auth.info: " and the client's line
)

func (f Format) String() string {
	switch f {
	case FormatClassic:
		return "syslog"
	case FormatRFC3339:
		return "rfc3339"
	case FormatRFC5424:
		return "rfc5424"
	case FormatJSON:
		return "json"
	case FormatSvlogd:
		return "svlogd"
	}
	return "unknown"
}

// Record is one log line's parts. Its slices point into the line, or into
// the Parser's scratch buffer for JSON fields that needed unescaping, and are
// valid until the next call to Parse.
type Record struct {
	Format Format
	TS     int64 // microseconds since the Unix epoch, UTC
	Host   []byte
	Ident  []byte // the program: "sshd", "sshd-session", "CRON", …
	PID    int32  // 0 when the line has none
	Msg    []byte
	// Repeated is N for an old syslogd's "last message repeated N times"
	// (sysklogd and FreeBSD write it under the host with no tag; NetBSD
	// under the tag "syslogd"): the previous line of that host stood N
	// more times. 0 for every other line.
	Repeated int32
}

// ErrSkip is returned for lines that carry no record by design: blank
// lines and journalctl's "-- Logs begin at … --" and "-- Boot … --" markers.
var ErrSkip = errors.New("no record on this line")

// Parser reads lines into Records. It keeps the state that year-less
// stamps need (which year the previous line was in) and a cache of local
// time offsets, so use one Parser per input, in line order.
type Parser struct {
	loc     *time.Location
	years   YearTracker
	hourKey int64
	hourSec int64
	// hourSteady: the zone offset is the same all through the cached hour
	hourSteady bool
	scratch    []byte
}

// NewParser returns a Parser that reads year-less stamps in loc, starting
// in the given year.
func NewParser(loc *time.Location, startYear int) *Parser {
	if loc == nil {
		loc = time.Local
	}
	return &Parser{loc: loc, years: YearTracker{Year: startYear}, hourKey: -1}
}

// SetYear restarts year inference: the next classic line is taken to be in
// year, and a month before lastMonth moves it on (lastMonth 0: no history).
func (p *Parser) SetYear(year, lastMonth int) {
	p.years = YearTracker{Year: year, Month: lastMonth}
}

// Year returns the year and month of the last classic line read (month 0
// when none was).
func (p *Parser) Year() (year, month int) {
	return p.years.Year, p.years.Month
}

// Parse reads line into r. It returns ErrSkip for lines that hold no record
// and a *LineError-free plain error for a malformed line.
func (p *Parser) Parse(line []byte, r *Record) error {
	*r = Record{}
	if len(line) == 0 {
		return ErrSkip
	}
	c := line[0]
	switch {
	case c >= 'A' && c <= 'Z':
		return p.classic(line, r)
	case c >= '0' && c <= '9':
		return p.iso(line, r)
	case c == '{':
		return p.json(line, r)
	case c == '<':
		return p.rfc5424(line, r)
	case c == '@':
		return p.tai64n(line, r)
	case c == '-' && len(line) > 2 && line[1] == '-' && line[2] == ' ':
		return ErrSkip
	case c == ' ' || c == '\t' || c == '\r':
		for _, b := range line {
			if b != ' ' && b != '\t' && b != '\r' {
				return errors.New("line starts with white space")
			}
		}
		return ErrSkip
	}
	return errors.New("no time stamp at the start of the line")
}

var monthIndex = func() (m [1 << 15]uint8) {
	for i, s := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		m[monthKey(s[0], s[1], s[2])] = uint8(i + 1)
	}
	return m
}()

func monthKey(a, b, c byte) int {
	return int(a&31)<<10 | int(b&31)<<5 | int(c&31)
}

// MonthOf returns the month (1–12) of a classic syslog line, or 0 when the
// line does not start with a month name.
func MonthOf(line []byte) int {
	line = cutPRI(line)
	if len(line) < 4 || line[3] != ' ' {
		return 0
	}
	m := int(monthIndex[monthKey(line[0], line[1], line[2])])
	if m == 0 {
		return 0
	}
	// the key ignores case: check the exact spelling
	if line[0] < 'A' || line[0] > 'Z' || line[1] < 'a' || line[2] < 'a' {
		return 0
	}
	return m
}

func (p *Parser) classic(line []byte, r *Record) error {
	month := MonthOf(line)
	if month == 0 {
		return errNoMonth
	}
	i := 4
	for i < len(line) && line[i] == ' ' {
		i++
	}
	day, i, ok := digits(line, i, 2)
	if !ok || day < 1 || day > 31 || i >= len(line) || line[i] != ' ' {
		return errDay
	}
	hh, mm, ss, i, err := clock(line, i+1)
	if err != nil {
		return err
	}
	// optional fraction: Mmm dd hh:mm:ss.ffffff
	frac := int64(0)
	if i < len(line) && line[i] == '.' {
		frac, i = fraction(line, i+1)
	}
	if i >= len(line) || line[i] != ' ' {
		return errStamp
	}
	year := p.years.Next(month)
	if day > daysIn(year, month) {
		return fmt.Errorf("no day %d in month %d of %d", day, month, year)
	}
	r.Format = FormatClassic
	r.TS = p.localMinute(year, month, day, hh, mm)*1e6 + int64(ss)*1e6 + frac
	return hostTag(line[i+1:], r)
}

// localMinute returns the Unix time of year-month-day hh:mm:00 in the
// parser's zone. The start of the hour is cached; an hour in which the
// zone's offset changes (at :30 in Lord Howe, say) is computed minute by
// minute.
func (p *Parser) localMinute(year, month, day, hh, mm int) int64 {
	key := int64(year)<<20 | int64(month)<<16 | int64(day)<<8 | int64(hh)
	if key != p.hourKey {
		if p.loc == time.UTC {
			p.hourSec, p.hourSteady = daysFromCivil(year, month, day)*86400+int64(hh)*3600, true
		} else {
			p.hourSec = time.Date(year, time.Month(month), day, hh, 0, 0, 0, p.loc).Unix()
			end := time.Date(year, time.Month(month), day, hh, 59, 0, 0, p.loc).Unix()
			p.hourSteady = end-p.hourSec == 59*60
		}
		p.hourKey = key
	}
	if p.hourSteady {
		return p.hourSec + int64(mm)*60
	}
	return time.Date(year, time.Month(month), day, hh, mm, 0, 0, p.loc).Unix()
}

func (p *Parser) iso(line []byte, r *Record) error {
	if len(line) > 10 && line[10] == '_' {
		return p.svlogdTT(line, r)
	}
	ts, i, err := isoStamp(line, 0)
	if err != nil {
		return err
	}
	if i >= len(line) || line[i] != ' ' {
		return errStamp
	}
	r.Format = FormatRFC3339
	r.TS = ts
	return hostTag(line[i+1:], r)
}

// isoStamp reads YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM|±HHMM) at line[i:].
func isoStamp(line []byte, i int) (int64, int, error) {
	bad := errISO
	year, i, ok := digits(line, i, 4)
	if !ok || i >= len(line) || line[i] != '-' {
		return 0, i, bad
	}
	month, i, ok := digits(line, i+1, 2)
	if !ok || month < 1 || month > 12 || i >= len(line) || line[i] != '-' {
		return 0, i, bad
	}
	day, i, ok := digits(line, i+1, 2)
	if !ok || day < 1 || day > daysIn(year, month) || i >= len(line) || (line[i] != 'T' && line[i] != ' ') {
		return 0, i, bad
	}
	hh, mm, ss, i, err := clock(line, i+1)
	if err != nil {
		return 0, i, err
	}
	frac := int64(0)
	if i < len(line) && (line[i] == '.' || line[i] == ',') {
		frac, i = fraction(line, i+1)
	}
	if i >= len(line) {
		return 0, i, bad
	}
	off := 0
	switch line[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		sign := 1
		if line[i] == '-' {
			sign = -1
		}
		oh, j, ok := digits(line, i+1, 2)
		if !ok {
			return 0, i, bad
		}
		if j < len(line) && line[j] == ':' {
			j++
		}
		om, j, ok := digits(line, j, 2)
		if !ok || oh > 23 || om > 59 {
			return 0, i, bad
		}
		off, i = sign*(oh*3600+om*60), j
	default:
		return 0, i, errors.New("RFC 3339 time stamp without a zone")
	}
	sec := daysFromCivil(year, month, day)*86400 + int64(hh*3600+mm*60+ss) - int64(off)
	return sec*1e6 + frac, i, nil
}

func (p *Parser) rfc5424(line []byte, r *Record) error {
	// <PRI>VERSION SP TIMESTAMP SP HOST SP APP SP PROCID SP MSGID SP SD [SP MSG]
	i := 1
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 1 || i >= len(line) || line[i] != '>' {
		return errors.New("malformed syslog priority")
	}
	j := i + 1
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == i+1 || j >= len(line) || line[j] != ' ' {
		// <PRI> followed by a classic or RFC 3339 line (rsyslog forwarding)
		return p.Parse(line[i+1:], r)
	}
	ts, k, err := isoStamp(line, j+1)
	if err != nil {
		return err
	}
	r.Format = FormatRFC5424
	r.TS = ts
	fields := [4][]byte{}
	rest := line[k:]
	for f := 0; f < 4; f++ {
		if len(rest) == 0 || rest[0] != ' ' {
			return errors.New("RFC 5424 header is short")
		}
		rest = rest[1:]
		e := 0
		for e < len(rest) && rest[e] != ' ' {
			e++
		}
		fields[f], rest = rest[:e], rest[e:]
	}
	r.Host, r.Ident = nilDash(fields[0]), nilDash(fields[1])
	if pid, _, ok := digits(fields[2], 0, 9); ok {
		r.PID = int32(pid)
	}
	if len(rest) == 0 || rest[0] != ' ' {
		return errors.New("RFC 5424 header is short")
	}
	rest = rest[1:]
	// structured data: "-" or one or more [id k="v" …] with \] escapes in values
	if len(rest) > 0 && rest[0] == '-' {
		rest = rest[1:]
	} else {
		for len(rest) > 0 && rest[0] == '[' {
			n := sdElement(rest)
			if n < 0 {
				return errors.New("malformed RFC 5424 structured data")
			}
			rest = rest[n:]
		}
	}
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	// a UTF-8 byte order mark may start the message
	if len(rest) >= 3 && rest[0] == 0xEF && rest[1] == 0xBB && rest[2] == 0xBF {
		rest = rest[3:]
	}
	r.Msg = rest
	return nil
}

// sdElement returns the length of the structured-data element at s[0]=='['.
func sdElement(s []byte) int {
	inQuote := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == ']' && !inQuote:
			return i + 1
		}
	}
	return -1
}

func nilDash(b []byte) []byte {
	if len(b) == 1 && b[0] == '-' {
		return nil
	}
	return b
}

// hostTag reads "host tag[pid]: msg" (the host may be missing, and the tag
// may be written "[tag]" with or without the colon). FreeBSD syslogd -v
// writes "<fac.pri> " before the host ("<4.6>", or "<auth.info>" with -vv)
// and busybox syslogd "fac.pri " after it ("auth.info"); both are passed
// over. "last message repeated N times" in place of the tag sets
// r.Repeated.
func hostTag(s []byte, r *Record) error {
	if n, ok := repeatedLine(s); ok {
		r.Repeated, r.Msg = n, s
		return nil
	}
	tok, rest := word(s)
	if len(tok) > 2 && tok[0] == '<' && tok[len(tok)-1] == '>' && isFacPri(tok[1:len(tok)-1]) {
		tok, rest = word(rest)
	}
	if len(tok) == 0 {
		return errors.New("no host or tag after the time stamp")
	}
	if tok[len(tok)-1] != ':' && tok[0] != '[' {
		r.Host = tok
		if n, ok := repeatedLine(rest); ok {
			r.Repeated, r.Msg = n, rest
			return nil
		}
		tok, rest = word(rest)
		if len(rest) > 0 && isFacPri(tok) {
			tok, rest = word(rest)
		}
		if len(tok) == 0 {
			return errors.New("no tag after the host")
		}
	}
	colon := tok[len(tok)-1] == ':'
	if colon {
		tok = tok[:len(tok)-1]
	}
	switch {
	case len(tok) >= 2 && tok[0] == '[' && tok[len(tok)-1] == ']':
		r.Ident = tok[1 : len(tok)-1]
	case len(tok) > 0 && tok[len(tok)-1] == ']':
		b := lastIndexByte(tok, '[')
		if b <= 0 {
			return errors.New("malformed tag")
		}
		r.Ident = tok[:b]
		pid, end, ok := digits(tok, b+1, 9)
		if !ok || end != len(tok)-1 {
			return errors.New("malformed pid in tag")
		}
		r.PID = int32(pid)
	case colon:
		r.Ident = tok
	default:
		return errors.New("no tag after the host")
	}
	r.Msg = rest
	if string(r.Ident) == "syslogd" {
		if n, ok := repeatedLine(rest); ok {
			r.Repeated = n
		}
	}
	return nil
}

// repeatedLine reads "last message repeated N times" (and nothing after
// it but spaces). N is at most 9 digits and at least 1.
func repeatedLine(s []byte) (int32, bool) {
	const pre = "last message repeated "
	if len(s) < len(pre) || string(s[:len(pre)]) != pre {
		return 0, false
	}
	n, i, ok := digits(s, len(pre), 9)
	if !ok || n < 1 || len(s) < i+len(" times") || string(s[i:i+len(" times")]) != " times" {
		return 0, false
	}
	for _, c := range s[i+len(" times"):] {
		if c != ' ' {
			return 0, false
		}
	}
	return int32(n), true
}

// isFacPri reports whether s is a syslog facility and priority, "auth.info"
// or "4.6", as busybox syslogd, FreeBSD syslogd -v and socklog write them.
func isFacPri(s []byte) bool {
	dot := -1
	for i, c := range s {
		if c == '.' {
			dot = i
			break
		}
	}
	if dot <= 0 || dot == len(s)-1 {
		return false
	}
	return isName(s[:dot], facilityNames) && isName(s[dot+1:], priorityNames)
}

// isName reports whether s is one of names or a number of at most 3 digits.
func isName(s []byte, names []string) bool {
	if n, end, ok := digits(s, 0, 3); ok && end == len(s) && n < 256 {
		return true
	}
	for _, n := range names {
		if string(s) == n {
			return true
		}
	}
	return false
}

// The names syslog(3)'s facilitynames and prioritynames give.
var (
	facilityNames = []string{"auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "mark", "news",
		"security", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
		"ntp", "console", "audit", "clock"}
	priorityNames = []string{"emerg", "panic", "alert", "crit", "err", "error", "warning", "warn", "notice", "info", "debug", "none"}
)

// svlogdTT reads svlogd -tt's "YYYY-MM-DD_HH:MM:SS.fffff " stamp (UTC) and
// what socklog wrote after it.
func (p *Parser) svlogdTT(line []byte, r *Record) error {
	year, i, ok := digits(line, 0, 4)
	if !ok || line[i] != '-' {
		return errISO
	}
	month, i, ok := digits(line, i+1, 2)
	if !ok || month < 1 || month > 12 || i >= len(line) || line[i] != '-' {
		return errISO
	}
	day, i, ok := digits(line, i+1, 2)
	if !ok || day < 1 || day > daysIn(year, month) || i >= len(line) || line[i] != '_' {
		return errISO
	}
	hh, mm, ss, i, err := clock(line, i+1)
	if err != nil {
		return err
	}
	frac := int64(0)
	if i < len(line) && line[i] == '.' {
		frac, i = fraction(line, i+1)
	}
	if i >= len(line) || line[i] != ' ' {
		return errStamp
	}
	r.Format = FormatSvlogd
	r.TS = (daysFromCivil(year, month, day)*86400+int64(hh*3600+mm*60+ss))*1e6 + frac
	return socklog(line[i+1:], r)
}

// tai64n reads svlogd -t's (and daemontools multilog's) "@" and 24 hex
// digits: a TAI64N label, 2^62 plus the seconds, then the nanoseconds.
// Like daemontools' tai64nlocal, the label is read as the Unix time plus
// 10 s: that is what tai64n and svlogd write (they add 10 to the system
// clock and leave leap seconds out), so 2^62 + 10 is taken off and no
// leap-second table is applied. The result is the system clock's UTC.
func (p *Parser) tai64n(line []byte, r *Record) error {
	if len(line) < 26 || line[25] != ' ' {
		return errors.New("malformed TAI64N stamp")
	}
	var secs, nano uint64
	for i, c := range line[1:25] {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return errors.New("malformed TAI64N stamp")
		}
		if i < 16 {
			secs = secs<<4 | uint64(v)
		} else {
			nano = nano<<4 | uint64(v)
		}
	}
	const base = 1<<62 + 10
	// within the years 1 to 9999, and a nanosecond count below 1e9
	if secs < base-62135596800 || secs > base+253402300799 || nano >= 1e9 {
		return errors.New("TAI64N stamp out of range")
	}
	r.Format = FormatSvlogd
	r.TS = (int64(secs)-base)*1e6 + int64(nano/1000)
	return socklog(line[26:], r)
}

// socklog reads what socklog hands svlogd: "fac.pri: " (left out with
// socklog -r) and then the line the client sent to /dev/log, usually with
// its own year-less stamp, which is passed over (svlogd's is the one with
// a year), and no host.
func socklog(s []byte, r *Record) error {
	if tok, rest := word(s); len(tok) > 1 && tok[len(tok)-1] == ':' && isFacPri(tok[:len(tok)-1]) {
		s = rest
	}
	if MonthOf(s) != 0 && len(s) > 16 && s[6] == ' ' && s[9] == ':' && s[12] == ':' && s[15] == ' ' {
		s = s[16:]
	}
	return hostTag(s, r)
}

// word splits s at its first space: the word and what follows that space.
func word(s []byte) ([]byte, []byte) {
	for i, c := range s {
		if c == ' ' {
			return s[:i], s[i+1:]
		}
	}
	return s, nil
}

func lastIndexByte(s []byte, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// digits reads 1 to max decimal digits at s[i:] (exactly max when max is 2
// or 4 for stamp fields, except a 1-digit day).
func digits(s []byte, i, max int) (int, int, bool) {
	n, j := 0, i
	for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
		n = n*10 + int(s[j]-'0')
		j++
	}
	if j == i || (max == 4 && j-i != 4) {
		return 0, i, false
	}
	return n, j, true
}

var (
	errClock   = errors.New("malformed clock time in time stamp")
	errISO     = errors.New("malformed RFC 3339 time stamp")
	errDay     = errors.New("malformed day in time stamp")
	errStamp   = errors.New("malformed time stamp")
	errNoMonth = errors.New("no month name at the start of the line")
)

func clock(s []byte, i int) (hh, mm, ss, j int, err error) {
	// the usual hh:mm:ss, read at once: a classic line took the parser
	// 70 ns with every digit read in a loop, 62 ns with this
	if i+8 <= len(s) && s[i+2] == ':' && s[i+5] == ':' {
		h1, h2, m1, m2, s1, s2 := s[i]-'0', s[i+1]-'0', s[i+3]-'0', s[i+4]-'0', s[i+6]-'0', s[i+7]-'0'
		if h1 < 10 && h2 < 10 && m1 < 10 && m2 < 10 && s1 < 10 && s2 < 10 {
			hh, mm, ss = int(h1)*10+int(h2), int(m1)*10+int(m2), int(s1)*10+int(s2)
			if hh <= 23 && mm <= 59 && ss <= 60 {
				return hh, mm, min(ss, 59), i + 8, nil // a leap second holds at :59
			}
		}
	}
	return clockDigits(s, i)
}

// clockDigits is clock digit by digit, for what is not a plain hh:mm:ss:
// it says what is wrong.
func clockDigits(s []byte, i int) (hh, mm, ss, j int, err error) {
	bad := errClock
	hh, j, ok := digits(s, i, 2)
	if !ok || j-i != 2 || hh > 23 || j >= len(s) || s[j] != ':' {
		return 0, 0, 0, j, bad
	}
	k := j + 1
	mm, j, ok = digits(s, k, 2)
	if !ok || j-k != 2 || mm > 59 || j >= len(s) || s[j] != ':' {
		return 0, 0, 0, j, bad
	}
	k = j + 1
	ss, j, ok = digits(s, k, 2)
	if !ok || j-k != 2 || ss > 60 {
		return 0, 0, 0, j, bad
	}
	if ss == 60 { // leap second: hold at :59
		ss = 59
	}
	return hh, mm, ss, j, nil
}

// fraction reads fractional-second digits as microseconds.
func fraction(s []byte, i int) (int64, int) {
	var us int64
	n := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n < 6 {
			us = us*10 + int64(s[i]-'0')
		}
		n++
		i++
	}
	for ; n < 6; n++ {
		us *= 10
	}
	return us, i
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// cutPRI drops a leading syslog priority, "<13>", as rsyslog forwards it.
func cutPRI(line []byte) []byte {
	if len(line) < 3 || line[0] != '<' {
		return line
	}
	for i := 1; i < len(line) && i <= 4; i++ {
		switch c := line[i]; {
		case c == '>' && i > 1:
			return line[i+1:]
		case c < '0' || c > '9':
			return line
		}
	}
	return line
}
