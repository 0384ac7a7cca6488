//go:build duckdb_arrow

package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/knockmap/knockmap/pipeline/store"
)

// TestMemoryHint: after DuckDB runs out of memory, the hint names the
// limit it ran under: the one KNOCKMAP_MEMORY_LIMIT set, or the default.
func TestMemoryHint(t *testing.T) {
	oom := errors.New("keeping the logins: Out of Memory Error: failed to allocate data of size 16.0 MiB (61.0 MiB/61.0 MiB used)")
	if h := memoryHint(errors.New("no such table")); h != "" {
		t.Errorf("another error got a memory hint: %q", h)
	}
	t.Setenv("KNOCKMAP_MEMORY_LIMIT", "")
	if h := memoryHint(oom); !strings.Contains(h, "is "+store.DefaultMemoryLimit+" unless") {
		t.Errorf("with no setting, the hint does not name the default %s: %q", store.DefaultMemoryLimit, h)
	}
	t.Setenv("KNOCKMAP_MEMORY_LIMIT", "64MB")
	h := memoryHint(oom)
	if !strings.Contains(h, "KNOCKMAP_MEMORY_LIMIT=64MB") || strings.Contains(h, store.DefaultMemoryLimit) {
		t.Errorf("with KNOCKMAP_MEMORY_LIMIT=64MB, the hint does not name that limit alone: %q", h)
	}
}
