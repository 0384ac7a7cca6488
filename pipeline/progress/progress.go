// Package progress shows how far a long step has gone, on a terminal
// only: one line, redrawn in place at most ten times a second, for a step
// that has run longer than a second, with a percentage and the time left
// where the step's size is known. Where the output is not a terminal (a
// cron job, a pipe) it writes nothing at all.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

const (
	// After is how long a step runs before its line is drawn: a quick
	// step leaves the terminal as it was.
	After = time.Second
	// Every is the least time between two redraws (ten a second).
	Every = 100 * time.Millisecond
)

// Bytes is the unit of a step that counts bytes: its numbers are shown
// as sizes (12.3 MB).
const Bytes = "bytes"

// Meter draws the line of the step under way. Its methods may be called
// from several goroutines, and on a nil *Meter do nothing, so a stage can
// be handed one or none.
type Meter struct {
	text, raw io.Writer
	on        bool
	now       func() time.Time

	mu      sync.Mutex
	name    string
	unit    string
	start   time.Time
	done    int64
	total   int64 // 0: none known yet
	unknown bool  // part of the total is not known: no percentage
	last    time.Time
	drawn   bool
	shown   string // the line drawn last
	stop    chan struct{}
}

// New returns a meter that draws when raw, the terminal itself, is one.
// Words go through text, the inert writer over raw (strings in a step's
// name could come from a log); only the carriage return and the erasing
// of the line go to raw. now is the clock; nil: time.Now.
func New(text, raw io.Writer, now func() time.Time) *Meter {
	return newMeter(text, raw, IsTerminal(raw), now)
}

func newMeter(text, raw io.Writer, on bool, now func() time.Time) *Meter {
	if now == nil {
		now = time.Now
	}
	return &Meter{text: text, raw: raw, on: on, now: now}
}

// IsTerminal says whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Start begins the step name, ending the one before. unit names what the
// step counts: Bytes, a plural such as "pictures", or "" for a step that
// only shows its time.
func (m *Meter) Start(name, unit string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
	m.name, m.unit, m.start = name, unit, m.now()
	m.done, m.total, m.unknown, m.last = 0, 0, false, time.Time{}
}

// Grow adds n to the size of the step; n < 0: a part of unknown size
// (the step shows no percentage from then on).
func (m *Meter) Grow(n int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n < 0 {
		m.unknown = true
		return
	}
	m.total += n
}

// Add counts n more done and redraws if it is time to.
func (m *Meter) Add(n int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done += n
	m.redraw()
}

// Set says how much of how much is done (total 0: not known) and redraws
// if it is time to.
func (m *Meter) Set(done, total int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done, m.total = done, total
	m.redraw()
}

// Tick redraws if it is time to: for a step that counts nothing, its time.
func (m *Meter) Tick() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.redraw()
}

// Run ticks the meter every Every until Stop, so that a step that counts
// nothing shows its time (and its line appears after a second) even
// when nothing calls Add. It does nothing where the meter is silent.
func (m *Meter) Run() {
	if m == nil || !m.on {
		return
	}
	m.mu.Lock()
	if m.stop != nil {
		m.mu.Unlock()
		return
	}
	stop := make(chan struct{})
	m.stop = stop
	m.mu.Unlock()
	go func() {
		t := time.NewTicker(Every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				m.Tick()
			}
		}
	}()
}

// Stop ends the step under way, erasing its line, and the ticking.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stop != nil {
		close(m.stop)
		m.stop = nil
	}
	m.clear()
	m.name = ""
}

// redraw draws the line when the step has run After and the last drawing
// is Every old; m.mu is held.
func (m *Meter) redraw() {
	if !m.on || m.name == "" {
		return
	}
	now := m.now()
	if now.Sub(m.start) < After || m.drawn && now.Sub(m.last) < Every {
		return
	}
	line := Line(m.name, m.unit, m.done, m.total, m.unknown, now.Sub(m.start))
	if m.drawn && line == m.shown {
		return
	}
	m.last, m.drawn, m.shown = now, true, line
	io.WriteString(m.raw, "\r")
	io.WriteString(m.text, line)
	io.WriteString(m.raw, "\x1b[K")
}

// Above returns a writer for messages during a step (warnings): each
// write first erases the line, which is drawn again below it at the next
// redraw. On a nil meter it is w.
func (m *Meter) Above(w io.Writer) io.Writer {
	if m == nil || w == nil {
		return w
	}
	return above{m, w}
}

type above struct {
	m *Meter
	w io.Writer
}

func (a above) Write(p []byte) (int, error) {
	a.m.mu.Lock()
	defer a.m.mu.Unlock()
	a.m.clear()
	return a.w.Write(p)
}

// clear erases the line if one is drawn; m.mu is held.
func (m *Meter) clear() {
	if m.drawn {
		io.WriteString(m.raw, "\r\x1b[K")
		m.drawn, m.shown = false, ""
	}
}

// maxName bounds a step's name on the line, which must not wrap: a
// carriage return goes back to the start of the last row only.
const maxName = 24

// Line is the text of a step's line: its name, what is done of the total
// (as a percentage, when the total is known and none of it is unknown),
// the time it has run and, once something is done, the time left at the
// rate so far.
func Line(name, unit string, done, total int64, unknown bool, ran time.Duration) string {
	if r := []rune(name); len(r) > maxName {
		name = string(r[:maxName-1]) + "…"
	}
	var b strings.Builder
	b.WriteString(name)
	known := total > 0 && !unknown
	if known && done > total {
		done = total
	}
	if known {
		fmt.Fprintf(&b, " %3d%%", done*100/total)
	}
	switch {
	case unit == Bytes && known:
		fmt.Fprintf(&b, " %s / %s", Size(done), Size(total))
	case unit == Bytes:
		fmt.Fprintf(&b, " %s", Size(done))
	case unit != "" && known:
		fmt.Fprintf(&b, " %d/%d %s", done, total, unit)
	case unit != "" && done > 0:
		fmt.Fprintf(&b, " %d %s", done, unit)
	}
	fmt.Fprintf(&b, " %s", Clock(ran))
	if known && done > 0 && done < total {
		left := time.Duration(float64(ran) * float64(total-done) / float64(done))
		fmt.Fprintf(&b, ", %s left", Clock(left))
	}
	return b.String()
}

// Clock shows d as m:ss, or h:mm:ss from an hour, rounded to the second.
func Clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Size shows n bytes in decimal units, three figures at most.
func Size(n int64) string {
	const units = "kMGTPE"
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	i := -1
	for v >= 999.5 && i < len(units)-1 {
		v /= 1000
		i++
	}
	switch {
	case v < 9.95:
		return fmt.Sprintf("%.2f %cB", v, units[i])
	case v < 99.5:
		return fmt.Sprintf("%.1f %cB", v, units[i])
	}
	return fmt.Sprintf("%.0f %cB", v, units[i])
}
