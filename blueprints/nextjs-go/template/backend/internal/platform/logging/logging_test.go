package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretsAreRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelInfo)
	log.Info("request",
		slog.String("authorization", "Bearer abc123"),
		slog.String("API_TOKEN", "abc123"),
		slog.Group("db", slog.String("password", "hunter2")),
		slog.Bool("api_token_set", true),
		slog.String("path", "/v1/things"),
	)
	out := buf.String()
	for _, secret := range []string{"abc123", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q leaked: %s", secret, out)
		}
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if line["path"] != "/v1/things" || line["api_token_set"] != true {
		t.Fatalf("ordinary attributes changed: %v", line)
	}
}

func TestLevelFilters(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, slog.LevelWarn).Info("hidden")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
}
