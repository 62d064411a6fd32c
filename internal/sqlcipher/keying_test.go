package sqlcipher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCryptoProvider keeps the page crypto SQLCipher's own: no source of
// this package replaces or wraps SQLCipher's crypto provider, which would
// mean copying its private structures.
func TestNoCryptoProvider(t *testing.T) {
	forbidden := []string{"sqlcipher_" + "register_provider", "sqlcipher_" + "get_provider"}
	files, err := filepath.Glob("*.[ch]")
	if err != nil {
		t.Fatal(err)
	}
	gos, _ := filepath.Glob("*.go")
	for _, f := range append(files, gos...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range forbidden {
			if strings.Contains(string(b), w) {
				t.Errorf("%s uses %s", f, w)
			}
		}
	}
	if _, _, err := Probe(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := PageCrypto(); got != "SQLCipher's own page crypto" {
		t.Errorf("PageCrypto() = %q", got)
	}
}
