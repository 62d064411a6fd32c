package main

import (
	"context"
	"os"
	"runtime"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/ui"
)

// runGUI opens the practice window on the user's data: it unlocks the store
// (asking for a passphrase in the window when the keyring cannot), opens
// the microphone and the model manager, and hands them to the UI.
func runGUI(ctx context.Context, g cli.Global) error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ui.ErrNoDisplay
	}
	w, err := local.NewWindow(ctx, g, local.Speech{WhisperOrigin: whisperOrigin})
	if err != nil {
		return err
	}
	defer w.Close()
	return ui.Run(ctx, w.Deps(ctx))
}
