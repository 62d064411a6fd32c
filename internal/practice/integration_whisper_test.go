//go:build whisper

package practice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// These tests run the whole spoken-answer pipeline with whisper.cpp: the
// virtual microphone, PortAudio capture, voice-activity detection,
// streaming transcription, the feedback rulebook and the encrypted store.
// The speech model is synthetic (real whisper.cpp structure, random
// weights, see internal/ggml), so the words are nonsense: the tests check
// the structure that must hold whatever the words are.

// whisperSpeech keeps each decode short: one thread (ggml's spin barriers
// crawl on a busy machine with more), and a token cap, because random
// weights never emit end-of-text.
var whisperSpeech = speech.Options{Transcribe: rehearse.TranscribeOptions{Threads: 1, MaxTokens: 16}}

// installModel writes the synthetic Micro model (about 8 MB) and returns
// its path.
func installModel(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ggml-synthetic.bin")
	if err := ggml.WriteSyntheticFile(path, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	return path
}

// modelLoader opens the model at *path, or reports that none is installed
// while path holds "".
func modelLoader(path *atomic.Pointer[string]) func(context.Context) (rehearse.Transcriber, error) {
	return func(context.Context) (rehearse.Transcriber, error) {
		p := path.Load()
		if p == nil || *p == "" {
			return nil, fmt.Errorf("open the speech model: %w", rehearse.ErrNoModel)
		}
		m, err := whisper.Load(*p, whisper.Options{Threads: 1, NoTemperatureFallback: true})
		if err != nil {
			return nil, err
		}
		return m, nil
	}
}

func loaderFor(path string) func(context.Context) (rehearse.Transcriber, error) {
	var p atomic.Pointer[string]
	p.Store(&path)
	return modelLoader(&p)
}

// countWords counts what the rulebook counts as words: whitespace-separated
// fields with at least one letter or digit.
func countWords(ws []rehearse.Word) int {
	n := 0
	for _, w := range ws {
		for _, f := range strings.Fields(w.Text) {
			if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
	}
	return n
}

// checkSpokenAnswer asserts what a transcribed spoken answer must be,
// whatever the words: analysed; a timed transcript of the recording rec
// whose words have text, non-negative ordered times inside the recording
// and inside (or at the padded edge of) the speech found in rec, and
// probabilities in [0,1]; and stored feedback whose word count agrees.
// It returns the speech segments.
func checkSpokenAnswer(t *testing.T, a *rehearse.Attempt, rec rehearse.Audio) []rehearse.Segment {
	t.Helper()
	if a.Status != rehearse.StatusAnalyzed || a.ID == 0 || a.RulebookVersion == "" {
		t.Fatalf("attempt %d: status %s, rulebook %q", a.ID, a.Status, a.RulebookVersion)
	}
	tr := a.Transcript
	if !tr.Timed || tr.Source != "whisper:synthetic" || tr.DurationS != rec.Duration() || a.DurationS != rec.Duration() {
		t.Errorf("transcript timed %v, source %q, %.3f s; attempt %.3f s; recording %.3f s",
			tr.Timed, tr.Source, tr.DurationS, a.DurationS, rec.Duration())
	}
	if len(tr.Words) == 0 {
		t.Fatal("no words")
	}
	segs := audio.DetectSpeech(rec, audio.DefaultVADConfig())
	if len(segs) == 0 {
		t.Fatal("no speech in the recording")
	}
	const edge = 0.25 // the speech pieces are padded by 0.2 s
	prev := 0.0
	for i, w := range tr.Words {
		if strings.TrimSpace(w.Text) == "" || w.Start < 0 || w.Start < prev || w.End < w.Start || w.End > rec.Duration() || w.P < 0 || w.P > 1 {
			t.Errorf("word %d %+v (previous start %.3f, recording %.3f s)", i, w, prev, rec.Duration())
		}
		prev = w.Start
		in := false
		for _, s := range segs {
			in = in || (w.Start >= s.Start-edge && w.End <= s.End+edge)
		}
		if !in {
			t.Errorf("word %d %+v lies outside every speech segment %v", i, w, segs)
		}
	}
	var doc struct {
		Metrics struct {
			WordCount *int `json:"word_count"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(a.Analysis, &doc); err != nil || doc.Metrics.WordCount == nil {
		t.Fatalf("stored analysis (%d bytes) does not decode: %v", len(a.Analysis), err)
	}
	if got, want := *doc.Metrics.WordCount, countWords(tr.Words); got != want {
		t.Errorf("analysis word_count %d; the %d transcribed words hold %d", got, len(tr.Words), want)
	}
	return segs
}

// sameAttempt compares an attempt read back from the store with the one
// the service returned.
func sameAttempt(t *testing.T, got, want *rehearse.Attempt) {
	t.Helper()
	if got.ID != want.ID || got.Number != want.Number || got.Status != want.Status || got.DurationS != want.DurationS ||
		got.RulebookVersion != want.RulebookVersion || got.LatencyKnown != want.LatencyKnown || got.HasAudio != want.HasAudio ||
		!got.StartedAt.Equal(want.StartedAt) || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("read back %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(got.Transcript, want.Transcript) {
		t.Errorf("transcript read back differs:\n%+v\nwant %+v", got.Transcript, want.Transcript)
	}
	if !bytes.Equal(got.Analysis, want.Analysis) {
		t.Error("analysis read back differs")
	}
}

func TestIntegrationWhisperRecord(t *testing.T) {
	needSpeech(t)
	ctx := context.Background()
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, newPortAudio(t), loaderFor(installModel(t)), whisperSpeech)
	sess, err := svc.StartSession(ctx, "Spoken answers", "", rehearse.SessionSettings{KeepRecordings: true})
	if err != nil {
		t.Fatal(err)
	}
	ans, st, err := recordFromMic(t, svc, sess.ID, "speechmic", len(micFixture.speech))
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	a := ans.Attempt
	if !st.transcribing {
		t.Error("the take was not transcribed while recording")
	}
	if ans.Result == nil || !a.HasAudio {
		t.Fatalf("no feedback (%v) or recording not kept (%v)", ans.Result, a.HasAudio)
	}
	rec, err := es.AttemptAudio(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	segs := checkSpokenAnswer(t, a, *rec)
	if ans.Result.Metrics.WordCount != countWords(a.Transcript.Words) {
		t.Errorf("returned feedback counts %d words", ans.Result.Metrics.WordCount)
	}
	// Each sentence is transcribed on its own: the words of the second
	// one are on the recording's clock, not on the clock of its piece.
	second := micFixture.spans[1]
	late := 0
	for _, w := range a.Transcript.Words {
		if w.Start >= second.Start-0.25 {
			late++
		}
	}
	if late == 0 {
		t.Errorf("no word at or after the second sentence (%.2f s): %+v", second.Start, a.Transcript.Words)
	}
	// What came through the microphone and was transcribed while it was
	// spoken is what the same model makes of the source file afterwards.
	tr, err := svc.transcriber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := speech.TranscribeAll(ctx, tr, rehearse.Audio{Samples: micFixture.speech}, whisperSpeech, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(batch.Words, a.Transcript.Words) {
		t.Errorf("streamed from the microphone: %+v\nthe source file transcribed afterwards: %+v", a.Transcript.Words, batch.Words)
	}
	t.Logf("recorded %.2f s (source %.2f s, sentences at %v); speech found %v", a.DurationS,
		float64(len(micFixture.speech))/rehearse.SampleRate, micFixture.spans, segs)
	t.Logf("%d words (%d from the second sentence), Stop took %v (%d level readings, last partial %q, warning %q): %+v",
		len(a.Transcript.Words), late, st.stop.Round(time.Millisecond), st.levels, st.partial, ans.Warning, a.Transcript.Words)

	// Read back from the file after closing it.
	if err := es.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := es.reopen(t).Attempt(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameAttempt(t, got, a)
	probe := audio.PCM16(rehearse.Audio{Samples: loudestWindow(rec.Samples, 640)})
	if f := es.leaks(t, probe); f != "" {
		t.Errorf("the recording is readable without the key in %s", f)
	}
}

func TestIntegrationWhisperSilentMicrophone(t *testing.T) {
	needMicrophones(t)
	ctx := context.Background()
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, newPortAudio(t), loaderFor(installModel(t)), whisperSpeech)
	sess, err := svc.StartSession(ctx, "", "", rehearse.SessionSettings{KeepRecordings: true})
	if err != nil {
		t.Fatal(err)
	}
	ans, _, err := recordFromMic(t, svc, sess.ID, "silentmic", micFixture.silence)
	if !errors.Is(err, rehearse.ErrNoSpeech) || ans != nil {
		t.Fatalf("Stop: %+v, %v; want ErrNoSpeech", ans, err)
	}
	stats, err := es.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Attempts != 0 || stats.Recordings != 0 {
		t.Errorf("after a silent take the store holds %d answers and %d recordings", stats.Attempts, stats.Recordings)
	}
}

// TestIntegrationWhisperSubmitWAV imports recorded answers: espeak-ng's own
// 22.05 kHz file (one stretch of speech), and the microphone's two
// sentences written as a 16 kHz WAV (two stretches, transcribed apart).
func TestIntegrationWhisperSubmitWAV(t *testing.T) {
	needSpeech(t)
	ctx := context.Background()
	twoPieces := filepath.Join(t.TempDir(), "answer16.wav")
	f, err := os.Create(twoPieces)
	if err != nil {
		t.Fatal(err)
	}
	if err := audiotest.WriteWAV(f, rehearse.Audio{Samples: micFixture.speech}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, nil, loaderFor(installModel(t)), whisperSpeech)
	sess, err := svc.StartSession(ctx, "Imported", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		rate     int
		segments int
	}{
		{"espeak-ng 22.05 kHz", micFixture.wav, 22050, 1},
		{"two sentences 16 kHz", twoPieces, rehearse.SampleRate, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, info, err := audio.ReadWAVFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if info.SampleRate != tt.rate {
				t.Fatalf("WAV at %d Hz, want %d", info.SampleRate, tt.rate)
			}
			var (
				mu      sync.Mutex
				reports []rehearse.TranscribeProgress
			)
			start := time.Now()
			ans, err := svc.SubmitAudio(ctx, sess.ID, spokenQ, rec, func(p rehearse.TranscribeProgress) {
				mu.Lock()
				reports = append(reports, p)
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			segs := checkSpokenAnswer(t, ans.Attempt, rec)
			if len(segs) != tt.segments {
				t.Errorf("%d stretches of speech %v, want %d", len(segs), segs, tt.segments)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reports) == 0 {
				t.Fatal("no progress reports")
			}
			for i, p := range reports {
				if p.Done < 0 || p.Done > p.Total || (i > 0 && (p.Done < reports[i-1].Done || p.Total != reports[i-1].Total)) {
					t.Errorf("progress report %d: %v of %v (reports %v)", i, p.Done, p.Total, reports)
					break
				}
			}
			if last := reports[len(reports)-1]; last.Done != last.Total {
				t.Errorf("last progress report %v of %v", last.Done, last.Total)
			}
			if ans.Attempt.HasAudio {
				t.Error("the recording was kept although the user does not keep recordings")
			}
			if _, err := es.AttemptAudio(ctx, ans.Attempt.ID); !errors.Is(err, rehearse.ErrNotFound) {
				t.Errorf("AttemptAudio: %v, want ErrNotFound", err)
			}
			got, err := es.Attempt(ctx, ans.Attempt.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameAttempt(t, got, ans.Attempt)
			t.Logf("%.2f s, speech %v: %d words in %v (%d progress reports): %.100s", rec.Duration(), segs,
				len(ans.Attempt.Transcript.Words), took.Round(time.Millisecond), len(reports), ans.Attempt.Transcript.Text)
		})
	}
}

// TestIntegrationWhisperTranscribePendingAfterInstall: an answer recorded
// before any speech model was installed is transcribed once one is.
func TestIntegrationWhisperTranscribePendingAfterInstall(t *testing.T) {
	needSpeech(t)
	ctx := context.Background()
	var model atomic.Pointer[string]
	es := openEncryptedStore(t)
	svc := newIntegrationService(t, es, newPortAudio(t), modelLoader(&model), whisperSpeech)
	sess, err := svc.StartSession(ctx, "", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	ans, _, err := recordFromMic(t, svc, sess.ID, "speechmic", len(micFixture.speech))
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if ans.Attempt.Status != rehearse.StatusPendingTranscription || !ans.Attempt.HasAudio {
		t.Fatalf("without a model: status %s, audio %v", ans.Attempt.Status, ans.Attempt.HasAudio)
	}
	rec, err := es.AttemptAudio(ctx, ans.Attempt.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := svc.TranscribePending(ctx, nil); rep != (PendingReport{Remaining: 1}) || !errors.Is(err, rehearse.ErrNoModel) {
		t.Fatalf("TranscribePending before a model is installed: %+v, %v", rep, err)
	}

	path := installModel(t)
	model.Store(&path)
	if err := svc.CanTranscribe(ctx); err != nil {
		t.Fatalf("after installing the model: %v", err)
	}
	var reports []string
	start := time.Now()
	rep, err := svc.TranscribePending(ctx, func(p PendingProgress) {
		if r := fmt.Sprint(p.Done, "/", p.Total); len(reports) == 0 || reports[len(reports)-1] != r {
			reports = append(reports, r)
		}
	})
	if err != nil || rep != (PendingReport{Transcribed: 1}) {
		t.Fatalf("TranscribePending: %+v, %v", rep, err)
	}
	took := time.Since(start)
	if strings.Join(reports, " ") != "0/1 1/1" {
		t.Errorf("progress %q, want 0/1 1/1", reports)
	}
	got, err := es.reopen(t).Attempt(ctx, ans.Attempt.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkSpokenAnswer(t, got, *rec)
	if got.HasAudio {
		t.Error("the recording was kept after transcription although the user does not keep recordings")
	}
	if pend, err := es.PendingAttempts(ctx); err != nil || len(pend) != 0 {
		t.Errorf("still pending: %d, %v", len(pend), err)
	}
	t.Logf("pending answer (%.2f s) transcribed after installing the model: %d words in %v: %.100s",
		rec.Duration(), len(got.Transcript.Words), took.Round(time.Millisecond), got.Transcript.Text)
}
