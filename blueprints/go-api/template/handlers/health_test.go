package handlers

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// slowPinger blocks until the context ends, like a database that hangs.
type slowPinger struct{}

func (slowPinger) PingContext(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestReadyzDoesNotHangOnAHungDatabase(t *testing.T) {
	h := newTestRouter(Services{}, slowPinger{}, 0)
	start := time.Now()
	rec := serve(h, http.MethodGet, "/readyz", "", "")
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", rec.Code)
	}
	if elapsed := time.Since(start); elapsed > readyTimeout+time.Second {
		t.Errorf("readyz took %v, want at most about %v", elapsed, readyTimeout)
	}
}

func TestHeadIsServedByGetRoutes(t *testing.T) {
	rec := serve(newTestRouter(Services{}, fakePinger{}, 0), http.MethodHead, "/healthz", "", "")
	if rec.Code != http.StatusOK {
		t.Errorf("HEAD /healthz: status = %d, want 200", rec.Code)
	}
}
