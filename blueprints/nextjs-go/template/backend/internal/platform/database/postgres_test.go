package database

import (
	"strings"
	"testing"
)

func TestPoolConfigSize(t *testing.T) {
	cfg, err := poolConfig("postgres://u:p@db:5432/app?sslmode=disable", "")
	if err != nil || cfg.MaxConns != DefaultMaxConns {
		t.Fatalf("default pool: MaxConns = %v, %v; want %d", cfg, err, DefaultMaxConns)
	}
	cfg, err = poolConfig("postgres://u:p@db:5432/app?pool_max_conns=3", "tenant")
	if err != nil || cfg.MaxConns != 3 {
		t.Fatalf("pool_max_conns=3: MaxConns = %v, %v", cfg, err)
	}
	if got := cfg.ConnConfig.RuntimeParams["search_path"]; got != "tenant" {
		t.Errorf("search_path = %q, want tenant", got)
	}
}

func TestPoolConfigHidesTheURL(t *testing.T) {
	_, err := poolConfig("postgres://u:secret@db:5432/app?pool_max_conns=many", "")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("error = %v; want one that does not quote the URL", err)
	}
}
