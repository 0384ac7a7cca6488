package reading

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// benchLog returns a gen-authlog log of n lines, made once per machine in
// the test cache folder, or skips when ../shared's gen-authlog or python3
// is missing.
func benchLog(b testing.TB, n int) string {
	b.Helper()
	var gen string
	for _, p := range []string{"../../../shared", "../../shared", "../shared"} {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			gen = filepath.Join(p, "tools", "gen-authlog")
			break
		}
	}
	if gen == "" {
		b.Skip("../shared is absent")
	}
	if _, err := os.Stat(gen); err != nil {
		b.Skip(gen + " is absent")
	}
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
