package testdb

// The embedded PostgreSQL of the integration tests: a real server, started
// when neither TEST_DATABASE_URL nor another source gives one. Its binaries
// (io.zonky.test.postgres on Maven Central) are downloaded once, checked
// against their published SHA-256, and kept in the user's cache directory;
// each test binary runs its own server on a free loopback port, in a
// temporary directory removed when it stops.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
)

// embeddedVersion is the PostgreSQL release the embedded server runs.
const embeddedVersion = embeddedpostgres.V16

// errUnavailable marks the reasons no database can be had at all, as opposed
// to a server that was found but failed.
var errUnavailable = errors.New("no PostgreSQL available")

type embeddedServer struct {
	url string
	dir string
	pg  *embeddedpostgres.EmbeddedPostgres
	log *bytes.Buffer
}

func startEmbedded() (*embeddedServer, error) {
	if os.Geteuid() == 0 {
		return nil, fmt.Errorf("%w: TEST_DATABASE_URL is not set and the embedded PostgreSQL cannot run as root", errUnavailable)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("%w: TEST_DATABASE_URL is not set and there is no user cache directory for the embedded PostgreSQL: %v", errUnavailable, err)
	}
	dir, err := os.MkdirTemp("", "embedded-postgres-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	password, err := secret()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	log := &bytes.Buffer{}
	pg := embeddedpostgres.NewDatabase(embeddedpostgres.DefaultConfig().
		Version(embeddedVersion).
		Port(port).
		Username("app").
		Password(password).
		Database("app").
		// UTF-8 whatever the machine's locale, as a production server is.
		Encoding("UTF8").
		Locale("C").
		CachePath(filepath.Join(cache, "embedded-postgres-go")).
		RuntimePath(dir).
		StartTimeout(2 * time.Minute).
		// A disposable server: durability buys nothing here.
		StartParameters(map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}).
		Logger(log))
	if err := pg.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start embedded PostgreSQL %s: %w\n%s", embeddedVersion, err, log)
	}
	return &embeddedServer{
		url: fmt.Sprintf("postgres://app:%s@127.0.0.1:%d/app?sslmode=disable", password, port),
		dir: dir,
		pg:  pg,
		log: log,
	}, nil
}

func (s *embeddedServer) stop() error {
	err := s.pg.Stop()
	return errors.Join(err, os.RemoveAll(s.dir))
}

// freePort asks the kernel for a loopback port nobody listens on.
func freePort() (uint32, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return uint32(l.Addr().(*net.TCPAddr).Port), nil // #nosec G115 -- a TCP port fits in 16 bits
}

func secret() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// reportSkip appends line to the file named by TEST_SKIP_REPORT, if set: the
// Makefile's `test` prints that file last, so a run that skipped a real
// service says so instead of ending in a silent ok.
func reportSkip(line string) {
	path := os.Getenv("TEST_SKIP_REPORT")
	if path == "" {
		return
	}
	f, err := os.OpenFile(filepath.Clean(path), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) // #nosec G304 G703 -- the report file the Makefile names
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb: skip report:", err)
		return
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}
