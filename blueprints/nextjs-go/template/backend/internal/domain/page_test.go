package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCursorRoundTrips(t *testing.T) {
	c := Cursor{CreatedAt: time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC), ID: uuid.New()}
	got, err := ParseCursor(c.String())
	if err != nil || !got.CreatedAt.Equal(c.CreatedAt) || got.ID != c.ID {
		t.Fatalf("ParseCursor(String()) = %+v, %v; want %+v", got, err, c)
	}
	if start, err := ParseCursor(""); err != nil || start != Start {
		t.Fatalf(`ParseCursor("") = %+v, %v; want Start`, start, err)
	}
	for _, bad := range []string{"bogus!", "AAAA", c.String() + "AA"} {
		if _, err := ParseCursor(bad); !errors.Is(err, ErrInvalidPage) {
			t.Errorf("ParseCursor(%q) = %v, want ErrInvalidPage", bad, err)
		}
	}
}

// TestEveryCursorOfTheContractsFormIsAPosition: 32 characters of the URL-safe alphabet
// (the pattern in the OpenAPI document) always parse, to a time PostgreSQL can compare.
func TestEveryCursorOfTheContractsFormIsAPosition(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("A", 32),            // the Unix epoch
		strings.Repeat("_", 32),            // -1 µs
		"f" + strings.Repeat("_", 31),      // the largest int64 µs: year 294247
		"gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // the smallest: before year 1
	} {
		c, err := ParseCursor(s)
		if err != nil {
			t.Errorf("ParseCursor(%q) = %v", s, err)
			continue
		}
		if c.CreatedAt.Before(earliest) || c.CreatedAt.After(Start.CreatedAt) {
			t.Errorf("ParseCursor(%q) is at %v, outside years 1-9999", s, c.CreatedAt)
		}
	}
}

func TestPageOfTellsWhetherMoreFollow(t *testing.T) {
	key := func(n int) Cursor { return Cursor{CreatedAt: time.UnixMicro(int64(n)).UTC()} }
	if p := pageOf([]int{3, 2}, 2, key); p.Next != "" || len(p.Items) != 2 {
		t.Fatalf("a full last page = %+v, want no next cursor", p)
	}
	p := pageOf([]int{3, 2, 1}, 2, key)
	if len(p.Items) != 2 || p.Next != key(2).String() {
		t.Fatalf("page = %+v, want 2 items and the cursor of the second", p)
	}
}

func TestLimitBounds(t *testing.T) {
	for _, limit := range []int32{0, -1, MaxLimit + 1} {
		if err := checkLimit(limit); !errors.Is(err, ErrInvalidPage) {
			t.Errorf("checkLimit(%d) = %v, want ErrInvalidPage", limit, err)
		}
	}
	if err := checkLimit(MaxLimit); err != nil {
		t.Errorf("checkLimit(MaxLimit) = %v", err)
	}
}
