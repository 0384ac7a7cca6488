//go:build !linux

package load

import "github.com/knockmap/knockmap/pipeline/store"

// Outside Linux there is no syncing in the background: the commit's fsync
// writes everything, as it would anyway (macOS's full sync is slow enough
// to be left to DuckDB).
type dbDescriptor = store.Descriptor

func findDescriptor(string) (dbDescriptor, bool) { return dbDescriptor{}, false }

func syncFile(dbDescriptor) {}
