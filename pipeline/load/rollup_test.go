//go:build duckdb_arrow

package load

import (
	"fmt"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// TestSumsDaysAndHours: a batch's failed rows are summed per UTC day and
// hour as utc_day and utc_hour count them (before 1970 too), repeats
// counted, other kinds left out.
func TestSumsDaysAndHours(t *testing.T) {
	us := func(s string) int64 {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMicro()
	}
	for _, c := range []struct {
		ts        string
		day, hour int32
	}{
		{"1970-01-01T00:00:00Z", 0, 0},
		{"2024-03-01T23:59:59.999999Z", 19783, 23},
		{"2024-03-02T00:00:00Z", 19784, 0},
		{"1969-12-31T23:30:00Z", -1, 23},
		{"1969-12-31T00:00:00.5Z", -1, 0},
	} {
		var b Batch
		d := NewDict()
		b.Add(d, &Row{TS: us(c.ts), Kind: uint8(sshd.KindFailed), IP: []byte("192.0.2.1"), User: []byte("root"), HasUser: true, Port: 22, Repeat: 3})
		b.Add(d, &Row{TS: us(c.ts), Kind: uint8(sshd.KindAccepted), IP: []byte("192.0.2.1"), Repeat: 1})
		s := NewSums()
		s.AddBatch(&b)
		s.flush()
		ip, user := b.ip[0], b.user[0]
		for i, k := range []dayKey{{c.day, ip}, {c.day, user}, {c.day, uint32(c.hour)}} {
			if len(s.days[i].m) != 1 || s.days[i].m[k] != 3 {
				t.Errorf("%s: %s holds %v, want 3 at %v", c.ts, Rollups[i].Table, s.days[i].m, k)
			}
		}
	}
}

// BenchmarkSumsAddBatch: the rollups' sums of a batch of failed lines, as
// the reader takes them for every batch it sends (the hot path of an
// ingest): runs of a few lines of one address and username, 40 seconds
// apart, 2,000 addresses and 500 usernames.
func BenchmarkSumsAddBatch(b *testing.B) {
	var batch Batch
	d := NewDict()
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for i := range BatchRows {
		run := i / 4
		batch.Add(d, &Row{TS: t0 + int64(i)*40e6, Kind: uint8(sshd.KindFailed),
			IP: fmt.Appendf(nil, "192.0.%d.%d", run%2000/250, run%250), User: fmt.Appendf(nil, "user%d", run*7%500), HasUser: true, Port: 22, Repeat: 1})
	}
	b.ResetTimer()
	for range b.N {
		s := NewSums()
		s.AddBatch(&batch)
		s.flush()
	}
}
