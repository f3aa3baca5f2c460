package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Logging writes one structured line per request: method, route (the
// matched pattern, or Unmatched), path (without the query, which may carry
// secrets), status, size, duration and request ID. Headers are never logged,
// so the Authorization token cannot leak. Group and count by route: the path
// is whatever the client sent.
func Logging(log *slog.Logger) Middleware {
	h := log.Handler()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := newStatusRecorder(w)
			next.ServeHTTP(rec, r)
			end := time.Now()
			level := slog.LevelInfo
			if rec.Status() >= http.StatusInternalServerError {
				level = slog.LevelError
			}
			ctx := r.Context()
			if !h.Enabled(ctx, level) {
				return
			}
			// Built by hand rather than with log.LogAttrs, which looks up its
			// caller (runtime.Callers) for every line: the source of an
			// access line would only ever point here.
			line := slog.NewRecord(end, level, "http request", 0)
			line.AddAttrs(
				slog.String("method", r.Method),
				slog.String("route", rec.Route()),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.Status()),
				slog.Int64("bytes", rec.bytes),
				slog.Float64("duration_ms", float64(end.Sub(start).Microseconds())/1000),
				slog.String("remote_addr", r.RemoteAddr),
			)
			_ = h.Handle(ctx, line)
		})
	}
}

// NewLogHandler wraps a slog.Handler so every record logged with a request's
// context carries its request_id, wherever in the code it is logged.
func NewLogHandler(inner slog.Handler) slog.Handler {
	return requestIDLogHandler{inner}
}

type requestIDLogHandler struct{ slog.Handler }

func (h requestIDLogHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestIDFromContext(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDLogHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDLogHandler) WithGroup(name string) slog.Handler {
	return requestIDLogHandler{h.Handler.WithGroup(name)}
}
