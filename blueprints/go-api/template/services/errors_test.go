package services

import (
	"errors"
	"fmt"
	"testing"
)

func TestValidationErrorIsInvalidInput(t *testing.T) {
	err := fmt.Errorf("create: %w", Invalid("name", "is required"))

	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("errors.Is(%v, ErrInvalidInput) = false, want true", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(%v, *ValidationError) = false, want true", err)
	}
	if ve.Field != "name" || ve.Reason != "is required" {
		t.Errorf("ValidationError = %+v, want field name, reason is required", ve)
	}
	if got, want := ve.Error(), "name: is required"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	sentinels := []error{ErrNotFound, ErrInvalidInput, ErrConflict}
	for i, a := range sentinels {
		for j, b := range sentinels {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
}
