//go:build !linux

package load

import "os"

// syncData does nothing outside Linux: the commit's fsync writes
// everything, as it would anyway (macOS's full sync is slow enough to be
// left to DuckDB).
func syncData(*os.File) {}
