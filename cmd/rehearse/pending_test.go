package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// espeak writes text spoken by espeak-ng to a WAV file in w's input folder.
func (w *world) espeak(name, text string) string {
	w.t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		w.t.Skip("espeak-ng is not installed (make deps)")
	}
	p := filepath.Join(w.in, name)
	if b, err := exec.Command("espeak-ng", "-w", p, text).CombinedOutput(); err != nil {
		w.t.Fatalf("espeak-ng: %v %s", err, b)
	}
	return p
}

// sessionsJSON lists the sessions of w's store.
func (w *world) sessionsJSON() []rehearse.SessionSummary {
	w.t.Helper()
	var list []rehearse.SessionSummary
	out := w.mustRun("--passphrase-file", w.pass, "sessions", "list", "--json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		w.t.Fatalf("sessions list --json: %v\n%s", err, out)
	}
	return list
}

// TestPracticeFailureLeavesNoSession: a `practice` run whose answer cannot
// be saved leaves no empty session behind; one that saves leaves exactly
// one.
func TestPracticeFailureLeavesNoSession(t *testing.T) {
	w := newWorld(t, false)
	silent := filepath.Join(w.in, "silent.wav")
	f, err := os.Create(silent)
	if err != nil {
		t.Fatal(err)
	}
	if err := audiotest.WriteWAV(f, rehearse.Audio{Samples: make([]float32, 3*rehearse.SampleRate)}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	empty := w.secret("empty.txt", "   \n")
	w.mustRun("--passphrase-file", w.pass, "sessions", "list") // creates the store

	for _, args := range [][]string{
		{"--wav", silent},
		{"--text", empty},
	} {
		code, _, errOut := w.run("", append([]string{"--passphrase-file", w.pass, "practice", "--question", "Why this role?"}, args...)...)
		if code != 1 || errOut == "" {
			t.Fatalf("practice %v: exit %d, %q; want a failure", args, code, errOut)
		}
		if list := w.sessionsJSON(); len(list) != 0 {
			t.Fatalf("practice %v failed but left %d session(s): %+v", args, len(list), list)
		}
	}
	answer := w.secret("answer.txt", "I led the migration and we cut costs by twenty percent.\n")
	w.mustRun("--passphrase-file", w.pass, "practice", "--question", "Why this role?", "--text", answer)
	if list := w.sessionsJSON(); len(list) != 1 || list[0].Attempts != 1 {
		t.Fatalf("after a saved answer: %+v", list)
	}
}

// TestTranscribePendingWithoutVoice: without whisper.cpp compiled in, a
// spoken answer is kept as pending and `transcribe --pending` says why it
// stays so, and fails.
func TestTranscribePendingWithoutVoice(t *testing.T) {
	if whisper.Available() {
		t.Skip("whisper.cpp is compiled in: TestPendingAnswerSurvivesKill covers this")
	}
	w := newWorld(t, false)
	wav := w.espeak("answer.wav", "So I led the migration, and we cut costs by twenty percent.")
	out := w.mustRun("--passphrase-file", w.pass, "practice", "--wav", wav, "--question", "Tell me about a project.")
	if !strings.Contains(out, "transcribe --pending") {
		t.Fatalf("practice said %q", out)
	}
	code, out, errOut := w.run("", "--passphrase-file", w.pass, "transcribe", "--pending")
	if code != 1 || out != "transcribed 0 answers; 1 still pending\n" || !strings.Contains(errOut, "1 answer still pending: voice transcription is not built into") {
		t.Fatalf("transcribe --pending: exit %d, %q, %q", code, out, errOut)
	}
}
