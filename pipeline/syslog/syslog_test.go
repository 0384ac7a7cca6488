package syslog

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// rec is a Record with its slices copied out, so that it outlives the next
// call to Parse and compares with ==.
type rec struct {
	Format Format
	TS     time.Time
	Host   string
	Ident  string
	PID    int32
	Msg    string
}

func copyRecord(r *Record) rec {
	return rec{
		Format: r.Format,
		TS:     time.UnixMicro(r.TS).UTC(),
		Host:   string(r.Host),
		Ident:  string(r.Ident),
		PID:    r.PID,
		Msg:    string(r.Msg),
	}
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}

func utc(y int, m time.Month, d, hh, mm, ss, us int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, us*1000, time.UTC)
}

type parseCase struct {
	name string
	line string
	want rec
}

func runParseCases(t *testing.T, loc *time.Location, year int, tests []parseCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(loc, year)
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil {
				t.Fatalf("Parse(%q): %v", tt.line, err)
			}
			got := copyRecord(&r)
			if !got.TS.Equal(tt.want.TS) {
				t.Errorf("TS = %s, want %s", got.TS.Format(time.RFC3339Nano), tt.want.TS.UTC().Format(time.RFC3339Nano))
			}
			got.TS = tt.want.TS
			if got != tt.want {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.line, got, tt.want)
			}
		})
	}
}

// classicCases are read in UTC with the year 2024.
var classicCases = []parseCase{
	{"pid", "Jan 15 10:23:45 web1 sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "web1", "sshd", 1234, "Failed password for root from 192.0.2.1 port 22 ssh2"}},
	{"day space-padded", "Jan  5 01:02:03 web1 sshd[99]: Invalid user admin",
		rec{FormatClassic, utc(2024, 1, 5, 1, 2, 3, 0), "web1", "sshd", 99, "Invalid user admin"}},
	{"day not padded", "Jan 5 01:02:03 web1 sshd[99]: Invalid user admin",
		rec{FormatClassic, utc(2024, 1, 5, 1, 2, 3, 0), "web1", "sshd", 99, "Invalid user admin"}},
	{"last day of year", "Dec 31 23:59:59 h sshd-session[7]: x",
		rec{FormatClassic, utc(2024, 12, 31, 23, 59, 59, 0), "h", "sshd-session", 7, "x"}},
	{"no pid", "Mar  7 18:53:20 bar sshd: Connection closed",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "bar", "sshd", 0, "Connection closed"}},
	{"no host", "Mar  7 18:53:20 sshd[5]: Connection closed",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "", "sshd", 5, "Connection closed"}},
	{"no host no pid", "Mar  7 18:53:20 CRON: job",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "", "CRON", 0, "job"}},
	{"bracketed tag", "Mar  7 18:53:20 host [sshd] hello",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "host", "sshd", 0, "hello"}},
	{"tag with pid and no colon", "Mar  7 18:53:20 host sshd[42] hello",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "host", "sshd", 42, "hello"}},
	{"empty message", "Mar  7 18:53:20 host sshd[42]:",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "host", "sshd", 42, ""}},
	{"message spaces kept", "Mar  7 18:53:20 host sshd[42]:  two  spaces ",
		rec{FormatClassic, utc(2024, 3, 7, 18, 53, 20, 0), "host", "sshd", 42, " two  spaces "}},
	{"fraction", "Jul  4 12:00:00.123456 h sshd[1]: m",
		rec{FormatClassic, utc(2024, 7, 4, 12, 0, 0, 123456), "h", "sshd", 1, "m"}},
	{"short fraction", "Jul  4 12:00:00.5 h sshd[1]: m",
		rec{FormatClassic, utc(2024, 7, 4, 12, 0, 0, 500000), "h", "sshd", 1, "m"}},
	{"nanosecond fraction truncated", "Jul  4 12:00:00.123456789 h sshd[1]: m",
		rec{FormatClassic, utc(2024, 7, 4, 12, 0, 0, 123456), "h", "sshd", 1, "m"}},
	{"leap second held at 59", "Jun 30 23:59:60 h sshd[1]: m",
		rec{FormatClassic, utc(2024, 6, 30, 23, 59, 59, 0), "h", "sshd", 1, "m"}},
	{"leap day", "Feb 29 08:00:00 h sshd[1]: m",
		rec{FormatClassic, utc(2024, 2, 29, 8, 0, 0, 0), "h", "sshd", 1, "m"}},
	{"large pid", "Feb  1 08:00:00 h sshd[999999999]: m",
		rec{FormatClassic, utc(2024, 2, 1, 8, 0, 0, 0), "h", "sshd", 999999999, "m"}},
	{"priority prefix", "<38>Feb  1 08:00:00 h sshd[3]: m",
		rec{FormatClassic, utc(2024, 2, 1, 8, 0, 0, 0), "h", "sshd", 3, "m"}},
}

func TestParseClassic(t *testing.T) { runParseCases(t, time.UTC, 2024, classicCases) }

func TestParseClassicLocation(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	runParseCases(t, berlin, 2024, []parseCase{
		{"winter", "Jan 15 10:23:45 h sshd[1]: m",
			rec{FormatClassic, utc(2024, 1, 15, 9, 23, 45, 0), "h", "sshd", 1, "m"}},
		{"summer", "Jul 15 10:23:45 h sshd[1]: m",
			rec{FormatClassic, utc(2024, 7, 15, 8, 23, 45, 0), "h", "sshd", 1, "m"}},
		{"local midnight is the day before in UTC", "Jan  1 00:30:00 h sshd[1]: m",
			rec{FormatClassic, utc(2023, 12, 31, 23, 30, 0, 0), "h", "sshd", 1, "m"}},
	})
}

