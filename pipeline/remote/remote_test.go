package remote_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/knockmap/knockmap/pipeline/remote"
	"github.com/knockmap/knockmap/pipeline/remote/remotetest"
)

func TestFetch(t *testing.T) {
	s := remotetest.Start(t)
	os.MkdirAll(filepath.Join(s.Root, "var/log"), 0o755)
	mtime := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for name, body := range map[string]string{"auth.log": "new\n", "auth.log.1": "old\n", "syslog": "other\n"} {
		p := filepath.Join(s.Root, "var/log", name)
		os.WriteFile(p, []byte(body), 0o644)
		os.Chtimes(p, mtime, mtime)
	}
	dir := t.TempDir()
	files, err := remote.Fetch(context.Background(), remote.Target{User: "pi", Addr: s.Addr}, s.Client, "/var/log/auth.log*", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("fetched %+v", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f.Path)
		want := map[string]string{"/var/log/auth.log": "new\n", "/var/log/auth.log.1": "old\n"}[strings.TrimPrefix(f.Name, "pi@"+s.Addr+":")]
		if string(b) != want || !f.ModTime.Equal(mtime) {
			t.Errorf("%s: %q at %v", f.Name, b, f.ModTime)
		}
		if fi, _ := os.Stat(f.Path); !fi.ModTime().Equal(mtime) {
			t.Errorf("%s: the copy's mtime is %v", f.Path, fi.ModTime())
		}
	}
	// a wrong key is refused, a hostile pattern is not sent
	bad := *s.Client
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	sg, _ := ssh.NewSignerFromKey(other)
	bad.Auth = []ssh.AuthMethod{ssh.PublicKeys(sg)}
	if _, err := remote.Fetch(context.Background(), remote.Target{User: "pi", Addr: s.Addr}, &bad, "/var/log/auth.log", dir); err == nil {
		t.Error("a client with the wrong key got in")
	}
	if _, err := remote.Fetch(context.Background(), remote.Target{User: "pi", Addr: s.Addr}, s.Client, "/var/log/x; rm -rf /", dir); err == nil {
		t.Error("a pattern with a shell command was accepted")
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]remote.Target{
		"pi@raspberrypi.local":   {"pi", "raspberrypi.local:22"},
		"root@10.0.0.2:2222":     {"root", "10.0.0.2:2222"},
		"admin@[2001:db8::1]:22": {"admin", "[2001:db8::1]:22"},
	} {
		got, err := remote.ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

// TestFetchPlantedLinks: links planted in the cache folder where the copy
// and its partial file go are not followed: their targets keep what they
// held, and the copy is a file of its own, with no partial file left.
func TestFetchPlantedLinks(t *testing.T) {
	s := remotetest.Start(t)
	os.MkdirAll(filepath.Join(s.Root, "var/log"), 0o755)
	os.WriteFile(filepath.Join(s.Root, "var/log/auth.log"), []byte("new\n"), 0o644)
	dir, victims := t.TempDir(), t.TempDir()
	for _, name := range []string{"var_log_auth.log", "var_log_auth.log.part"} {
		target := filepath.Join(victims, name)
		os.WriteFile(target, []byte("keep"), 0o644)
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	files, err := remote.Fetch(context.Background(), remote.Target{User: "pi", Addr: s.Addr}, s.Client, "/var/log/auth.log", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"var_log_auth.log", "var_log_auth.log.part"} {
		if b, _ := os.ReadFile(filepath.Join(victims, name)); string(b) != "keep" {
			t.Errorf("the target of the link %s now holds %q", name, b)
		}
	}
	if len(files) != 1 {
		t.Fatalf("fetched %+v", files)
	}
	if fi, err := os.Lstat(files[0].Path); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the copy %s is not a file of its own: %v %v", files[0].Path, fi.Mode(), err)
	}
	if b, _ := os.ReadFile(files[0].Path); string(b) != "new\n" {
		t.Errorf("the copy holds %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}
