package domain

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Paging bounds, shared with the OpenAPI contract.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Cursor is a position in a list: lists run newest first, in (created_at, id) order, and a
// page continues with the rows below its cursor. Keyset paging costs the same on page
// one and page ten thousand, and needs no count of the table.
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// Start is above every row: the cursor of a list's first page.
var Start = Cursor{CreatedAt: time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), ID: uuid.Max}

// earliest is below every row's creation time.
var earliest = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// String is the opaque, URL-safe form clients send back as `cursor`.
func (c Cursor) String() string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(c.CreatedAt.UnixMicro())) // #nosec G115 -- bits, read back as int64
	copy(b[8:], c.ID[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ParseCursor reads a cursor of String; "" is the start of the list. Any 32 characters of
// the URL-safe alphabet (the contract's pattern) are a position: a time beyond the years
// rows are created in is moved to the nearest end of them, which selects the same rows and
// stays inside what PostgreSQL can compare.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Start, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 24 {
		return Cursor{}, fmt.Errorf("%w: cursor is not one this API returned", ErrInvalidPage)
	}
	var c Cursor
	c.CreatedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(b[:8]))).UTC() // #nosec G115 -- written by String
	switch {
	case c.CreatedAt.After(Start.CreatedAt):
		c.CreatedAt = Start.CreatedAt
	case c.CreatedAt.Before(earliest):
		c.CreatedAt = earliest
	}
	copy(c.ID[:], b[8:])
	return c, nil
}

// Page is one page of a list; Next is the cursor of the following page, "" on the last.
type Page[T any] struct {
	Items []T
	Next  string
}

func checkLimit(limit int32) error {
	if limit < 1 || limit > MaxLimit {
		return fmt.Errorf("%w: limit must be between 1 and %d", ErrInvalidPage, MaxLimit)
	}
	return nil
}

// pageOf makes a page of rows fetched with one row more than limit: that extra row only
// says whether a next page exists.
func pageOf[T any](rows []T, limit int32, cursor func(T) Cursor) Page[T] {
	if len(rows) <= int(limit) {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	return Page[T]{Items: rows, Next: cursor(rows[len(rows)-1]).String()}
}
