package syslog

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestYearTrackerNext(t *testing.T) {
	tests := []struct {
		name   string
		start  YearTracker
		months []int
		years  []int
		end    YearTracker
	}{
		{"first line takes the start year", YearTracker{Year: 2025}, []int{7}, []int{2025}, YearTracker{2025, 7}},
		{"December to January is a new year", YearTracker{Year: 2025}, []int{12, 12, 1, 1, 2}, []int{2025, 2025, 2026, 2026, 2026}, YearTracker{2026, 2}},
		{"straggler from December among January's lines", YearTracker{Year: 2025}, []int{12, 1, 12, 1, 2}, []int{2025, 2026, 2025, 2026, 2026}, YearTracker{2026, 2}},
		{"months going forward stay in the year", YearTracker{Year: 2025}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []int{2025, 2025, 2025, 2025, 2025, 2025, 2025, 2025, 2025, 2025, 2025, 2025}, YearTracker{2025, 12}},
		{"six months back is the same year", YearTracker{Year: 2025}, []int{7, 1}, []int{2025, 2025}, YearTracker{2025, 1}},
		{"seven months back is the next year", YearTracker{Year: 2025}, []int{8, 1}, []int{2025, 2026}, YearTracker{2026, 1}},
		{"six months on is the same year", YearTracker{Year: 2025}, []int{1, 7}, []int{2025, 2025}, YearTracker{2025, 7}},
		{"seven months on is the year before", YearTracker{Year: 2025}, []int{1, 8, 1}, []int{2025, 2024, 2025}, YearTracker{2025, 1}},
		{"history from SetYear", YearTracker{Year: 2025, Month: 12}, []int{1}, []int{2026}, YearTracker{2026, 1}},
		{"two New Years and a straggler", YearTracker{Year: 2020}, []int{11, 12, 1, 6, 12, 1, 12, 2}, []int{2020, 2020, 2021, 2021, 2021, 2022, 2021, 2022}, YearTracker{2022, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := tt.start
			for i, m := range tt.months {
				if got := y.Next(m); got != tt.years[i] {
					t.Errorf("line %d (month %d): year %d, want %d", i+1, m, got, tt.years[i])
				}
			}
			if y != tt.end {
				t.Errorf("tracker ends at %+v, want %+v", y, tt.end)
			}
		})
	}
}

// TestYearTrackerNeverJumps: whatever the order of months, a line's year is
// within one of the tracker's year before it, and the tracker's year never
// goes down.
func TestYearTrackerNeverJumps(t *testing.T) {
	y := YearTracker{Year: 2000}
	seed := uint32(1)
	for i := 0; i < 100000; i++ {
		seed = seed*1664525 + 1013904223
		m := int(seed>>16)%12 + 1
		before := y.Year
		got := y.Next(m)
		if got < before-1 || got > before+1 || y.Year < before || y.Month < 1 || y.Month > 12 {
			t.Fatalf("line %d: month %d after %d gave year %d, tracker %+v", i, m, before, got, y)
		}
	}
}

func TestParserYearAcrossNewYear(t *testing.T) {
	p := NewParser(time.UTC, 2025)
	lines := []struct {
		line string
		want time.Time
	}{
		{"Dec 31 23:59:58 h sshd[1]: a", utc(2025, 12, 31, 23, 59, 58, 0)},
		{"Jan  1 00:00:01 h sshd[1]: b", utc(2026, 1, 1, 0, 0, 1, 0)},
		{"Dec 31 23:59:59 h sshd[1]: late", utc(2025, 12, 31, 23, 59, 59, 0)},
		{"Jan  1 00:00:02 h sshd[1]: c", utc(2026, 1, 1, 0, 0, 2, 0)},
		{"2026-01-01T00:00:03Z h sshd[1]: iso lines do not move the year", utc(2026, 1, 1, 0, 0, 3, 0)},
		{"Feb 28 10:00:00 h sshd[1]: d", utc(2026, 2, 28, 10, 0, 0, 0)},
	}
	for _, l := range lines {
		var r Record
		if err := p.Parse([]byte(l.line), &r); err != nil {
			t.Fatalf("%q: %v", l.line, err)
		}
		if got := time.UnixMicro(r.TS).UTC(); !got.Equal(l.want) {
			t.Errorf("%q: %s, want %s", l.line, got, l.want)
		}
	}
	if y, m := p.Year(); y != 2026 || m != 2 {
		t.Errorf("Year() = %d, %d; want 2026, 2", y, m)
	}

	p.SetYear(2030, 12)
	var r Record
	if err := p.Parse([]byte("Jan  2 03:04:05 h sshd[1]: e"), &r); err != nil {
		t.Fatal(err)
	}
	if want := utc(2031, 1, 2, 3, 4, 5, 0); r.TS != want.UnixMicro() {
		t.Errorf("after SetYear(2030, 12): %s, want %s", time.UnixMicro(r.TS).UTC(), want)
	}
	p.SetYear(2030, 0)
	if err := p.Parse([]byte("Jan  2 03:04:05 h sshd[1]: e"), &r); err != nil {
		t.Fatal(err)
	}
	if want := utc(2030, 1, 2, 3, 4, 5, 0); r.TS != want.UnixMicro() {
		t.Errorf("after SetYear(2030, 0): %s, want %s", time.UnixMicro(r.TS).UTC(), want)
	}
	if y, m := NewParser(time.UTC, 1999).Year(); y != 1999 || m != 0 {
		t.Errorf("new parser: Year() = %d, %d; want 1999, 0", y, m)
	}
}

