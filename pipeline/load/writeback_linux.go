package load

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriting starts the write-out of f's dirty pages and does not wait
// for it (sync_file_range with SYNC_FILE_RANGE_WRITE).
func startWriting(f *os.File) {
	unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
}
