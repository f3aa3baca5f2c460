package services

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Paging bounds of every List.
const (
	DefaultListLimit = 20
	MaxListLimit     = 100
)

// Cursor is the position after which a page starts: lists are ordered by
// (created_at, id), so a page is the rows after its predecessor's last one,
// found through the index on those columns however deep the page is.
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// Encode returns the opaque token clients pass back as ?cursor=.
func (c Cursor) Encode() string {
	raw := strconv.FormatInt(c.CreatedAt.UnixMicro(), 10) + "_" + c.ID.String()
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor reads a token of Encode; "" is the first page (nil).
func decodeCursor(token string) (*Cursor, error) {
	if token == "" {
		return nil, nil
	}
	bad := Invalid("cursor", "is not a next_cursor this API returned")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, bad
	}
	micros, id, ok := strings.Cut(string(raw), "_")
	if !ok {
		return nil, bad
	}
	n, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return nil, bad
	}
	uid, err := uuid.Parse(id)
	if err != nil {
		return nil, bad
	}
	return &Cursor{CreatedAt: time.UnixMicro(n).UTC(), ID: uid}, nil
}

func checkLimit(limit int) error {
	if limit < 1 || limit > MaxListLimit {
		return Invalid("limit", "must be between 1 and %d", MaxListLimit)
	}
	return nil
}
