package services

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

func TestValidationErrorIsInvalidInput(t *testing.T) {
	err := fmt.Errorf("create: %w", invalid("name", "is required"))

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

func TestTranslateDBError(t *testing.T) {
	other := errors.New("connection reset")
	tests := []struct {
		name string
		in   error
		want error // nil: passed through unchanged
	}{
		{name: "record not found", in: gorm.ErrRecordNotFound, want: ErrNotFound},
		{name: "gorm duplicated key", in: gorm.ErrDuplicatedKey, want: ErrConflict},
		{name: "gorm foreign key", in: gorm.ErrForeignKeyViolated, want: ErrConflict},
		{name: "gorm check constraint", in: gorm.ErrCheckConstraintViolated, want: ErrInvalidInput},
		{name: "unique violation", in: &pgconn.PgError{Code: pgUniqueViolation}, want: ErrConflict},
		{name: "foreign key violation", in: &pgconn.PgError{Code: pgForeignKeyViolation}, want: ErrConflict},
		{name: "not null violation", in: &pgconn.PgError{Code: pgNotNullViolation}, want: ErrInvalidInput},
		{name: "check violation", in: &pgconn.PgError{Code: pgCheckViolation}, want: ErrInvalidInput},
		{name: "string too long", in: &pgconn.PgError{Code: pgStringTooLong}, want: ErrInvalidInput},
		{name: "invalid text value", in: &pgconn.PgError{Code: pgInvalidTextValue}, want: ErrInvalidInput},
		{name: "wrapped unique violation", in: fmt.Errorf("insert: %w", &pgconn.PgError{Code: pgUniqueViolation}), want: ErrConflict},
		{name: "other postgres error", in: &pgconn.PgError{Code: "57014"}},
		{name: "other error", in: other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translateDBError(tt.in)
			if tt.want == nil {
				if got != tt.in {
					t.Fatalf("translateDBError(%v) = %v, want it unchanged", tt.in, got)
				}
				return
			}
			if !errors.Is(got, tt.want) {
				t.Fatalf("translateDBError(%v) = %v, want it to wrap %v", tt.in, got, tt.want)
			}
			if !errors.Is(got, tt.in) {
				t.Errorf("translateDBError(%v) = %v, lost the original error", tt.in, got)
			}
		})
	}
	if translateDBError(nil) != nil {
		t.Error("translateDBError(nil) != nil")
	}
}
