// Package load turns parsed events into Arrow record batches and writes
// them into DuckDB: the one writer into the database.
//
// Strings are dictionary-coded on the way: each distinct host, method,
// username and address gets a number once (the dict table), and a
// batch carries only fixed-width columns, plus the strings it saw first.
// DuckDB writes integers several times faster than strings.
package load

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Schema is the Arrow schema of a batch: the columns of event_rows, in order.
var Schema = arrow.NewSchema([]arrow.Field{
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "host_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "pid", Type: arrow.PrimitiveTypes.Int32},
	{Name: "kind_id", Type: arrow.PrimitiveTypes.Uint8},
	{Name: "method_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "user_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "invalid_user", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "ip_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "port", Type: arrow.PrimitiveTypes.Int32},
	{Name: "repeat", Type: arrow.PrimitiveTypes.Int32},
	{Name: "source_id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "key", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "conn", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "rhost_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "pubkey_id", Type: arrow.PrimitiveTypes.Uint32},
}, nil)

// DictSchema is the Arrow schema of the strings a batch adds to dict.
var DictSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "value", Type: arrow.BinaryTypes.String},
}, nil)

// Row is one event as it goes into a batch. Its byte slices are read, not
// kept.
type Row struct {
	TS          int64 // microseconds since the epoch, UTC
	Host        []byte
	PID         int32 // 0: none
	Kind        uint8 // sshd.Kind
	Method      []byte
	User        []byte
	HasUser     bool // User is set (it may be empty)
	InvalidUser bool
	IP          []byte
	Port        int32 // 0: none
	Repeat      int32
	Source      int32
	Line        int64
	Key         uint32
	Conn        uint32 // the line's connection (pipeline/connection); 0: none
	RHost       []byte // the client's host name, where sshd logged one instead of an address
	Pubkey      []byte // a login's key, "TYPE FINGERPRINT" (sql/0015_login_keys.sql); nil: none
}

// Dict numbers strings: the same string always gets the same id, and ids
// start after the highest already in the database. Id 0 means none.
type Dict struct {
	ids  map[string]uint32
	next uint32
	last [numCoded]lastCode // per column: the last string coded, since log lines repeat them
}

// The columns whose strings are coded, for Dict's per-column cache.
const (
	colHost = iota
	colMethod
	colUser
	colIP
	colRHost
	colPubkey
	numCoded
)

type lastCode struct {
	s  []byte
	id uint32
}

// NewDict returns an empty dictionary whose next id is 1.
func NewDict() *Dict { return &Dict{ids: map[string]uint32{}, next: 1} }

// Put records a string the database already holds under id.
func (d *Dict) Put(id uint32, s string) {
	d.ids[s] = id
	if id >= d.next {
		d.next = id + 1
	}
}

// Len is the number of strings in the dictionary.
func (d *Dict) Len() int { return len(d.ids) }

// Batch collects rows column by column in plain Go slices and hands them to
// Arrow without copying. Reset reuses its memory; do not Reset while a
// record made from it is still being read.
type Batch struct {
	n            int
	ts           []int64
	host         []uint32
	pid          []int32
	kind         []uint8
	method, user []uint32
	invalid      []byte // bitmap
	ip           []uint32
	port, repeat []int32
	source       []int32
	line         []int64
	key          []uint32
	conn         []uint32
	rhost        []uint32
	pubkey       []uint32
	// Strings are the strings first seen in this batch, for the dictionary.
	Strings Strings
	// MinTS and MaxTS bound the batch's time stamps.
	MinTS, MaxTS int64
	// ConnAddrs are the connections whose address a row of the batch
	// named first, with that address's id (for conn_addr).
	ConnAddrs ConnAddrs
	// Escaped counts the rows with a string that was not valid UTF-8 and
	// is stored escaped (see Escape).
	Escaped int64
}

// Len is the number of rows in the batch.
func (b *Batch) Len() int { return b.n }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	*b = Batch{
		ts: b.ts[:0], host: b.host[:0], pid: b.pid[:0], kind: b.kind[:0],
		method: b.method[:0], user: b.user[:0], invalid: b.invalid[:0], ip: b.ip[:0],
		port: b.port[:0], repeat: b.repeat[:0], source: b.source[:0], line: b.line[:0], key: b.key[:0], conn: b.conn[:0], rhost: b.rhost[:0], pubkey: b.pubkey[:0],
		Strings: b.Strings, ConnAddrs: b.ConnAddrs,
	}
	b.Strings.Reset()
	b.ConnAddrs.Reset()
}

