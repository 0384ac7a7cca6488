package ingest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// sharedDir is ../shared beside the project, where the corpus and
// gen-authlog live; tests that need it skip only when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"../../../shared", "../../shared", "../shared"} {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(p)
			return abs
		}
	}
	t.Skip("../shared is absent")
	return ""
}

func genAuthlog(t testing.TB) string {
	t.Helper()
	p := filepath.Join(sharedDir(t), "tools", "gen-authlog")
	if _, err := os.Stat(p); err != nil {
		t.Skip("gen-authlog is absent")
	}
	return p
}

// benchLog returns a gen-authlog log of n lines, made once per machine in
// the test cache folder, or skips when gen-authlog or python3 is missing.
func benchLog(b testing.TB, n int) string {
	b.Helper()
	gen := genAuthlog(b)
	dir := filepath.Join(os.TempDir(), "knockmap-bench")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "auth-"+strconv.Itoa(n)+".log")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	out, err := exec.Command("python3", gen, "--lines", strconv.Itoa(n), "--out", tmp).CombinedOutput()
	if err != nil {
		b.Fatalf("gen-authlog: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// oneLineLog writes an auth.log of one failed login into dir, last
// modified an hour ago (settled: its lines are read whole), and returns its
// path and that time.
func oneLineLog(t testing.TB, dir string) (string, time.Time) {
	t.Helper()
	log := filepath.Join(dir, "auth.log")
	if err := os.WriteFile(log, []byte("Jan  5 10:00:01 pi sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(log, old, old)
	return log, old
}
