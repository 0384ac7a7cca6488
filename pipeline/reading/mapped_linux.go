package reading

import (
	"bytes"
	"context"
	"errors"
	"os"
	"runtime/debug"
	"syscall"

	"github.com/knockmap/knockmap/pipeline/syslog"
)

// scanMapped counts the New Years of the uncompressed file at path through
// read-only mappings of it, one window of mapWindow bytes at a time,
// instead of reading it: the kernel copies nothing. Each window is
// unmapped after its scan, since the pages of a mapped file count in the
// process's resident memory. A file truncated while it is mapped
// (logrotate's copytruncate) makes the pages past its new end fault; the
// fault becomes a panic of this goroutine alone (debug.SetPanicOnFault),
// which is recovered, and ok is false so that the caller reads the file
// instead, as it does for a line longer than a window. ctx is checked at
// each window.
func scanMapped(ctx context.Context, path string) (scan syslog.YearScan, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return scan, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return scan, false
	}
	size := fi.Size()
	afterOpen(f)
	var data []byte // the window mapped, if any
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if data != nil {
			syscall.Munmap(data)
		}
		if r := recover(); r != nil {
			if e, isErr := r.(error); !isErr || !isFault(e) {
				panic(r)
			}
			scan, ok = syslog.YearScan{}, false
		}
	}()
	page := int64(os.Getpagesize())
	for pos := int64(0); pos < size; { // pos: the start of a line
		if ctx.Err() != nil {
			return scan, false
		}
		off := pos &^ (page - 1) // mappings start on a page
		n := min(pos-off+mapWindow, size-off)
		if data, err = syscall.Mmap(int(f.Fd()), off, int(n), syscall.PROT_READ, syscall.MAP_SHARED); err != nil {
			data = nil
			return scan, false
		}
		lines := data[pos-off:]
		if off+n < size {
			// up to the last whole line in the window
			end := bytes.LastIndexByte(lines, '\n')
			if end < 0 {
				return scan, false
			}
			lines = lines[:end+1]
		}
		syslog.ScanLines(lines, &scan)
		pos += int64(len(lines))
		syscall.Munmap(data)
		data = nil
	}
	return scan, true
}

// isFault reports whether e is the runtime's error for a memory fault
// (what SetPanicOnFault turns a SIGBUS on a mapped file into).
func isFault(e error) bool {
	var re interface{ Addr() uintptr }
	return errors.As(e, &re)
}

// afterOpen runs once the file is open and its size known (a test
// truncates it there).
var afterOpen = func(*os.File) {}
