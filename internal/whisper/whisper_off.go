//go:build !whisper

package whisper

import (
	"context"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Available reports whether whisper.cpp is compiled into this program.
func Available() bool { return false }

// Version is whisper.cpp's version, or "" when it is not compiled in.
func Version() string { return "" }

// Model is a loaded speech model. In this build none can be loaded.
type Model struct{}

// Load always fails: this build has no whisper.cpp.
func Load(path string, opt Options) (*Model, error) {
	return nil, fmt.Errorf("load model %q: %w", path, rehearse.ErrNoTranscriber)
}

// Transcribe fails with rehearse.ErrNoTranscriber.
func (m *Model) Transcribe(ctx context.Context, a rehearse.Audio, opt rehearse.TranscribeOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	return rehearse.Transcript{}, rehearse.ErrNoTranscriber
}

// ModelName returns "".
func (m *Model) ModelName() string { return "" }

// Close does nothing.
func (m *Model) Close() error { return nil }

var _ rehearse.Transcriber = (*Model)(nil)
