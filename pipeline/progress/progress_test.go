package progress

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fake is a clock a test moves by hand.
type fake struct{ t time.Time }

func (f *fake) now() time.Time { return f.t }

// TestRateLimit: a step that counts every millisecond for five simulated
// seconds draws nothing in its first second and at most ten times in
// each second after.
func TestRateLimit(t *testing.T) {
	for _, step := range []time.Duration{time.Millisecond, 7 * time.Millisecond, 99 * time.Millisecond, 250 * time.Millisecond} {
		clock := &fake{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		var text, raw bytes.Buffer
		m := newMeter(&text, &raw, true, clock.now)
		m.Start("reading", Bytes)
		m.Grow(1 << 30)
		start := clock.t
		perSecond := map[int]int{}
		for clock.t.Sub(start) < 5*time.Second {
			before := raw.Len()
			m.Add(1000)
			if raw.Len() > before {
				perSecond[int(clock.t.Sub(start)/time.Second)]++
			}
			clock.t = clock.t.Add(step)
		}
		if perSecond[0] != 0 {
			t.Errorf("every %s: %d redraws in the first second, want none", step, perSecond[0])
		}
		for s := 1; s < 5; s++ {
			// a call at least Every after the last drawing draws
			gap := (Every + step - 1) / step * step
			want := int(time.Second / gap)
			if n := perSecond[s]; n > 10 || n < want-1 {
				t.Errorf("every %s: %d redraws in second %d, want %d (at most 10)", step, n, s+1, want)
			}
		}
	}
}

// TestSilentOffTerminal: a meter over files that are not a terminal, as
// under cron, writes nothing however long its steps run.
func TestSilentOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var text bytes.Buffer
	for _, raw := range []interface{ Write([]byte) (int, error) }{f, &bytes.Buffer{}} {
		clock := &fake{t: time.Unix(0, 0)}
		m := New(&text, raw, clock.now)
		m.Run()
		for _, name := range []string{"reading", "locating", "drawing"} {
			m.Start(name, "pictures")
			m.Grow(100)
			for i := 0; i < 100; i++ {
				clock.t = clock.t.Add(time.Second)
				m.Add(1)
				m.Tick()
			}
		}
		m.Stop()
	}
	st, _ := f.Stat()
	if st.Size() != 0 || text.Len() != 0 {
		t.Errorf("not a terminal, yet %d bytes and %q were written", st.Size(), text.String())
	}
}

// TestWordsGoThroughText: only the carriage return and the erasing of the
// line go to the terminal itself; the words, a step's name among them,
// go through the inert writer.
func TestWordsGoThroughText(t *testing.T) {
	clock := &fake{t: time.Unix(0, 0)}
	var text, raw bytes.Buffer
	m := newMeter(&text, &raw, true, clock.now)
	m.Start("\x1b]0;pwned\x07 host", "")
	clock.t = clock.t.Add(2 * time.Second)
	m.Tick()
	m.Start("next", "")
	m.Stop()
	if got := strings.ReplaceAll(strings.ReplaceAll(raw.String(), "\r", ""), "\x1b[K", ""); got != "" {
		t.Errorf("the terminal itself was given %q besides returns and erasing", got)
	}
	if raw.String() != "\r\x1b[K\r\x1b[K" {
		t.Errorf("raw %q, want one line drawn and erased", raw.String())
	}
	if !strings.HasPrefix(text.String(), "\x1b]0;pwned\x07 host") {
		t.Errorf("text %q: the name did not go through the text writer", text.String())
	}
}

// TestAbove: a warning written during a step erases the line first, and
// the line comes back at the next redraw, below it.
func TestAbove(t *testing.T) {
	clock := &fake{t: time.Unix(0, 0)}
	var out bytes.Buffer
	m := newMeter(&out, &out, true, clock.now)
	m.Start("reading", Bytes)
	clock.t = clock.t.Add(2 * time.Second)
	m.Add(10)
	io.WriteString(m.Above(&out), "auth.log:3: bad line\n")
	clock.t = clock.t.Add(time.Second)
	m.Add(10)
	want := "\rreading 10 B 0:02\x1b[K\r\x1b[Kauth.log:3: bad line\n\rreading 20 B 0:03\x1b[K"
	if out.String() != want {
		t.Errorf("wrote %q, want %q", out.String(), want)
	}
	if w := (*Meter)(nil).Above(&out); w != &out {
		t.Errorf("a nil meter's Above is not the writer itself")
	}
}

// TestSameLine: a line that would not change is not drawn again.
func TestSameLine(t *testing.T) {
	clock := &fake{t: time.Unix(0, 0)}
	var text, raw bytes.Buffer
	m := newMeter(&text, &raw, true, clock.now)
	m.Start("exporting", "")
	clock.t = clock.t.Add(time.Second)
	for range 9 {
		m.Tick()
		clock.t = clock.t.Add(Every)
	}
	if n := strings.Count(text.String(), "exporting"); n != 2 {
		t.Errorf("drawn %d times in 0.9 s from 0:01 to 0:02 (%q), want 2", n, text.String())
	}
}

func TestLine(t *testing.T) {
	for _, c := range []struct {
		name, unit  string
		done, total int64
		unknown     bool
		ran         time.Duration
		want        string
	}{
		{"reading", Bytes, 250e6, 1e9, false, 10 * time.Second, "reading  25% 250 MB / 1.00 GB 0:10, 0:30 left"},
		{"reading", Bytes, 250e6, 1e9, true, 10 * time.Second, "reading 250 MB 0:10"},
		{"reading", Bytes, 0, 1e9, false, 2 * time.Second, "reading   0% 0 B / 1.00 GB 0:02"},
		{"reading", Bytes, 2e9, 1e9, false, 2 * time.Second, "reading 100% 1.00 GB / 1.00 GB 0:02"},
		{"drawing", "pictures", 7, 28, false, 1500 * time.Millisecond, "drawing  25% 7/28 pictures 0:02, 0:05 left"},
		{"locating", "addresses", 4096, 0, false, 3 * time.Second, "locating 4096 addresses 0:03"},
		{"exporting", "", 0, 0, false, 61 * time.Second, "exporting 1:01"},
		{"reading", Bytes, 1, 3, false, 2 * time.Hour, "reading  33% 1 B / 3 B 2:00:00, 4:00:00 left"},
		{strings.Repeat("n", 40), "", 0, 0, false, 0, strings.Repeat("n", 23) + "… 0:00"},
	} {
		if got := Line(c.name, c.unit, c.done, c.total, c.unknown, c.ran); got != c.want {
			t.Errorf("Line(%q, %q, %d, %d, %v, %s) = %q, want %q", c.name, c.unit, c.done, c.total, c.unknown, c.ran, got, c.want)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.00 kB", 12345: "12.3 kB", 999_499: "999 kB", 999_500: "1.00 MB", 27_100_000: "27.1 MB", 5e12: "5.00 TB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNil: a stage handed no meter can call it all the same.
func TestNil(t *testing.T) {
	var m *Meter
	m.Start("x", "")
	m.Grow(1)
	m.Add(1)
	m.Set(1, 2)
	m.Tick()
	m.Run()
	m.Stop()
}
