// Command rehearse is Rehearse: with no arguments it opens the practice
// window; with a subcommand it runs the command line (see `rehearse --help`).
// This package only wires the adapters (SQLCipher, PortAudio, whisper.cpp,
// Fyne) into the core.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rehearse-app/rehearse/internal/cli"
	_ "github.com/rehearse-app/rehearse/internal/langenv" // before Fyne reads the locale
)

var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	deps := &cli.Deps{
		Version:  version,
		GUI:      runGUI,
		Data:     newData(),
		Speech:   newSpeech(),
		Models:   newModels(),
		Practice: newPractice(),
	}
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, deps)
	stop()
	os.Exit(code)
}