var rfc3339Cases = []parseCase{
	{"rsyslog microseconds", "2024-01-15T10:23:45.123456+01:00 web1 sshd[1234]: Accepted publickey for bob",
		rec{FormatRFC3339, utc(2024, 1, 15, 9, 23, 45, 123456), "web1", "sshd", 1234, "Accepted publickey for bob"}},
	{"short-iso", "2024-01-15T10:23:45+0100 web1 sshd[1234]: Accepted publickey for bob",
		rec{FormatRFC3339, utc(2024, 1, 15, 9, 23, 45, 0), "web1", "sshd", 1234, "Accepted publickey for bob"}},
	{"negative offset crosses midnight", "2024-01-15T22:00:00-05:00 h sshd[1]: m",
		rec{FormatRFC3339, utc(2024, 1, 16, 3, 0, 0, 0), "h", "sshd", 1, "m"}},
	{"half-hour offset", "2024-01-15T10:00:00+05:30 h sshd[1]: m",
		rec{FormatRFC3339, utc(2024, 1, 15, 4, 30, 0, 0), "h", "sshd", 1, "m"}},
	{"Z", "2015-04-16T18:02:50.321974Z host sshd[2716]: Connection closed by 192.0.2.112 [preauth]",
		rec{FormatRFC3339, utc(2015, 4, 16, 18, 2, 50, 321974), "host", "sshd", 2716, "Connection closed by 192.0.2.112 [preauth]"}},
	{"lower-case z", "2015-04-16T18:02:50z host sshd[2716]: m",
		rec{FormatRFC3339, utc(2015, 4, 16, 18, 2, 50, 0), "host", "sshd", 2716, "m"}},
	{"space instead of T", "2024-02-29 10:00:00+00:00 h sshd: m",
		rec{FormatRFC3339, utc(2024, 2, 29, 10, 0, 0, 0), "h", "sshd", 0, "m"}},
	{"comma fraction", "2024-01-15T10:00:00,25Z h sshd[1]: m",
		rec{FormatRFC3339, utc(2024, 1, 15, 10, 0, 0, 250000), "h", "sshd", 1, "m"}},
	{"millisecond short-iso-precise", "2024-01-15T10:23:45.123+0100 h sshd[1]: m",
		rec{FormatRFC3339, utc(2024, 1, 15, 9, 23, 45, 123000), "h", "sshd", 1, "m"}},
	{"before the epoch", "1969-12-31T23:59:59.5Z h sshd[1]: m",
		rec{FormatRFC3339, utc(1969, 12, 31, 23, 59, 59, 500000), "h", "sshd", 1, "m"}},
	{"year 9999", "9999-12-31T23:59:59Z h sshd[1]: m",
		rec{FormatRFC3339, utc(9999, 12, 31, 23, 59, 59, 0), "h", "sshd", 1, "m"}},
	{"no pid", "2024-01-15T10:23:45Z h sshd: m",
		rec{FormatRFC3339, utc(2024, 1, 15, 10, 23, 45, 0), "h", "sshd", 0, "m"}},
}

func TestParseRFC3339(t *testing.T) { runParseCases(t, time.UTC, 2000, rfc3339Cases) }

var rfc5424Cases = []parseCase{
	{"no structured data", "<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - - Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2",
		rec{FormatRFC5424, utc(2019, 7, 8, 21, 40, 16, 954167), "hostname.example.com", "sshd", 57915, "Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2"}},
	{"structured data with brackets in a value", `<38>1 2019-07-08T17:40:17.954167-04:00 h sshd 55555 - [timeQuality tzKnown="1" isSynced="0"][xxx@123 test="[brackets]"] Failed unknown`,
		rec{FormatRFC5424, utc(2019, 7, 8, 21, 40, 17, 954167), "h", "sshd", 55555, "Failed unknown"}},
	{"escaped bracket and quote in a value", `<38>1 2024-01-15T10:00:00Z h sshd 1 ID47 [a@1 x="q\"]\]" y="z"] msg here`,
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 0, 0, 0), "h", "sshd", 1, "msg here"}},
	{"nil host, app and procid", "<13>1 2024-01-15T10:00:00Z - - - - - m",
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 0, 0, 0), "", "", 0, "m"}},
	{"non-numeric procid", "<13>1 2024-01-15T10:00:00Z h sshd abc - - m",
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 0, 0, 0), "h", "sshd", 0, "m"}},
	{"byte order mark", "<13>1 2024-01-15T10:00:00Z h sshd 9 - - \xEF\xBB\xBFhello",
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 0, 0, 0), "h", "sshd", 9, "hello"}},
	{"no message", "<13>1 2024-01-15T10:00:00Z h sshd 9 - -",
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 0, 0, 0), "h", "sshd", 9, ""}},
	{"priority before RFC 3339", "<13>2024-01-15T10:00:00Z h sshd[9]: m",
		rec{FormatRFC3339, utc(2024, 1, 15, 10, 0, 0, 0), "h", "sshd", 9, "m"}},
}

func TestParseRFC5424(t *testing.T) { runParseCases(t, time.UTC, 2000, rfc5424Cases) }

