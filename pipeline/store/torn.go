package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A checkpoint rewrites DuckDB's metadata blocks in place: each 256 KiB
// block holds 64 sub-blocks, and the new checkpoint's metadata goes into
// the sub-blocks the last one left free, in blocks that also hold the
// last checkpoint's. Linux stops a buffered write between two pages when
// the process gets SIGKILL, so a knockmap killed in that moment (the OOM
// killer, kill -9) leaves such a block half-written: its first pages new,
// the checksum at its start with them, the rest as it was. Every sub-block
// the last checkpoint uses is unchanged, but the block's checksum no
// longer matches, and DuckDB refuses the whole database ("Corrupt database
// file: computed checksum ... in block at location ..."). The ingest's
// kill test met it once in CI and twice in about 5,000 kills here, each
// time in block 2 of its database.
//
// mendTorn makes such a database open again, and only that: before
// DuckDB opens a database to write it, every metadata block of the last
// checkpoint (listed in the file's free list) whose checksum does not
// match what it holds gets the checksum of what it holds, which is what
// DuckDB wrote there at the last checkpoint, after the block's place and
// old checksum are recorded beside the database, so that the change can
// be undone. A checksum cannot tell a torn write from a flipped bit in the
// same block; the record says so. A data block cannot be torn this way:
// DuckDB writes those to blocks the last checkpoint does not use.
// docs/crash-safety.md has the evidence.

// tornBlock is DuckDB's refusal of a block whose checksum does not match.
var tornBlock = regexp.MustCompile(`Corrupt database file: computed checksum (\d+) does not match stored checksum (\d+) in block at location (\d+)`)

// DuckDB's file layout (storage version 64 and later): a 4 KiB main
// header, two 4 KiB database headers, then blocks, each starting with the
// checksum of the rest of it.
const (
	fileHeaderSize   = 4096
	blockStart       = headerBytes // the three headers
	blockHeader      = 8           // the checksum
	defaultAllocSize = 256 << 10
	subBlocks        = 64 // metadata sub-blocks in a block
	invalidPointer   = ^uint64(0)
)

// tornRepair is what mendTorn did, or (tornHint) what it would do.
type tornRepair struct {
	location         int64
	stored, computed uint64
	record           string // the file that records the change; "" when nothing was written
}

// errNotTorn says that an open error is not a torn metadata block.
var errNotTorn = errors.New("not a torn metadata block")

// mendTorn runs before DuckDB opens the database at path to write it: it
// checks the checksum of every metadata block of the last checkpoint and
// mends each that does not match (see above). DuckDB reads some of them
// only when a query first needs a table's rows, so waiting for its error
// at the open would miss those. It leaves the file alone when this process
// has it open already (closing a descriptor would drop DuckDB's lock on
// it), when another process holds DuckDB's lock, when it cannot tell where
// the metadata is, and outside Linux: then DuckDB judges the file as it
// is. It returns what it mended.
func mendTorn(path string) ([]tornRepair, error) {
	if !processesKnown {
		return nil, nil
	}
	if _, open := FileDescriptor(path); open {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil // a new database, or one that cannot be written: DuckDB will say
	}
	defer f.Close()
	// no other process has the database open: DuckDB holds this lock on a
	// file it has open
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lock) != nil {
		return nil, nil
	}
	torn, err := tornBlocks(f)
	if err != nil {
		return nil, nil // shorter than its header says, or no metadata to find: DuckDB will say
	}
	var done []tornRepair
	for _, r := range torn {
		r, err := mend(f, path, r)
		if err != nil {
			return done, err
		}
		done = append(done, r)
	}
	return done, nil
}

