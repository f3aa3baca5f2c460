package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// gormLogger sends GORM's logs to slog. Unlike logger.NewSlogLogger it does
// nothing for a fast, successful statement: GORM calls Trace after every
// query, and rendering the SQL text (which the stock logger does first,
// whatever the level) cost more CPU than the query itself.
type gormLogger struct {
	log   *slog.Logger
	slow  time.Duration
	level logger.LogLevel
}

// newGormLogger logs failed statements as errors, statements slower than slow
// as warnings and, at logger.Info, every statement.
func newGormLogger(log *slog.Logger, slow time.Duration, level logger.LogLevel) *gormLogger {
	return &gormLogger{log: log, slow: slow, level: level}
}

func (l *gormLogger) LogMode(level logger.LogLevel) logger.Interface {
	c := *l
	c.level = level
	return &c
}

func (l *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.printf(ctx, logger.Info, slog.LevelInfo, msg, args)
}

func (l *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.printf(ctx, logger.Warn, slog.LevelWarn, msg, args)
}

func (l *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.printf(ctx, logger.Error, slog.LevelError, msg, args)
}

func (l *gormLogger) printf(ctx context.Context, at logger.LogLevel, level slog.Level, msg string, args []any) {
	if l.level >= at {
		l.log.Log(ctx, level, fmt.Sprintf(msg, args...))
	}
}

// Trace is called after every statement; fc renders its SQL.
func (l *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if l.level <= logger.Silent {
		return
	}
	// A missing row is a 404, not a database problem.
	failed := err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && l.level >= logger.Error
	elapsed := time.Since(begin)
	slow := l.slow > 0 && elapsed > l.slow && l.level >= logger.Warn
	level := slog.LevelInfo
	switch {
	case failed:
		level = slog.LevelError
	case slow:
		level = slog.LevelWarn
	case l.level < logger.Info:
		return
	}
	if !l.log.Enabled(ctx, level) {
		return
	}
	sql, rows := fc()
	attrs := []any{
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("sql", sql),
	}
	if rows >= 0 {
		attrs = append(attrs, slog.Int64("rows", rows))
	}
	if failed {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.log.LogAttrs(ctx, level, "SQL executed", slog.Group("trace", attrs...))
}

// ParamsFilter drops the bound values, so the SQL that Trace logs shows
// placeholders and never the data of a row.
func (l *gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
