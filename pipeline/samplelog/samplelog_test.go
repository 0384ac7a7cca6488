package samplelog

import (
	"regexp"
	"slices"
	"testing"
)

// TestAddressesCoverLines: every address a sample line names is in
// Addresses, so that an excerpt made from Addresses locates the whole
// sample; for the demo's sample Addresses names none that no line has
// either (a small sample may leave a source unpicked).
func TestAddressesCoverLines(t *testing.T) {
	addrRE := regexp.MustCompile(`(?:\s|rhost=)([0-9a-f]*:[0-9a-f:.]+|\d+\.\d+\.\d+\.\d+)(?: port \d|$)`)
	for _, tc := range []struct {
		name  string
		opt   Options
		exact bool
	}{
		{"demo", Demo, true},
		{"small", Options{Seed: 7, Lines: 3000}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addrs := Addresses(tc.opt)
			seen := map[string]bool{}
			for _, l := range Generate(tc.opt) {
				for _, m := range addrRE.FindAllStringSubmatch(l.Text, -1) {
					a := m[1]
					if a == "203.0.113.9" { // inside a hostile username
						continue
					}
					seen[a] = true
					if _, ok := slices.BinarySearch(addrs, a); !ok {
						t.Fatalf("line %q names %s, which Addresses lacks", l.Text, a)
					}
				}
			}
			for _, a := range addrs {
				if tc.exact && !seen[a] {
					t.Errorf("Addresses has %s, which no line names", a)
				}
			}
			for _, v := range USVisitors {
				if !seen[v] {
					t.Errorf("no line from the US visitor %s", v)
				}
			}
			if again := Addresses(tc.opt); !slices.Equal(addrs, again) {
				t.Errorf("Addresses differ between two calls with the same options")
			}
		})
	}
}
