package reading

import (
	"context"
	"io"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// ScanYears counts the New Years of src, a year-less log to be read from
// its start: through mappings of the file where it can (scanMapped),
// reading it otherwise. It returns an error only when src cannot be
// opened: a read error after that (a truncated gzip) is reported by the
// main pass, with its line number, after the lines before it.
func ScanYears(ctx context.Context, src *input.Source) (syslog.YearScan, error) {
	if !src.Compressed && src.Path != "" {
		if scan, ok := scanMapped(ctx, src.Path); ok {
			return scan, nil
		}
	}
	rc, err := src.Open()
	if err != nil {
		return syslog.YearScan{}, err
	}
	defer rc.Close()
	scan, _ := syslog.ScanYears(ctxReader{ctx, rc})
	return scan, nil
}

// ctxReader stops reading when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
