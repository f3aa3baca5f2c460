package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The JSON form of the API is protojson with the field names of the .proto
// file: what api/v1 declares is exactly what goes over the wire. Requests are
// decoded with protojson itself. Responses are written by the append*JSON
// functions next to each message's converters, which produce protojson's
// output (with UseProtoNames and EmitUnpopulated) without its reflection;
// their tests compare the two byte for byte.

// protojson rejects unknown fields unless DiscardUnknown is set: bodies are
// decoded strictly, so a misspelt field is an error, not a no-op.
var unmarshalOptions = protojson.UnmarshalOptions{}

// readProto decodes a JSON request body of at most maxBytes into msg.
func readProto(w http.ResponseWriter, r *http.Request, maxBytes int64, msg proto.Message) error {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mediaType != "application/json" && mediaType != "application/merge-patch+json") {
		return ErrUnsupportedMediaType
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return fmt.Errorf("%w: the limit is %d bytes", ErrPayloadTooLarge, tooLarge.Limit)
		}
		return fmt.Errorf("%w: %w", ErrMalformedJSON, err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%w: the body is empty", ErrMalformedJSON)
	}
	if err := unmarshalOptions.Unmarshal(body, msg); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedJSON, err)
	}
	return nil
}

// errInvalidUTF8 is what protojson reports for a string field that is not
// UTF-8; the services never store one, so it means a bug, answered with a 500.
var errInvalidUTF8 = errors.New("string field is not valid UTF-8")

// appendJSONString appends s as a JSON string, escaped as protojson does it:
// '"', '\\' and control characters only (\b, \f, \n, \r, \t, else \u00xx);
// everything else, non-ASCII included, is copied as is.
func appendJSONString(b []byte, s string) ([]byte, error) {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return b, errInvalidUTF8
			}
			i += size
			continue
		}
		if c >= ' ' && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"'), nil
}

// appendJSONFloat appends a double the way protojson writes it: the shortest
// decimal that reads back the same, in exponent form only for very small or
// large magnitudes, and the non-finite values as strings.
func appendJSONFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 -> 1e-7, as encoding/json and protojson write it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// bufPool recycles response buffers, so encoding a body allocates nothing
// once the pool is warm.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuf keeps the odd huge response from pinning its buffer forever.
const maxPooledBuf = 64 << 10

// writeEncoded writes the JSON that encode appends to its argument, with the
// given status and an exact Content-Length.
func writeEncoded(w http.ResponseWriter, status int, encode func([]byte) ([]byte, error)) {
	bp := bufPool.Get().(*[]byte)
	body, err := encode((*bp)[:0])
	if err != nil {
		WriteError(w, http.StatusInternalServerError, CodeInternal, "internal server error")
	} else {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	if cap(body) <= maxPooledBuf {
		*bp = body[:0]
		bufPool.Put(bp)
	}
}
