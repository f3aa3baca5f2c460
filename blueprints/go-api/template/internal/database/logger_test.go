package database

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func TestGormLoggerTrace(t *testing.T) {
	const sql = `SELECT * FROM "things" WHERE "id" = $1`
	tests := []struct {
		name      string
		elapsed   time.Duration
		err       error
		wantLevel string // "" means nothing is logged
	}{
		{name: "fast and fine", elapsed: time.Millisecond},
		{name: "missing row", elapsed: time.Millisecond, err: gorm.ErrRecordNotFound},
		{name: "slow", elapsed: time.Second, wantLevel: "WARN"},
		{name: "failed", elapsed: time.Millisecond, err: errors.New("boom"), wantLevel: "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			l := newGormLogger(slog.New(slog.NewJSONHandler(&out, nil)), 200*time.Millisecond, logger.Warn)
			rendered := false
			l.Trace(context.Background(), time.Now().Add(-tt.elapsed), func() (string, int64) {
				rendered = true
				return sql, 1
			}, tt.err)

			if tt.wantLevel == "" {
				if out.Len() != 0 || rendered {
					t.Fatalf("logged %q (SQL rendered: %v), want nothing", out.String(), rendered)
				}
				return
			}
			var line struct {
				Level string
				Msg   string
				Trace map[string]any
			}
			if err := json.Unmarshal(out.Bytes(), &line); err != nil {
				t.Fatalf("log line %q: %v", out.String(), err)
			}
			if line.Level != tt.wantLevel || line.Trace["sql"] != sql {
				t.Errorf("logged %s, want level %s with the SQL", out.String(), tt.wantLevel)
			}
			if tt.err != nil && !strings.Contains(out.String(), tt.err.Error()) {
				t.Errorf("logged %s, want the error %q", out.String(), tt.err)
			}
		})
	}
}

func TestGormLoggerNeverLogsValues(t *testing.T) {
	l := newGormLogger(slog.Default(), time.Second, logger.Info)
	sql, vars := l.ParamsFilter(context.Background(), "UPDATE t SET secret = $1", "s3cret")
	if sql != "UPDATE t SET secret = $1" || vars != nil {
		t.Errorf("ParamsFilter() = %q, %v; want the SQL unchanged and no values", sql, vars)
	}
}

func TestGormLoggerSilent(t *testing.T) {
	var out bytes.Buffer
	l := newGormLogger(slog.New(slog.NewJSONHandler(&out, nil)), time.Millisecond, logger.Warn).LogMode(logger.Silent)
	l.Trace(context.Background(), time.Now().Add(-time.Second), func() (string, int64) { return "SELECT 1", 1 }, errors.New("boom"))
	l.Error(context.Background(), "oops %d", 1)
	if out.Len() != 0 {
		t.Errorf("silent logger wrote %q", out.String())
	}
}
