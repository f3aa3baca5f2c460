// Package middleware holds the HTTP middleware of the API: request IDs,
// logging, panic recovery, security headers, CORS, bearer auth, OpenTracing
// spans and the route name both of them use. Each is a
// func(http.Handler) http.Handler.
package middleware

import "net/http"

// Middleware wraps a handler with behaviour before and after it.
type Middleware func(http.Handler) http.Handler

// Chain wraps h so that the first middleware listed runs first (outermost).
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// statusRecorder remembers the status code and body size a handler wrote,
// and the route that served it (see Route).
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	route  string
}

// newStatusRecorder wraps w, or returns w itself if an outer middleware
// already wrapped it: Logging, Recover and Tracing then share one recorder
// per request (they see the same writes either way).
func newStatusRecorder(w http.ResponseWriter) *statusRecorder {
	if rec, ok := w.(*statusRecorder); ok {
		return rec
	}
	return &statusRecorder{ResponseWriter: w}
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush,
// deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Status is the status written so far; 200 if the handler wrote nothing.
func (r *statusRecorder) Status() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// wroteHeader reports whether the response has started.
func (r *statusRecorder) wroteHeader() bool { return r.status != 0 }

// Unmatched is the route name of a request no route served: one refused by
// the middleware (401, a CORS preflight) or by ServeMux itself.
const Unmatched = "unmatched"

// Route returns the pattern of the route that served the request, or
// Unmatched: a bounded name, whatever path a client sends.
func (r *statusRecorder) Route() string {
	if r.route == "" {
		return Unmatched
	}
	return r.route
}

// Route records the pattern of the route the mux matched, for Logging and
// Tracing further out. It must wrap the ServeMux directly: the mux sets
// r.Pattern on the request it is handed, which outer middleware never see.
func Route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := newStatusRecorder(w)
		defer func() { rec.route = r.Pattern }() // a panic is logged with its route too
		next.ServeHTTP(rec, r)
	})
}
