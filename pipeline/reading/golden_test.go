package reading

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden reads every sample log under testdata/logs the way knockmap
// parse does and compares the JSON lines with testdata/golden/NAME.jsonl.
func TestGolden(t *testing.T) {
	logs, _ := filepath.Glob("../../testdata/logs/*")
	if len(logs) == 0 {
		t.Fatal("no sample logs")
	}
	for _, path := range logs {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			srcs, errs := input.Expand([]string{path}, nil, time.Now())
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			_, first, _, err := srcs[0].Fingerprint()
			if err != nil {
				t.Fatal(err)
			}
			opt := Options{Location: time.UTC, Year: 2024}
			d := NewDescriber()
			_, err = ReadSource(context.Background(), srcs[0], first, Cursor{}, opt, NewStats(),
				func(rec *syslog.Record, ev *sshd.Event, line int64) error {
					return enc.Encode(d.Describe(name, rec, ev, line))
				})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("../../testdata/golden", name+".jsonl")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				gl, wl := bytes.Split(got.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := 0; i < len(gl) || i < len(wl); i++ {
					var g, w []byte
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if !bytes.Equal(g, w) {
						t.Errorf("line %d:\n got  %s\n want %s", i+1, g, w)
					}
				}
			}
		})
	}
}
