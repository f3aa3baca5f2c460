// Command baseline is the yardstick for the generated services: the smallest net/http +
// pgx server that runs the same statements, so a service's req/s reads as a fraction of
// what the database round trips alone allow on this machine.
//
// Environment: DATABASE_URL (required), HTTP_ADDR (default 127.0.0.1:8090), and what
// makes its SQL the service's: LIST_ORDER (the list's ORDER BY, default
// "created_at DESC, id DESC"), RETURNING=1 when the service's INSERT and UPDATE return
// the row, LOCKING_UPDATE=1 when its update reads the row FOR UPDATE in a transaction
// and then writes every column.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
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

// input is a create or update body; price_cents may come as a number or, as nextjs-go's
// bigint travels, as a decimal string.
type input struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	PriceCents  json.RawMessage `json:"price_cents"`
	InStock     bool            `json:"in_stock"`
}

type server struct {
	pool          *pgxpool.Pool
	listQuery     string
	returning     bool
	lockingUpdate bool
}

func (p *product) fields() []any {
	return []any{&p.ID, &p.Name, &p.Description, &p.PriceCents, &p.InStock, &p.CreatedAt, &p.UpdatedAt}
}

func scan(row pgx.Row) (product, error) {
	var p product
	err := row.Scan(p.fields()...)
	return p, err
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	p, err := scan(s.pool.QueryRow(r.Context(),
		"SELECT "+columns+" FROM products WHERE id = $1", r.PathValue("id")))
	reply(w, http.StatusOK, p, err)
}

// reply writes p with status, or what err says: 404 for a missing row, else 500.
func reply(w http.ResponseWriter, status int, p product, err error) {
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		http.Error(w, "not found", http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, status, p)
	}
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
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (product, error) { return scan(row) })
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// read decodes the body into p, or answers 400 and returns false.
func read(w http.ResponseWriter, r *http.Request, p *product) bool {
	var in input
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	price, err := strconv.ParseInt(strings.Trim(string(in.PriceCents), `"`), 10, 64)
	if err != nil {
		http.Error(w, "price_cents: "+err.Error(), http.StatusBadRequest)
		return false
	}
	p.Name, p.Description, p.PriceCents, p.InStock = in.Name, in.Description, price, in.InStock
	return true
}

func (s *server) create(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UTC()
	p := product{ID: newID(), CreatedAt: now, UpdatedAt: now}
	if !read(w, r, &p) {
		return
	}
	const insert = "INSERT INTO products (" + columns + ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
	args := []any{p.ID, p.Name, p.Description, p.PriceCents, p.InStock, p.CreatedAt, p.UpdatedAt}
	var err error
	if s.returning {
		p, err = scan(s.pool.QueryRow(r.Context(), insert+" RETURNING "+columns, args...))
	} else {
		_, err = s.pool.Exec(r.Context(), insert, args...)
	}
	reply(w, http.StatusCreated, p, err)
}

func (s *server) update(w http.ResponseWriter, r *http.Request) {
	var p product
	if !read(w, r, &p) {
		return
	}
	p.ID, p.UpdatedAt = r.PathValue("id"), time.Now().UTC()
	var err error
	if s.lockingUpdate {
		err = s.updateLocked(r.Context(), &p)
	} else {
		p, err = scan(s.pool.QueryRow(r.Context(),
			"UPDATE products SET name = $2, description = $3, price_cents = $4, in_stock = $5, updated_at = $6 WHERE id = $1 RETURNING "+columns,
			p.ID, p.Name, p.Description, p.PriceCents, p.InStock, p.UpdatedAt))
	}
	reply(w, http.StatusOK, p, err)
}

// updateLocked reads the row FOR UPDATE and writes all its columns back, in a transaction.
func (s *server) updateLocked(ctx context.Context, p *product) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scan(tx.QueryRow(ctx,
			"SELECT "+columns+" FROM products WHERE id = $1 LIMIT $2 FOR UPDATE", p.ID, 1))
		if err != nil {
			return err
		}
		p.CreatedAt = old.CreatedAt
		_, err = tx.Exec(ctx,
			"UPDATE products SET name = $1, description = $2, price_cents = $3, in_stock = $4, created_at = $5, updated_at = $6 WHERE id = $7",
			p.Name, p.Description, p.PriceCents, p.InStock, p.CreatedAt, p.UpdatedAt, p.ID)
		return err
	})
}

func (s *server) delete(w http.ResponseWriter, r *http.Request) {
	tag, err := s.pool.Exec(r.Context(), "DELETE FROM products WHERE id = $1", r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if tag.RowsAffected() == 0 {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// newID is a random (version 4) UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
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
	s := &server{
		pool:          pool,
		listQuery:     "SELECT " + columns + " FROM products ORDER BY " + env("LIST_ORDER", "created_at DESC, id DESC") + " LIMIT $1",
		returning:     os.Getenv("RETURNING") == "1",
		lockingUpdate: os.Getenv("LOCKING_UPDATE") == "1",
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/products/{id}", s.get)
	mux.HandleFunc("GET /v1/products", s.list)
	mux.HandleFunc("POST /v1/products", s.create)
	mux.HandleFunc("PUT /v1/products/{id}", s.update)
	mux.HandleFunc("DELETE /v1/products/{id}", s.delete)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: env("HTTP_ADDR", "127.0.0.1:8090"), Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
