//go:build duckdb_arrow

package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/duckdb/duckdb-go/v2/mapping"
	"github.com/spf13/cobra"

	"github.com/knockmap/knockmap/maps/basemap"
	"github.com/knockmap/knockmap/pipeline/geoip"
)

// version and commit are stamped in by the release task
// (go build -ldflags "-X main.version=… -X main.commit=…"); empty, they
// come from the build information the go command records.
var (
	version string
	commit  string
)

// addVersion gives root a --version flag and a version subcommand, both
// printing versionText.
func addVersion(root *cobra.Command) {
	root.Version = buildVersion()
	cobra.AddTemplateFunc("knockmapVersion", versionText)
	root.SetVersionTemplate(`{{knockmapVersion}}`)
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print knockmap's version and commit, DuckDB's version and the dates of the embedded data",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := io.WriteString(cmd.OutOrStdout(), versionText())
			return err
		},
	})
}

// buildVersion is the stamped version, else the module's version when it
// was built as a module (go install …@v1.2.3), else "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// buildCommit is the stamped commit, else the VCS revision the go command
// recorded (with "-modified" when the tree had changes), else "devel".
func buildCommit() string {
	if commit != "" {
		return commit
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel"
	}
	if modified == "true" {
		rev += "-modified"
	}
	return rev
}

// versionText is what --version and the version subcommand print: one
// line per part, so that a bug report can paste it whole.
func versionText() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "knockmap\t%s\n", buildVersion())
	fmt.Fprintf(w, "commit\t%s\n", buildCommit())
	fmt.Fprintf(w, "go\t%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "duckdb\t%s\n", mapping.LibraryVersion())
	fmt.Fprintf(w, "country database\t%s\n", embeddedCountry())
	fmt.Fprintf(w, "basemaps and flags\t%s\n", strings.Join(basemap.Packages(), ", "))
	w.Flush()
	return b.String()
}

// embeddedCountry describes the embedded country database: its package
// and the build date its metadata records.
func embeddedCountry() string {
	pkg := geoip.EmbeddedPackage()
	if pkg == "" {
		pkg = "(no package recorded)"
	}
	d, err := geoip.Embedded()
	if err != nil {
		return fmt.Sprintf("%s, unreadable: %v", pkg, err)
	}
	return fmt.Sprintf("%s, built %s", pkg, d.Built.Format(time.DateOnly))
}
