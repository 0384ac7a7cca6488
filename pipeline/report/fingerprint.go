package report

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/knockmap/knockmap/sql"
)

// Fingerprint sums up what a report of since to until (zero: open) is
// drawn from (sql/report/fingerprint.sql): equal fingerprints mean equal
// numbers, so a caller can leave a report be whose inputs did not change
// even when its window moved.
func Fingerprint(ctx context.Context, db *sql.DB, since, until time.Time) (string, error) {
	p := periodOf(since, until)
	var lines, failed int64
	var hashed string
	// on a connection set up as the report's own (withAttempts)
	err := withAttempts(ctx, db, p, func(at *attempts) error {
		return at.conn.QueryRowContext(ctx, sqlfiles.Statement("report/fingerprint"), p.args()...).Scan(&lines, &failed, &hashed)
	})
	if err != nil {
		return "", fmt.Errorf("sql/report/fingerprint.sql: %w", err)
	}
	return fmt.Sprintf("lines %d attempts %d hash %s", lines, failed, hashed), nil
}
