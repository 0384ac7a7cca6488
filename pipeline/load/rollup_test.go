//go:build duckdb_arrow

package load

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/sshd"
)

// get is the attempts of key k (after flush).
func (r *sums) get(k uint64) int64 {
	i, ok := slices.BinarySearchFunc(r.e[:r.sorted], k, func(x entry, k uint64) int { return cmp.Compare(x.k, k) })
	if !ok {
		return 0
	}
	return r.e[i].n
}

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
		for i, k := range []uint64{dayKey(c.day, ip), dayKey(c.day, user), dayKey(c.day, uint32(c.hour))} {
			if len(s.days[i].e) != 1 || s.days[i].get(k) != 3 {
				t.Errorf("%s: %s holds %v, want 3 at %x", c.ts, Rollups[i].Table, s.days[i].e, k)
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

// TestSumsAsAMap: runs of keys, in any order and past several
// compactions, with negative sums among them (forget's), add up per key
// as a map adds them, whether taken in one Sums or two merged; a key
// whose attempts come to 0 is left out of the record.
func TestSumsAsAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint64]int64{}
	var one, a, b sums
	for i := range 200_000 {
		k := dayKey(int32(rng.IntN(40))-5, uint32(rng.IntN(3_000)))
		n := int64(rng.IntN(5)) - 1
		for range 1 + rng.IntN(3) { // a run
			want[k] += n
			one.add(k, n)
			if i%2 == 0 {
				a.add(k, n)
			} else {
				b.add(k, n)
			}
		}
	}
	one.flush()
	a.merge(&b)
	for name, s := range map[string]*sums{"one": &one, "merged": &a} {
		if !slices.IsSortedFunc(s.e, func(x, y entry) int { return cmp.Compare(x.k, y.k) }) || s.sorted != len(s.e) {
			t.Errorf("%s: entries not in key order after flush", name)
		}
		got := map[uint64]int64{}
		for _, x := range s.e {
			if _, twice := got[x.k]; twice {
				t.Fatalf("%s: key %x twice", name, x.k)
			}
			got[x.k] = x.n
		}
		nonzero, zeros := 0, 0
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("%s: key %x sums to %d, want %d", name, k, got[k], n)
			}
			if n != 0 {
				nonzero++
			}
		}
		for k, n := range got {
			if n == 0 {
				zeros++
			} else if want[k] != n {
				t.Fatalf("%s: key %x sums to %d, want %d", name, k, n, want[k])
			}
		}
		rec := sumsRecord(s, rollupSchema)
		if int(rec.NumRows()) != nonzero || zeros == 0 {
			t.Errorf("%s: the record has %d rows, want %d (%d keys added up to 0 left out)", name, rec.NumRows(), nonzero, zeros)
		}
		rec.Release()
	}
}
