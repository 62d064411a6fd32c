//go:build whisper

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// TestGUISoundCheck runs the Settings sound check in the window on the real
// wiring: the sentence spoken by espeak-ng reaches the window through
// PortAudio → ALSA's file plugin, whisper.cpp transcribes it with a
// synthetic model, and the window shows the report.
func TestGUISoundCheck(t *testing.T) {
	if inGUIChild() {
		soundCheckInWindow(t)
		return
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps): there is no speech for the virtual microphone")
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "sentence.wav")
	if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav, soundcheck.Sentence).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	speech, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	// The file plugin delivers faster than real time and noise past its
	// end: plenty of silence after the sentence.
	samples := make([]float32, rehearse.SampleRate/2)
	samples = append(samples, speech.Samples...)
	samples = append(samples, make([]float32, 120*rehearse.SampleRate)...)
	raw := filepath.Join(dir, "speech.raw")
	if err := os.WriteFile(raw, audio.PCM16(rehearse.Audio{Samples: samples}), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("pcm.filemic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n"+
		"pcm.!default { type asym; capture.pcm \"filemic\"; playback.pcm \"null\" }\n", raw)), 0o600); err != nil {
		t.Fatal(err)
	}
	runGUIChild(t, "ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:"+conf)
}

func soundCheckInWindow(t *testing.T) {
	isolate(t)
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data"), PassphraseFile: passFile(t, "a good long passphrase\n")}
	model := filepath.Join(t.TempDir(), "ggml-synthetic-micro.bin")
	if err := ggml.WriteSyntheticFile(model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	h := openGUI(t, g)
	if _, err := h.wiring.Models().Import(model, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.wiring.Models().Use("synthetic-micro"); err != nil {
		t.Fatal(err)
	}
	h.waitShow("Welcome to Rehearse", "microphone(s) found")
	h.tap("Continue with typed answers")
	h.tap("Settings")
	h.waitShow("General")
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(*container.AppTabs); ok {
				tabs.SelectIndex(1)
			}
		}
	})
	h.waitShow("Sound check", soundcheck.Sentence, "microphone(s) found")
	h.tap("Record")
	h.tap("Stop")
	s := h.waitShow("Word error rate", "Input level", "Done. Press Record to try again.")
	t.Logf("after the sound check:\n%s", s)
	if strings.Contains(s, "(nothing)") || strings.Contains(s, "Almost nothing was heard") {
		t.Error("the window heard nothing: the virtual microphone's speech did not arrive")
	}
	for _, want := range []string{"of 15 words", "peak ", "dBFS", "Fillers were dropped"} {
		if !strings.Contains(s, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
