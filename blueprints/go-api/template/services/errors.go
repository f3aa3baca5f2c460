package services

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Sentinel errors of the business layer. Every error a service method returns
// wraps at most one of them (with %w), so callers branch with errors.Is and the
// HTTP edge maps each one to a status code (handlers/error_codes.go).
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidInput: the input breaks a rule; a *ValidationError says which.
	ErrInvalidInput = errors.New("invalid input")
	// ErrConflict: the change collides with existing data (a unique or
	// foreign-key constraint the database enforces).
	ErrConflict = errors.New("conflict")
)

// ValidationError names the offending input field. It matches ErrInvalidInput
// under errors.Is and is reachable with errors.As through any wrapping.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidInput) true for every validation error.
func (e *ValidationError) Unwrap() error { return ErrInvalidInput }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// PostgreSQL error codes (SQLSTATE) that mean the caller, not the server, is wrong.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgNotNullViolation    = "23502"
	pgCheckViolation      = "23514"
	pgStringTooLong       = "22001"
	pgInvalidTextValue    = "22P02"
)

// translateDBError maps GORM and PostgreSQL errors onto the sentinels, keeping
// the original error in the chain for logs. Other errors pass through unchanged
// and end up as 500s. It works whether or not the *gorm.DB was opened with
// TranslateError, so applications that bring their own connection get the same
// behaviour.
func translateDBError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrForeignKeyViolated) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	if errors.Is(err, gorm.ErrCheckConstraintViolated) {
		return fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case pgUniqueViolation, pgForeignKeyViolation:
			return fmt.Errorf("%w: %w", ErrConflict, err)
		case pgNotNullViolation, pgCheckViolation, pgStringTooLong, pgInvalidTextValue:
			return fmt.Errorf("%w: %w", ErrInvalidInput, err)
		}
	}
	return err
}
