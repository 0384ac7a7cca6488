package main

import (
	"strings"
	"testing"
)

func TestSummarise(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    x_test.go:9: gen-authlog is absent\n"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    x_test.go:5: gen-authlog is absent\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"q","Test":"TestD","Output":"    d_test.go:3: boom\n"}`,
		`{"Action":"fail","Package":"q","Test":"TestD"}`,
		`{"Action":"fail","Package":"q"}`,
	}, "\n")
	var out strings.Builder
	code, err := summarise(strings.NewReader(in), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"--- FAIL q TestD\n    d_test.go:3: boom", "../shared is absent", "   2  gen-authlog is absent", "1 passed, 1 failed, 2 skipped\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	out.Reset()
	if code, _ := summarise(strings.NewReader(`{"Action":"pass","Package":"p","Test":"TestA"}`), &out, true); code != 0 || strings.Contains(out.String(), "absent") {
		t.Errorf("a clean run: exit %d, output %q", code, out.String())
	}
}

// TestSummariseLateOutput: a package that fails after its tests passed
// (a goroutine's panic once its test returned) shows what was written
// after, which go test -json files under the finished test.
func TestSummariseLateOutput(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"panic: Fail in goroutine after TestA has completed\n"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`{"Action":"fail","Package":"p"}`,
	}, "\n")
	var out strings.Builder
	if code, err := summarise(strings.NewReader(in), &out, true); err != nil || code != 1 {
		t.Fatalf("exit %d (%v), want 1", code, err)
	}
	if want := "TestA: panic: Fail in goroutine after TestA has completed"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}
