package report

import (
	"time"

	"github.com/knockmap/knockmap/maps/render"
)

// hostRow is a host's line on the page, its numbers as shown.
type hostRow struct {
	Host                                      string
	Attempts, Addresses, Usernames, Countries string
	First, Last                               string
}

// hostRows are the page's host list (hosts.html): shown when the report
// covers more than one host, as a report drawn from many hosts' exports
// does (report --from).
func hostRows(hs []HostTotals) []hostRow {
	f := func(n int64) string { return render.Thousands(float64(n)) }
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006 15:04")
	}
	out := make([]hostRow, len(hs))
	for i, h := range hs {
		out[i] = hostRow{Host: h.Host, Attempts: f(h.Attempts), Addresses: f(h.Addresses), Usernames: f(h.Usernames),
			Countries: f(h.Countries), First: day(h.First), Last: day(h.Last)}
	}
	return out
}
