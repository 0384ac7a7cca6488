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
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, kindVariables); err != nil {
		return "", fmt.Errorf("the kinds' variables: %w", err)
	}
	var lines, attempts int64
	var hashed string
	if err := conn.QueryRowContext(ctx, sqlfiles.Statement("report/fingerprint"), periodOf(since, until).args()...).Scan(&lines, &attempts, &hashed); err != nil {
		return "", fmt.Errorf("sql/report/fingerprint.sql: %w", err)
	}
	return fmt.Sprintf("lines %d attempts %d hash %s", lines, attempts, hashed), nil
}
