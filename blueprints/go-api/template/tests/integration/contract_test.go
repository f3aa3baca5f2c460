package integration

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contractFile is the API's OpenAPI document. Every request the integration
// tests send and every answer they get is checked against it, so the
// document cannot drift from the handlers.
const contractFile = "../../api/openapi.yaml"

var loadContract = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(contractFile)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, err
	}
	// The tests' servers listen on random ports: match any host.
	doc.Servers = nil
	return gorillamux.NewRouter(doc)
})

// contractTransport sends requests through next and fails the test when an
// exchange breaks the contract: an answer it does not document (status,
// headers or body), a path or method it does not list answered other than
// 404 or 405, or a request it forbids accepted.
type contractTransport struct {
	t    *testing.T
	next http.RoundTripper
}

func (c contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	c.check(req, body, resp, answer)
	return resp, nil
}

func (c contractTransport) check(req *http.Request, body []byte, resp *http.Response, answer []byte) {
	c.t.Helper()
	router, err := loadContract()
	if err != nil {
		c.t.Fatalf("%s: %v", contractFile, err)
	}
	what := req.Method + " " + req.URL.RequestURI()
	route, params, err := router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		if resp.StatusCode != http.StatusMethodNotAllowed {
			c.t.Errorf("%s: the contract has no such operation, answered %d, want 405", what, resp.StatusCode)
		}
		return
	case err != nil:
		if resp.StatusCode != http.StatusNotFound {
			c.t.Errorf("%s: the contract has no such path, answered %d, want 404", what, resp.StatusCode)
		}
		return
	}
	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	input := &openapi3filter.RequestValidationInput{
		Request:    sent,
		PathParams: params,
		Route:      route,
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil && resp.StatusCode < http.StatusBadRequest {
		c.t.Errorf("%s: a request the contract forbids was answered %d: %v", what, resp.StatusCode, err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(answer)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		c.t.Errorf("%s: the answer %d %s breaks the contract: %v", what, resp.StatusCode, answer, err)
	}
}
