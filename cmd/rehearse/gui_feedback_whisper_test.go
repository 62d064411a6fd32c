//go:build whisper

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// spokenFeedbackAnswer is what the virtual microphone says.
const spokenFeedbackAnswer = "Last year I led the move of our billing system to a new database. We finished two weeks early."

// pacedMic writes an ALSA configuration whose default capture device is
// ALSA's file plugin reading a FIFO, and a recording of text spoken by
// espeak-ng (after half a second of silence), and returns the environment
// that selects them. The window's process plays the recording into the FIFO
// at the pace of a real microphone (playMic): the file plugin alone would
// deliver a whole file at once.
func pacedMic(tb testing.TB, text string) []string {
	tb.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		tb.Skip("espeak-ng is not installed (make deps): there is no speech for the virtual microphone")
	}
	dir := tb.TempDir()
	wav := filepath.Join(dir, "answer.wav")
	if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav, text).CombinedOutput(); err != nil {
		tb.Fatalf("espeak-ng: %v: %s", err, out)
	}
	speech, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		tb.Fatal(err)
	}
	samples := make([]float32, rehearse.SampleRate/2)
	samples = append(samples, speech.Samples...)
	raw := filepath.Join(dir, "speech.raw")
	if err := os.WriteFile(raw, audio.PCM16(rehearse.Audio{Samples: samples}), 0o600); err != nil {
		tb.Fatal(err)
	}
	fifo := filepath.Join(dir, "mic.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		tb.Fatal(err)
	}
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("pcm.fifomic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n"+
		"pcm.!default { type asym; capture.pcm \"fifomic\"; playback.pcm \"null\" }\n", fifo)), 0o600); err != nil {
		tb.Fatal(err)
	}
	return []string{"ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:" + conf, "REHEARSE_TEST_MIC_FIFO=" + fifo, "REHEARSE_TEST_MIC_RAW=" + raw}
}

// openMic opens the FIFO of pacedMic's microphone for writing. It must be
// open before PortAudio lists the devices: ALSA opens the FIFO to read it,
// which waits for a writer. play plays the recording into it in real time,
// in 100 ms blocks, then silence until the test ends, and returns the
// recording's length.
func openMic(t *testing.T) (play func() time.Duration) {
	t.Helper()
	pcm, err := os.ReadFile(os.Getenv("REHEARSE_TEST_MIC_RAW"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(os.Getenv("REHEARSE_TEST_MIC_FIFO"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		<-stopped
		f.Close()
	})
	return func() time.Duration {
		const block = rehearse.SampleRate / 10 * 2 // bytes
		go func() {
			defer close(stopped)
			silence := make([]byte, block)
			start := time.Now()
			for k := 0; ; k++ {
				b := silence
				if from := k * block; from < len(pcm) {
					b = pcm[from:min(from+block, len(pcm))]
				}
				// Once the recording is over nobody reads: never block for long.
				f.SetWriteDeadline(time.Now().Add(time.Second))
				f.Write(b)
				select {
				case <-done:
					return
				case <-time.After(time.Until(start.Add(time.Duration(k+1) * 100 * time.Millisecond))):
				}
			}
		}()
		return time.Duration(len(pcm)/2) * time.Second / rehearse.SampleRate
	}
}

// TestGUISpokenFeedback answers a question out loud in the window on the
// real wiring with a speech model installed: the virtual microphone's
// speech goes through PortAudio into the streaming transcriber (whisper.cpp
// with the smallest synthetic model), Stop is pressed once the answer is
// over, and the window shows the transcribed answer with its feedback. The
// child logs the time from Stop to the feedback on screen, which
// BenchmarkGUIStopToFeedback reads.
func TestGUISpokenFeedback(t *testing.T) {
	if inGUIChild() {
		spokenFeedbackInWindow(t)
		return
	}
	runGUIChild(t, pacedMic(t, spokenFeedbackAnswer)...)
}

func spokenFeedbackInWindow(t *testing.T) {
	isolate(t)
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data"), PassphraseFile: passFile(t, "a good long passphrase\n")}
	model := filepath.Join(t.TempDir(), "ggml-synthetic-micro.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	play := openMic(t)
	h := openGUI(t, g)
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
	h.waitShow("New session")
	h.setEntry("Role or title", "Spoken practice")
	h.tap("Start")
	h.waitShow("Question 1 of 5", "[Record (Space)]")
	h.tap("Record (Space)")
	h.waitShow("[Stop (Space)]")
	// The speaker answers, pauses for a second and presses Stop.
	speech := play()
	time.Sleep(speech + time.Second)
	start := time.Now()
	h.tap("Stop (Space)")
	var s string
	for {
		s = h.screen()
		if strings.Contains(s, "(whisper:") && strings.Contains(s, "Attempt 1") && strings.Contains(s, "STAR ") {
			break
		}
		if strings.Contains(s, "Attempt 1 saved") || time.Since(start) > 60*time.Second {
			t.Fatalf("no feedback on a transcribed answer; the window shows:\n%s", s)
		}
		time.Sleep(2 * time.Millisecond)
	}
	took := time.Since(start)
	t.Logf("after Stop:\n%s", s)
	t.Logf("stop→feedback %.1f ms", float64(took.Microseconds())/1000)

	sess, err := h.deps.History.Sessions(context.Background(), rehearse.SessionFilter{})
	if err != nil || len(sess) != 1 {
		t.Fatalf("sessions: %d, %v", len(sess), err)
	}
	sum, err := h.deps.History.Summary(context.Background(), sess[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Items) == 0 || len(sum.Items[0].Results) != 1 {
		t.Fatalf("stored: %+v, want one answer", sum.Items)
	}
	a := sum.Items[0].Results[0].Attempt
	if a.Status != rehearse.StatusAnalyzed || len(a.Effective().Words) == 0 || a.DurationS < speech.Seconds() {
		t.Fatalf("the spoken answer: status %q, %d words, %.2f s; want an analysed answer with words covering the speech",
			a.Status, len(a.Effective().Words), a.DurationS)
	}
}

var stopToFeedbackRE = regexp.MustCompile(`stop→feedback ([0-9.]+) ms`)

// BenchmarkGUIStopToFeedback measures, for a spoken answer (about 6 s of
// speech, Stop pressed one second after it) driven through the real
// practice screen with the smallest synthetic model, the time from pressing
// Stop to the feedback shown in the window: the stream's last stretch
// transcribed, the answer analysed and saved in the encrypted store, and
// the result screen built. Each run is a fresh window in its own process
// (TestGUISpokenFeedback); only the time it logs counts.
func BenchmarkGUIStopToFeedback(b *testing.B) {
	env := pacedMic(b, spokenFeedbackAnswer)
	b.StopTimer()
	var total, worst float64
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestGUISpokenFeedback$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), guiChildEnv+"=1", "REHEARSE_PASSPHRASE_FILE=",
			"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(b.TempDir(), "no-bus"))
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		cancel()
		m := stopToFeedbackRE.FindSubmatch(out)
		if err != nil || m == nil || !strings.Contains(string(out), "--- PASS: TestGUISpokenFeedback") {
			b.Fatalf("the window run failed: %v\n%s", err, out)
		}
		ms, _ := strconv.ParseFloat(string(m[1]), 64)
		total += ms
		worst = max(worst, ms)
	}
	b.ReportMetric(total/float64(b.N), "stop-to-feedback-ms")
	b.ReportMetric(worst, "max-stop-to-feedback-ms")
}