// TestParseClassicDST reads New York stamps across both 2024 changes. The
// expected instants come from time.Date in the zone; the extra checks pin
// down that the missing and the repeated hour map to one of the instants
// the wall clock could mean, not somewhere else.
func TestParseClassicDST(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	est := time.FixedZone("EST", -5*3600)
	edt := time.FixedZone("EDT", -4*3600)
	tests := []struct {
		name  string
		line  string
		want  time.Time   // the instant time.Date gives for the wall clock
		could []time.Time // the instants the wall clock can mean
	}{
		{"before spring forward", "Mar 10 01:59:59 h sshd[1]: m",
			time.Date(2024, 3, 10, 1, 59, 59, 0, ny), []time.Time{time.Date(2024, 3, 10, 1, 59, 59, 0, est)}},
		{"missing hour start", "Mar 10 02:00:00 h sshd[1]: m",
			time.Date(2024, 3, 10, 2, 0, 0, 0, ny), []time.Time{time.Date(2024, 3, 10, 2, 0, 0, 0, est), time.Date(2024, 3, 10, 2, 0, 0, 0, edt)}},
		{"missing hour", "Mar 10 02:30:00 h sshd[1]: m",
			time.Date(2024, 3, 10, 2, 30, 0, 0, ny), []time.Time{time.Date(2024, 3, 10, 2, 30, 0, 0, est), time.Date(2024, 3, 10, 2, 30, 0, 0, edt)}},
		{"after spring forward", "Mar 10 03:00:00 h sshd[1]: m",
			time.Date(2024, 3, 10, 3, 0, 0, 0, ny), []time.Time{time.Date(2024, 3, 10, 3, 0, 0, 0, edt)}},
		{"before fall back", "Nov  3 00:59:59 h sshd[1]: m",
			time.Date(2024, 11, 3, 0, 59, 59, 0, ny), []time.Time{time.Date(2024, 11, 3, 0, 59, 59, 0, edt)}},
		{"repeated hour start", "Nov  3 01:00:00 h sshd[1]: m",
			time.Date(2024, 11, 3, 1, 0, 0, 0, ny), []time.Time{time.Date(2024, 11, 3, 1, 0, 0, 0, edt), time.Date(2024, 11, 3, 1, 0, 0, 0, est)}},
		{"repeated hour", "Nov  3 01:30:00 h sshd[1]: m",
			time.Date(2024, 11, 3, 1, 30, 0, 0, ny), []time.Time{time.Date(2024, 11, 3, 1, 30, 0, 0, edt), time.Date(2024, 11, 3, 1, 30, 0, 0, est)}},
		{"after fall back", "Nov  3 02:00:00 h sshd[1]: m",
			time.Date(2024, 11, 3, 2, 0, 0, 0, ny), []time.Time{time.Date(2024, 11, 3, 2, 0, 0, 0, est)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(ny, 2024)
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil {
				t.Fatal(err)
			}
			got := time.UnixMicro(r.TS)
			if !got.Equal(tt.want) {
				t.Errorf("TS = %s, want %s (time.Date)", got.UTC(), tt.want.UTC())
			}
			ok := false
			for _, c := range tt.could {
				ok = ok || got.Equal(c)
			}
			if !ok {
				t.Errorf("TS = %s is none of the instants %v", got.UTC(), tt.could)
			}
		})
	}

	// The repeated hour is read one way throughout: its minutes keep their
	// order and the hour after it is later than all of them.
	p := NewParser(ny, 2024)
	var prev int64
	for _, line := range []string{
		"Nov  3 00:59:59 h sshd[1]: m",
		"Nov  3 01:00:00 h sshd[1]: m",
		"Nov  3 01:30:00 h sshd[1]: m",
		"Nov  3 01:59:59 h sshd[1]: m",
		"Nov  3 02:00:00 h sshd[1]: m",
	} {
		var r Record
		if err := p.Parse([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.TS <= prev {
			t.Errorf("%q: TS %s is not after the line before", line, time.UnixMicro(r.TS).UTC())
		}
		prev = r.TS
	}
}

// TestParseClassicEveryMinute walks transition days minute by minute with
// one Parser (so that its by-the-hour cache is used) and compares every
// stamp with time.Date in the zone. Lord Howe Island moves its clocks by
// half an hour, so a cache of the offset at hh:00 is wrong for hh:30–hh:59
// there.
func TestParseClassicEveryMinute(t *testing.T) {
	days := []struct {
		zone string
		date time.Time
	}{
		{"America/New_York", utc(2024, 3, 10, 0, 0, 0, 0)},
		{"America/New_York", utc(2024, 11, 3, 0, 0, 0, 0)},
		{"Europe/Berlin", utc(2024, 3, 31, 0, 0, 0, 0)},
		{"Europe/Berlin", utc(2024, 10, 27, 0, 0, 0, 0)},
		{"Asia/Kolkata", utc(2024, 6, 1, 0, 0, 0, 0)},
		{"Australia/Lord_Howe", utc(2024, 10, 6, 0, 0, 0, 0)},
	}
	for _, d := range days {
		t.Run(d.zone+"/"+d.date.Format("2006-01-02"), func(t *testing.T) {
			loc := mustLoad(t, d.zone)
			p := NewParser(loc, d.date.Year())
			var r Record
			fails := 0
			for m := 0; m < 24*60; m++ {
				hh, mm := m/60, m%60
				line := d.date.Format("Jan _2") + " " + two(hh) + ":" + two(mm) + ":07 h sshd[1]: m"
				if err := p.Parse([]byte(line), &r); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				want := time.Date(d.date.Year(), d.date.Month(), d.date.Day(), hh, mm, 7, 0, loc)
				if got := time.UnixMicro(r.TS); !got.Equal(want) && !ambiguous(loc, want) {
					if fails++; fails <= 3 {
						t.Errorf("%q: TS = %s, want %s", line, got.UTC(), want.UTC())
					}
				}
			}
			if fails > 3 {
				t.Errorf("%d stamps in all are wrong", fails)
			}
		})
	}
}

// ambiguous tells whether the wall clock of t also names another instant
// (the repeated hour when clocks go back), where either answer is right.
func ambiguous(loc *time.Location, t time.Time) bool {
	wall := t.In(loc)
	for _, d := range []time.Duration{-time.Hour, -30 * time.Minute, 30 * time.Minute, time.Hour} {
		o := t.Add(d).In(loc)
		if o.Hour() == wall.Hour() && o.Minute() == wall.Minute() && o.Day() == wall.Day() {
			return true
		}
	}
	return false
}

func two(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

func TestParseLeapDay(t *testing.T) {
	var r Record
	if err := NewParser(time.UTC, 2024).Parse([]byte("Feb 29 12:00:00 h sshd[1]: m"), &r); err != nil {
		t.Fatalf("2024 is a leap year: %v", err)
	}
	if want := utc(2024, 2, 29, 12, 0, 0, 0); r.TS != want.UnixMicro() {
		t.Errorf("TS = %s, want %s", time.UnixMicro(r.TS).UTC(), want)
	}
	for _, year := range []int{2023, 2100} {
		err := NewParser(time.UTC, year).Parse([]byte("Feb 29 12:00:00 h sshd[1]: m"), &r)
		if err == nil {
			t.Errorf("Feb 29 in %d: no error, TS %s", year, time.UnixMicro(r.TS).UTC())
			continue
		}
		for _, s := range []string{"29", itoa(year)} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("Feb 29 in %d: error %q does not name %s", year, err, s)
			}
		}
	}
	if err := NewParser(time.UTC, 2000).Parse([]byte("Feb 29 12:00:00 h sshd[1]: m"), &r); err != nil {
		t.Errorf("2000 is a leap year: %v", err)
	}
	if err := NewParser(time.UTC, 2023).Parse([]byte("2023-02-29T12:00:00Z h sshd[1]: m"), &r); err == nil {
		t.Errorf("2023-02-29 in RFC 3339 accepted as %s", time.UnixMicro(r.TS).UTC())
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

var errorCases = []struct {
	name, line string
	want       error // a specific error, or nil for any error but ErrSkip
}{
	{"month unknown", "Jab 15 10:23:45 h sshd[1]: m", errNoMonth},
	{"month upper case", "JAN 15 10:23:45 h sshd[1]: m", errNoMonth},
	{"month spelt out", "January 15 10:23:45 h sshd[1]: m", errNoMonth},
	{"day 0", "Jan  0 10:23:45 h sshd[1]: m", errDay},
	{"day 32", "Jan 32 10:23:45 h sshd[1]: m", errDay},
	{"day 3 digits", "Jan 123 10:23:45 h sshd[1]: m", errDay},
	{"day missing", "Jan  10:23:45 h sshd[1]: m", errDay},
	{"Apr 31", "Apr 31 10:23:45 h sshd[1]: m", nil},
	{"hour 24", "Jan 15 24:00:00 h sshd[1]: m", errClock},
	{"minute 60", "Jan 15 10:60:00 h sshd[1]: m", errClock},
	{"second 61", "Jan 15 10:00:61 h sshd[1]: m", errClock},
	{"one-digit hour", "Jan 15 1:00:00 h sshd[1]: m", errClock},
	{"no seconds", "Jan 15 10:00 h sshd[1]: m", errClock},
	{"letters in clock", "Jan 15 1a:00:00 h sshd[1]: m", errClock},
	{"stamp only", "Jan 15 10:23:45", errStamp},
	{"junk after stamp", "Jan 15 10:23:45x h sshd[1]: m", errStamp},
	{"nothing after stamp", "Jan 15 10:23:45 ", nil},
	{"host only", "Jan 15 10:23:45 host", nil},
	{"missing tag", "Jan 15 10:23:45 host sshd", nil},
	{"missing tag, message follows", "Jan 15 10:23:45 host sshd Failed password", nil},
	{"double space after stamp", "Jan 15 10:23:45  host sshd[1]: m", nil},
	{"empty pid", "Jan 15 10:23:45 host sshd[]: m", nil},
	{"letters in pid", "Jan 15 10:23:45 host sshd[12a]: m", nil},
	{"ISO month 13", "2024-13-01T00:00:00Z h sshd[1]: m", errISO},
	{"ISO day 32", "2024-01-32T00:00:00Z h sshd[1]: m", errISO},
	{"ISO short year", "24-01-15T00:00:00Z h sshd[1]: m", errISO},
	{"ISO no zone", "2024-01-15T10:23:45 h sshd[1]: m", nil},
	{"ISO zone hour 24", "2024-01-15T10:23:45+24:00 h sshd[1]: m", errISO},
	{"ISO zone minute 60", "2024-01-15T10:23:45+01:60 h sshd[1]: m", errISO},
	{"ISO truncated", "2024-01-15T10:2", nil},
	{"ISO stamp only", "2024-01-15T10:23:45Z", errStamp},
	{"ISO bad separator", "2024-01-15X10:23:45Z h sshd[1]: m", errISO},
	{"RFC 5424 short header", "<38>1 2024-01-15T10:00:00Z host", nil},
	{"RFC 5424 no sd", "<38>1 2024-01-15T10:00:00Z host app 1 -", nil},
	{"RFC 5424 unclosed sd", `<38>1 2024-01-15T10:00:00Z h app 1 - [a x="]"`, nil},
	{"RFC 5424 bad stamp", "<38>1 2024-01-15 h app 1 - - m", nil},
	{"priority not closed", "<38 Jan 15 10:23:45 h sshd[1]: m", nil},
	{"priority empty", "<>Jan 15 10:23:45 h sshd[1]: m", nil},
	{"lower case start", "jan 15 10:23:45 h sshd[1]: m", nil},
	{"white space then text", "  Jan 15 10:23:45 h sshd[1]: m", nil},
	{"binary garbage", "\x00\x01\x02\xff\xfe", nil},
	{"binary after month", "Jan \xff\x00\x01", errDay},
	{"binary after digit", "2\xff\x00", errISO},
	{"NUL in stamp", "Jan 15 10:\x0023:45 h sshd[1]: m", errClock},
	{"JSON truncated", `{"MESSAGE":"m"`, nil},
	{"JSON not an object", "[1,2,3]", nil},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			err := NewParser(time.UTC, 2024).Parse([]byte(tt.line), &r)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tt.line, copyRecord(&r))
			}
			if err == ErrSkip {
				t.Fatalf("Parse(%q) = ErrSkip, want an error", tt.line)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.line, err, tt.want)
			}
		})
	}
}

