package geoip

import (
	_ "embed"
	"strings"
)

// embeddedSources is embedded/SOURCES, where the assets task records which
// package the embedded country database was made from.
//
//go:embed embedded/SOURCES
var embeddedSources string

// EmbeddedPackage names the registry package (name@version) the embedded
// country database was made from, as embedded/SOURCES records it, or ""
// when it records none.
func EmbeddedPackage() string { return sourcesPackage(embeddedSources) }

// sourcesPackage reads the "package: NAME@VERSION (...)" line of a SOURCES
// file.
func sourcesPackage(sources string) string {
	for line := range strings.Lines(sources) {
		rest, ok := strings.CutPrefix(line, "package:")
		if !ok {
			continue
		}
		if f := strings.Fields(rest); len(f) > 0 {
			return f[0]
		}
	}
	return ""
}
