package basemap

import (
	"slices"
	"strings"
	"testing"
)

// TestSourcesPackages: the npm packages a SOURCES file names, each once, in
// order; the embedded data/SOURCES names the three the assets task packs.
func TestSourcesPackages(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"two", "a.json  npm world-atlas@2.0.2, Natural Earth\n  sha256 00\nb.json  npm us-atlas@3.0.1, Census\n", []string{"world-atlas@2.0.2", "us-atlas@3.0.1"}},
		{"repeated", "a  npm x@1, one\nb  npm x@1, two\n", []string{"x@1"}},
		{"no version", "a  npm world-atlas, no version\n", nil},
		{"none", "Embedded basemaps.\n\n  sha256 00\n", nil},
	} {
		if got := sourcesPackages(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s: sourcesPackages = %q, want %q", c.name, got, c.want)
		}
	}
	got := Packages()
	names := []string{"world-atlas@", "us-atlas@", "svg-country-flags@"}
	if len(got) != len(names) {
		t.Fatalf("Packages = %q, want one each of %q (data/SOURCES)", got, names)
	}
	for i, name := range names {
		if !strings.HasPrefix(got[i], name) || len(got[i]) == len(name) {
			t.Errorf("Packages[%d] = %q, want %sVERSION", i, got[i], name)
		}
	}
}
