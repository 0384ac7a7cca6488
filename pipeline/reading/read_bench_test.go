package reading

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/knockmap/knockmap/internal/sharedtest"
	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// BenchmarkParse reads and parses gen-authlog's 1M-line syslog with no
// database: line splitting, year inference, stamps, sshd messages.
func BenchmarkParse(b *testing.B) {
	log := sharedtest.Log(b, 1_000_000)
	fi, _ := os.Stat(log)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	var lines, events int64
	for i := 0; i < b.N; i++ {
		srcs, _ := input.Expand([]string{log}, nil, time.Now())
		_, first, _, err := srcs[0].Fingerprint()
		if err != nil {
			b.Fatal(err)
		}
		st := NewStats()
		_, err = ReadSource(context.Background(), srcs[0], first, Cursor{}, Options{Location: time.UTC}, st,
			func(*syslog.Record, *sshd.Event, int64) error { events++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		lines += st.Lines
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}
