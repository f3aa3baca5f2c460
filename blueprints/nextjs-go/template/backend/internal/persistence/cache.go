package persistence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// cache is a read-through Redis cache of one resource's rows by id. Redis failures are
// logged and never fail a request, since PostgreSQL stays the source of truth. A read
// racing an update may re-cache the old value; the TTL bounds how long that can last.
// Entries are the JSON of the domain value, so a new field needs no cache code.
type cache[T any] struct {
	rdb    redis.UniversalClient
	prefix string // key prefix, ending in "<resource>:"
	ttl    time.Duration
	log    *slog.Logger
	hits   metric.Int64Counter
	misses metric.Int64Counter
	attrs  metric.MeasurementOption
}

func newCache[T any](rdb redis.UniversalClient, prefix, resource string, ttl time.Duration, log *slog.Logger) (*cache[T], error) {
	meter := otel.Meter(instrumentation)
	hits, err := meter.Int64Counter("cache.hits", metric.WithDescription("reads served from Redis"))
	if err != nil {
		return nil, fmt.Errorf("cache hits counter: %w", err)
	}
	misses, err := meter.Int64Counter("cache.misses", metric.WithDescription("reads that went to PostgreSQL"))
	if err != nil {
		return nil, fmt.Errorf("cache misses counter: %w", err)
	}
	return &cache[T]{
		rdb: rdb, prefix: prefix + resource + ":", ttl: ttl, log: log, hits: hits, misses: misses,
		attrs: metric.WithAttributes(attribute.String("resource", resource)),
	}, nil
}

// Key is the Redis key of the row with id.
func (c *cache[T]) Key(id uuid.UUID) string {
	return c.prefix + id.String()
}

// get serves id from Redis, or loads it and caches what it loaded.
func (c *cache[T]) get(ctx context.Context, id uuid.UUID, load func(context.Context, uuid.UUID) (T, error)) (T, error) {
	raw, err := c.rdb.Get(ctx, c.Key(id)).Bytes()
	switch {
	case err == nil:
		var v T
		decodeErr := json.Unmarshal(raw, &v)
		if decodeErr == nil {
			c.hits.Add(ctx, 1, c.attrs)
			return v, nil
		}
		c.log.WarnContext(ctx, "dropping undecodable cache entry", slog.String("key", c.Key(id)), slog.Any("error", decodeErr))
	case !errors.Is(err, redis.Nil):
		c.log.WarnContext(ctx, "cache read failed", slog.Any("error", err))
	}
	c.misses.Add(ctx, 1, c.attrs)

	v, err := load(ctx, id)
	if err != nil {
		return v, err
	}
	encoded, err := json.Marshal(v)
	if err == nil {
		err = c.rdb.Set(ctx, c.Key(id), encoded, c.ttl).Err()
	}
	if err != nil {
		c.log.WarnContext(ctx, "cache write failed", slog.Any("error", err))
	}
	return v, nil
}

// invalidate runs even when the write failed: a stale entry is worse than one more miss.
func (c *cache[T]) invalidate(ctx context.Context, id uuid.UUID) {
	if err := c.rdb.Del(context.WithoutCancel(ctx), c.Key(id)).Err(); err != nil {
		c.log.WarnContext(ctx, "cache invalidation failed", slog.String("key", c.Key(id)), slog.Any("error", err))
	}
}
