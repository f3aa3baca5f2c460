// Command baseline is the yardstick for the generated services: the smallest net/http +
// pgx server that runs the same queries, so a service's req/s reads as a fraction of what
// the database round trip alone allows on this machine.
//
// Environment: DATABASE_URL (required), HTTP_ADDR (default 127.0.0.1:8090), LIST_ORDER
// (the service's ORDER BY, default "created_at DESC, id DESC"), LIST_COUNT=1 when the
// service's list also counts the rows in a query of its own, and LIST_TOTAL, an SQL
// expression for a total that the service selects beside every row of the page.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const columns = "id, name, description, price_cents, in_stock, created_at, updated_at"

type product struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	PriceCents  int64     `json:"price_cents"`
	InStock     bool      `json:"in_stock"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type server struct {
	pool      *pgxpool.Pool
	listQuery string
	count     bool
	withTotal bool
}

// scan reads one product, and then the rest of the row into extra.
func scan(row pgx.Row, extra ...any) (product, error) {
	var p product
	err := row.Scan(append([]any{&p.ID, &p.Name, &p.Description, &p.PriceCents, &p.InStock, &p.CreatedAt, &p.UpdatedAt}, extra...)...)
	return p, err
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	p, err := scan(s.pool.QueryRow(r.Context(),
		"SELECT "+columns+" FROM products WHERE id = $1", r.PathValue("id")))
	if errors.Is(err, pgx.ErrNoRows) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, p)
}

func (s *server) list(w http.ResponseWriter, r *http.Request) {
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 20
	}
	rows, err := s.pool.Query(r.Context(), s.listQuery, limit)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var total int64
	var extra []any
	if s.withTotal {
		extra = []any{&total}
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (product, error) { return scan(row, extra...) })
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := map[string]any{"items": items}
	if s.withTotal {
		body["total"] = total
	}
	if s.count {
		var total int64
		if err := s.pool.QueryRow(r.Context(), "SELECT count(*) FROM products").Scan(&total); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body["total"] = total
	}
	writeJSON(w, body)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Print(err)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	cfg, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	// The generated services default to 10 open connections; the yardstick gets the same.
	cfg.MaxConns = 10
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	selected := columns
	if t := os.Getenv("LIST_TOTAL"); t != "" {
		selected += ", " + t
	}
	s := &server{
		pool:      pool,
		listQuery: "SELECT " + selected + " FROM products ORDER BY " + env("LIST_ORDER", "created_at DESC, id DESC") + " LIMIT $1",
		count:     os.Getenv("LIST_COUNT") == "1",
		withTotal: os.Getenv("LIST_TOTAL") != "",
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/products/{id}", s.get)
	mux.HandleFunc("GET /v1/products", s.list)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: env("HTTP_ADDR", "127.0.0.1:8090"), Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
