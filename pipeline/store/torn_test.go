package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tornDatabase makes what a kill in the middle of a checkpoint's metadata
// write leaves: a database checkpointed with rows rows in t, whose
// metadata block that the next checkpoint rewrites in place has that
// checkpoint's first page (checksum included) and the rest as it was. It
// returns the file, the block's location and the file as it was before.
func tornDatabase(t *testing.T, rows int) (string, int64, []byte) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "k.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(`CREATE TABLE t AS SELECT range AS i FROM range(%d)`, rows)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO t SELECT range FROM range(1000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	after, _ := os.ReadFile(path)

	os.WriteFile(filepath.Join(dir, "before"), before, 0o600)
	f, _ := os.Open(filepath.Join(dir, "before"))
	alloc, meta, err := metadataBlocks(f)
	f.Close()
	if err != nil {
		t.Fatalf("the metadata blocks of a good database: %v", err)
	}
	for id := range meta {
		at := blockStart + id*alloc
		if int64(len(after)) < at+alloc || bytes.Equal(before[at:at+alloc], after[at:at+alloc]) {
			continue
		}
		for _, b := range [][]byte{before, after} {
			if binary.LittleEndian.Uint64(b[at:]) != blockChecksum(b[at+blockHeader:at+alloc]) {
				t.Fatalf("block %d is not whole before and after the checkpoint", id)
			}
		}
		torn := bytes.Clone(before)
		copy(torn[at:at+4096], after[at:at+4096])
		tornPath := filepath.Join(t.TempDir(), "k.duckdb")
		os.WriteFile(tornPath, torn, 0o600)
		return tornPath, at, before
	}
	t.Fatal("no metadata block was rewritten in place by the second checkpoint: DuckDB writes them otherwise now, and mendTorn may have nothing left to repair")
	return "", 0, nil
}

// TestTornMetadataBlock: the database a kill left with a half-written
// metadata block is refused by DuckDB as corrupt; read-only, knockmap says
// what happened and leaves the file alone; opened to be written, it is
// repaired, with a note and a record, and holds exactly what the last
// checkpoint held.
func TestTornMetadataBlock(t *testing.T) {
	ctx := context.Background()
	path, at, _ := tornDatabase(t, 300000)
	torn, _ := os.ReadFile(path)

	_, err := openOnce(ctx, path, Options{})
	if err == nil || !tornBlock.MatchString(err.Error()) {
		t.Fatalf("DuckDB opened the torn database, or refused it otherwise: %v", err)
	}
	for _, opt := range []Options{{ReadOnly: true}, {Confined: true}} {
		_, err = Open(ctx, path, opt)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("block at byte %d was left half-written", at)) || !strings.Contains(err.Error(), "repairs it") {
			t.Errorf("opened read-only (%+v): %v, want DuckDB's refusal and what will repair it", opt, err)
		}
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, torn) {
		t.Error("a read-only open changed the file")
	}

	var warn bytes.Buffer
	db, err := Open(ctx, path, Options{Warn: &warn})
	if err != nil {
		t.Fatalf("the repair did not make it open: %v", err)
	}
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 300000 {
		t.Errorf("after the repair t holds %d rows (%v), want the 300000 of the last checkpoint", n, err)
	}
	db.Close()
	if !strings.Contains(warn.String(), fmt.Sprintf("repaired the metadata block at byte %d", at)) {
		t.Errorf("the repair was not reported: %q", warn.String())
	}
	records, _ := filepath.Glob(path + ".repair-*.txt")
	if len(records) != 1 {
		t.Fatalf("records of the repair: %v, want one", records)
	}
	rec, _ := os.ReadFile(records[0])
	old := binary.LittleEndian.Uint64(torn[at:])
	if !strings.Contains(string(rec), fmt.Sprintf("old checksum: %d", old)) || !strings.Contains(string(rec), fmt.Sprintf("at byte %d", at)) {
		t.Errorf("the record does not say where and what the old checksum was:\n%s", rec)
	}
}

// TestTornOnlyMetadata: the repair changes nothing but a torn metadata
// block. mendTorn leaves a good database, a bad checksum in a data block,
// a file this process has open and a file with a damaged header as they
// are; tornHint, which names the
// block a read-only open was refused for, takes only a metadata block
// whose checksums are the ones DuckDB named.
func TestTornOnlyMetadata(t *testing.T) {
	path, at, before := tornDatabase(t, 300000)
	torn, _ := os.ReadFile(path)
	f, _ := os.Open(path)
	alloc, meta, err := metadataBlocks(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	data := int64(-1)
	for id := int64(0); blockStart+(id+1)*alloc <= int64(len(before)); id++ {
		if !meta[id] {
			data = blockStart + id*alloc
			break
		}
	}
	if data < 0 {
		t.Fatal("no block that is not metadata")
	}
	unchanged := func(name, p string, want []byte) {
		t.Helper()
		if r, err := mendTorn(p); len(r) > 0 || err != nil {
			t.Errorf("%s: mended %v (%v)", name, r, err)
		}
		if b, _ := os.ReadFile(p); !bytes.Equal(b, want) {
			t.Errorf("%s: the file was changed", name)
		}
	}
	good := filepath.Join(t.TempDir(), "k.duckdb")
	os.WriteFile(good, before, 0o600)
	unchanged("a good database", good, before)
	flipped := bytes.Clone(before)
	flipped[data+4096] ^= 1
	os.WriteFile(good, flipped, 0o600)
	unchanged("a data block's bad checksum", good, flipped)
	held, _ := os.Open(path)
	unchanged("a file this process has open", path, torn)
	held.Close()
	badHeader := bytes.Clone(torn)
	badHeader[2*fileHeaderSize+100] ^= 1
	other := filepath.Join(t.TempDir(), "k.duckdb")
	os.WriteFile(other, badHeader, 0o600)
	unchanged("a torn block under a damaged header", other, badHeader)

	block := torn[at : at+alloc]
	stored, computed := binary.LittleEndian.Uint64(block), blockChecksum(block[blockHeader:])
	refusal := func(computed, stored uint64, at int64) error {
		return fmt.Errorf("IO Error: Corrupt database file: computed checksum %d does not match stored checksum %d in block at location %d", computed, stored, at)
	}
	d := flipped[data : data+alloc]
	for name, e := range map[string]error{
		"a data block":           refusal(blockChecksum(d[blockHeader:]), binary.LittleEndian.Uint64(d), data),
		"another stored sum":     refusal(computed, stored+1, at),
		"another computed sum":   refusal(computed+1, stored, at),
		"not between two blocks": refusal(computed, stored, at+8),
		"some other error":       errors.New("IO Error: Could not read enough bytes"),
	} {
		p := path
		if name == "a data block" {
			p = good
		}
		if _, err := tornHint(p, e); err == nil {
			t.Errorf("%s: taken for a torn metadata block", name)
		}
	}
	if r, err := tornHint(path, refusal(computed, stored, at)); err != nil || r.location != at {
		t.Errorf("the torn block itself: %v, %v", r, err)
	}
	if r, err := mendTorn(path); err != nil || len(r) != 1 || r[0].location != at || r[0].record == "" {
		t.Errorf("mending the torn database: %v, %v", r, err)
	}
}
