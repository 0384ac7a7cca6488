//go:build duckdb_arrow

package load

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/sql"
)

// dayKey is one row of a rollup, a UTC day (days since 1970) and a key,
// as one number: the day in the high 32 bits, the key in the low.
func dayKey(day int32, key uint32) uint64 { return uint64(uint32(day))<<32 | uint64(key) }

// Rollup names one of the per-day rollups of sql/0017_rollups.sql: its
// table, its key column and the key's expression over event_rows.
type Rollup struct {
	Table, Key, Expr string
}

// Rollups are the three rollups, in the order of Sums' maps (the port's
// was dropped in sql/0019_no_port_rollup.sql).
var Rollups = [3]Rollup{
	{"rollup_address_days", "ip_id", "ip_id"},
	{"rollup_username_days", "user_id", "user_id"},
	{"rollup_hours", "hour", "utc_hour(ts)"},
}

// Sums are the failed attempts (repeats counted) of some rows per day and
// key of each rollup (address, username, hour), and per (address,
// username) pair over all days, added up in Go so that DuckDB, whose one
// thread loads the rows, only appends a small record per rollup at the
// commit.
type Sums struct {
	days [len(Rollups)]sums // keys: dayKey
	// for rollup_address_users (sql/0027_address_user_rollup.sql): the
	// address's id in the high 32 bits, the username's in the low
	pairs sums
}

// sums are attempts per key. A log's lines come in runs of one hour, and
// often of one address and username, so the last key's attempts are kept
// aside until another key comes; each run then becomes an entry of a
// list, which is sorted and added up by key now and then. A Go map
// updated a run cost more: over gen-authlog's 1M lines its four maps took
// 110 ms of CPU, a third of the goroutine that fills the batches
// (docs/performance.md).
type sums struct {
	e      []entry
	sorted int // e[:sorted] is in key order, each key once
	last   uint64
	n      int64   // last's attempts not yet in e
	spare  []entry // radixSort's, kept for the next
}

type entry struct {
	k uint64
	n int64
}

// compactFrom is how many entries past the sorted ones wait before
// they are sorted in: at least as many as are sorted, so that each entry
// is merged a few times at most.
const compactFrom = 1 << 14

func (r *sums) add(k uint64, n int64) {
	if k != r.last {
		if r.n != 0 {
			r.push(r.last, r.n)
		}
		r.last, r.n = k, 0
	}
	r.n += n
}

func (r *sums) push(k uint64, n int64) {
	r.e = append(r.e, entry{k, n})
	if len(r.e)-r.sorted >= max(r.sorted, compactFrom) {
		r.compact()
	}
}

// flush puts the run aside into the entries and sorts them in.
func (r *sums) flush() {
	if r.n != 0 {
		r.push(r.last, r.n)
		r.n = 0
	}
	r.compact()
}

// compact sorts the entries past the sorted ones, adds up each key's,
// and merges them with the sorted ones.
func (r *sums) compact() {
	if r.sorted == len(r.e) {
		return
	}
	tail := r.e[r.sorted:]
	r.spare = radixSort(tail, r.spare)
	tail = addUp(tail)
	if r.sorted == 0 {
		r.e = r.e[:len(tail)]
		r.sorted = len(tail)
		return
	}
	r.e = mergeSorted(r.e[:r.sorted], tail)
	r.sorted = len(r.e)
}

// mergeSorted is a and b, each in key order with each key once, merged
// into a new list of the same kind, each key's attempts added up; with
// room for compactFrom more.
func mergeSorted(a, b []entry) []entry {
	out := make([]entry, 0, len(a)+len(b)+compactFrom)
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch x, y := a[i], b[j]; {
		case x.k < y.k:
			out = append(out, x)
			i++
		case x.k > y.k:
			out = append(out, y)
			j++
		default:
			out = append(out, entry{x.k, x.n + y.n})
			i++
			j++
		}
	}
	return append(append(out, a[i:]...), b[j:]...)
}

