package middleware

import (
	"net/http"

	"github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/ext"
)

// Tracing starts an OpenTracing server span per request, continuing the
// trace of an incoming span context if the headers carry one, and puts it in
// the request context so service spans become its children. The span is
// named after the route that served the request (Route, which must sit
// between Tracing and the ServeMux), or Unmatched: never after the path.
func Tracing(tracer opentracing.Tracer) Middleware {
	return func(next http.Handler) http.Handler {
		if _, noop := tracer.(opentracing.NoopTracer); noop {
			// Nothing would be recorded: skip the per-request span, tags
			// and context (services still start their own no-op spans).
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			parent, _ := tracer.Extract(opentracing.HTTPHeaders, opentracing.HTTPHeadersCarrier(r.Header))
			span := tracer.StartSpan(Unmatched, ext.RPCServerOption(parent))
			ext.Component.Set(span, "net/http")
			ext.HTTPMethod.Set(span, r.Method)
			ext.HTTPUrl.Set(span, r.URL.Path)
			if id := RequestIDFromContext(r.Context()); id != "" {
				span.SetTag("request_id", id)
			}
			rec := newStatusRecorder(w)
			r = r.WithContext(opentracing.ContextWithSpan(r.Context(), span))
			defer func() {
				span.SetOperationName(rec.Route())
				span.SetTag("http.route", rec.Route())
				if p := recover(); p != nil {
					ext.Error.Set(span, true)
					span.Finish()
					panic(p) // Recover, further out, answers the request
				}
				// The tag as ext.HTTPStatusCode names it, set from the int itself:
				// no narrowing conversion.
				span.SetTag(string(ext.HTTPStatusCode), rec.Status())
				if rec.Status() >= http.StatusInternalServerError {
					ext.Error.Set(span, true)
				}
				span.Finish()
			}()
			next.ServeHTTP(rec, r)
		})
	}
}
