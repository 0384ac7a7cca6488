// Command testsum reads `go test -json` on standard input and prints what a
// person needs of it: the output of each failed test or package, every
// reason tests were skipped with how many it skipped, and a last line
// "N passed, N failed, N skipped". It exits 1 when anything failed, so that
// `go test -json ./... | go run ./internal/testsum` fails as go test does.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	code, err := summarise(os.Stdin, os.Stdout, sharedPresent())
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

// sharedPresent says whether ../shared (the corpus and gen-authlog) is
// beside the project, for the loud line when it is not.
func sharedPresent() bool {
	st, err := os.Stat("../shared")
	return err == nil && st.IsDir()
}

func summarise(r io.Reader, w io.Writer, shared bool) (int, error) {
	var passed, failed, skipped int
	outputs := map[string][]string{} // package/test -> its output lines
	reasons := map[string]int{}      // skip reason -> tests skipped for it
	var failures []string
	pkgFailed := 0
	// output of a test that had already passed or skipped (a goroutine's
	// panic after it returned, say): shown if its package fails
	done := map[string]bool{}
	late := map[string][]string{} // package -> such lines
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: a build error, say
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if done[key] {
				late[e.Package] = append(late[e.Package], e.Test+": "+e.Output)
				continue
			}
			outputs[key] = append(outputs[key], e.Output)
		case "pass":
			if e.Test != "" {
				passed++
				done[key] = true
			}
			delete(outputs, key)
		case "skip":
			if e.Test == "" {
				delete(outputs, key)
				continue
			}
			skipped++
			reasons[skipReason(outputs[key])]++
			delete(outputs, key)
			done[key] = true
		case "fail":
			if e.Test != "" {
				failed++
			} else {
				pkgFailed++
			}
			failures = append(failures, key)
		}
	}
	if err := sc.Err(); err != nil {
		return 2, err
	}
	for _, k := range failures {
		fmt.Fprintf(w, "--- FAIL %s\n%s", strings.TrimSpace(k), strings.Join(outputs[k], ""))
		if pkg, test, _ := strings.Cut(k, " "); test == "" && len(late[pkg]) > 0 {
			fmt.Fprintf(w, "    output after its test had finished:\n%s", strings.Join(late[pkg], ""))
		}
	}
	if !shared {
		fmt.Fprintln(w, "!!! ../shared is absent: the tests over the real sshd corpus and gen-authlog's logs were SKIPPED !!!")
	}
	if len(reasons) > 0 {
		fmt.Fprintln(w, "skipped:")
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return reasons[keys[i]] > reasons[keys[j]] || reasons[keys[i]] == reasons[keys[j]] && keys[i] < keys[j]
		})
		for _, k := range keys {
			fmt.Fprintf(w, "  %4d  %s\n", reasons[k], k)
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 || pkgFailed > 0 {
		return 1, nil
	}
	return 0, nil
}

// skipReason is the message a skipped test gave: its last output line
// before "--- SKIP", without the file:line prefix.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:len(l)-len(msg)], ".go:") {
			return msg
		}
		return l
	}
	return "(no reason given)"
}
