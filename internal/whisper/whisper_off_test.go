//go:build !whisper

package whisper

import (
	"context"
	"errors"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func TestWithoutWhisper(t *testing.T) {
	if Available() || Version() != "" {
		t.Errorf("Available %v Version %q in a build without whisper.cpp", Available(), Version())
	}
	m, err := Load("/nonexistent/ggml-tiny.en.bin", Options{})
	if !errors.Is(err, rehearse.ErrNoTranscriber) || m != nil {
		t.Errorf("Load = %v, %v", m, err)
	}
	var z Model
	if _, err := z.Transcribe(context.Background(), rehearse.Audio{}, rehearse.TranscribeOptions{}, nil); !errors.Is(err, rehearse.ErrNoTranscriber) {
		t.Errorf("Transcribe: %v", err)
	}
}
