package osvoice

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/osvoice/osvoicetest"
)

const question = "Tell me about a time you disagreed with a colleague about a technical decision, and what happened in the end."

// espeakSeconds is how long espeak-ng takes to say text at its normal
// speed, rendered to a file: the length a full utterance must reach.
func espeakSeconds(t *testing.T, text string) float64 {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "ref.wav")
	if out, err := exec.Command("espeak-ng", "-w", wav, "--", text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng -w: %v: %s", err, out)
	}
	fi, err := os.Stat(wav)
	if err != nil {
		t.Fatal(err)
	}
	return float64(fi.Size()-44) / 2 / 22050
}

// checkUtterance: between before and the settled end the sink received
// speech (not silence) at least as long as share of the reference.
func checkUtterance(t *testing.T, sink osvoicetest.Sink, before int64, rate int, minSeconds float64) float64 {
	t.Helper()
	samples := sink.Played(t, before)
	secs := float64(len(samples)) / float64(rate)
	rms := osvoicetest.RMS(samples)
	t.Logf("played %.2f s at RMS %.3f", secs, rms)
	if secs < minSeconds {
		t.Errorf("played %.2f s of sound, want at least %.2f s: the question was not spoken in full", secs, minSeconds)
	}
	if rms < 0.01 {
		t.Errorf("what was played is silence (RMS %.4f)", rms)
	}
	return secs
}

// TestSpeechDispatcherSpeaksTheQuestion speaks through a real
// speech-dispatcher daemon (espeak-ng as its synthesiser) whose sound
// output goes into a file: Find chooses speech-dispatcher, the whole
// question is played as sound, nothing more is played after Speak has
// returned, a faster rate makes it shorter, and a chosen voice is used.
func TestSpeechDispatcherSpeaksTheQuestion(t *testing.T) {
	d := osvoicetest.StartSpeechDispatcher(t)
	for _, kv := range d.Env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	s, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	if s.Engine() != "speech-dispatcher" {
		t.Fatalf("engine %q, want speech-dispatcher", s.Engine())
	}
	want := espeakSeconds(t, question)
	ctx := context.Background()

	before := d.Sink.Settled(2 * time.Second)
	if err := s.Speak(ctx, question); err != nil {
		t.Fatal(err)
	}
	atReturn := d.Sink.Size()
	after := d.Sink.Settled(3 * time.Second)
	// What arrives after Speak returned is only what the pipe into the
	// file still held: far less than the utterance.
	if late := float64(after-atReturn) / 2 / 22050; late > 0.5 {
		t.Errorf("%.2f s of sound arrived after Speak returned: it did not wait for the voice", late)
	}
	normal := checkUtterance(t, d.Sink, before, 22050, 0.85*want)

	s.SetRate(80)
	before = after
	if err := s.Speak(ctx, question); err != nil {
		t.Fatal(err)
	}
	after = d.Sink.Settled(3 * time.Second)
	if fast := checkUtterance(t, d.Sink, before, 22050, 0.2*want); fast > 0.8*normal {
		t.Errorf("at rate 80 the question took %.2f s, at rate 0 %.2f s: the rate is ignored", fast, normal)
	}

	vs, err := s.Voices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var english []Voice
	for _, v := range vs {
		if strings.HasPrefix(strings.ToLower(v.Language), "en") {
			english = append(english, v)
		}
	}
	if len(english) == 0 {
		t.Fatalf("no English voice among %d", len(vs))
	}
	s.SetRate(0)
	s.SetVoice(english[len(english)-1].Name)
	before = after
	if err := s.Speak(ctx, "What was the outcome?"); err != nil {
		t.Fatalf("speak with voice %q: %v", s.Voice(), err)
	}
	d.Sink.Settled(3 * time.Second)
	checkUtterance(t, d.Sink, before, 22050, 0.5)
}

// TestEspeakSpeaksWithoutSpeechDispatcher: where speech-dispatcher is
// missing, espeak-ng plays the question itself.
func TestEspeakSpeaksWithoutSpeechDispatcher(t *testing.T) {
	p, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Skip("espeak-ng is not installed (make deps installs it)")
	}
	sink := osvoicetest.NewSink(t)
	t.Setenv("ALSA_CONFIG_PATH", sink.Config)
	// No sound server: espeak-ng goes to ALSA.
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("PULSE_SERVER", "unix:"+filepath.Join(t.TempDir(), "none"))
	s := &Speaker{eng: espeak{path: p}}
	vs, err := s.Voices(context.Background())
	if err != nil || len(vs) == 0 {
		t.Fatalf("voices: %v, %d", err, len(vs))
	}
	if err := s.Speak(context.Background(), question); err != nil {
		t.Fatal(err)
	}
	sink.Settled(3 * time.Second)
	checkUtterance(t, sink, 0, 22050, 0.85*espeakSeconds(t, question))
}

// TestFindWithoutAnyVoice: a computer without speech engines gets
// ErrNoVoice.
func TestFindWithoutAnyVoice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if _, err := Find(); !errors.Is(err, ErrNoVoice) {
		t.Errorf("Find with no engine = %v, want ErrNoVoice", err)
	}
}
