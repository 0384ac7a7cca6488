package ingest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"

	"github.com/knockmap/knockmap/pipeline/input"
	"github.com/knockmap/knockmap/pipeline/reading"
	"github.com/knockmap/knockmap/pipeline/syslog"
)

// prescanAll counts the New Years in the year-less logs among srcs in the
// background, one source after another, while the caller opens the
// database: a new log must be read once for that before its lines can be
// dated, and opening DuckDB takes about as long as reading 100 MB.
// reading.ReadSource takes a result from it (prescans.result, as
// reading.Options.Prescanned), and scans itself otherwise; Drop stops the
// scan of a source the database already knows (which needs none). Ingest
// runs it only for a database it makes: an existing one knows most
// sources, and scanning them until the database says so would read every
// log on a night with nothing new.
func prescanAll(srcs []*input.Source) *prescans {
	ps := &prescans{jobs: map[*input.Source]*prescan{}}
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

// isNew reports whether no database is at path yet: Ingest then makes it
// while it reads.
func isNew(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// prescans are the background year scans of prescanAll.
type prescans struct {
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
	scan, err := reading.ScanYears(p.ctx, src)
	if err != nil || p.ctx.Err() != nil {
		return
	}
	p.scan, p.ok = scan, true
}

// Drop stops the scan of src, if it has not finished.
func (ps *prescans) Drop(src *input.Source) {
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
func (ps *prescans) Stop() {
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
func (ps *prescans) result(ctx context.Context, src *input.Source) (syslog.YearScan, bool) {
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
