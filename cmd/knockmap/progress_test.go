//go:build duckdb_arrow

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestMeterOnlyOnTerminal: a command's progress line exists only where
// its error stream is a terminal; under cron (a file, a pipe) there is
// none, and none is drawn through a wrapper that only claims to be one.
func TestMeterOnlyOnTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "cron.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		name     string
		w        io.Writer
		terminal bool
		want     bool
	}{
		{"buffer", &bytes.Buffer{}, false, false},
		{"file", f, false, false},
		{"file taken for a terminal", f, true, true}, // a meter, but progress.New finds no terminal under it
	} {
		func() {
			defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
			isTerminal = func(io.Writer) bool { return c.terminal }
			m := newMeter(inert(c.w))
			if (m != nil) != c.want {
				t.Errorf("%s: meter %v, want one: %v", c.name, m != nil, c.want)
			}
			m.Start("reading", units["reading"])
			m.Grow(100)
			for range 1000 {
				m.Add(1)
				m.Tick()
			}
			m.Stop()
		}()
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("%d bytes of progress written into a file", st.Size())
	}
}
