package services

import (
	"errors"
	"fmt"
)

// Sentinel errors of the business layer. Every error a service method returns
// wraps at most one of them (with %w), so callers branch with errors.Is and the
// HTTP edge maps each one to a status code (handlers/error_codes.go).
// Repositories report their failures with the same sentinels.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidInput: the input breaks a rule; a *ValidationError says which.
	ErrInvalidInput = errors.New("invalid input")
	// ErrConflict: the change collides with existing data, such as deleting
	// a row that others still refer to.
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

// Invalid returns a *ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ReferenceError says that Field refers to a Target row that does not exist.
// The input is well formed but conflicts with the data as it is now (the row
// may never have existed, or may just have been deleted), so it matches
// ErrConflict under errors.Is; repositories return it, naming the field.
type ReferenceError struct {
	Field  string
	Target string
}

func (e *ReferenceError) Error() string {
	return e.Field + ": refers to a " + e.Target + " that does not exist"
}

// Unwrap makes errors.Is(err, ErrConflict) true for every reference error.
func (e *ReferenceError) Unwrap() error { return ErrConflict }
