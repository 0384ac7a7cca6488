//go:build duckdb_arrow

package main

import (
	"io"

	"github.com/knockmap/knockmap/pipeline/progress"
)

// units are what the steps count, for their progress lines.
var units = map[string]string{"reading": progress.Bytes, "locating": "addresses", "drawing": "pictures"}

// newMeter is a command's progress line on errOut, its error stream: nil,
// which draws nothing, unless that is a terminal. The words go through
// the inert writer, the line's control bytes to the terminal itself.
func newMeter(errOut io.Writer) *progress.Meter {
	if !onTerminal(errOut) {
		return nil
	}
	m := progress.New(errOut, barWriter(errOut), nil)
	m.Run()
	return m
}

// startMeter is newMeter with the step name under way.
func startMeter(errOut io.Writer, name string) *progress.Meter {
	m := newMeter(errOut)
	m.Start(name, units[name])
	return m
}
