package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Pinger is what the readiness check needs from the database; *sql.DB has it.
type Pinger interface {
	PingContext(ctx context.Context) error
}

// readyTimeout bounds the database ping of /readyz, so a hung database fails
// the probe instead of hanging it.
const readyTimeout = 2 * time.Second

// Health serves the liveness and readiness probes.
type Health struct {
	db  Pinger
	log *slog.Logger
}

// NewHealth returns the probes; readiness pings db.
func NewHealth(db Pinger, log *slog.Logger) *Health {
	return &Health{db: db, log: log}
}

// live answers 200 while the process can serve HTTP at all.
func (h *Health) live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers 200 only when the database answers a ping.
func (h *Health) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := h.db.PingContext(ctx); err != nil {
		h.log.WarnContext(r.Context(), "readiness check failed", slog.Any("error", err))
		WriteError(w, http.StatusServiceUnavailable, CodeUnavailable, "database unreachable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
