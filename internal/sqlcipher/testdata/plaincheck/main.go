// Command plaincheck opens a practice store the way Rehearse does. The
// sqlcipher tests build it without the libsqlite3 tag, so go-sqlite3 links its
// bundled plain SQLite, and expect Open and Probe to refuse.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

func main() {
	ctx := context.Background()
	key := make([]byte, sqlcipher.KeySize)
	status := 0
	if v, p, err := sqlcipher.Probe(ctx); errors.Is(err, rehearse.ErrNotEncrypted) {
		fmt.Printf("probe refused: %v\n", err)
	} else {
		fmt.Printf("probe did not refuse: version %q provider %q err %v\n", v, p, err)
		status = 1
	}
	s, err := sqlcipher.Open(ctx, os.Args[1], key, sqlcipher.Options{})
	if errors.Is(err, rehearse.ErrNotEncrypted) {
		fmt.Printf("open refused: %v\n", err)
	} else {
		fmt.Printf("open did not refuse: %v\n", err)
		if s != nil {
			s.Close()
		}
		status = 1
	}
	os.Exit(status)
}
