package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestBearer(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := Bearer("s3cret-token", "/healthz", "/readyz")(ok)

	cases := []struct {
		name, method, path, header string
		want                       int
	}{
		{"valid token", http.MethodGet, "/v1/things", "Bearer s3cret-token", http.StatusNoContent},
		{"scheme is case-insensitive", http.MethodGet, "/v1/things", "bearer s3cret-token", http.StatusNoContent},
		{"missing header", http.MethodGet, "/v1/things", "", http.StatusUnauthorized},
		{"wrong token", http.MethodGet, "/v1/things", "Bearer nope", http.StatusUnauthorized},
		{"token prefix only", http.MethodGet, "/v1/things", "Bearer s3cret", http.StatusUnauthorized},
		{"basic scheme", http.MethodGet, "/v1/things", "Basic czNjcmV0LXRva2Vu", http.StatusUnauthorized},
		{"empty bearer", http.MethodGet, "/v1/things", "Bearer ", http.StatusUnauthorized},
		{"healthz is public", http.MethodGet, "/healthz", "", http.StatusNoContent},
		{"readyz is public", http.MethodGet, "/readyz", "", http.StatusNoContent},
		{"only exact public paths", http.MethodGet, "/healthz/x", "", http.StatusUnauthorized},
		{"CORS preflight passes", http.MethodOptions, "/v1/things", "", http.StatusNoContent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d", rec.Code, tc.want)
			}
			if tc.want == http.StatusUnauthorized {
				if rec.Header().Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type = %q", ct)
				}
			}
		})
	}
}
