package sqlcipher

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPlainBuildRefuses builds a small program around this package without
// the libsqlite3 tag, so go-sqlite3 compiles its bundled SQLite (no
// SQLCipher), and checks that Open and Probe refuse with ErrNotEncrypted and
// that nothing is written. The first run compiles the SQLite amalgamation
// (about a minute); later runs reuse the Go build cache.
func TestPlainBuildRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("plain build skipped in -short mode (compiles the SQLite amalgamation)")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the plain variant: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "plaincheck")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, gobin, "build", "-o", bin, "./testdata/plaincheck")
	// No build tags and no SQLCipher link flags: the stock go-sqlite3 build.
	build.Env = append(os.Environ(), "GOFLAGS=", "CGO_ENABLED=1", "CGO_CFLAGS=-O2", "CGO_LDFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the plain variant: %v\n%s", err, out)
	}
	// Prove the binary really is plain SQLite: no SQLCipher symbols in it.
	if b, err := os.ReadFile(bin); err != nil {
		t.Fatal(err)
	} else if strings.Contains(string(b), "sqlcipher_codec") || strings.Contains(string(b), "cipher_provider_version") {
		t.Fatal("the plain variant is linked against SQLCipher after all")
	}

	db := filepath.Join(dir, "rehearse.db")
	out, err := exec.CommandContext(ctx, bin, db).CombinedOutput()
	t.Logf("plain build says:\n%s", out)
	if err != nil {
		t.Fatalf("the plain build did not refuse: %v", err)
	}
	for _, want := range []string{"probe refused", "open refused", "encryption is not active"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		fi, _ := os.Stat(db)
		t.Errorf("the refused Open left a file behind: %v %v", err, fi.Size())
	}
}
