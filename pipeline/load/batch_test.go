package load

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestKeepStrings: the strings of several batches, kept together for the
// dictionary, come out with their ids in one record.
func TestKeepStrings(t *testing.T) {
	d := NewDict()
	var kept Strings
	var b Batch
	want := map[uint32]string{}
	for i, words := range [][]string{{"root", "203.0.113.7"}, {}, {"admin", "root", "2001:db8::1", ""}} {
		b.Reset()
		for _, w := range words {
			id := b.code(d, colUser, []byte(w), true)
			want[id] = w
		}
		kept.Append(&b.Strings)
		if i == 0 && kept.Len() != 2 {
			t.Fatalf("after the first batch: %d strings kept", kept.Len())
		}
	}
	rec := kept.Record()
	defer rec.Release()
	if int(rec.NumRows()) != len(want) {
		t.Fatalf("%d strings in the record, want %d", rec.NumRows(), len(want))
	}
	ids, values := rec.Column(0).(*array.Uint32), rec.Column(1).(*array.String)
	for i := 0; i < int(rec.NumRows()); i++ {
		if w, ok := want[ids.Value(i)]; !ok || w != values.Value(i) {
			t.Errorf("row %d: id %d %q, want %q", i, ids.Value(i), values.Value(i), w)
		}
	}
}
