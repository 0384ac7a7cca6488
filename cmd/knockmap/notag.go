//go:build !duckdb_arrow

// knockmap is built with DuckDB's Arrow interface: build it with the tag,
// go build -tags duckdb_arrow ./cmd/knockmap. Without it this file stops
// the build at once, with the tag in the compiler's message.
package main

var _ = knockmap_needs_the_build_tag_duckdb_arrow__use__go_build_tags_duckdb_arrow