func TestScanYears(t *testing.T) {
	tests := []struct {
		name string
		log  string
		want YearScan
	}{
		{"empty", "", YearScan{}},
		{"one year", "Mar  1 00:00:00 h sshd[1]: a\nMar  2 00:00:00 h sshd[1]: b\n", YearScan{0, 3, 2, 2}},
		{"December to January", "Dec 31 23:59:58 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b\n", YearScan{1, 1, 2, 1}},
		{"straggler", "Dec 31 23:59:58 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b\nDec 31 23:59:59 h sshd[1]: c\nJan  1 00:00:02 h sshd[1]: d\n", YearScan{1, 1, 4, 1}},
		{"two New Years", "Nov  1 00:00:00 h a: x\nJan  1 00:00:00 h a: x\nJul  1 00:00:00 h a: x\nDec  1 00:00:00 h a: x\nJan  1 00:00:00 h a: x\n", YearScan{2, 1, 5, 1}},
		{"last line without a newline", "Dec 31 23:59:58 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b", YearScan{1, 1, 2, 1}},
		{"CRLF", "Dec 31 23:59:58 h sshd[1]: a\r\nJan  1 00:00:01 h sshd[1]: b\r\n", YearScan{1, 1, 2, 1}},
		{"other lines ignored", "Dec 31 23:59:58 h sshd[1]: a\n2026-01-01T00:00:00Z h sshd[1]: b\n{\"MESSAGE\":\"Jan \"}\n\n  Jan 1 indented\nJan  1 00:00:01 h sshd[1]: c\n", YearScan{1, 1, 2, 1}},
		{"a month only at the start of a line", "Dec 31 23:59:58 h sshd[1]: see Jan \nDec 31 23:59:59 h sshd[1]: Jan 1\n", YearScan{0, 12, 2, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScanYears(strings.NewReader(tt.log))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ScanYears = %+v, want %+v", got, tt.want)
			}
			// the same through a reader that hands out a byte at a time
			got, err = ScanYears(iotest.OneByteReader(strings.NewReader(tt.log)))
			if err != nil || got != tt.want {
				t.Errorf("ScanYears, a byte at a time = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestScanYearsLongLine: a line longer than ScanYears' 1 MiB buffer is one
// line, even where the buffer boundary falls on text that looks like a
// stamp.
func TestScanYearsLongLine(t *testing.T) {
	first := "Dec 31 23:59:58 h sshd[1]: "
	pad := strings.Repeat("x", 1<<20-len(first))
	log := first + pad + "Jan  1 00:00:00 inside the long line\nDec 31 23:59:59 h sshd[1]: b\n"
	got, err := ScanYears(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if want := (YearScan{Wraps: 0, LastMonth: 12, Lines: 2, LastDay: 31}); got != want {
		t.Errorf("ScanYears = %+v, want %+v", got, want)
	}
}

func TestScanYearsReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("Dec 31 23:59:58 h sshd[1]: a\nJan  1 00:00:01 h sshd[1]: b\n"), iotest.ErrReader(boom))
	got, err := ScanYears(r)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
	if want := (YearScan{1, 1, 2, 1}); got != want {
		t.Errorf("ScanYears before the error = %+v, want %+v", got, want)
	}
}

func TestFirstYear(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		name     string
		scan     YearScan
		mtime    time.Time
		lastYear int
		want     int
	}{
		{"Dec 2025 to Jan 2026, mtime January", YearScan{Wraps: 1, LastMonth: 1, Lines: 2}, utc(2026, 1, 1, 0, 5, 0, 0), 0, 2025},
		{"last line in December, mtime January", YearScan{Wraps: 0, LastMonth: 12, Lines: 5}, utc(2026, 1, 2, 0, 0, 0, 0), 0, 2025},
		{"last line in the mtime's month", YearScan{Wraps: 0, LastMonth: 6, Lines: 5}, utc(2026, 6, 30, 0, 0, 0, 0), 0, 2026},
		{"last line months before the mtime", YearScan{Wraps: 0, LastMonth: 3, Lines: 5}, utc(2026, 11, 30, 0, 0, 0, 0), 0, 2026},
		{"two New Years", YearScan{Wraps: 2, LastMonth: 2, Lines: 9}, utc(2026, 3, 1, 0, 0, 0, 0), 0, 2024},
		{"two New Years, mtime the next January", YearScan{Wraps: 2, LastMonth: 12, Lines: 9}, utc(2027, 1, 1, 0, 0, 0, 0), 0, 2024},
		{"no classic lines", YearScan{}, utc(2026, 1, 1, 0, 0, 0, 0), 0, 2026},
		{"mtime read in its own zone", YearScan{Wraps: 0, LastMonth: 1, Lines: 1}, utc(2026, 1, 1, 2, 0, 0, 0).In(ny), 0, 2025},
		{"the same mtime in UTC", YearScan{Wraps: 0, LastMonth: 1, Lines: 1}, utc(2026, 1, 1, 2, 0, 0, 0), 0, 2026},
		{"--year is the last line's year", YearScan{Wraps: 1, LastMonth: 1, Lines: 2}, utc(2026, 1, 1, 0, 0, 0, 0), 2030, 2029},
		{"--year wins over the mtime", YearScan{Wraps: 0, LastMonth: 12, Lines: 2}, utc(2026, 1, 1, 0, 0, 0, 0), 2026, 2026},
		// OpenSSH_2k.log: its last line is "Dec 10", copied on 1 December
		{"last line days after the mtime in its month", YearScan{Wraps: 0, LastMonth: 12, Lines: 2, LastDay: 10}, utc(2026, 12, 1, 9, 0, 0, 0), 0, 2025},
		{"last line the day after the mtime (zones)", YearScan{Wraps: 0, LastMonth: 12, Lines: 2, LastDay: 2}, utc(2026, 12, 1, 23, 0, 0, 0), 0, 2026},
		{"last line on the mtime's day", YearScan{Wraps: 0, LastMonth: 12, Lines: 2, LastDay: 1}, utc(2026, 12, 1, 9, 0, 0, 0), 0, 2026},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.scan.FirstYear(tt.mtime, tt.lastYear); got != tt.want {
				t.Errorf("FirstYear(%s, %d) = %d, want %d", tt.mtime, tt.lastYear, got, tt.want)
			}
		})
	}
}

// readYearless does what a reader of a year-less log does: a first pass with
// ScanYears, then every line through a Parser started in FirstYear. It
// returns the instants of the lines.
func readYearless(t *testing.T, log string, mtime time.Time, lastYear int) []time.Time {
	t.Helper()
	scan, err := ScanYears(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	p := NewParser(time.UTC, scan.FirstYear(mtime, lastYear))
	var out []time.Time
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		var r Record
		if err := p.Parse([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out = append(out, time.UnixMicro(r.TS).UTC())
	}
	return out
}

func TestYearlessFileEndToEnd(t *testing.T) {
	log := "Dec 30 10:00:00 h sshd[1]: a\nDec 31 23:59:59 h sshd[1]: b\nJan  1 00:00:00 h sshd[1]: c\nJan  2 08:00:00 h sshd[1]: d\n"
	want := []time.Time{utc(2025, 12, 30, 10, 0, 0, 0), utc(2025, 12, 31, 23, 59, 59, 0), utc(2026, 1, 1, 0, 0, 0, 0), utc(2026, 1, 2, 8, 0, 0, 0)}
	got := readYearless(t, log, utc(2026, 1, 2, 8, 0, 1, 0), 0)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("mtime Jan 2026:\n got %v\nwant %v", got, want)
	}

	// a file that ends in December, written to disk in the next January
	log = "Dec 30 10:00:00 h sshd[1]: a\nDec 31 23:59:59 h sshd[1]: b\n"
	got = readYearless(t, log, utc(2026, 1, 1, 6, 25, 0, 0), 0)
	if want := []time.Time{utc(2025, 12, 30, 10, 0, 0, 0), utc(2025, 12, 31, 23, 59, 59, 0)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ends in December, mtime January:\n got %v\nwant %v", got, want)
	}

	// --year 2019: the last line is in 2019
	got = readYearless(t, "Dec 31 23:59:59 h sshd[1]: b\nJan  1 00:00:00 h sshd[1]: c\n", utc(2026, 1, 1, 0, 0, 0, 0), 2019)
	if want := []time.Time{utc(2018, 12, 31, 23, 59, 59, 0), utc(2019, 1, 1, 0, 0, 0, 0)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("--year 2019:\n got %v\nwant %v", got, want)
	}
}

// TestScanYearsCountsPRIPrefixedClassicLines: Parse reads "<PRI>Mmm dd …"
// (rsyslog forwarding) as a classic line and moves its year on at New
// Year, so the first pass must count those New Years too, or the lines are
// dated a year late: here December 2025 comes out as December 2026, after
// the file's own modification time.
func TestScanYearsCountsPRIPrefixedClassicLines(t *testing.T) {
	log := "<38>Dec 31 23:59:59 h sshd[1]: b\n<38>Jan  1 00:00:00 h sshd[1]: c\n"
	scan, err := ScanYears(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if want := (YearScan{Wraps: 1, LastMonth: 1, Lines: 2, LastDay: 1}); scan != want {
		t.Errorf("ScanYears = %+v, want %+v", scan, want)
	}
	got := readYearless(t, log, utc(2026, 1, 1, 0, 0, 1, 0), 0)
	if want := []time.Time{utc(2025, 12, 31, 23, 59, 59, 0), utc(2026, 1, 1, 0, 0, 0, 0)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lines:\n got %v\nwant %v", got, want)
	}
}

// TestScanLinesAsScanYears: over random logs (months in and out of order,
// PRI prefixes, lines that are not classic, empty lines, a last line with
// no newline, lines longer than ScanYears's buffer) ScanLines, in stretches
// that end after whole lines, counts what ScanYears counts.
func TestScanLinesAsScanYears(t *testing.T) {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	seed := uint32(7)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	for round := 0; round < 300; round++ {
		var b strings.Builder
		m := next(12)
		for i, n := 0, next(400); i < n; i++ {
			switch k := next(40); {
			case k == 0:
				m = next(12) // a jump anywhere: a New Year, or a straggler
			case k < 3:
				m = (m + 1) % 12
			}
			switch next(12) {
			case 0:
				b.WriteString("2024-01-15T10:23:45Z host sshd[1]: not classic\n")
			case 1:
				b.WriteString("\n")
			case 2:
				fmt.Fprintf(&b, "<38>%s  5 10:00:00 host sshd[1]: with a PRI\n", months[m])
			case 3:
				if round%50 == 0 {
					fmt.Fprintf(&b, "%s 12 10:00:00 host sshd[1]: %s\n", months[m], strings.Repeat("x", 1<<20+100))
				}
			default:
				fmt.Fprintf(&b, "%s %2d 10:00:00 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\n", months[m], 1+next(28))
			}
		}
		if next(2) == 0 {
			fmt.Fprintf(&b, "%s  1 00:00:00 host sshd[1]: no newline", months[next(12)])
		}
		data := []byte(b.String())
		want, err := ScanYears(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		var got YearScan
		for start := 0; start < len(data); {
			end := min(start+1+next(4096), len(data))
			for end < len(data) && data[end-1] != '\n' {
				end++
			}
			ScanLines(data[start:end], &got)
			start = end
		}
		if got != want {
			t.Fatalf("round %d: ScanLines %+v, ScanYears %+v", round, got, want)
		}
	}
}
