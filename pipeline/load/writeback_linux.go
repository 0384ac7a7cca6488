package load

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// dbDescriptor is a descriptor this process has open on the database
// file, and the file's identity, checked before each sync so that a
// number DuckDB closed and the process gave to another file is not synced
// in its place.
type dbDescriptor struct {
	fd       int
	dev, ino uint64
}

// findDescriptor looks through /proc/self/fd for a descriptor of the file
// at path, which DuckDB opened. It only stats descriptors; it opens and
// closes none of the database's.
func findDescriptor(path string) (dbDescriptor, bool) {
	var want unix.Stat_t
	if unix.Stat(path, &want) != nil {
		return dbDescriptor{}, false
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return dbDescriptor{}, false
	}
	for _, e := range fds {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		d := dbDescriptor{fd: fd, dev: uint64(want.Dev), ino: uint64(want.Ino)}
		if d.same() {
			return d, true
		}
	}
	return dbDescriptor{}, false
}

// same reports whether the descriptor still refers to the database file.
func (d dbDescriptor) same() bool {
	var st unix.Stat_t
	return unix.Fstat(d.fd, &st) == nil && uint64(st.Dev) == d.dev && uint64(st.Ino) == d.ino
}

// sync writes the file's data to disk (fdatasync): a sync that the
// commit's own then need not wait for.
func (d dbDescriptor) sync() {
	if d.same() {
		unix.Fdatasync(d.fd)
	}
}
