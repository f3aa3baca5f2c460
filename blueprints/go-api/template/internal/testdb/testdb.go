// Package testdb gives integration tests a PostgreSQL database of their own.
// The server is, in order: the one in TEST_DATABASE_URL; a testcontainers-go
// container when a Docker engine answers; else an embedded PostgreSQL
// (internal/testdb/embedded.go) started for the test binary and stopped by
// Main. Each call to New gets a fresh schema (used through search_path and
// dropped afterwards), so parallel runs against one shared database never see
// each other's rows.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// postgresImage is the server the container runs when Docker is available.
const postgresImage = "postgres:16-alpine"

var (
	once      sync.Once
	baseURL   string // "" when no database is available
	source    string // where baseURL came from, for messages
	setupErr  error
	container *tcpostgres.PostgresContainer
	embedded  *embeddedServer
	skipped   atomic.Bool // a test skipped for want of a database
)

// Main runs the package's tests (call it from TestMain), stops the container
// or embedded server afterwards if New started one, and reports a skip to the
// file in TEST_SKIP_REPORT (the Makefile's `test` prints it last), so a run
// without a database never ends in a silent ok.
func Main(m *testing.M) int {
	code := m.Run()
	if container != nil {
		if err := testcontainers.TerminateContainer(container); err != nil {
			fmt.Fprintln(os.Stderr, "testdb: stop container:", err)
		}
	}
	if embedded != nil {
		if err := embedded.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "testdb: stop embedded PostgreSQL:", err)
		}
	}
	if skipped.Load() {
		reportSkip("PostgreSQL integration tests skipped: " + setupHint())
	}
	return code
}

// setupHint says why no database could be had and how to get one.
func setupHint() string {
	return fmt.Sprintf("%s; set TEST_DATABASE_URL=postgres://user:pass@localhost:5432/db?sslmode=disable "+
		"or run the tests as a regular user so the embedded PostgreSQL can start", setupErr)
}

// New returns the DSN and an open *gorm.DB of a schema created for this test
// alone. When no database can be had (the embedded server cannot run as root)
// it skips the test, or fails it when the CI environment variable is set: CI
// must never pass by skipping. A database that was found but fails is an error.
func New(t testing.TB) (string, *gorm.DB) {
	t.Helper()
	once.Do(resolve)
	if baseURL == "" {
		if errors.Is(setupErr, errUnavailable) {
			msg := "integration tests need PostgreSQL: " + setupHint()
			if os.Getenv("CI") != "" {
				t.Fatal(msg + "; failing because CI is set")
			}
			skipped.Store(true)
			t.Skip(msg)
		}
		t.Fatalf("integration database (%s): %v", source, setupErr)
	}

	admin, err := open(baseURL)
	if err != nil {
		t.Fatalf("connect to %s database: %v", source, err)
	}
	schema := "it_" + randomHex(8)
	// An identifier cannot be a bind parameter; clause.Table has GORM quote it, so even
	// this helper builds no SQL by concatenation.
	if err := admin.Exec("CREATE SCHEMA ?", clause.Table{Name: schema}).Error; err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	dsn, err := withSearchPath(baseURL, schema)
	if err != nil {
		t.Fatal(err)
	}
	db, err := open(dsn)
	if err != nil {
		t.Fatalf("connect to schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		closeDB(db)
		if err := admin.Exec("DROP SCHEMA IF EXISTS ? CASCADE", clause.Table{Name: schema}).Error; err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		closeDB(admin)
	})
	return dsn, db
}

func resolve() {
	ctx := context.Background()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		source, baseURL = "TEST_DATABASE_URL", u
		return
	}
	if dockerAvailable(ctx) {
		source = "testcontainers " + postgresImage
		ctr, err := tcpostgres.Run(ctx, postgresImage,
			tcpostgres.WithDatabase("app"), tcpostgres.BasicWaitStrategies())
		container = ctr
		if err != nil {
			setupErr = err
			return
		}
		baseURL, setupErr = ctr.ConnectionString(ctx, "sslmode=disable")
		return
	}
	source = "embedded PostgreSQL " + string(embeddedVersion)
	embedded, setupErr = startEmbedded()
	if setupErr == nil {
		baseURL = embedded.url
	}
}

// dockerAvailable reports whether a Docker engine answers within a few
// seconds. testcontainers may panic without one, hence the recover.
func dockerAvailable(ctx context.Context) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	provider, err := testcontainers.ProviderDocker.GetProvider()
	if err != nil {
		return false
	}
	return provider.Health(ctx) == nil
}

func open(dsn string) (*gorm.DB, error) {
	// The settings of database.Open that change behaviour, without its logger.
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(4)
	return db, nil
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// withSearchPath points a DSN at schema; pgx sends unknown URL parameters and
// key=value pairs as run-time settings.
func withSearchPath(dsn, schema string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse database URL: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
