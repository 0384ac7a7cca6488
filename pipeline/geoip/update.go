package geoip

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/knockmap/knockmap/pipeline/outfile"
)

// DBIPBaseURL is where DB-IP publishes its free Lite databases, one file a
// month: dbip-city-lite-2026-11.mmdb.gz.
const DBIPBaseURL = "https://download.db-ip.com/free/"

// Update is what one database download did.
type Update struct {
	Name  string // dbip-city-lite
	URL   string // where it came from
	Path  string // where it now is
	Type  string
	Built time.Time
	Bytes int64
}

// maxDatabaseBytes bounds a download: DB-IP's city file is about 130 MB.
const maxDatabaseBytes = 1 << 30

// UpdateDBIP downloads the current month's DB-IP Lite city and ASN
// databases (CC BY 4.0, no key needed) into dir, or last month's when this
// month's is not published yet. Each file is checked, it must open as the
// right type and locate a well-known address, before it replaces the one
// in dir by a rename; a failed download leaves the old file in place.
func UpdateDBIP(ctx context.Context, client *http.Client, baseURL, dir string, now time.Time) ([]Update, error) {
	if err := outfile.CheckFolder(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	var done []Update
	for _, name := range []string{"dbip-city-lite", "dbip-asn-lite"} {
		u, err := fetchMonthly(ctx, client, baseURL, dir, name, now)
		if err != nil {
			return done, err
		}
		done = append(done, u)
	}
	return done, nil
}

var errNotPublished = errors.New("not published")

func fetchMonthly(ctx context.Context, client *http.Client, baseURL, dir, name string, now time.Time) (Update, error) {
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var errs []error
	for _, m := range []time.Time{month, month.AddDate(0, -1, 0)} {
		url := fmt.Sprintf("%s%s-%s.mmdb.gz", baseURL, name, m.Format("2006-01"))
		u, err := fetch(ctx, client, url, dir, name)
		if err == nil {
			return u, nil
		}
		errs = append(errs, err)
		if !errors.Is(err, errNotPublished) {
			break
		}
	}
	return Update{}, errors.Join(errs...)
}

func fetch(ctx context.Context, client *http.Client, url, dir, name string) (Update, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Update{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return Update{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return Update{}, fmt.Errorf("%s: %w", url, errNotPublished)
	}
	if resp.StatusCode != http.StatusOK {
		return Update{}, fmt.Errorf("%s: %s", url, resp.Status)
	}
	path := filepath.Join(dir, name+".mmdb")
	// made fresh beside path and renamed into place (see outfile); the
	// databases are public data
	tmp, err := outfile.Create(path, 0o644)
	if err != nil {
		return Update{}, err
	}
	defer tmp.Abort() // after the commit, a no-op
	n, err := gunzip(tmp, resp.Body)
	if err != nil {
		return Update{}, fmt.Errorf("%s: %w", url, err)
	}
	d, err := Open(tmp.Name())
	if err != nil {
		return Update{}, fmt.Errorf("%s: the download is not a usable database: %w", url, err)
	}
	err = check(d, name)
	d.Close()
	if err != nil {
		return Update{}, fmt.Errorf("%s: %w", url, err)
	}
	if err := tmp.Commit(); err != nil {
		return Update{}, err
	}
	return Update{Name: name, URL: url, Path: path, Type: d.Type, Built: d.Built, Bytes: n}, nil
}

func gunzip(w io.Writer, r io.Reader) (int64, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, io.LimitReader(zr, maxDatabaseBytes+1))
	if err == nil && n > maxDatabaseBytes {
		err = fmt.Errorf("larger than %d bytes", maxDatabaseBytes)
	}
	return n, err
}

// probe is an address every real database places: Google's public DNS.
var probe = netip.MustParseAddr("8.8.8.8")

// check makes sure a downloaded database answers as the one it replaces.
func check(d *Database, name string) error {
	want := Location
	if strings.Contains(name, "asn") {
		want = ASN
	}
	if d.Roles&want == 0 {
		return fmt.Errorf("it is a %q database, not the kind expected", d.Type)
	}
	var a Answer
	var ok bool
	var err error
	if want == ASN {
		ok, err = d.asn(probe, &a)
	} else {
		ok, err = d.locate(probe, &a)
	}
	if err != nil || !ok {
		return fmt.Errorf("it does not locate %s (%v)", probe, err)
	}
	return nil
}
