package ingest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// Prescan counts the New Years in the year-less logs among srcs in the
// background, one source after another, while the caller opens the
// database: a new log must be read once for that before its lines can be
// dated, and opening DuckDB takes about as long as reading 100 MB.
// ReadSource takes a result from it when it is given one in
// Options.Prescan, and scans itself otherwise; Drop stops the scan of a
// source the database already knows (which needs none).
func Prescan(srcs []*input.Source) *Prescans {
	ps := &Prescans{jobs: map[*input.Source]*prescan{}}
	var order []*prescan
	for _, src := range srcs {
		ctx, cancel := context.WithCancel(context.Background())
		p := &prescan{ctx: ctx, cancel: cancel, done: make(chan struct{})}
		ps.jobs[src] = p
		order = append(order, p)
	}
	go func() {
		for i, p := range order {
			p.run(srcs[i])
		}
	}()
	return ps
}

// PrescanNew is Prescan when the database at db does not exist yet, and
// nil (no background scan) when it does. Into a new database every source
// is new and read whole, so its New Years are counted while DuckDB makes
// the database. An existing one knows most sources, which need no count:
// scanning them until the database says so cost a night with nothing new
// over a 1 GB log a fifth of its CPU time, and disk reads it promises not
// to make. A new source then counts its New Years as it is read.
func PrescanNew(db string, srcs []*input.Source) *Prescans {
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return Prescan(srcs)
}

// Prescans are the background year scans of Prescan.
type Prescans struct {
	mu   sync.Mutex
	jobs map[*input.Source]*prescan
}

type prescan struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	scan   syslog.YearScan
	ok     bool
}

func (p *prescan) run(src *input.Source) {
	defer close(p.done)
	if p.ctx.Err() != nil {
		return
	}
	_, first, ok, err := src.Fingerprint()
	if err != nil || !ok || syslog.MonthOf(first) == 0 {
		return
	}
	scan, err := scanYears(p.ctx, src)
	if err != nil || p.ctx.Err() != nil {
		return
	}
	p.scan, p.ok = scan, true
}

// scanYears counts the New Years of src, a year-less log to be read from
// its start: through mappings of the file where it can (scanMapped),
// reading it otherwise. It returns an error only when src cannot be
// opened: a read error after that (a truncated gzip) is reported by the
// main pass, with its line number, after the lines before it.
func scanYears(ctx context.Context, src *input.Source) (syslog.YearScan, error) {
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

// Drop stops the scan of src, if it has not finished.
func (ps *Prescans) Drop(src *input.Source) {
	if ps == nil {
		return
	}
	ps.mu.Lock()
	p := ps.jobs[src]
	delete(ps.jobs, src)
	ps.mu.Unlock()
	if p != nil {
		p.cancel()
	}
}

// Stop stops every scan not finished.
func (ps *Prescans) Stop() {
	if ps == nil {
		return
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for src, p := range ps.jobs {
		p.cancel()
		delete(ps.jobs, src)
	}
}

// result waits for the scan of src and returns it; false when there is
// none (not asked for, dropped, not year-less, or failed).
func (ps *Prescans) result(ctx context.Context, src *input.Source) (syslog.YearScan, bool) {
	if ps == nil {
		return syslog.YearScan{}, false
	}
	ps.mu.Lock()
	p := ps.jobs[src]
	ps.mu.Unlock()
	if p == nil {
		return syslog.YearScan{}, false
	}
	select {
	case <-p.done:
		return p.scan, p.ok
	case <-ctx.Done():
		return syslog.YearScan{}, false
	}
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
