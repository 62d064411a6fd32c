package cli

import "context"

// Deps is everything the command line needs from the rest of the program.
// cmd/rehearse fills it with the parts internal/local builds; tests fill it
// with real adapters or with fakes.
// Each field's interface is declared in the file of the commands that use it.
type Deps struct {
	Version string
	// GUI opens the practice window and returns when it closes.
	GUI func(ctx context.Context, g Global) error

	Data   DataDeps   // data.go: the data folder, salvage, wipe
	Keys   KeyDeps    // data.go: the store's key
	Speech SpeechDeps // speech.go: microphone, WAV files, transcription
	Models ModelDeps  // models.go: the speech model manager
	// Practice opens the practice service (practice.go).
	Practice PracticeDeps
}

// Fact is one line of `rehearse doctor`.
type Fact struct {
	Name  string
	Value string
	OK    bool
	// Needed marks facts without which the main job (practising with an
	// encrypted store) cannot be done; doctor exits non-zero when one fails.
	Needed bool
	Fix    string
}
