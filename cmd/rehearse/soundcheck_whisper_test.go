//go:build whisper

package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// TestSoundcheckCommand runs `rehearse soundcheck` in a child process on a
// spoken recording of the sentence, with whisper.cpp and a synthetic model.
// Random weights hear nonsense, so the word error rate is high and the
// filler lost; what is checked is the report's shape, that the advice
// follows from it, and that the level figures are those of the recording.
func TestSoundcheckCommand(t *testing.T) {
	w := newWorld(t, false)
	wav := w.espeak("sentence.wav", soundcheck.Sentence)

	code, _, errOut := w.run("", "soundcheck", "--wav", wav)
	if code != 1 || !strings.Contains(errOut, "rehearse models list") {
		t.Fatalf("without a model: exit %d, %q", code, errOut)
	}

	model := filepath.Join(w.in, "ggml-synthetic-micro.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	w.mustRun("models", "import", model)
	w.mustRun("models", "use", "synthetic-micro")

	var doc struct {
		Sentence   string   `json:"sentence"`
		Heard      string   `json:"heard"`
		Model      string   `json:"model"`
		WER        float64  `json:"wer"`
		Subs       int      `json:"substitutions"`
		Dels       int      `json:"deletions"`
		Ins        int      `json:"insertions"`
		RefWords   int      `json:"reference_words"`
		HeardWords int      `json:"heard_words"`
		Alignment  []any    `json:"alignment"`
		FillerKept bool     `json:"filler_kept"`
		PeakDBFS   float64  `json:"peak_dbfs"`
		RMSDBFS    float64  `json:"rms_dbfs"`
		VoiceDBFS  float64  `json:"voice_dbfs"`
		RoomDBFS   float64  `json:"room_dbfs"`
		Clipping   bool     `json:"clipping"`
		Seconds    float64  `json:"seconds"`
		Good       bool     `json:"good"`
		Advice     []string `json:"advice"`
	}
	out := w.mustRun("soundcheck", "--json", "--wav", wav)
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Sentence != soundcheck.Sentence || doc.Model != "synthetic-micro" || doc.RefWords != 15 {
		t.Errorf("sentence %q model %q words %d", doc.Sentence, doc.Model, doc.RefWords)
	}
	errs := doc.Subs + doc.Dels + doc.Ins
	if math.Abs(doc.WER-float64(errs)/15) > 1e-9 || doc.WER < 0.5 || doc.Good {
		t.Errorf("nonsense words scored WER %.2f (%d errors), good %v; heard %q", doc.WER, errs, doc.Good, doc.Heard)
	}
	if len(doc.Alignment) != doc.Subs+doc.Dels+doc.Ins+(15-doc.Subs-doc.Dels) {
		t.Errorf("alignment of %d steps for %d errors", len(doc.Alignment), errs)
	}

	// The level figures are those of the recording itself.
	a, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	var peak, sum float64
	for _, s := range a.Samples {
		peak = max(peak, math.Abs(float64(s)))
		sum += float64(s) * float64(s)
	}
	wantPeak := 20 * math.Log10(peak)
	wantRMS := 10 * math.Log10(sum/float64(len(a.Samples)))
	if math.Abs(doc.PeakDBFS-wantPeak) > 0.05 || math.Abs(doc.RMSDBFS-wantRMS) > 0.05 || math.Abs(doc.Seconds-a.Duration()) > 0.001 {
		t.Errorf("level peak %.2f rms %.2f over %.2f s, want %.2f %.2f over %.2f s", doc.PeakDBFS, doc.RMSDBFS, doc.Seconds, wantPeak, wantRMS, a.Duration())
	}
	if !(doc.VoiceDBFS > doc.RMSDBFS && doc.RMSDBFS > doc.RoomDBFS) || doc.Clipping {
		t.Errorf("voice %.1f, rms %.1f, room %.1f dBFS, clipping %v", doc.VoiceDBFS, doc.RMSDBFS, doc.RoomDBFS, doc.Clipping)
	}
	advice := strings.Join(doc.Advice, "\n")
	if doc.HeardWords > 0 && !doc.FillerKept && !strings.Contains(advice, "lower bound") {
		t.Errorf("filler lost but the advice does not say so: %s", advice)
	}
	if doc.HeardWords > 0 && !strings.Contains(advice, "larger speech model") {
		t.Errorf("high WER at a clean level but no advice about the model: %s", advice)
	}

	text := w.mustRun("soundcheck", "--wav", wav)
	for _, want := range []string{"sentence:        " + soundcheck.Sentence, "heard:", "word error rate: ", "filler:", "input level:     peak ", "advice:\n  - "} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}
