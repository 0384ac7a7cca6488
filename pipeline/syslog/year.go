package syslog

import (
	"bufio"
	"bytes"
	"io"
	"time"
)

// YearTracker infers the year of year-less syslog stamps from the order of
// the lines: a month well before the previous one (December, then January)
// starts the next year, and a month well after it (a straggler from
// December among January's lines) belongs to the year before.
type YearTracker struct {
	Year  int // year of the latest line
	Month int // month of the latest line; 0 before the first
}

// Next returns the year of a line in month m and moves the tracker on.
func (y *YearTracker) Next(m int) int {
	if y.Month == 0 {
		y.Month = m
		return y.Year
	}
	switch d := m - y.Month; {
	case d < -6:
		y.Year++
		y.Month = m
	case d > 6:
		return y.Year - 1
	default:
		y.Month = m
	}
	return y.Year
}

// YearScan is what a first pass over a classic syslog input found: how
// many times the year turned, and the month of its last classic line.
type YearScan struct {
	Wraps     int
	LastMonth int
	Lines     int // classic lines seen
	LastDay   int // day of the month of the last classic line (in LastMonth)
}

// ScanYears reads r to its end and counts the New Years that its classic
// syslog lines cross, so that the first line's year can be worked out from
// the last line's. It looks only at the first bytes of each line.
func ScanYears(r io.Reader) (YearScan, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var y YearTracker
	var s YearScan
	atStart := true
	for {
		chunk, err := br.ReadSlice('\n')
		if atStart {
			if m := MonthOf(chunk); m != 0 {
				y.Next(m)
				s.Lines++
				if y.Month == m {
					s.LastDay = dayOf(chunk)
				}
			}
		}
		atStart = err == nil
		if err != nil && err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = nil
			}
			s.Wraps, s.LastMonth = y.Year, y.Month
			return s, err
		}
	}
}

// ScanLines goes on with s over whole lines held in memory (a stretch of a
// mapped file): stretch after stretch from an empty YearScan, s ends as
// ScanYears's result over them all. s is all the state there is: its
// turns of the year and last month are a YearTracker's year and month.
func ScanLines(data []byte, s *YearScan) {
	y := YearTracker{Year: s.Wraps, Month: s.LastMonth}
	for len(data) > 0 {
		if m := MonthOf(data); m != 0 {
			y.Next(m)
			s.Lines++
			if y.Month == m {
				s.LastDay = dayOf(data)
			}
		}
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		data = data[i+1:]
	}
	s.Wraps, s.LastMonth = y.Year, y.Month
}

// FirstYear returns the year of the first classic line of an input whose
// last line was written at or before end (the file's modification time),
// or in lastYear when that is not zero. A last line dated more than a day
// after end was written the year before.
func (s YearScan) FirstYear(end time.Time, lastYear int) int {
	if lastYear == 0 {
		lastYear = end.Year()
		m := int(end.Month())
		if s.LastMonth > m || s.LastMonth == m && s.LastDay > end.Day()+1 {
			lastYear--
		}
	}
	return lastYear - s.Wraps
}

// dayOf returns the day of the month of a classic line that MonthOf
// recognised, or 0.
func dayOf(line []byte) int {
	line = cutPRI(line)
	i := 4
	for i < len(line) && line[i] == ' ' {
		i++
	}
	d, _, ok := digits(line, i, 2)
	if !ok {
		return 0
	}
	return d
}
