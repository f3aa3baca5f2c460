// Package problem implements RFC 7807 "problem details" for HTTP APIs: the error body every
// endpoint of this service returns, exported so clients in Go can decode it too.
package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// ContentType is the media type of a problem document.
const ContentType = "application/problem+json"

// FieldError describes one invalid input field of a validation problem.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 7807 problem document. It implements error so a client can return it.
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// New returns a problem of type about:blank whose title is the status text, as RFC 7807
// recommends when no more specific type is defined.
func New(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

func (p *Problem) Error() string {
	if p.Detail == "" {
		return fmt.Sprintf("%d %s", p.Status, p.Title)
	}
	return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
}

// Write sends p as the response; instance defaults to the request path.
func Write(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = r.URL.Path
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	// The status line is already sent; an encoding error can only be a broken connection.
	_ = json.NewEncoder(w).Encode(p)
}

// ErrNotProblem is returned by Decode when the body is not a problem document.
var ErrNotProblem = errors.New("response is not a problem document")

// Decode reads a problem document from an error response body.
func Decode(body io.Reader) (*Problem, error) {
	var p Problem
	if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotProblem, err)
	}
	if p.Status == 0 || p.Title == "" {
		return nil, ErrNotProblem
	}
	return &p, nil
}
