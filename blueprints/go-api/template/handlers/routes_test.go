package handlers

import (
	"errors"
	"net/http"
	"testing"
)

func TestProbes(t *testing.T) {
	h := newTestRouter(Services{}, fakePinger{}, 0)
	for _, target := range []string{"/healthz", "/readyz"} {
		rec := serve(h, http.MethodGet, target, "", "")
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status = %d, want 200", target, rec.Code)
		}
	}
}

// TestRouteErrors covers the answers that belong to no resource; each
// resource's handler test covers its own (Principle IX).
func TestRouteErrors(t *testing.T) {
	newRouter := func(_ error, db Pinger, maxBody int64) http.Handler { return newTestRouter(Services{}, db, maxBody) }
	for _, tt := range []errorCase{
		{name: "unknown route", method: http.MethodGet, target: "/v2/nothing",
			wantStatus: http.StatusNotFound, wantCode: CodeNotFound},
		{name: "method not allowed on probe", method: http.MethodPost, target: "/healthz",
			wantStatus: http.StatusMethodNotAllowed, wantCode: CodeMethodNotAllowed},
		{name: "database down", method: http.MethodGet, target: "/readyz", dbErr: errors.New("connection refused by 10.0.0.7"),
			wantStatus: http.StatusServiceUnavailable, wantCode: CodeUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) { checkErrorCase(t, tt, newRouter) })
	}
}
