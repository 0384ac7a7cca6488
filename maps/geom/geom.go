// Package geom holds the plain geometry every map reader produces and every
// map drawer takes: points in degrees (X longitude, Y latitude) before
// projection, or in projected units after.
package geom

import "math"

// Point is a position: longitude and latitude in degrees, or projected x, y.
type Point struct{ X, Y float64 }

// Ring is a closed line: its last point joins its first (readers may or
// may not repeat the first point at the end).
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// MultiPolygon is a set of polygons: a country with its islands.
type MultiPolygon []Polygon

// Feature is one shape of a basemap with its attributes (ISO codes, names).
type Feature struct {
	Props    map[string]string
	Polygons MultiPolygon // areas; empty for point features
	Points   []Point      // point features (populated places)
}

// Bounds is an axis-aligned rectangle.
type Bounds struct{ Min, Max Point }

// Empty bounds, which any Extend makes real.
func Empty() Bounds {
	inf := math.Inf(1)
	return Bounds{Point{inf, inf}, Point{-inf, -inf}}
}

// IsEmpty says whether nothing was added.
func (b Bounds) IsEmpty() bool { return b.Min.X > b.Max.X || b.Min.Y > b.Max.Y }

// Extend grows b to hold p.
func (b Bounds) Extend(p Point) Bounds {
	return Bounds{
		Point{math.Min(b.Min.X, p.X), math.Min(b.Min.Y, p.Y)},
		Point{math.Max(b.Max.X, p.X), math.Max(b.Max.Y, p.Y)},
	}
}

// Width and Height of the rectangle.
func (b Bounds) Width() float64  { return b.Max.X - b.Min.X }
func (b Bounds) Height() float64 { return b.Max.Y - b.Min.Y }

// Bounds of a multipolygon's outer rings.
func (m MultiPolygon) Bounds() Bounds {
	b := Empty()
	for _, p := range m {
		if len(p) == 0 {
			continue
		}
		for _, pt := range p[0] {
			b = b.Extend(pt)
		}
	}
	return b
}
