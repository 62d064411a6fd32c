package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// writeTone writes 1 s of silence and 1 s of a 220 Hz sine at amp.
func writeTone(t *testing.T, amp float64) string {
	t.Helper()
	s := make([]float32, 2*rehearse.SampleRate)
	for i := rehearse.SampleRate; i < len(s); i++ {
		s[i] = float32(amp * math.Sin(2*math.Pi*220*float64(i)/rehearse.SampleRate))
	}
	path := filepath.Join(t.TempDir(), "sentence.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := audiotest.WriteWAV(f, rehearse.Audio{Samples: s}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSoundcheckCommand(t *testing.T) {
	wav := writeTone(t, 0.5)
	f := &fakeSpeech{}
	code, out, errOut := run(&Deps{Speech: f}, "", "soundcheck", "--wav", wav, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc soundcheckDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// "so I led it" against the 15-word sentence: "so" and "i" match.
	if doc.Heard != "so I led it" || doc.RefWords != 15 || doc.HeardWords != 4 || doc.Substitutions+doc.Deletions+doc.Insertions != 13 {
		t.Errorf("words: %+v", doc)
	}
	if math.Abs(doc.WER-13.0/15) > 1e-9 || doc.FillerKept || doc.Good || doc.Model != "tiny.en" || f.path != wav {
		t.Errorf("verdict: %+v (called with %q)", doc, f.path)
	}
	if math.Abs(doc.PeakDBFS+6.02) > 0.2 || math.Abs(doc.VoiceDBFS+9.03) > 0.2 || doc.Clipping || doc.Seconds != 2 {
		t.Errorf("level: peak %.2f voice %.2f clipping %v seconds %v", doc.PeakDBFS, doc.VoiceDBFS, doc.Clipping, doc.Seconds)
	}
	if len(doc.Alignment) == 0 || doc.Alignment[0].Op != "match" || doc.Alignment[0].Ref != "so" {
		t.Errorf("alignment %+v", doc.Alignment)
	}

	code, out, _ = run(&Deps{Speech: f}, "", "soundcheck", "--wav", wav)
	for _, want := range []string{"heard:           so I led it", "word error rate: 87% (13 of 15 words", "filler:          dropped",
		"input level:     peak -6.0 dBFS", "Fillers were dropped", "larger speech model"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, text report lacks %q:\n%s", code, want, out)
		}
	}
}

func TestSoundcheckErrors(t *testing.T) {
	wav := writeTone(t, 0.5)
	for _, tc := range []struct {
		name string
		deps *Deps
		args []string
		code int
		want string
	}{
		{"no file", &Deps{Speech: &fakeSpeech{}}, nil, 2, "--wav FILE"},
		{"missing file", &Deps{Speech: &fakeSpeech{}}, []string{"--wav", filepath.Join(t.TempDir(), "none.wav")}, 1, "none.wav"},
		{"no whisper", &Deps{}, []string{"--wav", wav}, 1, "not built into this copy"},
		{"no model", &Deps{Speech: &fakeSpeech{err: rehearse.ErrNoModel}}, []string{"--wav", wav}, 1, "rehearse models list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(tc.deps, "", append([]string{"soundcheck"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d %q, want %d and %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	// Silence is a report (nothing heard), not a failure.
	code, out, errOut := run(&Deps{Speech: &fakeSpeech{err: fmt.Errorf("detect: %w", rehearse.ErrNoSpeech)}}, "", "soundcheck", "--wav", writeTone(t, 0))
	if code != 0 || !strings.Contains(out, "Almost nothing was heard") || !strings.Contains(out, "peak -120.0 dBFS") {
		t.Errorf("silence: exit %d %s %s", code, out, errOut)
	}
}