// tornBlocks are the last checkpoint's metadata blocks of f whose
// checksum does not match what they hold, in the file's order.
func tornBlocks(f *os.File) ([]tornRepair, error) {
	alloc, meta, err := metadataBlocks(f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(meta))
	for id := range meta {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var torn []tornRepair
	block := make([]byte, alloc)
	for _, id := range ids {
		location := blockStart + id*alloc
		if _, err := f.ReadAt(block, location); err != nil {
			return nil, err
		}
		if stored, computed := binary.LittleEndian.Uint64(block), blockChecksum(block[blockHeader:]); stored != computed {
			torn = append(torn, tornRepair{location: location, stored: stored, computed: computed})
		}
	}
	return torn, nil
}

// tornHint says whether the block that DuckDB's openErr names is a torn
// metadata block (tornBlocks), with the checksums DuckDB names, for a
// database opened read-only, which is not mended.
func tornHint(path string, openErr error) (*tornRepair, error) {
	m := tornBlock.FindStringSubmatch(openErr.Error())
	if m == nil {
		return nil, errNotTorn
	}
	computed, err1 := strconv.ParseUint(m[1], 10, 64)
	stored, err2 := strconv.ParseUint(m[2], 10, 64)
	location, err3 := strconv.ParseInt(m[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, errNotTorn
	}
	if _, open := FileDescriptor(path); open || !processesKnown {
		return nil, errNotTorn // a descriptor closed here would drop a lock
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	torn, err := tornBlocks(f)
	if err != nil {
		return nil, err
	}
	named := tornRepair{location: location, stored: stored, computed: computed}
	if !slices.Contains(torn, named) {
		return nil, errNotTorn
	}
	return &named, nil
}

// mend records the repair of r's block beside the database, then writes
// the checksum of what the block holds at its start.
func mend(f *os.File, path string, r tornRepair) (tornRepair, error) {
	location, stored, computed := r.location, r.stored, r.computed
	now := time.Now().UTC()
	r.record = fmt.Sprintf("%s.repair-%s-%d.txt", path, now.Format("20060102T150405Z"), location)
	note := fmt.Sprintf(`knockmap repaired %s on %s.

The metadata block at byte %d was half-written: a knockmap killed while
DuckDB rewrote it in place (at a checkpoint) left its checksum and first
pages new and the rest as the last checkpoint had them, and DuckDB would
have refused the database. knockmap set the block's checksum to the
checksum of what the block holds, which is what the last checkpoint wrote
there.

  old checksum: %d
  new checksum: %d

A checksum cannot tell this from a bit flipped on the disk in the same
block. To undo the repair, write the old checksum back as 8 little-endian
bytes at byte %d of the file.
`, path, now.Format(time.RFC3339), location, stored, computed, location)
	if err := writeSynced(r.record, []byte(note)); err != nil {
		return r, fmt.Errorf("recording the repair: %w", err)
	}
	var sum [8]byte
	binary.LittleEndian.PutUint64(sum[:], computed)
	if _, err := f.WriteAt(sum[:], location); err != nil {
		return r, err
	}
	return r, f.Sync()
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// blockChecksum is DuckDB's checksum of a block's bytes after its header:
// the xor of each 8-byte word times a constant, from 5381.
func blockChecksum(b []byte) uint64 {
	sum := uint64(5381)
	for i := 0; i+8 <= len(b); i += 8 {
		sum ^= binary.LittleEndian.Uint64(b[i:]) * 0xbf58476d1ce4e5b9
	}
	return sum
}

// metadataBlocks reads the newer of f's two database headers, both of
// which must be whole, and, from the free list it points to, the blocks
// that hold metadata; it returns the block size too.
func metadataBlocks(f *os.File) (int64, map[int64]bool, error) {
	var header []byte
	var iteration uint64
	for _, at := range []int64{fileHeaderSize, 2 * fileHeaderSize} {
		h := make([]byte, fileHeaderSize)
		if _, err := f.ReadAt(h, at); err != nil {
			return 0, nil, err
		}
		if binary.LittleEndian.Uint64(h) != blockChecksum(h[blockHeader:]) {
			// a header itself damaged: not what a kill leaves (a 4 KiB
			// write is one page), and the older header's blocks may be in
			// use again; DuckDB judges the file
			return 0, nil, errNotTorn
		}
		if it := binary.LittleEndian.Uint64(h[8:]); header == nil || it > iteration {
			header, iteration = h, it
		}
	}
	if header == nil {
		return 0, nil, errNotTorn
	}
	// iteration, meta block, free list, block count, block size
	freeList := binary.LittleEndian.Uint64(header[24:])
	count := int64(binary.LittleEndian.Uint64(header[32:]))
	alloc := int64(binary.LittleEndian.Uint64(header[40:]))
	if alloc == 0 {
		alloc = defaultAllocSize
	}
	if alloc < 4096 || alloc > 64<<20 || freeList == invalidPointer {
		return 0, nil, errNotTorn
	}
	// the free list is a chain of metadata sub-blocks, each starting with
	// the pointer to the next (block id in the low 56 bits, sub-block in
	// the high 8)
	sub := ((alloc - blockHeader) / subBlocks) &^ 7
	var list []byte
	for p, n := freeList, 0; p != invalidPointer; n++ {
		id, idx := int64(p&(1<<56-1)), int64(p>>56)
		if id >= count || idx >= subBlocks || n > 1<<16 {
			return 0, nil, errNotTorn
		}
		b := make([]byte, sub)
		if _, err := f.ReadAt(b, blockStart+id*alloc+blockHeader+idx*sub); err != nil {
			return 0, nil, err
		}
		list = append(list, b[8:]...)
		p = binary.LittleEndian.Uint64(b)
	}
	// the free blocks (id each), the blocks used more than once (id and
	// count), then the metadata blocks (id and free sub-blocks)
	r := listReader{b: list}
	r.skip(r.next() * 8)
	r.skip(r.next() * 12)
	n := r.next()
	meta := map[int64]bool{}
	for i := uint64(0); i < n && !r.short; i++ {
		id := int64(r.next())
		r.next()
		if id >= 0 && id < count {
			meta[id] = true
		}
	}
	if r.short {
		return 0, nil, errNotTorn
	}
	return alloc, meta, nil
}

// listReader reads little-endian words from a free list, noting when it
// runs past the end.
type listReader struct {
	b     []byte
	short bool
}

func (r *listReader) next() uint64 {
	if len(r.b) < 8 {
		r.short = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *listReader) skip(n uint64) {
	if n > uint64(len(r.b)) {
		r.short, r.b = true, nil
		return
	}
	r.b = r.b[n:]
}

// Repairs lists the records of the repairs that Open made to the database
// at path (mendTorn), oldest first: what `knockmap status` points to.
func Repairs(path string) []string {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+".repair-"
	ents, _ := os.ReadDir(dir)
	var found []string
	for _, e := range ents { // in name order, and the names carry the time, as 20061202T150405Z
		if n := e.Name(); strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".txt") {
			found = append(found, filepath.Join(dir, n))
		}
	}
	return found
}
