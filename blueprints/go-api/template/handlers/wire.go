package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The JSON form of the API is protojson over the messages of api/v1, with the
// field names of the .proto files: what api/v1 declares is exactly what goes
// over the wire, in both directions.

// Requests are decoded strictly: protojson refuses unknown fields unless
// DiscardUnknown is set, so a misspelt field is an error, not a no-op.
var unmarshalOptions = protojson.UnmarshalOptions{}

// Responses carry every field, null for an unset optional one, so clients see
// the whole shape of a resource on every answer.
var marshalOptions = protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}

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

// writeProto writes msg as the JSON body of a response with status.
func writeProto(w http.ResponseWriter, status int, msg proto.Message) error {
	body, err := marshalOptions.Marshal(msg)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A JSON body, served as application/json with nosniff (SecurityHeaders):
	// no browser renders it as HTML.
	_, err = w.Write(body) // #nosec G705 -- see above
	return err
}
