// Package load turns parsed events into Arrow record batches and writes
// them into DuckDB's events table: the one writer into the database.
package load

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BatchRows is how many events go into one Arrow record batch. Measured on
// gen-authlog's 1M-line log (BenchmarkIngest): 8k to 32k rows a batch are
// within a few per cent of each other; much smaller batches pay DuckDB's
// per-statement cost, much larger ones hold more memory for no gain.
const BatchRows = 16384

// Schema is the Arrow schema of a batch: the columns of the events table,
// in its order.
var Schema = arrow.NewSchema([]arrow.Field{
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "host", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "daemon", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "pid", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "kind", Type: arrow.BinaryTypes.String},
	{Name: "method", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "username", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "invalid_user", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "ip", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "port", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "repeat", Type: arrow.PrimitiveTypes.Int32},
	{Name: "source_id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "key", Type: arrow.PrimitiveTypes.Uint64},
}, nil)

// Row is one event as it goes into a batch. Its byte slices are copied.
type Row struct {
	TS          int64 // microseconds since the epoch, UTC
	Host        []byte
	Daemon      []byte
	PID         int32 // 0: none
	Kind        string
	Method      []byte // nil: none
	User        []byte
	HasUser     bool
	InvalidUser bool
	IP          []byte // nil: none
	Port        int32  // 0: none
	Repeat      int32
	Source      int32
	Line        int64
	Key         uint64
}

// Batch collects rows column by column in plain Go slices and hands them to
// Arrow without copying. Reset reuses its memory; do not Reset while a
// record made by Record is still being read.
type Batch struct {
	n                                    int
	ts                                   []int64
	host, daemon, kind, method, user, ip strCol
	pid, port                            i32Col
	invalid                              []byte
	repeat, source                       []int32
	line                                 []int64
	key                                  []uint64
	MinTS, MaxTS                         int64
}

// Len is the number of rows in the batch.
func (b *Batch) Len() int { return b.n }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	*b = Batch{
		ts: b.ts[:0], host: b.host.reset(), daemon: b.daemon.reset(), kind: b.kind.reset(),
		method: b.method.reset(), user: b.user.reset(), ip: b.ip.reset(),
		pid: b.pid.reset(), port: b.port.reset(), invalid: b.invalid[:0],
		repeat: b.repeat[:0], source: b.source[:0], line: b.line[:0], key: b.key[:0],
	}
}

// Add appends one row.
func (b *Batch) Add(r *Row) {
	if b.n == 0 || r.TS < b.MinTS {
		b.MinTS = r.TS
	}
	if b.n == 0 || r.TS > b.MaxTS {
		b.MaxTS = r.TS
	}
	i := b.n
	b.n++
	b.ts = append(b.ts, r.TS)
	b.host.add(i, r.Host, r.Host != nil)
	b.daemon.add(i, r.Daemon, r.Daemon != nil)
	b.pid.add(i, r.PID, r.PID != 0)
	b.kind.addString(i, r.Kind)
	b.method.add(i, r.Method, r.Method != nil)
	b.user.add(i, r.User, r.HasUser)
	if i&7 == 0 {
		b.invalid = append(b.invalid, 0)
	}
	if r.InvalidUser {
		b.invalid[i>>3] |= 1 << (i & 7)
	}
	b.ip.add(i, r.IP, r.IP != nil)
	b.port.add(i, r.Port, r.Port != 0)
	b.repeat = append(b.repeat, r.Repeat)
	b.source = append(b.source, r.Source)
	b.line = append(b.line, r.Line)
	b.key = append(b.key, r.Key)
}

// Record returns the batch as an Arrow record that shares the batch's
// memory. Release it before the batch is Reset.
func (b *Batch) Record() arrow.RecordBatch {
	n := b.n
	cols := []arrow.Array{
		fixed(Schema.Field(0).Type, n, nil, 0, bytesOf(b.ts)),
		b.host.array(n),
		b.daemon.array(n),
		b.pid.array(n),
		b.kind.array(n),
		b.method.array(n),
		b.user.array(n),
		fixed(arrow.FixedWidthTypes.Boolean, n, nil, 0, b.invalid),
		b.ip.array(n),
		b.port.array(n),
		fixed(arrow.PrimitiveTypes.Int32, n, nil, 0, bytesOf(b.repeat)),
		fixed(arrow.PrimitiveTypes.Int32, n, nil, 0, bytesOf(b.source)),
		fixed(arrow.PrimitiveTypes.Int64, n, nil, 0, bytesOf(b.line)),
		fixed(arrow.PrimitiveTypes.Uint64, n, nil, 0, bytesOf(b.key)),
	}
	rec := array.NewRecordBatch(Schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// validity is an Arrow validity bitmap built a row at a time.
type validity struct {
	bits  []byte
	nulls int
}

func (v *validity) add(i int, ok bool) {
	if i&7 == 0 {
		v.bits = append(v.bits, 0)
	}
	if ok {
		v.bits[i>>3] |= 1 << (i & 7)
	} else {
		v.nulls++
	}
}

func (v *validity) buffer() *memory.Buffer {
	if v.nulls == 0 {
		return nil
	}
	return memory.NewBufferBytes(v.bits)
}

type strCol struct {
	valid validity
	offs  []int32
	data  []byte
}

func (c strCol) reset() strCol {
	return strCol{valid: validity{bits: c.valid.bits[:0]}, offs: c.offs[:0], data: c.data[:0]}
}

func (c *strCol) add(i int, s []byte, ok bool) {
	if len(c.offs) == 0 {
		c.offs = append(c.offs, 0)
	}
	c.valid.add(i, ok)
	if ok {
		c.data = append(c.data, s...)
	}
	c.offs = append(c.offs, int32(len(c.data)))
}

func (c *strCol) addString(i int, s string) {
	if len(c.offs) == 0 {
		c.offs = append(c.offs, 0)
	}
	c.valid.add(i, true)
	c.data = append(c.data, s...)
	c.offs = append(c.offs, int32(len(c.data)))
}

func (c *strCol) array(n int) arrow.Array {
	if len(c.offs) == 0 {
		c.offs = append(c.offs, 0)
	}
	d := array.NewData(arrow.BinaryTypes.String, n,
		[]*memory.Buffer{c.valid.buffer(), memory.NewBufferBytes(bytesOf(c.offs)), memory.NewBufferBytes(c.data)},
		nil, c.valid.nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

type i32Col struct {
	valid validity
	v     []int32
}

func (c i32Col) reset() i32Col {
	return i32Col{valid: validity{bits: c.valid.bits[:0]}, v: c.v[:0]}
}

func (c *i32Col) add(i int, x int32, ok bool) {
	c.valid.add(i, ok)
	c.v = append(c.v, x)
}

func (c *i32Col) array(n int) arrow.Array {
	return fixed(arrow.PrimitiveTypes.Int32, n, c.valid.buffer(), c.valid.nulls, bytesOf(c.v))
}

func fixed(t arrow.DataType, n int, valid *memory.Buffer, nulls int, data []byte) arrow.Array {
	d := array.NewData(t, n, []*memory.Buffer{valid, memory.NewBufferBytes(data)}, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// bytesOf views a slice of fixed-width numbers as its bytes, for Arrow
// buffers that share the slice's memory.
func bytesOf[T int32 | int64 | uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
