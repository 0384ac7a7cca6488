//go:build !linux

package store

// Descriptor is a descriptor this process has open on a file; outside
// Linux none is found.
type Descriptor struct{ FD int }

// FileDescriptor finds no descriptor outside Linux.
func FileDescriptor(string) (Descriptor, bool) { return Descriptor{}, false }

// Same reports whether the descriptor still refers to its file.
func (Descriptor) Same() bool { return false }

// DataSync does nothing: no descriptor is found.
func (Descriptor) DataSync() {}

// processesKnown says whether FileDescriptor can tell that this process
// has no descriptor of a file: not outside Linux.
const processesKnown = false
