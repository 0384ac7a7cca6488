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
// even when its window moved. It first adds the lines read since to the
// sums kept per day (sql/report/fingerprint_refresh.sql), in a
// transaction of its own, so db is to be writable.
func Fingerprint(ctx context.Context, db *sql.DB, since, until time.Time) (string, error) {
	p := periodOf(since, until)
	var lines, failed int64
	var hashed string
	// on a connection set up as the report's own (withAttempts)
	err := withAttempts(ctx, db, p, func(at *attempts) error {
		tx, err := at.conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, q := range sqlfiles.Split(sqlfiles.Statement("report/fingerprint_refresh")) {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("sql/report/fingerprint_refresh.sql: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sql/report/fingerprint_refresh.sql: %w", err)
		}
		// $1 to $4 of sql/report/rollups.sql: the period and its whole days
		args := at.args()[:4]
		return at.conn.QueryRowContext(ctx, sqlfiles.Statement("report/fingerprint"), args...).Scan(&lines, &failed, &hashed)
	})
	if err != nil {
		return "", fmt.Errorf("the report's fingerprint: %w", err)
	}
	return fmt.Sprintf("lines %d attempts %d hash %s", lines, failed, hashed), nil
}
