//go:build duckdb_arrow

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"reflect"
	"runtime"
	"testing"

	"github.com/knockmap/knockmap/maps/render"
	"github.com/knockmap/knockmap/pipeline/geoip"
	"github.com/knockmap/knockmap/pipeline/load"
	"github.com/knockmap/knockmap/pipeline/sshd"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// TestDefaultPGO: default.pgo, the CPU profile that go build optimises
// knockmap with (profile-guided optimisation), is a profile of this code's
// hot paths in each of the night's stages. A function of the profile that
// no longer exists under its name is no longer optimised: when this fails,
// make the profile anew with go tool -modfile=tools/go.mod task pgo.
func TestDefaultPGO(t *testing.T) {
	f, err := os.Open("default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("default.pgo is not a gzipped pprof profile: %v", err)
	}
	prof, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// names reports whether s is an entry of the profile's string table
	// (field 6 of the protobuf): the whole string, not a part of one
	names := func(s string) bool {
		entry := binary.AppendUvarint([]byte{6<<3 | 2}, uint64(len(s)))
		return bytes.Contains(prof, append(entry, s...))
	}
	if !names("cpu") || !names("nanoseconds") {
		t.Error("default.pgo is not a CPU profile")
	}
	hot := map[string]any{
		"reading":  (*syslog.Parser).Parse,
		"parsing":  sshd.Parse,
		"loading":  (*load.Batch).Add,
		"locating": (*geoip.Locator).Lookup,
		"drawing":  render.Map.Draw,
	}
	for stage, fn := range hot {
		name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
		if !names(name) {
			t.Errorf("default.pgo does not name %s (%s): make it anew with go tool -modfile=tools/go.mod task pgo", name, stage)
		}
	}
}