func TestParseSkip(t *testing.T) {
	for _, line := range []string{
		"",
		" ",
		"\t \r",
		"-- Logs begin at Mon 2024-01-15 10:00:00 UTC, end at Mon 2024-01-15 11:00:00 UTC. --",
		"-- Boot 0123456789abcdef0123456789abcdef --",
		"-- No entries --",
	} {
		var r Record
		r.PID = 99 // Parse must reset the record
		if err := NewParser(time.UTC, 2024).Parse([]byte(line), &r); err != ErrSkip {
			t.Errorf("Parse(%q) = %v, want ErrSkip", line, err)
		}
		if r.PID != 0 || r.Format != FormatUnknown {
			t.Errorf("Parse(%q) left %+v in the record", line, r)
		}
	}
}

func TestParseResetsRecord(t *testing.T) {
	p := NewParser(time.UTC, 2024)
	var r Record
	if err := p.Parse([]byte("Jan 15 10:23:45 web1 sshd[1234]: m"), &r); err != nil {
		t.Fatal(err)
	}
	if err := p.Parse([]byte("Jan 15 10:23:45 CRON: job"), &r); err != nil {
		t.Fatal(err)
	}
	if got := copyRecord(&r); got.Host != "" || got.PID != 0 || got.Ident != "CRON" {
		t.Errorf("second line kept parts of the first: %+v", got)
	}
}

