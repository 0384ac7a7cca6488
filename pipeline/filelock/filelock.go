// Package filelock takes exclusive locks on files (flock), so that two
// knockmap processes never write the same database or export folder at
// once. A lock goes with its process: a killed run leaves none behind.
package filelock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// ErrHeld is returned when another process held the lock for longer than
// the caller would wait.
var ErrHeld = errors.New("locked by another process")

// Forever, as a wait, waits as long as it takes (or until the context ends).
const Forever time.Duration = -1

// Acquire locks path (creating the file), trying every poll until another
// process lets go, for at most wait. It returns the function that releases
// the lock. The lock file is opened without following a link (O_NOFOLLOW):
// a symbolic link at path, dangling or not, is refused and its target is
// neither created nor opened; nor is anything but a regular file locked.
func Acquire(ctx context.Context, path string, wait time.Duration) (func(), error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if wait != Forever && time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s: %w (waited %s)", path, ErrHeld, wait)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
}

const poll = 100 * time.Millisecond

// ErrNotAFile is what Acquire's error wraps when the lock path is a
// symbolic link or anything else but a regular file.
var ErrNotAFile = errors.New("not a regular file")

func open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("lock file %s is a symbolic link, which knockmap does not follow (%w): remove it", path, ErrNotAFile)
	}
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("lock file %s is a %s, %w: remove it", path, st.Mode().Type(), ErrNotAFile)
		}
		return nil, err
	}
	return f, nil
}
