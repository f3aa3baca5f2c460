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
	"gorm.io/gorm"
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
		{gorm.ErrRecordNotFound, false, "missing row"},
		{&pgconn.PgError{Code: "57P01"}, true, "server shut down"},
		{fmt.Errorf("connection reset"), true, "network"},
	} {
		var logs bytes.Buffer
		l := testLogger(&logs, time.Hour)
		l.Trace(t.Context(), time.Now(), func() (string, int64) { return "SELECT 1", 0 }, tt.err)
		if got := strings.Contains(logs.String(), `"level":"ERROR"`); got != tt.logged {
			t.Errorf("%s: logged at ERROR = %v, want %v (%s)", tt.comment, got, tt.logged, logs.String())
		}
	}
}

// TestStatementsAreRenderedOnlyToBeLogged: a fast statement that succeeded is
// not logged at Warn, so its SQL text is never built; a slow one, a failed
// one, and every one at Info (db.Debug()) are rendered and logged.
func TestStatementsAreRenderedOnlyToBeLogged(t *testing.T) {
	for _, tt := range []struct {
		name    string
		level   logger.LogLevel
		elapsed time.Duration
		err     error
		logged  bool
	}{
		{"fast at Warn", logger.Warn, 0, nil, false},
		{"slow at Warn", logger.Warn, 2 * time.Second, nil, true},
		{"failed at Warn", logger.Warn, 0, &pgconn.PgError{Code: "57P01"}, true},
		{"fast at Info", logger.Info, 0, nil, true},
		{"failed when silent", logger.Silent, 0, &pgconn.PgError{Code: "57P01"}, false},
	} {
		var logs bytes.Buffer
		l := testLogger(&logs, time.Second).LogMode(tt.level)
		rendered := false
		l.Trace(t.Context(), time.Now().Add(-tt.elapsed), func() (string, int64) {
			rendered = true
			return "SELECT 1", 1
		}, tt.err)
		if logged := strings.Contains(logs.String(), "SELECT 1"); logged != tt.logged {
			t.Errorf("%s: logged = %v, want %v (%s)", tt.name, logged, tt.logged, logs.String())
		}
		if rendered && !tt.logged {
			t.Errorf("%s: the statement was rendered but not logged", tt.name)
		}
	}
}

// testLogger is newStatementLogger's logger writing JSON to w, with a slow
// threshold a test can cross.
func testLogger(w *bytes.Buffer, slow time.Duration) logger.Interface {
	return quietClientErrors{
		Interface: logger.NewSlogLogger(slog.New(slog.NewJSONHandler(w, nil)), logger.Config{
			SlowThreshold:             slow,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
		}),
		level: logger.Warn,
		slow:  slow,
	}
}
