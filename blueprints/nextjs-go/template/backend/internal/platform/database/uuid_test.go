package database

import (
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

func TestUUIDScan(t *testing.T) {
	m := pgtype.NewMap()
	registerUUID(m)
	want := uuid.New()

	var got uuid.UUID
	if err := m.Scan(pgtype.UUIDOID, pgtype.BinaryFormatCode, want[:], &got); err != nil || got != want {
		t.Errorf("binary scan = %v, %v; want %v", got, err, want)
	}
	got = uuid.UUID{}
	if err := m.Scan(pgtype.UUIDOID, pgtype.TextFormatCode, []byte(want.String()), &got); err != nil || got != want {
		t.Errorf("text scan = %v, %v; want %v", got, err, want)
	}
	if err := m.Scan(pgtype.UUIDOID, pgtype.BinaryFormatCode, nil, &got); err == nil {
		t.Error("NULL scanned into uuid.UUID without an error")
	}
	if err := m.Scan(pgtype.UUIDOID, pgtype.BinaryFormatCode, want[:15], &got); err == nil {
		t.Error("15 bytes scanned into uuid.UUID without an error")
	}
	var p pgtype.UUID // other targets keep pgx's own plans
	if err := m.Scan(pgtype.UUIDOID, pgtype.BinaryFormatCode, want[:], &p); err != nil || p.Bytes != want {
		t.Errorf("pgtype.UUID scan = %v, %v", p, err)
	}
}

func TestUUIDEncode(t *testing.T) {
	m := pgtype.NewMap()
	registerUUID(m)
	want := uuid.New()

	got, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, want, nil)
	if err != nil || string(got) != string(want[:]) {
		t.Errorf("binary encode = %x, %v; want %x", got, err, want[:])
	}
	got, err = m.Encode(pgtype.UUIDOID, pgtype.TextFormatCode, want, nil)
	if err != nil || string(got) != want.String() {
		t.Errorf("text encode = %q, %v; want %q", got, err, want.String())
	}
	got, err = m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, &want, nil)
	if err != nil || string(got) != string(want[:]) {
		t.Errorf("pointer encode = %x, %v; want %x", got, err, want[:])
	}
	if got, err = m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, (*uuid.UUID)(nil), nil); err != nil || got != nil {
		t.Errorf("nil pointer encode = %x, %v; want NULL", got, err)
	}
}
