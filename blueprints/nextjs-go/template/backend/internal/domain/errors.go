package domain

import (
	"errors"
	"strings"
)

// Sentinel errors of the business layer. Adapters wrap them with %w; the HTTP edge maps them
// to status codes in exactly one place (internal/api), so no layer below it knows about HTTP.
var (
	// ErrNotFound: the addressed entity does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change clashes with the current state (e.g. a unique constraint, or
	// deleting a row that other rows reference).
	ErrConflict = errors.New("conflict")
	// ErrReferenced: the row cannot be deleted while other rows reference it; errors that
	// wrap it wrap ErrConflict too.
	ErrReferenced = errors.New("referenced by other rows")
	// ErrUnknownReference: a reference names no existing row. The input itself is well
	// formed (no schema can say which ids exist), so it is a conflict with the current
	// state; errors that wrap it wrap ErrConflict and a ValidationError naming the field.
	ErrUnknownReference = errors.New("references no existing row")
	// ErrInvalidInput: the entity data breaks a business rule; see ValidationError.
	ErrInvalidInput = errors.New("invalid input")
	// ErrInvalidPage: the requested page (limit, cursor or filter) cannot be served.
	ErrInvalidPage = errors.New("invalid page")
)

// FieldError is one broken rule of one input field.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every broken rule of an input, so a client can fix them all at once.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+" "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrInvalidInput) true for every ValidationError.
func (e *ValidationError) Unwrap() error { return ErrInvalidInput }

// Invalid is a ValidationError of one field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message}}}
}

func (e *ValidationError) add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// orNil returns nil when no rule was broken, keeping the "nil error" idiom intact.
func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}
