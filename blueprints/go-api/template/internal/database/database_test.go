package database

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm/logger"
)

// TestStatementsFailedByTheRequestAreNotDatabaseErrors: a violated constraint
// or bad value (answered 4xx) and a client that hung up leave no ERROR line;
// any other failure of a statement does.
func TestStatementsFailedByTheRequestAreNotDatabaseErrors(t *testing.T) {
	for _, tt := range []struct {
		err     error
		logged  bool
		comment string
	}{
		{fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23503"}), false, "foreign key violation"},
		{&pgconn.PgError{Code: "22001"}, false, "value too long"},
		{context.Canceled, false, "client hung up"},
		{&pgconn.PgError{Code: "57P01"}, true, "server shut down"},
		{fmt.Errorf("connection reset"), true, "network"},
	} {
		var logs bytes.Buffer
		l := quietClientErrors{logger.NewSlogLogger(slog.New(slog.NewJSONHandler(&logs, nil)), logger.Config{
			SlowThreshold: time.Hour,
			LogLevel:      logger.Warn,
		})}
		l.Trace(t.Context(), time.Now(), func() (string, int64) { return "SELECT 1", 0 }, tt.err)
		if got := strings.Contains(logs.String(), `"level":"ERROR"`); got != tt.logged {
			t.Errorf("%s: logged at ERROR = %v, want %v (%s)", tt.comment, got, tt.logged, logs.String())
		}
	}
}
