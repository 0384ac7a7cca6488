//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"errors"

	"github.com/knockmap/knockmap/pipeline/input"
)

// Without the duckdb_arrow tag there is no loader (pipeline/load needs
// DuckDB's Arrow interface): the package still builds, so that go doc
// shows it, and refuses to load.
var errNoArrow = errors.New("knockmap was built without the duckdb_arrow tag, which loading needs")

func loadExisting(context.Context, *sql.DB, []*input.Source, Options) (*Stats, error) {
	return nil, errNoArrow
}

func loadNew(context.Context, func() (*sql.DB, error), []*input.Source, Options) (*Stats, error) {
	return nil, errNoArrow
}
