package services

import (
	"errors"
	"strings"
	"testing"
	"time"
)

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

func assertValidationError(t *testing.T, err error, field, reason string) {
	t.Helper()
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("error = %v, want one wrapping ErrInvalidInput", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a *ValidationError", err)
	}
	if ve.Field != field || !strings.HasPrefix(ve.Reason, reason) {
		t.Fatalf("ValidationError = %s: %s, want %s: %s", ve.Field, ve.Reason, field, reason)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{CreatedAt: mustTime("2030-01-02T03:04:05.123456Z"), ID: [16]byte{1, 2, 3}}
	got, err := decodeCursor(c.Encode())
	if err != nil || got == nil || !got.CreatedAt.Equal(c.CreatedAt) || got.ID != c.ID {
		t.Fatalf("decodeCursor(Encode(%v)) = %v, %v", c, got, err)
	}
	if got, err := decodeCursor(""); got != nil || err != nil {
		t.Errorf(`decodeCursor("") = %v, %v; want the first page`, got, err)
	}
	for _, bad := range []string{"x", "!!", "YWJj", "MTIzX25vdC1hLXV1aWQ"} {
		_, err := decodeCursor(bad)
		assertValidationError(t, err, "cursor", "is not a next_cursor")
	}
}
