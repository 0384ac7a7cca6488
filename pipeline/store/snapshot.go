package store

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// schemaSnapshot is an empty database at the last schema, made by the
// migrations of sql/ with the DuckDB that knockmap links and gzipped
// (TestSchemaSnapshot checks both and, with -update, makes it anew). A new
// database starts as a copy of it instead of running every migration:
// their views and macros took DuckDB about 120 ms to bind, 172 ms of the
// CPU of an ingest of gen-authlog's 1M-line log (docs/performance.md).
//
//go:embed schema.duckdb.gz
var schemaSnapshot []byte

// createFromSnapshot makes the database at path, which must not exist,
// as a copy of the snapshot; it tells whether it did. It leaves path be
// when path or its write-ahead log exists (an open then finds them as
// they are), and when another process made path first. The copy is
// written beside path, synced and then linked to path, which fails
// rather than replace a file, so that path is never seen half-written:
// DuckDB would take a header whose blocks were not yet there for a
// damaged file. A kill before the link leaves the copy, named
// path.new-*, behind; it is not used for anything. Where the file system
// has no hard links (FAT on a USB stick, some network mounts) it leaves
// path be too, and DuckDB makes the database, the migrations its schema.
func createFromSnapshot(path string) (bool, error) {
	for _, p := range []string{path, path + ".wal"} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(schemaSnapshot))
	if err != nil {
		return false, fmt.Errorf("the schema snapshot: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".new-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	err = fillFromSnapshot(tmp, zr)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("writing the new database: %w", err)
	}
	if err := link(tmp.Name(), path); err != nil {
		// EEXIST: another process made it, and it is opened as it is;
		// else no hard links here
		return false, nil
	}
	// the link itself, as far as the file system lets a folder be synced
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return true, nil
}

// fillFromSnapshot writes the snapshot read from zr into f, with the mode
// DuckDB gives a file it makes (0666 less the umask), and syncs it.
func fillFromSnapshot(f *os.File, zr *gzip.Reader) error {
	if _, err := io.Copy(f, zr); err != nil {
		return err
	}
	if err := zr.Close(); err != nil {
		return fmt.Errorf("the schema snapshot: %w", err)
	}
	if err := f.Chmod(0o666 &^ fs.FileMode(currentMask())); err != nil {
		return err
	}
	return f.Sync()
}

// link is os.Link, replaced in a test by a file system without links.
var link = os.Link