// radixSort sorts e by key, a byte at a time from the lowest, through
// spare (grown to e's length, and returned), leaving out the bytes in
// which all keys agree: a day's, an id's high ones.
func radixSort(e, spare []entry) []entry {
	if len(e) < 2 {
		return spare
	}
	if cap(spare) < len(e) {
		spare = make([]entry, len(e))
	}
	src, dst := e, spare[:len(e)]
	var counts [8][256]int
	for _, x := range e {
		k := x.k
		for b := range 8 {
			counts[b][byte(k>>(8*b))]++
		}
	}
	for b := range 8 {
		c := &counts[b]
		if c[byte(e[0].k>>(8*b))] == len(e) {
			continue // every key has this byte
		}
		at := 0
		for i, n := range c {
			c[i] = at
			at += n
		}
		shift := 8 * uint(b)
		for _, x := range src {
			i := byte(x.k >> shift)
			dst[c[i]] = x
			c[i]++
		}
		src, dst = dst, src
	}
	if &src[0] != &e[0] {
		copy(e, src)
	}
	return spare
}

// addUp adds up the entries of each key of e, which is in key order, in
// place, and returns them.
func addUp(e []entry) []entry {
	if len(e) == 0 {
		return e
	}
	w := 0
	for _, x := range e[1:] {
		if x.k == e[w].k {
			e[w].n += x.n
		} else {
			w++
			e[w] = x
		}
	}
	return e[:w+1]
}

// merge adds o into r.
func (r *sums) merge(o *sums) {
	o.flush()
	r.flush()
	r.e = mergeSorted(r.e, o.e)
	r.sorted = len(r.e)
}

// NewSums returns empty sums.
func NewSums() *Sums { return &Sums{} }

const (
	usPerDay  = 86400_000_000
	usPerHour = 3600_000_000
)

// floorDiv divides rounding down, so that stamps before 1970 fall on the
// right day, as utc_day does (sql/0005_utc_macros.sql).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// add adds n attempts at time stamp ts (Unix µs) of address ip and
// username user.
func (s *Sums) add(ts int64, ip, user uint32, n int64) {
	day := floorDiv(ts, usPerDay)
	hour := floorDiv(ts, usPerHour) - day*24
	d := int32(day)
	s.days[0].add(dayKey(d, ip), n)
	s.days[1].add(dayKey(d, user), n)
	s.days[2].add(dayKey(d, uint32(hour)), n)
	s.pairs.add(uint64(ip)<<32|uint64(user), n)
}

// flush puts the runs of add into the maps.
func (s *Sums) flush() {
	for i := range s.days {
		s.days[i].flush()
	}
	s.pairs.flush()
}

// AddBatch adds the failed rows of b: all of them are to be loaded (a
// batch appended without the overlap check).
func (s *Sums) AddBatch(b *Batch) {
	for i := 0; i < b.n; i++ {
		if b.kind[i] == uint8(sshd.KindFailed) {
			s.add(b.ts[i], b.ip[i], b.user[i], int64(b.repeat[i]))
		}
	}
}

// Merge adds o into s.
func (s *Sums) Merge(o *Sums) {
	for i := range s.days {
		s.days[i].merge(&o.days[i])
	}
	s.pairs.merge(&o.pairs)
}

// Empty tells whether s holds no sums.
func (s *Sums) Empty() bool { return len(s.days[0].e) == 0 && s.days[0].n == 0 }

// Len is how many sums s holds, of every rollup: entries not yet added
// up by key counted, each of them.
func (s *Sums) Len() int {
	n := len(s.pairs.e)
	for i := range s.days {
		n += len(s.days[i].e)
	}
	return n
}

var (
	rollupHeld      = sqlfiles.Statement("ingest/rollup_held")
	rollupAppend    = sqlfiles.Statement("ingest/rollup_append")
	rollupMerge     = sqlfiles.Statement("ingest/rollup_merge")
	rollupBatchSums = sqlfiles.Statement("ingest/rollup_batch_sums")
	rollupRebuild   = sqlfiles.Statement("ingest/rollup_rebuild")
	pairMerge       = sqlfiles.Statement("ingest/pair_merge")
)

