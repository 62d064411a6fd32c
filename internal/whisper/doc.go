// Package whisper is Rehearse's adapter for whisper.cpp: it loads a speech
// model (after internal/ggml has checked the file, because whisper.cpp can
// abort the process on a malformed one) and turns 16 kHz audio into words
// with timings and probabilities. It is the only package that uses the
// whisper.cpp bindings and their cgo; without the `whisper` build tag it
// compiles to a stub whose Load returns rehearse.ErrNoTranscriber.
package whisper

import (
	"path/filepath"
	"strings"
)

// DefaultPrompt is the initial prompt: whisper tends to leave filler words
// out, and a short prompt that contains some makes it more likely to keep
// them (a long one, or one opening with "I'm", invites lost or invented text).
const DefaultPrompt = "Um, uh, so, like, hmm."

// Options are fixed when a model is loaded.
type Options struct {
	// Name is the model's name for Transcript.Source; by default it comes
	// from the file name (ggml-base.en.bin → "base.en").
	Name string
	// Threads used when TranscribeOptions.Threads is 0; 0 means 2.
	Threads int
	// NoTemperatureFallback turns off the retries at higher temperatures
	// that whisper.cpp makes when a decode looks poor. Faster and bounded;
	// slightly worse on hard audio.
	NoTemperatureFallback bool
	// MaxTokensPerSecond caps the tokens decoded per segment at this many
	// per second of input when TranscribeOptions.MaxTokens is 0 (0 = no
	// cap). Speech runs at about 2–4 tokens a second; a cap bounds the cost
	// of a decode that runs away (repetition loops, hallucination).
	MaxTokensPerSecond float64
	// FullAudioContext keeps the encoder's 30-second context for every
	// input. By default a short input is encoded with a context just long
	// enough for it (plus a margin), which is several times faster.
	FullAudioContext bool
}

// ModelName derives a model's name from its file name.
func ModelName(path string) string {
	n := filepath.Base(path)
	n = strings.TrimSuffix(n, ".bin")
	return strings.TrimPrefix(n, "ggml-")
}
