// Package database opens the PostgreSQL connection through GORM.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options tune the connection pool and logging.
type Options struct {
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	// Logger receives GORM's own log of slow queries (over 200ms) and failed
	// statements, with placeholders instead of values. Nil discards them.
	Logger *slog.Logger
}

// slowQuery is the threshold above which GORM logs a statement as slow.
const slowQuery = 200 * time.Millisecond

// Open connects to dsn and pings the database before returning.
func Open(ctx context.Context, dsn string, opts Options) (*gorm.DB, error) {
	gormLog := logger.Discard
	if opts.Logger != nil {
		gormLog = newStatementLogger(opts.Logger)
	}
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{
		Logger: gormLog,
		// pgx prepares each statement once per connection and keeps it in its
		// statement cache: every query of the repositories has a fixed SQL
		// text. GORM's own PrepareStmt is left off: it prepares a statement
		// first met in a transaction on that transaction, so every later
		// transaction prepares it again (and deallocates it at commit), two
		// extra round trips per statement of every update.
		// Single statements are atomic on their own; GORM's default wraps
		// each write in BEGIN/COMMIT, two extra round trips. Writes that
		// span statements use explicit transactions.
		SkipDefaultTransaction: true,
		DisableAutomaticPing:   true, // pinged below, with the caller's context
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if opts.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(opts.MaxOpenConns)
	}
	if opts.MaxIdleConns > 0 {
		sqlDB.SetMaxIdleConns(opts.MaxIdleConns)
	}
	if opts.ConnMaxLifetime > 0 {
		sqlDB.SetConnMaxLifetime(opts.ConnMaxLifetime)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return db, nil
}

// newStatementLogger is GORM's slog logger at Warn: slow statements and
// failed ones, except those quietClientErrors leaves out.
func newStatementLogger(log *slog.Logger) logger.Interface {
	return quietClientErrors{
		Interface: logger.NewSlogLogger(log, logger.Config{
			SlowThreshold:             slowQuery,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true, // a missing row is a 404, not a database problem
			ParameterizedQueries:      true, // never log the data of a row
		}),
		level: logger.Warn,
		slow:  slowQuery,
	}
}

// quietClientErrors keeps GORM from logging, as database errors, statements
// that failed because of the request: a violated constraint or a bad value
// (SQLSTATE classes 23 and 22, which the API answers with a 4xx), a missing
// row, or a client that hung up. Other failures, and slow statements, are
// logged as before.
//
// It also returns early when nothing would be logged: GORM's slog logger
// renders the statement (fc, which builds the SQL text and formats the
// duration) before it looks at the level, for every statement.
type quietClientErrors struct {
	logger.Interface
	level logger.LogLevel // as set by LogMode; Info logs every statement
	slow  time.Duration   // the inner logger's SlowThreshold
}

func (l quietClientErrors) LogMode(level logger.LogLevel) logger.Interface {
	return quietClientErrors{Interface: l.Interface.LogMode(level), level: level, slow: l.slow}
}

func (l quietClientErrors) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	var pgErr *pgconn.PgError
	if errors.Is(err, context.Canceled) || errors.Is(err, gorm.ErrRecordNotFound) ||
		(errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23"))) {
		err = nil
	}
	if err == nil && l.level < logger.Info && time.Since(begin) <= l.slow {
		return
	}
	l.Interface.Trace(ctx, begin, fc, err)
}
