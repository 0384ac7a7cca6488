// Package sharedtest finds ../shared for the tests that use it (the real
// logs of corpus/ and tools/gen-authlog), and skips them, naming what is
// missing, where it is absent.
package sharedtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Dir returns the absolute path of ../shared, looked for from the test's
// package folder up to the project's parent, or skips the test.
func Dir(t testing.TB) string {
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

// GenAuthlog returns the path of ../shared/tools/gen-authlog, or skips the
// test when it or python3 is absent.
func GenAuthlog(t testing.TB) string {
	t.Helper()
	p := filepath.Join(Dir(t), "tools", "gen-authlog")
	if _, err := os.Stat(p); err != nil {
		t.Skip("../shared/tools/gen-authlog is absent")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is absent, so gen-authlog cannot run")
	}
	return p
}

// Log returns a gen-authlog log of n lines in its default profile, made
// once per machine in the temporary folder, or skips the test.
func Log(t testing.TB, n int) string {
	t.Helper()
	GenAuthlog(t) // skips t before anything is made where it is absent
	dir := filepath.Join(os.TempDir(), "knockmap-bench")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "auth-"+strconv.Itoa(n)+".log")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	Generate(t, "--lines", strconv.Itoa(n), "--out", tmp)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Generate runs gen-authlog with args (skipping t where it is absent, as
// GenAuthlog does) and fails t with its output when it fails.
func Generate(t testing.TB, args ...string) {
	t.Helper()
	gen := GenAuthlog(t)
	if b, err := exec.Command("python3", append([]string{gen}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("gen-authlog %s: %v\n%s", strings.Join(args, " "), err, b)
	}
}
