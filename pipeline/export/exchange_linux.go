package export

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// exchange swaps the folder src with name in the folder dirfd in one step
// (renameat2 with RENAME_EXCHANGE, which follows no link at name), so that
// a reader sees the old month or the new one, never neither. It reports
// false, with no error, when name does not exist or the file system cannot
// exchange.
func exchange(src string, dirfd int, name string) (bool, error) {
	err := unix.Renameat2(unix.AT_FDCWD, src, dirfd, name, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return false, nil
	default:
		return false, &os.LinkError{Op: "exchange", Old: src, New: filepath.Join("(year folder)", name), Err: err}
	}
}
