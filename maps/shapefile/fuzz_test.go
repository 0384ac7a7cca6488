package shapefile

import (
	"errors"
	"testing"
)

// FuzzRead feeds Read arbitrary files: it must return features or a
// *ParseError, never panic, and never make more points than the .shp holds.
func FuzzRead(f *testing.F) {
	for _, tt := range fixtures {
		shp, shx, dbf := tt.fx.files()
		f.Add(shp, shx, dbf, tt.fx.cpg)
		f.Add(shp, []byte(nil), dbf, "")
		f.Add(shp, shx, []byte(nil), "")
		for _, cut := range []int{100, 108, 150, len(shp) / 2, len(shp) - 1} {
			if cut < len(shp) {
				f.Add(shp[:cut], shx, dbf, tt.fx.cpg)
				f.Add(shp[:cut], []byte(nil), dbf, tt.fx.cpg)
			}
		}
		f.Add(shp, shx[:len(shx)-8], dbf, "")
		f.Add(shp, shx, dbf[:len(dbf)/2], "windows-1252")
	}
	f.Fuzz(func(t *testing.T, shp, shx, dbf []byte, cpg string) {
		features, err := Read("fuzz", shp, shx, dbf, cpg)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		// A record is at least 12 bytes (header and shape type), a point 16.
		if limit := (len(shp) - 100) / 12; len(features) > limit {
			t.Fatalf("%d features from a %d-byte .shp", len(features), len(shp))
		}
		points := 0
		for i, ft := range features {
			if ft.Props == nil {
				t.Fatalf("feature %d: nil Props", i)
			}
			if len(dbf) > 0 && len(ft.Props) != len(features[0].Props) {
				t.Fatalf("feature %d: %d props, feature 0 has %d", i, len(ft.Props), len(features[0].Props))
			}
			points += len(ft.Points)
			for _, p := range ft.Polygons {
				if len(p) == 0 {
					t.Fatalf("feature %d: empty polygon", i)
				}
				for _, r := range p {
					if len(r) < 3 {
						t.Fatalf("feature %d: ring of %d points", i, len(r))
					}
					points += len(r)
				}
			}
		}
		if points > len(shp)/16 {
			t.Fatalf("%d points from a %d-byte .shp", points, len(shp))
		}
	})
}
