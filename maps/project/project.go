// Package project maps longitude and latitude in degrees onto a plane: the
// Equal Earth projection for the world, Albers equal-area conics for the
// United States and for the extent of one state or territory, and Frame,
// which fits the projected plane into a map's pixels and splits world
// shapes at the antimeridian.
//
// Projected coordinates are on the unit sphere (R = 1) with y up; a Frame
// turns them into pixels with y down.
package project

import "math"

// Projection maps a longitude and latitude in degrees to planar x, y (y up).
// Points it cannot place come back as NaN.
type Projection interface {
	Project(lon, lat float64) (x, y float64)
}

const (
	rad = math.Pi / 180
	deg = 180 / math.Pi
)

// UnwrapLon returns lon shifted by whole turns into [center-180,
// center+180], so that a shape crossing the antimeridian stays in one piece
// around center (the Aleutians at 172°E become -188° around -150°).
// Longitudes already within 180° of center come back unchanged.
func UnwrapLon(lon, center float64) float64 {
	d := lon - center
	if d >= -180 && d <= 180 {
		return lon
	}
	d = math.Mod(d+180, 360)
	if d < 0 {
		d += 360
	}
	return center + d - 180
}
