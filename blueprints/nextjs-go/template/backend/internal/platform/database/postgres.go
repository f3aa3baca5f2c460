// Package database opens the PostgreSQL connection pool.
package database

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultMaxConns is the pool size unless DATABASE_URL sets pool_max_conns. pgx's own
// default, the number of CPUs but at least 4, is too few for writes: each holds its
// connection until the commit is flushed to disk, so on a small machine requests queue
// for a connection (and burn CPU handing it over) while the database could take more.
const DefaultMaxConns = 10

// Open connects to url and checks the connection. A non-empty schema becomes the
// search_path of every connection, which lets tests run in isolated schemas.
func Open(ctx context.Context, url, schema string) (*pgxpool.Pool, error) {
	cfg, err := poolConfig(url, schema)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping postgres: %w", err)
	}
	return pool, nil
}

// poolConfig is the pool's configuration: url's, with the schema, the uuid codec and this
// package's defaults where url says nothing.
func poolConfig(url, schema string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may echo the URL, password included: do not wrap it.
		return nil, fmt.Errorf("parse DATABASE_URL: invalid connection string")
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
	}
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		registerUUID(conn.TypeMap())
		return nil
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	cfg.MaxConnLifetime = 30 * time.Minute
	cfg.HealthCheckPeriod = 30 * time.Second
	return cfg, nil
}
