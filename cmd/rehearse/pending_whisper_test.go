//go:build whisper

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// session reads one session of w's store, answers and all.
func (w *world) session(id int64) rehearse.SessionRecord {
	w.t.Helper()
	var rec rehearse.SessionRecord
	out := w.mustRun("--passphrase-file", w.pass, "sessions", "show", "--json", strconv.FormatInt(id, 10))
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		w.t.Fatalf("sessions show --json: %v\n%s", err, out)
	}
	return rec
}

// TestPendingAnswerSurvivesKill drives the whole "record now, transcribe
// later" loop through the command line, in child processes on a real
// encrypted store with whisper.cpp: a spoken answer saved while no model is
// installed stays pending; `transcribe --pending` says why and fails; after
// `models import`, a `transcribe --pending` killed (SIGKILL) in the middle
// of the transcription leaves the answer pending with its recording; the
// next `transcribe --pending` completes it: transcribed, analysed, and its
// recording deleted (the user does not keep recordings).
func TestPendingAnswerSurvivesKill(t *testing.T) {
	w := newWorld(t, false)
	wav := w.espeak("answer.wav", "Last year our team kept missing release deadlines because reviews piled up. "+
		"I set up a review rota and wrote a checklist for reviewers. "+
		"As a result, review time dropped from four days to one, and we shipped the next three releases on time.")

	out := w.mustRun("--passphrase-file", w.pass, "practice", "--wav", wav, "--question", "Tell me about a project you are proud of.")
	if !strings.Contains(out, "transcribe --pending") {
		t.Fatalf("practice without a model said %q", out)
	}
	list := w.sessionsJSON()
	if len(list) != 1 {
		t.Fatalf("sessions: %+v", list)
	}
	sid := list[0].ID
	pending := func(when string) rehearse.Attempt {
		t.Helper()
		rec := w.session(sid)
		if len(rec.Attempts) != 1 {
			t.Fatalf("%s: %d answers", when, len(rec.Attempts))
		}
		a := rec.Attempts[0]
		if a.Status != rehearse.StatusPendingTranscription || !a.HasAudio || a.Transcript.Text != "" {
			t.Fatalf("%s: status %s, recording kept %v, transcript %q; want pending with its recording", when, a.Status, a.HasAudio, a.Transcript.Text)
		}
		return a
	}
	pending("without a model")

	code, out, errOut := w.run("", "--passphrase-file", w.pass, "transcribe", "--pending")
	if code != 1 || out != "transcribed 0 answers; 1 still pending\n" ||
		!strings.Contains(errOut, "no speech model installed: run 'rehearse models import FILE'") {
		t.Fatalf("transcribe --pending without a model: exit %d, %q, %q", code, out, errOut)
	}

	// A tiny.en-sized model with random weights: it never ends a segment,
	// so each one decodes to the token limit, long enough to be killed
	// in the middle.
	model := filepath.Join(w.in, "ggml-synthetic-tiny.bin")
	if err := ggml.WriteSyntheticFile(model, ggml.TinyEn); err != nil {
		t.Fatal(err)
	}
	if out := w.mustRun("models", "import", model); !strings.Contains(out, "rehearse transcribe --pending") {
		t.Fatalf("models import said %q", out)
	}

	// Killed while transcribing.
	cmd := exec.Command(os.Args[0], "--passphrase-file", w.pass, "transcribe", "--pending")
	cmd.Env = w.env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || sc.Text() != "transcribing answer 1 of 1" {
		t.Fatalf("the child said %q before transcribing (%v)", sc.Text(), sc.Err())
	}
	time.Sleep(300 * time.Millisecond) // well inside whisper.cpp
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended by itself before the kill (%v): make the transcription longer", err)
	}
	before := pending("after the kill")

	// The smallest model finishes quickly; choosing it is how a user
	// would switch.
	micro := filepath.Join(w.in, "ggml-synthetic-micro.bin")
	if err := ggml.WriteSyntheticFile(micro, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	w.mustRun("models", "import", micro)
	if out := w.mustRun("models", "use", "synthetic-micro"); !strings.Contains(out, "rehearse transcribe --pending") {
		t.Fatalf("models use said %q", out)
	}
	code, out, errOut = w.run("", "--passphrase-file", w.pass, "transcribe", "--pending")
	if code != 0 || out != "transcribed 1 answer; 0 still pending\n" || !strings.Contains(errOut, "transcribing answer 1 of 1") {
		t.Fatalf("transcribe --pending after the kill: exit %d, %q, %q", code, out, errOut)
	}
	a := w.session(sid).Attempts[0]
	if a.Status != rehearse.StatusAnalyzed || a.ID != before.ID || len(a.Transcript.Words) == 0 ||
		a.Transcript.Source != "whisper:synthetic-micro" || a.RulebookVersion == "" || len(a.Analysis) == 0 {
		t.Fatalf("after transcribe --pending: %+v", a)
	}
	if a.HasAudio {
		t.Error("the recording was kept after transcription although the user does not keep recordings")
	}
	for _, wd := range a.Transcript.Words {
		if wd.Start < 0 || wd.End < wd.Start || wd.End > a.DurationS+0.01 {
			t.Errorf("word %+v outside the %.2f s answer", wd, a.DurationS)
		}
	}
	// Nothing left: a second run has nothing to do and succeeds.
	if out := w.mustRun("--passphrase-file", w.pass, "transcribe", "--pending"); out != "transcribed 0 answers; 0 still pending\n" {
		t.Fatalf("second run said %q", out)
	}
}
