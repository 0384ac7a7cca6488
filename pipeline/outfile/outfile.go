// Package outfile writes knockmap's files into folders that other users may
// be able to write to (a report folder under a web root, an export folder,
// a cache): each file is made fresh under an unpredictable name beside its
// place (O_CREAT|O_EXCL, as os.CreateTemp does, so that no link planted
// there is followed), written, synced, given its mode and renamed into
// place, which replaces whatever name was there, a planted link included,
// without following it. A failed write removes its temporary file.
package outfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Mode is the mode of the files knockmap writes that hold what a log
// held (reports, exports, the database): the owner reads and writes them,
// the group reads them, others nothing, as the auth log itself (0640).
// The group is the running user's, or the folder's where the folder is
// set-group-ID.
const Mode os.FileMode = 0o640

// DirMode is the mode of the folders knockmap makes for them.
const DirMode os.FileMode = 0o750

// File is a file being written; it takes its place on Commit, and Abort
// (or a failed Commit) removes it.
type File struct {
	*os.File
	path string // where it goes
	done bool
}

// Create starts writing the file that will be path, with mode perm
// (exactly perm: the umask plays no part).
func Create(path string, perm os.FileMode) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, path: path}, nil
}

// SetModTime sets the file's modification (and access) time, through
// its descriptor.
func (f *File) SetModTime(t time.Time) error {
	tv := unix.NsecToTimeval(t.UnixNano())
	if err := unix.Futimes(int(f.Fd()), []unix.Timeval{tv, tv}); err != nil {
		return fmt.Errorf("setting the time of %s: %w", f.path, err)
	}
	return nil
}

// Commit syncs the file, closes it and renames it into place, then syncs
// the folder. On an error the temporary file is removed and the old file
// at path, if any, is left as it was.
func (f *File) Commit() error {
	if f.done {
		return errors.New("outfile: " + f.path + " committed twice")
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return syncDir(filepath.Dir(f.path))
}

// Abort closes and removes the file; after Commit it does nothing, so it
// can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// Write writes b as the file path, with mode perm, fresh and renamed into
// place: a reader sees the old file or the new one, never half of one.
func Write(path string, b []byte, perm os.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.File.Write(b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

// syncDir makes a rename into dir last through a crash. File systems that
// cannot sync a folder say EINVAL, which is not a failure of the write.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}

// MkdirAll makes the folder dir and any parents it lacks with DirMode, after
// CheckFolder; a folder that is there keeps its mode.
func MkdirAll(dir string) error {
	if err := CheckFolder(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, DirMode)
}

// CheckFolder refuses a folder path through which another user could send
// knockmap's files elsewhere: one of whose parts is a symbolic link owned by
// neither the running user nor root (as Linux's fs.protected_symlinks does
// in sticky folders such as /tmp, everywhere). Parts that do not exist yet
// are not checked; MkdirAll makes them.
func CheckFolder(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	euid := os.Geteuid()
	p := string(filepath.Separator)
	for _, part := range splitPath(abs) {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if err != nil {
			return nil // from here on it is to be made
		}
		if st.Mode()&os.ModeSymlink == 0 {
			continue
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		if !ok {
			continue
		}
		if int(sys.Uid) != euid && sys.Uid != 0 {
			return fmt.Errorf("%s: %s is a symbolic link owned by another user (uid %d); knockmap writes nothing through it", dir, p, sys.Uid)
		}
	}
	return nil
}

func splitPath(abs string) []string {
	var parts []string
	for abs != filepath.Dir(abs) {
		parts = append([]string{filepath.Base(abs)}, parts...)
		abs = filepath.Dir(abs)
	}
	return parts
}
