//go:build whisper

package whisper

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func writeModel(t testing.TB, spec ggml.Spec) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ggml-micro.bin")
	if err := ggml.WriteSyntheticFile(path, spec); err != nil {
		t.Fatal(err)
	}
	return path
}

// speech synthesises text with espeak-ng and reads it as 16 kHz audio.
func speech(t testing.TB, text string) rehearse.Audio {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps)")
	}
	path := filepath.Join(t.TempDir(), "speech.wav")
	if out, err := exec.Command("espeak-ng", "-w", path, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	a, _, err := audio.ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func load(t testing.TB, path string, opt Options) *Model {
	t.Helper()
	m, err := Load(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func checkWords(t *testing.T, ws []rehearse.Word, dur float64) {
	t.Helper()
	prev := 0.0
	for i, w := range ws {
		if w.Text == "" {
			t.Errorf("word %d empty", i)
		}
		if w.Start < prev || w.Start < 0 || w.End < w.Start || w.End > dur+1e-9 {
			t.Errorf("word %d %q at %.2f–%.2f (previous start %.2f, audio %.2f s)", i, w.Text, w.Start, w.End, prev, dur)
		}
		if w.P < 0 || w.P > 1 {
			t.Errorf("word %d p=%f", i, w.P)
		}
		prev = w.Start
	}
}

func TestAvailable(t *testing.T) {
	if !Available() || Version() == "" {
		t.Fatalf("Available %v Version %q", Available(), Version())
	}
	t.Logf("whisper.cpp %s", Version())
}

func TestTranscribeSynthetic(t *testing.T) {
	m := load(t, writeModel(t, ggmltest.Micro), Options{Threads: 1, NoTemperatureFallback: true})
	if m.ModelName() != "micro" {
		t.Errorf("name %q", m.ModelName())
	}
	a := speech(t, "So I led the migration of our billing system and we cut costs by twenty percent.")
	var last rehearse.TranscribeProgress
	tr, err := m.Transcribe(context.Background(), a, rehearse.TranscribeOptions{Threads: 1, MaxTokens: 24}, func(p rehearse.TranscribeProgress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Timed || tr.Source != "whisper:micro" || tr.DurationS != a.Duration() {
		t.Errorf("transcript header %+v", tr)
	}
	// Random weights produce arbitrary words: only their structure is checked.
	if len(tr.Words) == 0 {
		t.Fatal("no words")
	}
	checkWords(t, tr.Words, a.Duration())
	if last.Total == 0 || last.Done != last.Total {
		t.Errorf("last progress %+v", last)
	}
	t.Logf("%d words from %.1f s: %.60s", len(tr.Words), a.Duration(), tr.Text)
}

func TestTranscribeShortAndEmpty(t *testing.T) {
	m := load(t, writeModel(t, ggmltest.Micro), Options{Threads: 1, NoTemperatureFallback: true})
	tr, err := m.Transcribe(context.Background(), rehearse.Audio{}, rehearse.TranscribeOptions{}, nil)
	if err != nil || len(tr.Words) != 0 {
		t.Errorf("empty: %v %v", tr, err)
	}
	short := rehearse.Audio{Samples: make([]float32, 1600)} // 0.1 s of silence
	tr, err = m.Transcribe(context.Background(), short, rehearse.TranscribeOptions{Threads: 1, MaxTokens: 8, InitialPrompt: "-"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkWords(t, tr.Words, 0.1)
}

func TestTranscribeCancel(t *testing.T) {
	m := load(t, writeModel(t, ggml.TinyEn), Options{Threads: 1, NoTemperatureFallback: true, FullAudioContext: true})
	a := speech(t, "Tell me about a time you disagreed with your manager and what you did about it.")
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 1)
	go func() {
		<-started
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	cancelledAt := make(chan time.Time, 1)
	go func() { <-ctx.Done(); cancelledAt <- time.Now() }()
	_, err := m.Transcribe(ctx, a, rehearse.TranscribeOptions{Threads: 1}, func(rehearse.TranscribeProgress) {
		select {
		case started <- struct{}{}:
		default:
		}
	})
	returned := time.Now()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	cancelled := <-cancelledAt
	// Not a timing assertion on speed: a generous bound that only fails if
	// cancellation did not reach whisper.cpp (a full uncapped decode of a
	// 30-second window takes minutes on this model).
	if lag := returned.Sub(cancelled); lag > 10*time.Second {
		t.Errorf("returned %v after cancel", lag)
	}
	t.Logf("returned %v after cancel", returned.Sub(cancelled))
	// The model still works afterwards.
	if _, err := m.Transcribe(context.Background(), a, rehearse.TranscribeOptions{Threads: 1, MaxTokens: 4}, nil); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}

func TestTranscribeAlreadyCancelled(t *testing.T) {
	m := load(t, writeModel(t, ggmltest.Micro), Options{Threads: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Transcribe(ctx, rehearse.Audio{Samples: make([]float32, 16000)}, rehearse.TranscribeOptions{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestLoadBadModels(t *testing.T) {
	good := writeModel(t, ggmltest.Micro)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
	}{
		{"truncated", data[:len(data)*2/3]},
		{"header only", data[:100]},
		{"not a model", []byte("RIFF....WAVEfmt this is audio")},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".bin")
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			m, err := Load(p, Options{})
			if err == nil {
				m.Close()
				t.Fatal("loaded")
			}
			if !errors.Is(err, rehearse.ErrBadModel) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.bin"), Options{}); err == nil || errors.Is(err, rehearse.ErrBadModel) {
		t.Errorf("missing: %v", err)
	}
}

func TestAudioCtx(t *testing.T) {
	for _, tc := range []struct{ samples, want int }{
		{16000, 512}, {16000 * 10, 640}, {16000 * 20, 1152}, {16000 * 27, 0}, {16000 * 40, 0},
	} {
		if got := audioCtx(tc.samples); got != tc.want {
			t.Errorf("audioCtx(%d) = %d, want %d", tc.samples, got, tc.want)
		}
	}
}