// code returns the id of s, adding it to d and to the batch's new strings
// when it is new. A string that is not valid UTF-8 is stored escaped (see
// Escape), under the id of its escaped form, and its id comes back with
// escapedID set.
func (b *Batch) code(d *Dict, col int, s []byte, ok bool) uint32 {
	if !ok {
		return 0
	}
	last := &d.last[col]
	if last.id != 0 && string(last.s) == string(s) {
		return last.id
	}
	id, found := d.ids[string(s)]
	if !found {
		id = b.codeNew(d, s)
	}
	last.s, last.id = append(last.s[:0], s...), id
	return id
}

// escapedID marks, in what code returns and in Dict's map, the id of a
// string that was not valid UTF-8. Ids stay below it (Dict.Put and
// codeNew).
const escapedID = 1 << 31

// codeNew gives s, which d does not hold, its id.
func (b *Batch) codeNew(d *Dict, s []byte) uint32 {
	stored := Escape(s)
	if len(stored) == len(s) { // valid UTF-8: Escape lengthens anything else
		id := d.newID()
		d.ids[string(s)] = id
		b.Strings.add(id, s)
		return id
	}
	id, found := d.ids[string(stored)]
	if !found {
		id = d.newID()
		d.ids[string(stored)] = id
		b.Strings.add(id, stored)
	}
	id |= escapedID
	d.ids[string(s)] = id
	return id
}

func (d *Dict) newID() uint32 {
	if d.next >= escapedID {
		panic("load: more than 2^31 distinct strings")
	}
	id := d.next
	d.next++
	return id
}

// GaveConnAddr records that the last row added named the first address of
// its connection.
func (b *Batch) GaveConnAddr() {
	if b.n > 0 && b.ip[b.n-1] != 0 {
		b.ConnAddrs.conn = append(b.ConnAddrs.conn, b.conn[b.n-1])
		b.ConnAddrs.ip = append(b.ConnAddrs.ip, b.ip[b.n-1])
	}
}

// ConnAddrs are (connection, address id) pairs for the conn_addr table.
type ConnAddrs struct {
	conn, ip []uint32
}

// Len is the number of pairs.
func (c *ConnAddrs) Len() int { return len(c.conn) }

// Reset empties c, keeping its memory.
func (c *ConnAddrs) Reset() { c.conn, c.ip = c.conn[:0], c.ip[:0] }

// Append adds the pairs of from to c.
func (c *ConnAddrs) Append(from *ConnAddrs) {
	c.conn = append(c.conn, from.conn...)
	c.ip = append(c.ip, from.ip...)
}

// ConnAddrSchema is the Arrow schema of ConnAddrs' record.
var ConnAddrSchema = arrow.NewSchema([]arrow.Field{
	{Name: "conn", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "ip_id", Type: arrow.PrimitiveTypes.Uint32},
}, nil)

// Record returns the pairs as an Arrow record sharing their memory.
func (c *ConnAddrs) Record() arrow.RecordBatch {
	n := len(c.conn)
	return newRecord(ConnAddrSchema, []arrow.Array{
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(c.conn)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(c.ip)),
	}, n)
}

// Strings are strings new to the dictionary with their ids, end to end as
// Arrow keeps them: what a batch adds, and what the loader keeps of its
// batches' until it writes them.
type Strings struct {
	ids  []uint32
	offs []int32 // len(ids)+1 offsets into data, once there is a string
	data []byte
}

// Len is the number of strings.
func (s *Strings) Len() int { return len(s.ids) }

// Bytes is the length of the strings together.
func (s *Strings) Bytes() int { return len(s.data) }

// Reset empties s, keeping its memory.
func (s *Strings) Reset() {
	s.ids, s.offs, s.data = s.ids[:0], s.offs[:0], s.data[:0]
}

func (s *Strings) add(id uint32, v []byte) {
	if len(s.offs) == 0 {
		s.offs = append(s.offs, 0)
	}
	s.ids = append(s.ids, id)
	s.data = append(s.data, v...)
	s.offs = append(s.offs, int32(len(s.data)))
}

// Append adds the strings of from to s.
func (s *Strings) Append(from *Strings) {
	for i, id := range from.ids {
		s.add(id, from.data[from.offs[i]:from.offs[i+1]])
	}
}

