//go:build whisper

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/osvoice/osvoicetest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// spokenLogEnv names the file where the window test in the child process
// writes every question and follow-up it was asked, one a line.
const spokenLogEnv = "REHEARSE_TEST_SPOKEN_LOG"

// TestGUIInterviewSpoken runs a whole interview in the window on the real
// wiring: the questions and follow-ups are spoken by a real
// speech-dispatcher (whose sound goes into a file: there is no sound card),
// each answer is espeak-ng speech arriving through PortAudio → ALSA's file
// plugin, whisper.cpp transcribes it with a synthetic model, and the window
// ends on the report. Afterwards the sound speech-dispatcher played must
// hold every question and follow-up asked.
func TestGUIInterviewSpoken(t *testing.T) {
	if inGUIChild() {
		interviewInWindow(t)
		return
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps): there is no speech for the virtual microphone")
	}
	d := osvoicetest.StartSpeechDispatcher(t)
	dir := t.TempDir()
	wav := filepath.Join(dir, "answer.wav")
	text := "Last year we moved our billing system to a new database. It was hard work and it went well."
	if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	speech, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	// Each recording opens the device again and hears the file from its
	// start: half a second of silence, the answer, then silence past the
	// answer timer (60 s), which stops the recording on its own.
	samples := make([]float32, rehearse.SampleRate/2)
	samples = append(samples, speech.Samples...)
	samples = append(samples, make([]float32, 70*rehearse.SampleRate)...)
	raw := filepath.Join(dir, "speech.raw")
	if err := os.WriteFile(raw, audio.PCM16(rehearse.Audio{Samples: samples}), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("pcm.filemic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n"+
		"pcm.!default { type asym; capture.pcm \"filemic\"; playback.pcm \"null\" }\n", raw)), 0o600); err != nil {
		t.Fatal(err)
	}
	spoken := filepath.Join(dir, "spoken.txt")
	env := append([]string{"ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:" + conf, spokenLogEnv + "=" + spoken}, d.Env...)
	// Six questions spoken and six answers transcribed: on a busy machine
	// more than a single screen's two minutes.
	defer func(d time.Duration) { guiChildLimit = d }(guiChildLimit)
	guiChildLimit = 6 * time.Minute
	runGUIChild(t, env...)

	b, err := os.ReadFile(spoken)
	if err != nil {
		t.Fatal(err)
	}
	asked := strings.Split(strings.TrimSpace(string(b)), "\n")
	var want float64
	for _, q := range asked {
		want += espeakSeconds(t, q)
	}
	d.Sink.Settled(3 * time.Second)
	played := d.Sink.Played(t, 0)
	secs, rms := float64(len(played))/22050, osvoicetest.RMS(played)
	t.Logf("asked aloud: %d questions and follow-ups, %.1f s of speech expected; speech-dispatcher played %.1f s at RMS %.3f", len(asked), want, secs, rms)
	if secs < 0.85*want || rms < 0.01 {
		t.Errorf("speech-dispatcher played %.1f s (RMS %.3f); the %d questions asked take %.1f s: not every question was spoken", secs, rms, len(asked), want)
	}
}

// espeakSeconds is how long espeak-ng takes to say text at its normal
// speed.
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

func interviewInWindow(t *testing.T) {
	isolate(t)
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data"), PassphraseFile: passFile(t, "a good long passphrase\n")}
	model := filepath.Join(t.TempDir(), "ggml-synthetic-micro.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	h := openGUI(t, g)
	if h.deps.Voice == nil {
		t.Fatal("no voice found: speech-dispatcher should have been")
	}
	if _, err := h.wiring.Models().Import(model, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.wiring.Models().Use("synthetic-micro"); err != nil {
		t.Fatal(err)
	}
	h.waitShow("Welcome to Rehearse", "microphone(s) found")
	h.tap("Start practising")
	// With a model in place, the first run ends with the sound check.
	h.waitShow("One last step: a sound check")
	h.tap("Skip")
	h.tap("Start a practice session")
	h.waitShow("New session", "Mode")
	h.setEntry("Role or title", "Backend engineer")
	h.act(func() {
		for _, o := range h.objects() {
			switch w := o.(type) {
			case *widget.RadioGroup:
				if len(w.Options) == 2 && w.Options[1] == "Interview" {
					w.SetSelected("Interview")
				}
			case *widget.Select:
				switch {
				case slices.Contains(w.Options, "300"):
					w.SetSelected("60") // the answer timer
				case slices.Contains(w.Options, "10") && slices.Contains(w.Options, "3"):
					w.SetSelected("3") // questions
				}
			}
		}
	})
	h.waitShow("No feedback until the report at the end", "3. ")
	// The pick for three questions replaces the list of five.
	for deadline := time.Now().Add(30 * time.Second); strings.Contains(h.screen(), "\n4. "); {
		if time.Now().After(deadline) {
			t.Fatalf("the setup still lists more than 3 questions:\n%s", h.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.tap("Start")
	h.waitShow("Question 1 of 3")
	var s string
	for deadline := time.Now().Add(5 * time.Minute); ; {
		s = h.screen()
		if strings.Contains(s, "Interview report") || time.Now().After(deadline) {
			break
		}
		for _, no := range []string{"Checklist", "Flag:", "Suggestions"} {
			if strings.Contains(s, "Question ") && strings.Contains(s, no) {
				t.Errorf("the interview shows %q before the report", no)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s = h.waitShow("Interview report", "The biggest changes", "Since the last interview", "Export the report")
	t.Logf("the report:\n%s", s)
	if strings.Contains(s, "could not be spoken") {
		t.Errorf("the voice failed:\n%s", s)
	}
	if !strings.Contains(s, "3 of 3 questions answered") {
		t.Errorf("not every question was answered:\n%s", s)
	}

	// What was asked, from the stored interview.
	sess, err := h.deps.History.Sessions(t.Context(), rehearse.SessionFilter{})
	if err != nil || len(sess) != 1 {
		t.Fatalf("sessions: %d, %v", len(sess), err)
	}
	svc, err := h.wiring.App().Service()
	if err != nil {
		t.Fatal(err)
	}
	iv, err := interview.Open(t.Context(), svc, sess[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	full := iv.Session()
	if full.Settings.Mode != rehearse.ModeInterview {
		t.Errorf("the session is stored as mode %q", full.Settings.Mode)
	}
	// The report History opens, from the stored interview.
	rep, err := h.deps.Interviews.InterviewReport(t.Context(), full.ID)
	if err != nil || len(rep.Exchanges) != 3 || rep.Totals.Answered != 3 {
		t.Errorf("the stored interview's report: %v, %+v", err, rep)
	}
	var asked []string
	for i := range iv.Len() {
		asked = append(asked, iv.Question(i).Text)
	}
	for _, f := range full.Settings.FollowUps {
		asked = append(asked, f.Text)
	}
	if len(asked) < 3 {
		t.Fatalf("found %d questions in the report", len(asked))
	}
	if err := os.WriteFile(os.Getenv(spokenLogEnv), []byte(strings.Join(asked, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("asked: %q", asked)
}
