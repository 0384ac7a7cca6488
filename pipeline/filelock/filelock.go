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
// the lock.
func Acquire(ctx context.Context, path string, wait time.Duration) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
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
