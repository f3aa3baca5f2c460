package gormstore

import "github.com/google/uuid"

// idArg is a UUID as a query parameter: its text, which pgx sends as it is.
// A uuid.UUID itself reaches pgx as a driver.Valuer, and pgx then tries a
// binary encoding of the text it returns, fails (building an error), parses
// the text back into a UUID and encodes that: three steps and an error value
// per parameter, on every query.
func idArg(id uuid.UUID) string { return id.String() }