// Add appends one row, coding its strings with d.
func (b *Batch) Add(d *Dict, r *Row) {
	if b.n == 0 || r.TS < b.MinTS {
		b.MinTS = r.TS
	}
	if b.n == 0 || r.TS > b.MaxTS {
		b.MaxTS = r.TS
	}
	i := b.n
	if i == 0 && cap(b.ts) < BatchRows {
		b.grow(BatchRows)
	}
	b.n++
	b.ts = append(b.ts, r.TS)
	host := b.code(d, colHost, r.Host, r.Host != nil)
	method := b.code(d, colMethod, r.Method, r.Method != nil)
	user := b.code(d, colUser, r.User, r.HasUser)
	ip := b.code(d, colIP, r.IP, r.IP != nil)
	rhost := b.code(d, colRHost, r.RHost, r.RHost != nil)
	pubkey := b.code(d, colPubkey, r.Pubkey, r.Pubkey != nil)
	if (host|method|user|ip|rhost|pubkey)&escapedID != 0 {
		b.Escaped++
		host, method, user, ip, rhost, pubkey = host&^escapedID, method&^escapedID, user&^escapedID, ip&^escapedID, rhost&^escapedID, pubkey&^escapedID
	}
	b.host = append(b.host, host)
	b.pid = append(b.pid, r.PID)
	b.kind = append(b.kind, r.Kind)
	b.method = append(b.method, method)
	b.user = append(b.user, user)
	if i&7 == 0 {
		b.invalid = append(b.invalid, 0)
	}
	if r.InvalidUser {
		b.invalid[i>>3] |= 1 << (i & 7)
	}
	b.ip = append(b.ip, ip)
	b.port = append(b.port, r.Port)
	b.repeat = append(b.repeat, r.Repeat)
	b.source = append(b.source, r.Source)
	b.line = append(b.line, r.Line)
	b.key = append(b.key, r.Key)
	b.conn = append(b.conn, r.Conn)
	b.rhost = append(b.rhost, rhost)
	b.pubkey = append(b.pubkey, pubkey)
}

// grow gives every column room for n rows, so that filling a batch never
// copies it.
func (b *Batch) grow(n int) {
	b.ts = make([]int64, 0, n)
	b.host = make([]uint32, 0, n)
	b.pid = make([]int32, 0, n)
	b.kind = make([]uint8, 0, n)
	b.method = make([]uint32, 0, n)
	b.user = make([]uint32, 0, n)
	b.invalid = make([]byte, 0, (n+7)/8)
	b.ip = make([]uint32, 0, n)
	b.port = make([]int32, 0, n)
	b.repeat = make([]int32, 0, n)
	b.source = make([]int32, 0, n)
	b.line = make([]int64, 0, n)
	b.key = make([]uint32, 0, n)
	b.conn = make([]uint32, 0, n)
	b.rhost = make([]uint32, 0, n)
	b.pubkey = make([]uint32, 0, n)
}

// Record returns the batch's rows as an Arrow record that shares the
// batch's memory. Release it before the batch is Reset.
func (b *Batch) Record() arrow.RecordBatch {
	n := b.n
	cols := []arrow.Array{
		fixed(Schema.Field(0).Type, n, bytesOf(b.ts)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.host)),
		fixed(arrow.PrimitiveTypes.Int32, n, bytesOf(b.pid)),
		fixed(arrow.PrimitiveTypes.Uint8, n, b.kind),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.method)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.user)),
		fixed(arrow.FixedWidthTypes.Boolean, n, b.invalid),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.ip)),
		fixed(arrow.PrimitiveTypes.Int32, n, bytesOf(b.port)),
		fixed(arrow.PrimitiveTypes.Int32, n, bytesOf(b.repeat)),
		fixed(arrow.PrimitiveTypes.Int32, n, bytesOf(b.source)),
		fixed(arrow.PrimitiveTypes.Int64, n, bytesOf(b.line)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.key)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.conn)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.rhost)),
		fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(b.pubkey)),
	}
	return newRecord(Schema, cols, n)
}

// Record returns the strings as an Arrow record of (id, value), for the
// dict table, sharing their memory.
func (s *Strings) Record() arrow.RecordBatch {
	n := len(s.ids)
	offs := s.offs
	if len(offs) == 0 {
		offs = []int32{0}
	}
	d := array.NewData(arrow.BinaryTypes.String, n,
		[]*memory.Buffer{nil, memory.NewBufferBytes(bytesOf(offs)), memory.NewBufferBytes(s.data)}, nil, 0, 0)
	values := array.MakeFromData(d)
	d.Release()
	cols := []arrow.Array{fixed(arrow.PrimitiveTypes.Uint32, n, bytesOf(s.ids)), values}
	return newRecord(DictSchema, cols, n)
}

func newRecord(s *arrow.Schema, cols []arrow.Array, n int) arrow.RecordBatch {
	rec := array.NewRecordBatch(s, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

func fixed(t arrow.DataType, n int, data []byte) arrow.Array {
	d := array.NewData(t, n, []*memory.Buffer{nil, memory.NewBufferBytes(data)}, nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// bytesOf views a slice of fixed-width numbers as its bytes, for Arrow
// buffers that share the slice's memory.
func bytesOf[T int32 | uint32 | int64 | uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
