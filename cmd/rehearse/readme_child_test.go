package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// readmeChild runs the command line in a child process with the adapters
// of the real program: the SQLCipher store and its key custody, the model
// manager, WAV reading and whisper.cpp (when compiled in) and the practice
// service. Only the Argon2id cost is lowered, and models are downloaded
// from the test's local server (whose catalogue is in
// REHEARSE_README_CATALOGUE) instead of the whisper.cpp project.
func readmeChild() int {
	var entries []models.Entry
	if err := json.Unmarshal([]byte(os.Getenv("REHEARSE_README_CATALOGUE")), &entries); err != nil {
		fmt.Fprintln(os.Stderr, "test catalogue:", err)
		return 3
	}
	d := &local.Data{Stdin: os.Stdin, Prompt: os.Stderr, Now: time.Now,
		KDF: vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}}
	md := local.Models{BaseURL: os.Getenv("REHEARSE_README_MODELS_URL"), Entries: entries}
	sp := local.Speech{Models: md}
	deps := &cli.Deps{Version: "test", Data: d, Keys: d, Speech: sp, Models: md, Practice: local.Practice{Data: d, Speech: sp}}
	return cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, deps)
}