func TestMonthOf(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"Jan 1", 1}, {"Feb ", 2}, {"Mar ", 3}, {"Apr ", 4}, {"May ", 5}, {"Jun ", 6},
		{"Jul ", 7}, {"Aug ", 8}, {"Sep ", 9}, {"Oct ", 10}, {"Nov ", 11}, {"Dec 31 00:00:00", 12},
		{"Jan", 0}, {"Jan1", 0}, {"jan ", 0}, {"JAN ", 0}, {"JaN ", 0}, {"Sept ", 0}, {"Foo ", 0},
		{"<13>Jan ", 1}, {"<13>2024-01-15", 0}, {"<x>Jan ", 0}, {"<12345>Jan ", 0},
		{"", 0}, {"2024-01-15", 0}, {"J\x01n ", 0}, {"Jan\t", 0},
	}
	for _, tt := range tests {
		if got := MonthOf([]byte(tt.line)); got != tt.want {
			t.Errorf("MonthOf(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestFormatString(t *testing.T) {
	for f, want := range map[Format]string{
		FormatUnknown: "unknown", FormatClassic: "syslog", FormatRFC3339: "rfc3339",
		FormatRFC5424: "rfc5424", FormatJSON: "json", Format(200): "unknown",
	} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q, want %q", f, got, want)
		}
	}
}

// TestDaysFromCivil checks the date arithmetic behind the UTC fast path
// against the time package over four centuries and around year 0.
func TestDaysFromCivil(t *testing.T) {
	for _, start := range []time.Time{utc(1900, 1, 1, 0, 0, 0, 0), utc(-2, 1, 1, 0, 0, 0, 0), utc(9998, 1, 1, 0, 0, 0, 0)} {
		end := start.AddDate(400, 0, 0)
		if start.Year() > 9000 {
			end = utc(9999, 12, 31, 0, 0, 0, 0)
		}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			want := d.Unix() / 86400 // exact: d is a UTC midnight
			if got := daysFromCivil(d.Year(), int(d.Month()), d.Day()); got != want {
				t.Fatalf("daysFromCivil(%s) = %d, want %d", d.Format("2006-01-02"), got, want)
			}
		}
	}
}

