package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const testID = "0b7c1c8e-8f1e-4d43-9c53-0f7d8d1d5e11"

var testTime = time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)

type fakePinger struct{ err error }

func (p fakePinger) PingContext(context.Context) error { return p.err }

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestRouter(svc Services, db Pinger, maxBody int64) http.Handler {
	return Routes(svc, NewHealth(db, discardLogger()), discardLogger(), maxBody)
}

func serve(h http.Handler, method, target, contentType, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeProto reads a JSON response body into msg as a client would.
func decodeProto(t *testing.T, rec *httptest.ResponseRecorder, msg proto.Message) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	if err := protojson.Unmarshal(rec.Body.Bytes(), msg); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
}

// decodeError reads the JSON error body.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) ErrorDetail {
	t.Helper()
	var body ErrorBody
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("decode error body: %v", err)
	}
	return body.Error
}

// errorCase is one request the API must refuse, and how.
type errorCase struct {
	name        string
	method      string
	target      string
	contentType string
	body        string
	svcErr      error
	dbErr       error
	maxBody     int64
	wantStatus  int
	wantCode    string
	wantField   string
}

// checkErrorCase sends tt through a router built by newRouter and checks the
// status and the error body.
func checkErrorCase(t *testing.T, tt errorCase, newRouter func(svcErr error, db Pinger, maxBody int64) http.Handler) {
	t.Helper()
	rec := serve(newRouter(tt.svcErr, fakePinger{err: tt.dbErr}, tt.maxBody), tt.method, tt.target, tt.contentType, tt.body)
	if rec.Code != tt.wantStatus {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
	}
	got := decodeError(t, rec)
	if got.Code != tt.wantCode || got.Field != tt.wantField || got.Message == "" {
		t.Errorf("error = %+v, want code %q, field %q and a message", got, tt.wantCode, tt.wantField)
	}
	if strings.Contains(got.Message, "10.0.0.7") {
		t.Errorf("message %q leaks the internal error", got.Message)
	}
	if tt.wantStatus == http.StatusMethodNotAllowed && rec.Header().Get("Allow") == "" {
		t.Errorf("405 without an Allow header")
	}
}

func addr[T any](v T) *T { return &v }

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
