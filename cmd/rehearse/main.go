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
	"github.com/rehearse-app/rehearse/internal/local"
)

var version = "dev"

// whisperOrigin says where the whisper.cpp compiled into this binary came
// from (a system package, a prefix, or built by Rehearse at a commit); the
// Makefile sets it with -ldflags -X.
var whisperOrigin string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	data := local.NewData()
	sp := local.Speech{WhisperOrigin: whisperOrigin}
	deps := &cli.Deps{
		Version:  version,
		GUI:      runGUI,
		Data:     data,
		Keys:     data,
		Speech:   sp,
		Models:   local.Models{},
		Practice: local.Practice{Data: data, Speech: sp},
	}
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, deps)
	stop()
	os.Exit(code)
}