func TestDaysIn(t *testing.T) {
	for year := 1899; year <= 2101; year++ {
		for m := 1; m <= 12; m++ {
			want := time.Date(year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := daysIn(year, m); got != want {
				t.Errorf("daysIn(%d, %d) = %d, want %d", year, m, got, want)
			}
		}
	}
}

var jsonTS = utc(2024, 1, 15, 10, 23, 45, 123456) // __REALTIME_TIMESTAMP 1705314225123456

var jsonCases = []parseCase{
	{"journalctl -o json",
		`{"__CURSOR":"s=0123;i=1;b=ab;m=1;t=60f;x=9","__REALTIME_TIMESTAMP":"1705314225123456","__MONOTONIC_TIMESTAMP":"12345","_BOOT_ID":"ab","PRIORITY":"6","_UID":"0","_HOSTNAME":"web1","SYSLOG_FACILITY":"4","SYSLOG_IDENTIFIER":"sshd","_PID":"1234","_COMM":"sshd","MESSAGE":"Failed password for root from 192.0.2.1 port 22 ssh2","_SOURCE_REALTIME_TIMESTAMP":"1705314225123400"}`,
		rec{FormatJSON, jsonTS, "web1", "sshd", 1234, "Failed password for root from 192.0.2.1 port 22 ssh2"}},
	{"keys in another order, with white space",
		"{ \"MESSAGE\" : \"m\" ,\n\t\"_PID\":\"7\" , \"SYSLOG_IDENTIFIER\":\"sshd-session\", \"_HOSTNAME\" :\"h\",\"__REALTIME_TIMESTAMP\" : \"1705314225123456\" }",
		rec{FormatJSON, jsonTS, "h", "sshd-session", 7, "m"}},
	{"escapes", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"\u0041\n\t\"q\" \\ \/ \b\f\r é"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "A\n\t\"q\" \\ / \b\f\r é"}},
	{"surrogate pair", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"smile \ud83d\ude00 \uD83D\uDE00!"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "smile \U0001F600 \U0001F600!"}},
	{"lone surrogates", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"a\ud800b\udc00c\ud83d\u0041"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "a\uFFFDb\uFFFDc\uFFFDA"}},
	{"BMP escapes", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"\u00e9\u20AC\uffff\u0000"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "é€\uffff\x00"}},
	{"message as bytes", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":[70,97,105,108,101,100,32,255,0,10]}`,
		rec{FormatJSON, jsonTS, "", "", 0, "Failed \xff\x00\n"}},
	{"message as bytes with spaces", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":[ 104 , 105 ]}`,
		rec{FormatJSON, jsonTS, "", "", 0, "hi"}},
	{"message as empty array", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":[]}`,
		rec{FormatJSON, jsonTS, "", "", 0, ""}},
	{"message null", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":null,"_HOSTNAME":"h"}`,
		rec{FormatJSON, jsonTS, "h", "", 0, ""}},
	{"unknown fields skipped",
		`{"X":{"a":[1,{"b":"}]\"{,"}],"c":null},"Y":[[],[{}],"]"],"Z":true,"F":false,"N":-1.5e3,"S":"str } ] ,","__REALTIME_TIMESTAMP":"1705314225123456","E":{},"A":[],"MESSAGE":"m","W":{"MESSAGE":"inner"}}`,
		rec{FormatJSON, jsonTS, "", "", 0, "m"}},
	{"array value for another key", `{"SYSLOG_IDENTIFIER":["a","b"],"__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"m"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "m"}},
	{"SYSLOG_PID", `{"__REALTIME_TIMESTAMP":"1705314225123456","SYSLOG_PID":"55","MESSAGE":"m"}`,
		rec{FormatJSON, jsonTS, "", "", 55, "m"}},
	{"_PID before SYSLOG_PID", `{"__REALTIME_TIMESTAMP":"1705314225123456","_PID":"1","SYSLOG_PID":"2","MESSAGE":"m"}`,
		rec{FormatJSON, jsonTS, "", "", 1, "m"}},
	{"bad _PID ignored", `{"__REALTIME_TIMESTAMP":"1705314225123456","_PID":"12x","MESSAGE":"m"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "m"}},
	{"escaped key", `{"__REALTIME_TIMESTAMP":"1705314225123456","MESS\u0041GE":"m"}`,
		rec{FormatJSON, jsonTS, "", "", 0, "m"}},
	{"every field escaped", `{"_HOSTN\u0041ME":"h\u00e9","SYSLOG_IDENTIFIER":"ss\u0068d","__REALTIME_TIMESTAMP":"1705314225123456","MESSAGE":"\"m\""}`,
		rec{FormatJSON, jsonTS, "hé", "sshd", 0, `"m"`}},
	{"epoch", `{"__REALTIME_TIMESTAMP":"0","MESSAGE":"m"}`,
		rec{FormatJSON, time.Unix(0, 0).UTC(), "", "", 0, "m"}},
	{"white space after the object", "{\"__REALTIME_TIMESTAMP\":\"1705314225123456\"} \r",
		rec{FormatJSON, jsonTS, "", "", 0, ""}},
}

func TestParseJSON(t *testing.T) {
	p := NewParser(time.UTC, 2024) // one parser: its scratch buffer is reused
	for _, tt := range jsonCases {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil {
				t.Fatalf("Parse(%s): %v", tt.line, err)
			}
			got := copyRecord(&r)
			if got != tt.want {
				t.Errorf("Parse(%s)\n got %+q\nwant %+q", tt.line, got, tt.want)
			}
		})
	}
}

