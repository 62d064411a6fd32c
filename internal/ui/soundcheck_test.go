package ui

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// soundFake adds the sound check to the fake backend's microphone: it
// "records" a 220 Hz tone at amp (after half a second of silence) and
// "hears" heard, or fails with err.
type soundFake struct {
	*fakeBackend
	amp    float64
	heard  string
	err    error
	device string
}

func (s *soundFake) RecordSentence(_ context.Context, device string) (SoundTake, error) {
	s.device = device
	if len(s.devices) == 0 {
		return nil, rehearse.ErrNoInputDevice
	}
	t := &fakeSoundTake{s: s, levels: make(chan rehearse.Level, 3)}
	for i := 1; i <= 3; i++ {
		t.levels <- rehearse.Level{Peak: float32(s.amp), RMS: float32(s.amp / math.Sqrt2), Elapsed: time.Duration(i) * 50 * time.Millisecond}
	}
	return t, nil
}

type fakeSoundTake struct {
	s      *soundFake
	levels chan rehearse.Level
	once   sync.Once
}

func (t *fakeSoundTake) Levels() <-chan rehearse.Level { return t.levels }
func (t *fakeSoundTake) Cancel()                       { t.once.Do(func() { close(t.levels) }) }

func (t *fakeSoundTake) Stop(context.Context) (rehearse.Audio, string, error) {
	t.Cancel()
	s := make([]float32, 4*rehearse.SampleRate)
	for i := rehearse.SampleRate / 2; i < len(s)-rehearse.SampleRate/2; i++ {
		s[i] = float32(t.s.amp * math.Sin(2*math.Pi*220*float64(i)/rehearse.SampleRate))
	}
	return rehearse.Audio{Samples: s}, t.s.heard, t.s.err
}

// runSoundCheck opens Settings › Microphone and records the sentence once.
func runSoundCheck(t *testing.T, h *harness) {
	t.Helper()
	h.act(h.u.showSettings)
	selectTab(h, 1)
	h.mustShow(soundcheck.Sentence)
	h.actNoWait(func() { test.Tap(h.button("Record")) })
	h.waitFor("the recording to start", func() bool { return !h.button("Stop").Disabled() })
	h.tap("Stop")
	h.waitFor("the result", func() bool { return h.shows("Press Record to try again") || !h.button("Record").Disabled() })
}

func TestSoundCheckInSettings(t *testing.T) {
	dropped := "So last spring I rebuilt our release check list and cut failed deploys by half."
	for _, tc := range []struct {
		name  string
		sf    soundFake
		shows []string
		not   []string
	}{
		{"heard well", soundFake{amp: 0.3, heard: " So, um, last spring I rebuilt our release checklist and cut failed deploys by half."},
			[]string{"Your set-up hears you well", "0% (0 of 15 words", "kept (the “um” was transcribed)", "Your set-up keeps fillers", "peak -10.5 dBFS"},
			[]string{"Differences", "move closer"}},
		{"filler dropped", soundFake{amp: 0.3, heard: dropped},
			[]string{"Your set-up could hear you better", "20% (3 of 15 words: 1 misheard, 1 missed, 1 added)",
				"“um” missed; “checklist” heard as “check”; “list” added", "dropped (the “um” was not transcribed)", "filler counts in your feedback will be a lower bound"},
			[]string{"hears you well"}},
		{"quiet", soundFake{amp: 0.005, heard: dropped}, []string{"move closer to the microphone or speak up", "peak -46.0 dBFS"}, nil},
		{"no model", soundFake{amp: 0.3, err: fmt.Errorf("load: %w", rehearse.ErrNoModel)},
			[]string{"No speech model is installed", "Input level", "peak -10.5 dBFS"}, []string{"Word error rate"}},
		{"no speech", soundFake{amp: 0, err: rehearse.ErrNoSpeech}, []string{"Heard", "(nothing)", "Almost nothing was heard"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.settings.Microphone = "USB headset"
			sf := tc.sf
			sf.fakeBackend = f
			h := newHarness(t, f, func(d *Deps) { d.Mic = &sf })
			runSoundCheck(t, h)
			for _, s := range tc.shows {
				h.mustShow(s)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, s := range tc.not {
				if h.shows(s) {
					t.Errorf("window shows %q:\n%s", s, h.text())
				}
			}
			if sf.device != "USB headset" {
				t.Errorf("recorded from %q, want the chosen microphone", sf.device)
			}
		})
	}
}

func TestSoundCheckWithoutVoice(t *testing.T) {
	// The plain fake microphone cannot record the sentence: the section
	// says why instead of offering a button that cannot work.
	h := newHarness(t, newFake(), nil)
	h.act(h.u.showSettings)
	selectTab(h, 1)
	h.mustShow("Voice transcription is not built into this copy")
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.shows("[Record]") {
		t.Error("a Record button is offered without a sound checker")
	}
}

func TestSoundCheckScreenshot(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	f := newFake()
	sf := &soundFake{fakeBackend: f, amp: 0.3, heard: "So last spring I rebuilt our release check list and cut failed deploys by half."}
	h := newHarness(t, f, func(d *Deps) { d.Mic = sf })
	runSoundCheck(t, h)
	h.act(func() { scrollDown(h) })
	h.settle()
	compareGolden(t, "settings-soundcheck", h.capture())
}
