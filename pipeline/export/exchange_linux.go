package export

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the folders a and b in one step (renameat2 with
// RENAME_EXCHANGE), so that a reader sees the old month or the new one,
// never neither. It reports false, with no error, when b does not exist or
// the file system cannot exchange.
func exchange(a, b string) (bool, error) {
	if _, err := os.Lstat(b); err != nil {
		return false, nil
	}
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return false, nil
	default:
		return false, &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
}
