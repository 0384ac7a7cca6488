package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestWritePlanted: whatever another user planted in the folder (a link at
// the old fixed temporary name, a link at the file's own name, dangling or
// not) is not followed: the targets keep what they held or stay unmade,
// the file is a regular file of its own with the promised mode whatever
// the umask, and no temporary file is left.
func TestWritePlanted(t *testing.T) {
	for _, umask := range []int{0, 0o022, 0o077} {
		old := syscall.Umask(umask)
		for _, c := range []struct {
			name   string
			plant  string // name in the folder the link is planted at
			target bool   // the link's target exists
		}{
			{"nothing", "", false},
			{"link at NAME.tmp", "index.html.tmp", true},
			{"dangling link at NAME.tmp", "index.html.tmp", false},
			{"link at NAME", "index.html", true},
			{"dangling link at NAME", "index.html", false},
		} {
			dir, victims := t.TempDir(), t.TempDir()
			target := filepath.Join(victims, "passwd")
			if c.target {
				os.WriteFile(target, []byte("root:x:0:0\n"), 0o644)
			}
			if c.plant != "" {
				if err := os.Symlink(target, filepath.Join(dir, c.plant)); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, "index.html")
			if err := Write(path, []byte("<p>report</p>"), Mode); err != nil {
				t.Fatalf("umask %o, %s: %v", umask, c.name, err)
			}
			b, err := os.ReadFile(target)
			switch {
			case c.target && string(b) != "root:x:0:0\n":
				t.Errorf("umask %o, %s: the target now holds %q", umask, c.name, b)
			case !c.target && !errors.Is(err, os.ErrNotExist):
				t.Errorf("umask %o, %s: the dangling link's target was made", umask, c.name)
			}
			fi, err := os.Lstat(path)
			if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != Mode {
				t.Errorf("umask %o, %s: %s is %v (%v), want a regular file %v", umask, c.name, path, fi.Mode(), err, Mode)
			}
			if b, _ := os.ReadFile(path); string(b) != "<p>report</p>" {
				t.Errorf("umask %o, %s: the file holds %q", umask, c.name, b)
			}
			if left := temporaries(t, dir); len(left) > 0 {
				t.Errorf("umask %o, %s: temporary files left: %q", umask, c.name, left)
			}
		}
		syscall.Umask(old)
	}
}

// temporaries lists the names outfile's temporary files have in dir.
func temporaries(t *testing.T, dir string) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// TestAbortAndFailedCommit: an aborted file, and one whose rename fails,
// leave nothing behind and the old file as it was.
func TestAbortAndFailedCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.png")
	os.WriteFile(path, []byte("old"), 0o644)
	f, err := Create(path, Mode)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half")
	f.Abort()
	f.Abort() // twice is fine
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after an abort the file holds %q", b)
	}
	// a folder at the place: the rename fails
	busy := filepath.Join(dir, "busy")
	os.MkdirAll(filepath.Join(busy, "x"), 0o755)
	if err := Write(busy, []byte("new"), Mode); err == nil {
		t.Error("a file was renamed over a folder that is not empty")
	}
	if left := temporaries(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestSetModTime: the time is set through the descriptor and kept by the
// rename.
func TestSetModTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth.log")
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	if err := f.SetModTime(at); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.ModTime().Equal(at) {
		t.Errorf("mtime %v (%v), want %v", fi.ModTime(), err, at)
	}
}

// TestCheckFolder: a folder reached through a link that another user owns
// is refused; through one of the running user's own, or a real folder,
// it is not. Changing a link's owner needs root.
func TestCheckFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a link owned by another user needs root")
	}
	base := t.TempDir()
	real := filepath.Join(base, "real")
	os.MkdirAll(real, 0o755)
	mine, theirs := filepath.Join(base, "mine"), filepath.Join(base, "theirs")
	os.Symlink(real, mine)
	os.Symlink(real, theirs)
	if err := os.Lchown(theirs, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir string
		ok  bool
	}{
		{real, true},
		{filepath.Join(real, "new", "deeper"), true},
		{mine, true},
		{filepath.Join(mine, "report"), true},
		{theirs, false},
		{filepath.Join(theirs, "report"), false},
	} {
		err := CheckFolder(c.dir)
		if (err == nil) != c.ok {
			t.Errorf("CheckFolder(%s) = %v, want ok %v", c.dir, err, c.ok)
		}
		if err := MkdirAll(c.dir); (err == nil) != c.ok {
			t.Errorf("MkdirAll(%s) = %v, want ok %v", c.dir, err, c.ok)
		}
	}
	fi, err := os.Stat(filepath.Join(real, "new", "deeper"))
	if err != nil || fi.Mode().Perm() != DirMode&^os.FileMode(currentUmask()) {
		t.Errorf("a made folder has mode %v (%v), want %v less the umask", fi.Mode().Perm(), err, DirMode)
	}
}

func currentUmask() int {
	u := syscall.Umask(0)
	syscall.Umask(u)
	return u
}
