// Package testdb gives the integration tests their PostgreSQL and Redis.
//
// PostgreSQL is the server in TEST_DATABASE_URL, else an embedded PostgreSQL
// (embedded.go) started for the test binary. Redis is the server in
// TEST_REDIS_URL, else a redis-server from PATH started on a free port, else
// none: the tests that need it skip. Whatever was skipped is written to the
// file in TEST_SKIP_REPORT, which `make test` prints last, so a run without a
// service never ends in a silent ok. With CI set, a missing service fails the
// test instead: CI must never pass by skipping.
package testdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	pgOnce     sync.Once
	pgURL      string
	pgErr      error
	embedded   *embeddedServer
	pgSkipped  atomic.Bool // a test skipped for want of PostgreSQL
	redisOnce  sync.Once
	redisURL   string
	redisErr   error
	redisProc  *exec.Cmd
	redisShort atomic.Bool // a test ran without Redis
)

const redisHint = "Redis cache tests skipped: TEST_REDIS_URL is not set and no redis-server is on PATH; " +
	"set TEST_REDIS_URL=redis://127.0.0.1:6379/0 or install redis-server to run them"

// Main runs the package's tests (call it from TestMain), stops the servers it
// started and reports what was skipped.
func Main(m *testing.M) int {
	code := m.Run()
	if embedded != nil {
		if err := embedded.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "testdb: stop embedded PostgreSQL:", err)
		}
	}
	if redisProc != nil {
		_ = redisProc.Process.Kill()
		_ = redisProc.Wait()
	}
	if pgSkipped.Load() {
		reportSkip("PostgreSQL integration tests skipped: " + pgHint())
	}
	if redisShort.Load() {
		reportSkip(redisHint)
	}
	return code
}

func pgHint() string {
	return fmt.Sprintf("%s; set TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db?sslmode=disable "+
		"or run the tests as a regular user so the embedded PostgreSQL can start", pgErr)
}

// PostgresURL returns the URL of a PostgreSQL server the test may create
// schemas in. Without one it skips the test (fails it under CI).
func PostgresURL(t testing.TB) string {
	t.Helper()
	pgOnce.Do(func() {
		if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
			pgURL = u
			return
		}
		embedded, pgErr = startEmbedded()
		if pgErr == nil {
			pgURL = embedded.url
		}
	})
	if pgURL != "" {
		return pgURL
	}
	if errors.Is(pgErr, errUnavailable) {
		msg := "integration tests need PostgreSQL: " + pgHint()
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; failing because CI is set")
		}
		pgSkipped.Store(true)
		t.Skip(msg)
	}
	t.Fatalf("integration database: %v", pgErr)
	return ""
}

// RedisURL returns the URL of a Redis server, or "" when none can be had
// (under CI that fails the test): the caller then runs without the cache and
// skips what needs it with RequireRedis.
func RedisURL(t testing.TB) string {
	t.Helper()
	redisOnce.Do(func() {
		if u := os.Getenv("TEST_REDIS_URL"); u != "" {
			redisURL = u
			return
		}
		if _, err := exec.LookPath("redis-server"); err != nil {
			return
		}
		redisURL, redisErr = startRedis()
	})
	if redisErr != nil {
		t.Fatalf("redis-server: %v", redisErr)
	}
	if redisURL == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(redisHint + "; failing because CI is set")
		}
		redisShort.Store(true)
	}
	return redisURL
}

// RequireRedis skips a test that needs Redis when RedisURL found none.
func RequireRedis(t testing.TB) {
	t.Helper()
	if RedisURL(t) == "" {
		t.Skip(redisHint)
	}
}

// startRedis runs a throwaway redis-server on a free loopback port and waits
// until it says it accepts connections.
func startRedis() (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	args := []string{"--bind", "127.0.0.1", "--port", strconv.FormatUint(uint64(port), 10), "--save", "", "--appendonly", "no"}
	cmd := exec.Command("redis-server", args...) // #nosec G204 -- redis-server from PATH on a port we chose
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	ready := make(chan error, 1)
	go func() {
		scanner := bufio.NewScanner(out)
		started := false
		for scanner.Scan() { // read to the end so the server never blocks on its log
			if !started && strings.Contains(scanner.Text(), "Ready to accept connections") {
				started = true
				ready <- nil
			}
		}
		if !started {
			ready <- errors.New("redis-server exited before accepting connections")
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case err = <-ready:
	case <-ctx.Done():
		err = errors.New("redis-server did not start within 30s")
	}
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return "", err
	}
	redisProc = cmd
	return fmt.Sprintf("redis://127.0.0.1:%d/0", port), nil
}
