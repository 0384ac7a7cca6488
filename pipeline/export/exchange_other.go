//go:build !linux

package export

// exchange cannot swap two folders in one step here; swap moves the old
// one aside first.
func exchange(a, b string) (bool, error) { return false, nil }
