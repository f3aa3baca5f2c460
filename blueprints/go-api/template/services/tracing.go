package services

import (
	"errors"

	"github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/ext"
	otlog "github.com/opentracing/opentracing-go/log"
)

// finishSpan records the outcome and finishes the span. Rejections the caller
// caused (not found, invalid input, conflict) are logged on the span but not
// tagged as errors, so error rates in traces mean server faults.
func finishSpan(span opentracing.Span, err error) {
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrInvalidInput), errors.Is(err, ErrConflict):
		span.LogFields(otlog.String("event", "rejected"), otlog.String("message", err.Error()))
	default:
		ext.LogError(span, err)
	}
	span.Finish()
}