const jsonTSField = `"__REALTIME_TIMESTAMP":"1705314225123456"`

var jsonErrorLines = []string{
	`{"MESSAGE":"m","_HOSTNAME":"h"}`,
	`{}`,
	`{"__REALTIME_TIMESTAMP":1705314225123456,"MESSAGE":"m"}`,
	`{"__REALTIME_TIMESTAMP":"","MESSAGE":"m"}`,
	`{"__REALTIME_TIMESTAMP":"17053x","MESSAGE":"m"}`,
	`{"__REALTIME_TIMESTAMP":"-1","MESSAGE":"m"}`,
	`{"__REALTIME_TIMESTAMP":"1234567890123456789","MESSAGE":"m"}`,
	`{` + jsonTSField,
	`{` + jsonTSField + `,`,
	`{` + jsonTSField + `,"MESSAGE":"m`,
	`{` + jsonTSField + `,"MESSAGE":"m\`,
	`{` + jsonTSField + `,"MESSAGE":"\x41"}`,
	`{` + jsonTSField + `,"MESSAGE":"\u12G4"}`,
	`{` + jsonTSField + `,"MESSAGE":"\u12"}`,
	`{` + jsonTSField + `,"MESSAGE":[256]}`,
	`{` + jsonTSField + `,"MESSAGE":[-1]}`,
	`{` + jsonTSField + `,"MESSAGE":["a"]}`,
	`{` + jsonTSField + `,"MESSAGE":[1,2`,
	`{` + jsonTSField + `,"MESSAGE" "m"}`,
	`{` + jsonTSField + `,MESSAGE:"m"}`,
	`{` + jsonTSField + `,"X":{"a":[1,2}`,
	`{` + jsonTSField + `,"X":"unterminated}`,
	`{` + jsonTSField + `,"X":["a\"]}`,
	`{`,
}

func TestParseJSONErrors(t *testing.T) {
	for _, line := range jsonErrorLines {
		var r Record
		err := NewParser(time.UTC, 2024).Parse([]byte(line), &r)
		if err == nil || err == ErrSkip {
			t.Errorf("Parse(%s) = %v, %+q; want an error", line, err, copyRecord(&r))
		}
	}
}

// TestParseJSONScratchReuse parses a record with long escaped fields and
// then a shorter one with the same Parser: nothing of the first may show
// through in the second.
func TestParseJSONScratchReuse(t *testing.T) {
	p := NewParser(time.UTC, 2024)
	var r Record
	long := `{"__REALTIME_TIMESTAMP":"1","MESSAGE":"` + strings.Repeat(`\u0041`, 1000) + `","_HOSTNAME":"` + strings.Repeat(`\n`, 50) + `"}`
	if err := p.Parse([]byte(long), &r); err != nil {
		t.Fatal(err)
	}
	if string(r.Msg) != strings.Repeat("A", 1000) || string(r.Host) != strings.Repeat("\n", 50) {
		t.Fatalf("long record: %+q", copyRecord(&r))
	}
	if err := p.Parse([]byte(`{"_HOSTNAME":"\u0062","__REALTIME_TIMESTAMP":"2","MESSAGE":"\u0061"}`), &r); err != nil {
		t.Fatal(err)
	}
	if got := copyRecord(&r); got.Msg != "a" || got.Host != "b" || r.TS != 2 {
		t.Errorf("short record after a long one: %+q", got)
	}
}

// TestClockFastPath: clock's reading of a plain hh:mm:ss at once agrees
// with the digit-by-digit reading for every time and the values around
// the limits, and for strings that are nearly a time.
func TestClockFastPath(t *testing.T) {
	check := func(s string, i int) {
		t.Helper()
		hh, mm, ss, j, err := clock([]byte(s), i)
		whh, wmm, wss, wj, werr := clockDigits([]byte(s), i)
		if hh != whh || mm != wmm || ss != wss || j != wj || (err == nil) != (werr == nil) {
			t.Fatalf("clock(%q, %d) = %d %d %d %d %v, digit by digit %d %d %d %d %v", s, i, hh, mm, ss, j, err, whh, wmm, wss, wj, werr)
		}
	}
	for h := 0; h <= 25; h++ {
		for m := 0; m <= 61; m++ {
			for s := 0; s <= 61; s++ {
				check(fmt.Sprintf("%02d:%02d:%02d", h, m, s), 0)
				check(fmt.Sprintf("x %02d:%02d:%02d host", h, m, s), 2)
			}
		}
	}
	for _, s := range []string{"1:02:03", "01:2:03", "01:02:3", "01:02:034", "01-02-03", "0a:02:03", "01:02:0/",
		"01:02", "01:02:", "", "::::::::", "99:99:99", "23:59:60", "24:00:00", "01:02:03.5", "١٢:٠٠:٠٠"} {
		check(s, 0)
	}
}

// headerCases are the other syslog daemons' headers, read in UTC with the
// year 2024; the message is what the sshd parser gets.
var headerCases = []parseCase{
	// busybox syslogd (without -S): "host fac.pri tag[pid]: msg".
	{"busybox facility and priority", "Jan 15 10:23:45 router auth.info sshd[1234]: Failed password for root from 192.0.2.1 port 22 ssh2",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "router", "sshd", 1234, "Failed password for root from 192.0.2.1 port 22 ssh2"}},
	{"busybox authpriv.notice", "Jan 15 10:23:45 router authpriv.notice sshd[7]: m",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "router", "sshd", 7, "m"}},
	// FreeBSD syslogd -v (numbers) and -vv (names): "<fac.pri> " before the host.
	{"freebsd -v numeric", "Jan 15 10:23:45 <4.6> bsd sshd[99]: Invalid user a from 192.0.2.2 port 5",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "bsd", "sshd", 99, "Invalid user a from 192.0.2.2 port 5"}},
	{"freebsd -v authpriv", "Jan 15 10:23:45 <10.5> bsd sshd[99]: m",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "bsd", "sshd", 99, "m"}},
	{"freebsd -vv names", "Jan 15 10:23:45 <auth.info> bsd sshd[99]: m",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "bsd", "sshd", 99, "m"}},
	// A word that is no facility.priority is the tag's business.
	{"not a facility", "Jan 15 10:23:45 h foo.bar: sshd[1]: m",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "h", "foo.bar", 0, "sshd[1]: m"}},
	{"facility as the tag", "Jan 15 10:23:45 h auth.info: m",
		rec{FormatClassic, utc(2024, 1, 15, 10, 23, 45, 0), "h", "auth.info", 0, "m"}},
	// socklog behind svlogd -tt (UTC stamp with a year, then "fac.pri: "
	// and the client's own line).
	{"socklog svlogd -tt", "2024-01-15_10:23:45.12345 auth.info: Jan 15 10:23:45 sshd[1234]: Failed password for root from 192.0.2.3 port 22 ssh2",
		rec{FormatSvlogd, utc(2024, 1, 15, 10, 23, 45, 123450), "", "sshd", 1234, "Failed password for root from 192.0.2.3 port 22 ssh2"}},
	{"socklog -r svlogd -tt", "2024-01-15_10:23:45.12345 sshd[1234]: m",
		rec{FormatSvlogd, utc(2024, 1, 15, 10, 23, 45, 123450), "", "sshd", 1234, "m"}},
	// svlogd -t: TAI64N, read as tai64nlocal does (label - 2^62 - 10 s).
	{"socklog svlogd -t tai64n", "@4000000065a507bb075bcd15 auth.info: Jan 15 10:23:45 sshd[1234]: Invalid user x from 192.0.2.4 port 6",
		rec{FormatSvlogd, utc(2024, 1, 15, 10, 23, 45, 123456), "", "sshd", 1234, "Invalid user x from 192.0.2.4 port 6"}},
	// RFC 5424 with several structured-data elements, an escaped ']' in a value.
	{"rfc5424 several sd elements", `<38>1 2024-01-15T10:23:45.123Z mymachine.example.com sshd 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high" note="a\]b"] Failed password for root from 192.0.2.5 port 22 ssh2`,
		rec{FormatRFC5424, utc(2024, 1, 15, 10, 23, 45, 123000), "mymachine.example.com", "sshd", 1234, "Failed password for root from 192.0.2.5 port 22 ssh2"}},
}

