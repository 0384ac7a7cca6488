package load

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncData writes f's data to disk (fdatasync): a sync that the commit's
// own then need not wait for.
func syncData(f *os.File) {
	unix.Fdatasync(int(f.Fd()))
}
