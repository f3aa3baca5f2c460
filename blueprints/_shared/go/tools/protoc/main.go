// Command protoc runs the protobuf compiler this project pins, downloading it
// on first use, so `make generate` needs nothing installed but Go:
//
//	go run ./internal/tools/protoc [protoc arguments]
//
// The compiler (com.google.protobuf:protoc) and the well-known types
// (google/protobuf/*.proto, shipped in com.google.protobuf:protobuf-java) come
// from Maven Central, are checked against the SHA-256 sums below, and are kept
// in the user's cache directory. The well-known types are added to the import
// path. To use a protoc of your own instead, set PROTOC=protoc.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// version is the Maven version of protoc; the compiler reports it as 33.5.
const version = "4.33.5"

const repository = "https://repo1.maven.org/maven2/com/google/protobuf"

// compilers are the SHA-256 sums of protoc-<version>-<classifier>.exe.
var compilers = map[string]string{
	"linux/amd64":  "e8d496f7dacade5bf42a11f4fbeb61e9bdfddd494fd292f5f1881ddc169e69cf",
	"linux/arm64":  "f5b75fc64531cc68201a955c496ddc1079be73e9d2acf3b39f275ba01545862f",
	"darwin/amd64": "1ee1360d9e6545854c54e2815123636da8fbe6bed2f009e6b0a0aea61ddc0b99",
	"darwin/arm64": "bb621b25a3dd7a1d0f431196f9249143f3992eb51d47891d5aaf935f5b583096",
}

// wellKnownJar is the SHA-256 of protobuf-java-<version>.jar.
const wellKnownJar = "cb9e00d6e3d4b1305f3fdc147490ce347bfe8c05dc821a433b23b2ff28749bb1"

var classifiers = map[string]string{
	"linux/amd64":  "linux-x86_64",
	"linux/arm64":  "linux-aarch_64",
	"darwin/amd64": "osx-x86_64",
	"darwin/arm64": "osx-aarch_64",
}

func main() {
	dir, err := ensure()
	if err != nil {
		fmt.Fprintf(os.Stderr, "protoc: cannot fetch protoc %s (%v); install protoc (https://protobuf.dev/installation/) and run: PROTOC=protoc make generate\n",
			strings.TrimPrefix(version, "4."), err)
		os.Exit(1)
	}
	args := append([]string{"-I", filepath.Join(dir, "include")}, os.Args[1:]...)
	cmd := exec.Command(filepath.Join(dir, "bin", "protoc"), args...) // #nosec G204 G702 -- the pinned compiler, with the caller's arguments
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "protoc:", err)
		os.Exit(1)
	}
}

// ensure returns the directory holding bin/protoc and include/ of the pinned
// version, downloading them first if the cache does not have them yet.
func ensure() (string, error) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	classifier, ok := classifiers[platform]
	if !ok {
		return "", fmt.Errorf("no pinned build for %s", platform)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	root := filepath.Join(cache, "protoc")
	dir := filepath.Join(root, version)
	if _, err := os.Stat(filepath.Join(dir, "bin", "protoc")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return "", err
	}
	// Assemble in a temporary directory and rename it into place, so a failed
	// or concurrent download never leaves a half-written version behind.
	tmp, err := os.MkdirTemp(root, ".download-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(os.Stderr, "protoc: downloading protoc %s: first run only, cached in %s\n", version, dir)
	compiler, err := download(fmt.Sprintf("%s/protoc/%s/protoc-%s-%s.exe", repository, version, version, classifier), compilers[platform])
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "bin"), 0o750); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "bin", "protoc"), compiler, 0o700); err != nil { // #nosec G306 -- an executable of this user's
		return "", err
	}
	jar, err := download(fmt.Sprintf("%s/protobuf-java/%s/protobuf-java-%s.jar", repository, version, version), wellKnownJar)
	if err != nil {
		return "", err
	}
	if err := extractProtos(jar, filepath.Join(tmp, "include")); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "bin", "protoc")); statErr == nil {
			return dir, nil // another run finished first
		}
		return "", err
	}
	return dir, nil
}

// download fetches url and checks its SHA-256 against want.
func download(url, want string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != want {
		return nil, fmt.Errorf("GET %s: SHA-256 %s, want %s", url, got, want)
	}
	return body, nil
}

// extractProtos writes the google/protobuf/*.proto files of the jar under dir.
func extractProtos(jar []byte, dir string) error {
	archive, err := zip.NewReader(bytes.NewReader(jar), int64(len(jar)))
	if err != nil {
		return err
	}
	target := filepath.Join(dir, "google", "protobuf")
	if err := os.MkdirAll(target, 0o750); err != nil {
		return err
	}
	found := 0
	for _, f := range archive.File {
		name := f.Name
		if filepath.Dir(name) != "google/protobuf" || filepath.Ext(name) != ".proto" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(r, 1<<20))
		_ = r.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(target, filepath.Base(name)), data, 0o600); err != nil {
			return err
		}
		found++
	}
	if found == 0 {
		return errors.New("protobuf-java has no google/protobuf/*.proto")
	}
	return nil
}
