//go:build whisper

package whisper

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// SpeedTest times whisper.cpp transcribing sec seconds of SpeedTestAudio
// with a synthetic model of shape spec, the way a stretch of speech is
// transcribed while the user talks: the default prompt, the audio context
// trimmed to the clip, temperature fallback off and at most 3 tokens per
// second of audio (random weights never end a segment by themselves; real
// speech runs at about 2–4 tokens a second). The model is written to dir
// and removed afterwards. Only the transcription is timed.
func SpeedTest(ctx context.Context, dir string, spec ggml.Spec, sec float64, threads int) (time.Duration, error) {
	path := filepath.Join(dir, "ggml-speedtest.bin")
	if err := ggml.WriteSyntheticFile(path, spec); err != nil {
		return 0, err
	}
	defer os.Remove(path)
	m, err := Load(path, Options{Name: "speed test", Threads: threads, NoTemperatureFallback: true, MaxTokensPerSecond: 3})
	if err != nil {
		return 0, err
	}
	defer m.Close()
	a := SpeedTestAudio(sec)
	start := time.Now()
	if _, err := m.Transcribe(ctx, a, rehearse.TranscribeOptions{InitialPrompt: DefaultPrompt}, nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
