package local

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// TestTranscribeCommand runs `rehearse transcribe` on an espeak-ng recording
// with a generated model imported into a fresh data folder. Without
// whisper.cpp compiled in, it checks the message instead.
func TestTranscribeCommand(t *testing.T) {
	dir := t.TempDir()
	deps := &cli.Deps{Speech: Speech{}, Models: Models{}}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := cli.Main(context.Background(), append([]string{"--data-dir", filepath.Join(dir, "data")}, args...), strings.NewReader(""), &out, &errb, deps)
		return code, out.String(), errb.String()
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps)")
	}
	wav := filepath.Join(dir, "answer.wav")
	if b, err := exec.Command("espeak-ng", "-w", wav, "So I led the migration, and we cut costs by twenty percent.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v %s", err, b)
	}
	if !whisper.Available() {
		code, _, errOut := run("transcribe", wav)
		if code != 1 || !strings.Contains(errOut, "voice transcription is not built into this copy of Rehearse — see README 'Voice transcription'") {
			t.Errorf("exit %d, %q", code, errOut)
		}
		return
	}
	if code, _, errOut := run("transcribe", wav); code != 1 || !strings.Contains(errOut, rehearse.ErrNoModel.Error()) {
		t.Errorf("without a model: exit %d, %q", code, errOut)
	}
	model := filepath.Join(dir, "ggml-micro.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run("models", "import", model); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run("transcribe", "--json", "--threads", "1", wav)
	if code != 0 {
		t.Fatalf("transcribe: exit %d: %s", code, errOut)
	}
	var tr rehearse.Transcript
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// Random weights: only the shape of the answer is meaningful.
	if !tr.Timed || tr.Source != "whisper:micro" || len(tr.Words) == 0 || tr.DurationS <= 1 {
		t.Errorf("transcript %+v", tr)
	}
	for _, w := range tr.Words {
		if w.Start < 0 || w.End < w.Start || w.End > tr.DurationS || w.P < 0 || w.P > 1 {
			t.Errorf("word %+v", w)
		}
	}
	// A damaged WAV is reported, not crashed on.
	bad := filepath.Join(dir, "bad.wav")
	os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00WAVEjunk"), 0o600)
	if code, _, errOut := run("transcribe", bad); code != 1 || !strings.Contains(errOut, rehearse.ErrBadAudio.Error()) {
		t.Errorf("bad wav: exit %d, %q", code, errOut)
	}
}
