package basemap

import (
	_ "embed"
	"strings"
)

// sources is data/SOURCES, where the assets task records which npm package
// (and version) each embedded basemap and the flags came from.
//
//go:embed data/SOURCES
var sources string

// Packages names the npm packages (name@version) the embedded basemaps and
// flags were made from, in the order data/SOURCES lists them.
func Packages() []string { return sourcesPackages(sources) }

// sourcesPackages reads the "npm NAME@VERSION," of each line of a SOURCES
// file, once each.
func sourcesPackages(text string) []string {
	var pkgs []string
	for line := range strings.Lines(text) {
		_, rest, ok := strings.Cut(line, " npm ")
		if !ok {
			continue
		}
		f := strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' })
		if len(f) == 0 || !strings.Contains(f[0], "@") {
			continue
		}
		seen := false
		for _, p := range pkgs {
			seen = seen || p == f[0]
		}
		if !seen {
			pkgs = append(pkgs, f[0])
		}
	}
	return pkgs
}