// MergeSQL is sql/ingest/rollup_merge.sql for rollup r, a statement at a
// time: it adds the temporary table rollup_batch to r.
func MergeSQL(r Rollup) []string { return sqlfiles.Split(forRollup(rollupMerge, r)) }

// PairMergeSQL is sql/ingest/pair_merge.sql, a statement at a time: it
// adds the temporary table pair_batch to rollup_address_users.
func PairMergeSQL() []string { return sqlfiles.Split(pairMerge) }

// MergeBatch runs merge (MergeSQL, PairMergeSQL), which adds the
// temporary table batch to its rollup, then drops batch: an ingest's
// sums copied there, or the negative sums of the rows forget drops.
func MergeBatch(ctx context.Context, ex Execer, batch string, merge []string) error {
	for _, q := range append(merge, "DROP TABLE temp."+batch) {
		if _, err := ex.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// forRollup fills r's table and key column into statement q.
func forRollup(q string, r Rollup) string {
	return strings.NewReplacer("{rollup}", r.Table, "{key}", r.Key).Replace(q)
}

// rollupSchema is the Arrow schema of one rollup's sums (rollup_batch).
var rollupSchema = arrow.NewSchema([]arrow.Field{
	{Name: "day", Type: arrow.FixedWidthTypes.Date32},
	{Name: "key", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "attempts", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// record is rollup i's sums as an Arrow record of rollupSchema.
func (s *Sums) record(i int) arrow.RecordBatch {
	return sumsRecord(&s.days[i], rollupSchema)
}

// pairSchema is the Arrow schema of the pairs' sums (pair_batch).
var pairSchema = arrow.NewSchema([]arrow.Field{
	{Name: "ip_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "user_id", Type: arrow.PrimitiveTypes.Uint32},
	{Name: "attempts", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// pairRecord is the pairs' sums as an Arrow record of pairSchema.
func (s *Sums) pairRecord() arrow.RecordBatch {
	return sumsRecord(&s.pairs, pairSchema)
}

// sumsRecord is the sums of r that are not zero, in key order, as an
// Arrow record of schema: each key split into its high and low 32 bits
// (schema's first two columns), then its attempts.
func sumsRecord(r *sums, schema *arrow.Schema) arrow.RecordBatch {
	r.flush()
	firsts := make([]uint32, 0, len(r.e))
	seconds := make([]uint32, 0, len(r.e))
	vals := make([]int64, 0, len(r.e))
	for _, x := range r.e {
		if x.n == 0 {
			continue
		}
		firsts, seconds, vals = append(firsts, uint32(x.k>>32)), append(seconds, uint32(x.k)), append(vals, x.n)
	}
	n := len(vals)
	return newRecord(schema, []arrow.Array{fixed(schema.Field(0).Type, n, bytesOf(firsts)),
		fixed(schema.Field(1).Type, n, bytesOf(seconds)), fixed(arrow.PrimitiveTypes.Int64, n, bytesOf(vals))}, n)
}

// sumInserted adds the failed rows that batch b, loaded with the overlap
// check, kept: n of its rows were new. All new: b's own sums; none: none;
// else the database says which (sql/ingest/rollup_batch_sums.sql).
func (l *Loader) sumInserted(ctx context.Context, b *Batch, source int32, n int64) error {
	if n == 0 {
		return nil
	}
	if l.sums == nil {
		l.sums = NewSums()
	}
	if n == int64(b.n) {
		l.sums.AddBatch(b)
		return nil
	}
	first, last := b.line[0], b.line[0]
	for _, v := range b.line[1:b.n] {
		first, last = min(first, v), max(last, v)
	}
	us := func(v int64) time.Time { return time.UnixMicro(v).UTC() }
	rows, err := l.conn.QueryContext(ctx, rollupBatchSums, source, first, last, us(b.MinTS), us(b.MaxTS))
	if err != nil {
		return fmt.Errorf("the rollups' sums of a batch: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day, hour int32
		var ip, user uint32
		var attempts int64
		if err := rows.Scan(&day, &hour, &ip, &user, &attempts); err != nil {
			return fmt.Errorf("the rollups' sums of a batch: %w", err)
		}
		l.sums.add(int64(day)*usPerDay+int64(hour)*usPerHour, ip, user, attempts)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("the rollups' sums of a batch: %w", err)
	}
	return nil
}

// AddSums adds sums that the caller took of batches it gave Insert
// without the overlap check (Sums.AddBatch), to be written by Commit;
// the loader takes s over.
func (l *Loader) AddSums(s *Sums) {
	if s == nil || s.Empty() {
		return
	}
	if l.sums == nil {
		l.sums = s // taken, not copied: a first night's hold many keys
		return
	}
	l.sums.Merge(s)
}

// FlushSums adds the sums taken so far (AddSums, and those of the
// batches loaded with the overlap check) to the rollups, one small record
// a rollup: appended where the rollup holds none of their days (a first
// ingest, or a night that begins a day), else merged into the rows there.
// Commit calls it; a long ingest calls it before, in its transaction, so
// as not to hold every sum until then (a new 2 GB log's held 122 MB of Go
// maps).
func (l *Loader) FlushSums(ctx context.Context) error {
	if l.sums == nil || l.sums.Empty() {
		return nil
	}
	l.sums.flush()
	first := int32(math.MaxInt32)
	for _, x := range l.sums.days[len(Rollups)-1].e { // the hours: a row a day at least
		first = min(first, int32(x.k>>32))
	}
	day := time.Unix(int64(first)*86400, 0).UTC().Format(time.DateOnly)
	for i, r := range Rollups {
		var held bool
		if err := l.conn.QueryRowContext(ctx, forRollup(rollupHeld, r), day).Scan(&held); err != nil {
			return fmt.Errorf("adding to %s: %w", r.Table, err)
		}
		if err := l.addRecord(ctx, l.sums.record(i), held, forRollup(rollupAppend, r), "rollup_batch", MergeSQL(r)); err != nil {
			return fmt.Errorf("adding to %s: %w", r.Table, err)
		}
	}
	var held bool
	if err := l.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rollup_address_users)`).Scan(&held); err != nil {
		return fmt.Errorf("adding to rollup_address_users: %w", err)
	}
	if err := l.addRecord(ctx, l.sums.pairRecord(), held, pairAppend, "pair_batch", PairMergeSQL()); err != nil {
		return fmt.Errorf("adding to rollup_address_users: %w", err)
	}
	l.sums = nil
	return nil
}

// pairAppend adds the pairs' record to an empty rollup_address_users.
const pairAppend = `INSERT INTO rollup_address_users SELECT ip_id, user_id, attempts FROM rollup_arrow`

// addRecord adds rec, a record of sums, to its rollup, and releases it:
// appended by appendSQL where the rollup holds none of its keys (held is
// false: a first ingest, or a night that begins a day), else copied into
// the temporary table batch, since a registered record is read once and
// the merge reads it thrice, and merged there (MergeBatch).
func (l *Loader) addRecord(ctx context.Context, rec arrow.RecordBatch, held bool, appendSQL, batch string, merge []string) error {
	defer rec.Release()
	if !held {
		_, err := l.exec(ctx, rec, "rollup_arrow", appendSQL)
		return err
	}
	if _, err := l.exec(ctx, rec, "rollup_arrow", "CREATE OR REPLACE TEMPORARY TABLE "+batch+" AS SELECT * FROM rollup_arrow"); err != nil {
		return err
	}
	return MergeBatch(ctx, l.conn, batch, merge)
}

// Execer runs a statement in a transaction: a *sql.Conn or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// RebuildRollups makes the rollups anew from every row
// (sql/ingest/rollup_rebuild.sql).
func RebuildRollups(ctx context.Context, ex Execer) error {
	if _, err := ex.ExecContext(ctx, rollupRebuild); err != nil {
		return fmt.Errorf("rebuilding the rollups: %w", err)
	}
	return nil
}
