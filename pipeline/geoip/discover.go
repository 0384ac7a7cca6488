package geoip

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultDir is where `knockmap geoip update` puts databases:
// $XDG_DATA_HOME/knockmap/geoip (~/.local/share/knockmap/geoip).
func DefaultDir() string {
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "knockmap", "geoip")
}

// SearchPath is where databases are looked for when none is named: the
// files and folders in KNOCKMAP_GEOIP (separated by the list separator),
// or else knockmap's own folder and the folders geoipupdate and the
// distributions' packages use.
func SearchPath() []string {
	if env := os.Getenv("KNOCKMAP_GEOIP"); env != "" {
		return filepath.SplitList(env)
	}
	var dirs []string
	if d := DefaultDir(); d != "" {
		dirs = append(dirs, d)
	}
	return append(dirs, "/usr/share/GeoIP", "/var/lib/GeoIP")
}

// OpenAll opens the databases that paths name: files, or folders whose
// .mmdb files are all taken (those of a type knockmap cannot read are
// passed over). With explicit, a path that does not exist or a file that is
// not a database is an error; in discovery, missing folders are normal.
// The same file found twice (a symlink, say) is opened once.
func OpenAll(paths []string, explicit bool) ([]*Database, error) {
	var dbs []*Database
	var errs []error
	seen := map[string]bool{}
	open := func(p string, must bool) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil && seen[real] {
			return
		}
		seen[real] = true
		d, err := Open(p)
		if err != nil {
			if must || !errors.Is(err, ErrUnknownType) {
				errs = append(errs, err)
			}
			return
		}
		dbs = append(dbs, d)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			if explicit {
				errs = append(errs, fmt.Errorf("GeoIP database: %w", err))
			}
			continue
		}
		if !fi.IsDir() {
			open(p, explicit)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var names []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".mmdb") {
				names = append(names, e.Name())
			}
		}
		slices.Sort(names)
		for _, n := range names {
			open(filepath.Join(p, n), false)
		}
	}
	err := errors.Join(errs...)
	if err != nil && explicit {
		for _, d := range dbs {
			d.Close()
		}
		return nil, err
	}
	return dbs, err
}
