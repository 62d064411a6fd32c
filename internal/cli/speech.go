package cli

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// SpeechDeps reaches the microphone, reads WAV files and transcribes them.
type SpeechDeps interface {
	Doctor(ctx context.Context, g Global) []Fact
	// TranscribeFile reads a WAV file (any rate, any channels) and
	// transcribes it with voice-activity detection. Errors: ErrBadAudio,
	// ErrNoTranscriber (this build has no whisper.cpp), ErrNoModel,
	// ErrBadModel, ErrNoSpeech (all wrapped).
	TranscribeFile(ctx context.Context, g Global, path string, opt TranscribeFileOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error)
}

// TranscribeFileOptions are the `rehearse transcribe` flags.
type TranscribeFileOptions struct {
	Model   string // "" = the model in use (rehearse models use)
	Threads int    // 0 = the remembered setting
}

// noTranscriberMsg is what the command line says when whisper.cpp is not
// compiled in.
const noTranscriberMsg = "voice transcription is not built into this copy of Rehearse — see README 'Voice transcription'"
