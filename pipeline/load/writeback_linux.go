package load

import (
	"github.com/knockmap/knockmap/pipeline/store"
	"golang.org/x/sys/unix"
)

// dbDescriptor is DuckDB's descriptor of the database file.
type dbDescriptor = store.Descriptor

// findDescriptor finds DuckDB's descriptor of the file at path.
func findDescriptor(path string) (dbDescriptor, bool) { return store.FileDescriptor(path) }

// syncFile writes the file's data to disk (fdatasync): a sync that the
// commit's own then need not wait for. It checks first that the number
// is still the database file's.
func syncFile(d dbDescriptor) {
	if d.Same() {
		unix.Fdatasync(d.FD)
	}
}
