package problem

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteAndDecodeRoundTrip(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/things/1", nil)
	p := New(http.StatusNotFound, "no such thing")
	p.Errors = []FieldError{{Field: "name", Message: "is required"}}
	Write(rec, req, p)

	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != ContentType {
		t.Fatalf("content type = %q", ct)
	}
	got, err := Decode(rec.Body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Title != "Not Found" || got.Instance != "/v1/things/1" || got.Type != "about:blank" {
		t.Fatalf("unexpected problem %+v", got)
	}
	if len(got.Errors) != 1 || got.Errors[0].Field != "name" {
		t.Fatalf("field errors lost: %+v", got.Errors)
	}
	if got.Error() != "404 Not Found: no such thing" {
		t.Fatalf("Error() = %q", got.Error())
	}
}

func TestDecodeRejectsOtherBodies(t *testing.T) {
	for _, body := range []string{"not json", `{"items": []}`} {
		if _, err := Decode(strings.NewReader(body)); !errors.Is(err, ErrNotProblem) {
			t.Errorf("Decode(%q) error = %v, want ErrNotProblem", body, err)
		}
	}
}
