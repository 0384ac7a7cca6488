// Package killtest is for the crash tests of ingest, run and export: it
// runs the test binary again as a child that does the work (its TestMain
// sees the environment it is given) and kills it with SIGKILL at a random
// moment, round after round. Hold runs such a child that holds something
// (a lock, an open database) while a test looks at how the rest copes.
package killtest

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Rounds is how many rounds to run: KNOCKMAP_KILL_ROUNDS, else def (the
// issue's proof runs 200).
func Rounds(def int) int {
	if n, err := strconv.Atoi(os.Getenv("KNOCKMAP_KILL_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return def
}

// Child is the test binary run again, running no test, with env added.
func Child(env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// Hold starts cmd, a child that takes hold of something, says ready on a
// line of its standard output when it has, and lets go when its standard
// input closes. Hold returns once the child is ready; the function it
// returns makes the child let go and waits for it (the test's end does too).
func Hold(t testing.TB, cmd *exec.Cmd, ready string) func() {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != ready+"\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child did not take hold: %q %v", line, err)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			stdin.Close()
			cmd.Wait()
		})
	}
	t.Cleanup(release)
	return release
}

// Time runs cmd to its end and says how long that took, so that kills can
// land all through it.
func Time(cmd *exec.Cmd) (time.Duration, error) {
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("a whole run in a child: %v\n%s", err, out)
	}
	return time.Since(start), nil
}

// Kill starts cmd and kills it after a random time below whole, unless it
// ends first. finished says whether it ended by itself; err is set when it
// failed by itself. Its standard error is in the error.
func Kill(cmd *exec.Cmd, whole time.Duration, rng *rand.Rand) (finished bool, err error) {
	var stderr bytes.Buffer
	if cmd.Stderr == nil {
		cmd.Stderr = &stderr
	}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return false, fmt.Errorf("the child failed by itself: %v\n%s", err, stderr.String())
		}
		return true, nil
	case <-time.After(time.Duration(rng.Int64N(int64(whole)))):
		cmd.Process.Signal(syscall.SIGKILL)
		return <-done == nil, nil
	}
}

// Main is a crash test's TestMain: when the variable of one of children
// is set, the binary is that child, run with the variable's value, and
// exits with what it returns; otherwise it runs the tests.
func Main(m *testing.M, children map[string]func(value string) int) {
	for name, child := range children {
		if v := os.Getenv(name); v != "" {
			os.Exit(child(v))
		}
	}
	os.Exit(m.Run())
}
