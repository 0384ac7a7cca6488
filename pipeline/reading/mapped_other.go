//go:build !linux

package reading

import (
	"context"

	"github.com/knockmap/knockmap/pipeline/syslog"
)

// scanMapped maps files on Linux only; elsewhere the caller reads them.
func scanMapped(context.Context, string) (syslog.YearScan, bool) {
	return syslog.YearScan{}, false
}
