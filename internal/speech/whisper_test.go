//go:build whisper

package speech_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// say synthesises each sentence with espeak-ng and joins them with gap
// seconds of silence (and gap before and after), returning the audio and
// where each sentence starts.
func say(t testing.TB, gap float64, sentences ...string) (rehearse.Audio, []float64) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps)")
	}
	dir := t.TempDir()
	silence := make([]float32, int(gap*rehearse.SampleRate))
	out := append([]float32(nil), silence...)
	var starts []float64
	for i, s := range sentences {
		p := filepath.Join(dir, "s.wav")
		if b, err := exec.Command("espeak-ng", "-w", p, s).CombinedOutput(); err != nil {
			t.Fatalf("espeak-ng %d: %v: %s", i, err, b)
		}
		a, _, err := audio.ReadWAVFile(p)
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, float64(len(out))/rehearse.SampleRate)
		out = append(out, a.Samples...)
		out = append(out, silence...)
	}
	return rehearse.Audio{Samples: out}, starts
}

func loadModel(t testing.TB, spec ggml.Spec, opt whisper.Options) *whisper.Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ggml-synthetic.bin")
	if err := ggml.WriteSyntheticFile(path, spec); err != nil {
		t.Fatal(err)
	}
	m, err := whisper.Load(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// checkStructure asserts what random weights still guarantee: words with
// text, non-decreasing starts, times inside the recording and inside (or at
// the padded edge of) the detected speech, probabilities in [0,1].
func checkStructure(t *testing.T, tr rehearse.Transcript, a rehearse.Audio) {
	t.Helper()
	if len(tr.Words) == 0 {
		t.Fatal("no words")
	}
	speechSegs := audio.DetectSpeech(a, audio.DefaultVADConfig())
	prev := 0.0
	for i, w := range tr.Words {
		if strings.TrimSpace(w.Text) == "" || w.Start < prev || w.End < w.Start || w.End > a.Duration() || w.P < 0 || w.P > 1 {
			t.Errorf("word %d %+v (previous start %.2f, audio %.2f s)", i, w, prev, a.Duration())
		}
		prev = w.Start
		in := false
		for _, s := range speechSegs {
			in = in || (w.Start >= s.Start-0.25 && w.Start <= s.End+0.25)
		}
		if !in {
			t.Errorf("word %d %+v starts outside every speech segment %v", i, w, speechSegs)
		}
	}
	if tr.Source != "whisper:synthetic" || !tr.Timed || tr.DurationS != a.Duration() {
		t.Errorf("transcript %+v", tr)
	}
}

var answer = []string{
	"So, in my last role I led the migration of our billing system.",
	"We moved forty services in three months, and cut costs by twenty percent.",
	"Um, the hardest part was getting the teams to agree on the plan.",
}

func TestWAVToWords(t *testing.T) {
	a, starts := say(t, 2.5, answer...)
	wav := filepath.Join(t.TempDir(), "answer.wav")
	f, err := os.Create(wav)
	if err != nil {
		t.Fatal(err)
	}
	if err := audiotest.WriteWAV(f, a); err != nil {
		t.Fatal(err)
	}
	f.Close()
	a, _, err = audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	m := loadModel(t, ggmltest.Micro, whisper.Options{Threads: 1, NoTemperatureFallback: true, MaxTokensPerSecond: 3})
	tr, err := speech.TranscribeAll(context.Background(), m, a, speech.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, tr, a)
	// Words of the last sentence are on the recording's clock, not the
	// clock of the piece given to the recogniser.
	late := 0
	for _, w := range tr.Words {
		if w.Start >= starts[2]-0.25 {
			late++
		}
	}
	if late == 0 {
		t.Errorf("no word at or after the third sentence (%.2f s): %+v", starts[2], tr.Words)
	}
	t.Logf("%d words over %.1f s: %.80s", len(tr.Words), a.Duration(), tr.Text)
}

func TestStreamWithWhisper(t *testing.T) {
	a, _ := say(t, 1.5, answer...)
	m := loadModel(t, ggmltest.Micro, whisper.Options{Threads: 1, NoTemperatureFallback: true, MaxTokensPerSecond: 3})
	s := speech.NewStream(context.Background(), m, speech.Options{})
	for i := 0; i < len(a.Samples); i += 1600 {
		if err := s.Write(a.Samples[i:min(i+1600, len(a.Samples))]); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := s.Finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, tr, a)
}

func TestStreamCancelWithWhisper(t *testing.T) {
	a, _ := say(t, 1, answer...)
	// Full audio context and no token cap: one piece would take many
	// seconds, so only cancellation can make Finish return quickly.
	m := loadModel(t, ggml.TinyEn, whisper.Options{Threads: 1, FullAudioContext: true})
	s := speech.NewStream(context.Background(), m, speech.Options{})
	s.Write(a.Samples)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := s.Finish(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestNoSpeechWithWhisper(t *testing.T) {
	m := loadModel(t, ggmltest.Micro, whisper.Options{Threads: 1})
	_, err := speech.TranscribeAll(context.Background(), m, rehearse.Audio{Samples: make([]float32, 5*rehearse.SampleRate)}, speech.Options{}, nil)
	if !errors.Is(err, rehearse.ErrNoSpeech) {
		t.Errorf("err = %v", err)
	}
}
