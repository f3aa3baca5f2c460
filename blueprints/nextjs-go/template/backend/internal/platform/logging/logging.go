// Package logging builds the service's structured JSON logger. Attributes whose key looks
// like a secret are replaced before they are written, as a last line of defence behind
// types that redact themselves (config.Config).
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// Redacted replaces the value of a secret-looking attribute.
const Redacted = "[redacted]"

var secretKeyParts = []string{"password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "cookie"}

// New returns a JSON logger writing to w at level.
func New(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level:       level,
		ReplaceAttr: redact,
	}))
}

func redact(_ []string, a slog.Attr) slog.Attr {
	if isSecretKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	return a
}

func isSecretKey(key string) bool {
	k := strings.ToLower(key)
	// "api_token_set" and similar booleans tell whether a secret exists, not what it is.
	if strings.HasSuffix(k, "_set") {
		return false
	}
	for _, part := range secretKeyParts {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}