func TestParseHeaders(t *testing.T) { runParseCases(t, time.UTC, 2024, headerCases) }

// TestParseRepeatedLine: an old syslogd's "last message repeated N times"
// sets Repeated, with or without a host, and under NetBSD's "syslogd" tag;
// anything else, or N of 0, does not.
func TestParseRepeatedLine(t *testing.T) {
	for _, tt := range []struct {
		line string
		host string
		n    int32
	}{
		{"Jan 15 10:23:45 web1 last message repeated 3 times", "web1", 3},
		{"Jan 15 10:23:45 last message repeated 12 times", "", 12},
		{"2024-01-15T10:23:45Z web1 last message repeated 2 times", "web1", 2},
		{"Jan 15 10:23:45 web1 syslogd: last message repeated 4 times", "web1", 4},
		{"Jan 15 10:23:45 web1 sshd[1]: last message repeated 4 times", "web1", 0},
		{"Jan 15 10:23:45 web1 last message repeated 0 times", "web1", -1},
		{"Jan 15 10:23:45 web1 last message repeated 3 times: x", "web1", -1},
	} {
		var r Record
		err := NewParser(time.UTC, 2024).Parse([]byte(tt.line), &r)
		switch {
		case tt.n < 0:
			if err == nil && r.Repeated != 0 {
				t.Errorf("%q: Repeated %d, want none", tt.line, r.Repeated)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.line, err)
		case r.Repeated != tt.n || string(r.Host) != tt.host:
			t.Errorf("%q: Repeated %d host %q, want %d %q", tt.line, r.Repeated, r.Host, tt.n, tt.host)
		}
	}
}

// TestTAI64NRange: a label before year 1 or after 9999, or a nanosecond
// count of a second or more, is refused rather than wrapped.
func TestTAI64NRange(t *testing.T) {
	for _, line := range []string{
		"@0000000000000000075bcd15 sshd[1]: m",
		"@7fffffffffffffff075bcd15 sshd[1]: m",
		"@4000000065a507bb3b9aca00 sshd[1]: m",
		"@4000000065a507bb075bcd1 sshd[1]: m",
		"@4000000065a507bb075bcdzz sshd[1]: m",
	} {
		var r Record
		if err := NewParser(time.UTC, 2024).Parse([]byte(line), &r); err == nil {
			t.Errorf("%q: read as %v", line, copyRecord(&r))
		}
	}
}
