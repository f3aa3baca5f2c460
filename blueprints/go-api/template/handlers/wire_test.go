package handlers

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"
)

// TestWriteProtoReusesNoStaleBytes writes bodies of several sizes in turn
// (writeProto reuses its buffers): each response carries exactly its own
// message, with its own length.
func TestWriteProtoReusesNoStaleBytes(t *testing.T) {
	for _, n := range []int{5000, 1, maxPooledBody + 1, 2, 300} {
		value := strings.Repeat("x", n)
		rec := httptest.NewRecorder()
		if err := writeProto(rec, http.StatusOK, wrapperspb.String(value)); err != nil {
			t.Fatalf("writeProto(%d bytes): %v", n, err)
		}
		if want := `"` + value + `"`; rec.Body.String() != want {
			t.Fatalf("body of a %d-byte value = %.40q..., want %.40q...", n, rec.Body.String(), want)
		}
		if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
			t.Errorf("Content-Length = %s, want %s", got, want)
		}
	}
}
