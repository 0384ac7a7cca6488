package store

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Descriptor is a descriptor this process has open on a file, with the
// file's identity, so that Same can tell whether the number still refers
// to it (a number closed and given to another file does not).
type Descriptor struct {
	FD       int
	dev, ino uint64
}

// FileDescriptor looks through /proc/self/fd for a descriptor of the file
// at path: DuckDB's, for a database this process has open. It only stats
// descriptors; it opens and closes none, since closing any descriptor of
// a database file drops DuckDB's fcntl lock on it (docs/crash-safety.md).
func FileDescriptor(path string) (Descriptor, bool) {
	var want unix.Stat_t
	if unix.Stat(path, &want) != nil {
		return Descriptor{}, false
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return Descriptor{}, false
	}
	for _, e := range fds {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		d := Descriptor{FD: fd, dev: uint64(want.Dev), ino: uint64(want.Ino)}
		if d.Same() {
			return d, true
		}
	}
	return Descriptor{}, false
}

// Same reports whether the descriptor still refers to its file.
func (d Descriptor) Same() bool {
	var st unix.Stat_t
	return unix.Fstat(d.FD, &st) == nil && uint64(st.Dev) == d.dev && uint64(st.Ino) == d.ino
}

// DataSync writes the file's data to disk (fdatasync) through the
// descriptor, once Same has checked that the number is still the file's.
func (d Descriptor) DataSync() {
	if d.Same() {
		unix.Fdatasync(d.FD)
	}
}

// processesKnown says whether FileDescriptor can tell that this process
// has no descriptor of a file.
const processesKnown = true
