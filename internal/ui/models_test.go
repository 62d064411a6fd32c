package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// stepClock is a clock that moves on by step each time it is read.
func stepClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

func TestCostWords(t *testing.T) {
	m := ModelInfo{SizeBytes: 147951465}
	for _, tc := range []struct {
		free int64
		want string
	}{
		{12 << 30, "Costs 141.1 MiB of disk space (12.0 GiB free). The download takes about 12 s on a fast connection (100 Mbit/s), about 2 min on a slow one (10 Mbit/s)."},
		{100 << 20, "Costs 141.1 MiB of disk space, but only 100.0 MiB is free: make room first"},
		{0, "Costs 141.1 MiB of disk space. The download"},
	} {
		if got := costWords(m, tc.free); !strings.HasPrefix(got, tc.want) {
			t.Errorf("costWords(%d) = %q, want it to start with %q", tc.free, got, tc.want)
		}
	}
}

func TestDownloadProgressWords(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		done, total, from int64
		elapsed           time.Duration
		want              string
	}{
		{10 * mib, 100 * mib, 10 * mib, 0, "10.0 MiB of 100.0 MiB"},
		{30 * mib, 100 * mib, 10 * mib, 10 * time.Second, "30.0 MiB of 100.0 MiB  ·  2.0 MiB/s  ·  about 35 s left"},
		{40 * mib, 1000 * mib, 10 * mib, 10 * time.Second, "40.0 MiB of 1000.0 MiB  ·  3.0 MiB/s  ·  about 5 min left"},
		{99 * mib, 100 * mib, 0, 10 * time.Second, "99.0 MiB of 100.0 MiB  ·  9.9 MiB/s  ·  a few seconds left"},
		{20 * mib, -1, 0, 10 * time.Second, "20.0 MiB  ·  2.0 MiB/s"},
	} {
		if got := downloadProgress(tc.done, tc.total, tc.from, tc.elapsed); got != tc.want {
			t.Errorf("downloadProgress(%d, %d, %d, %v) = %q, want %q", tc.done, tc.total, tc.from, tc.elapsed, got, tc.want)
		}
	}
}

// The first run's model offer: one click starts the download with a
// progress bar, speed and time left; Cancel keeps what arrived, and the
// download resumes from there, in this run or the next.
func TestFirstRunModelDownloadPauseResume(t *testing.T) {
	f := newFake()
	f.downloadHold = make(chan struct{})
	h := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
	h.u.clock = stepClock(10 * time.Second)
	h.mustShow("Recommended for this computer: Base, English")
	h.actNoWait(func() { test.Tap(h.button("Download Base, English (141.1 MiB)")) })
	h.waitFor("the progress", func() bool { return h.shows("70.5 MiB of 141.1 MiB  ·  3.5 MiB/s  ·  about 20 s left") })
	h.tap("Cancel")
	h.mustShow("Paused with 70.5 MiB of 141.1 MiB downloaded. It continues where it stopped, now or after Rehearse restarts.")
	if f.models[1].Installed || f.models[1].Partial == 0 {
		t.Fatalf("after cancel: %+v", f.models[1])
	}

	// The next run offers to resume.
	f.downloadHold = nil
	h2 := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
	h2.tap("Resume download (70.5 MiB of 141.1 MiB here)")
	h2.mustShow("Base, English is ready")
	size := f.models[1].SizeBytes
	if !f.models[1].Installed || len(f.network) != 1 || f.network[0].Bytes != size-size/2 {
		t.Fatalf("after resuming: %+v, network %+v; want the second half only", f.models[1], f.network)
	}
}

// The model list speaks of models as people do: the recommended one first,
// the rest behind "More models", each with size, speed here and accuracy
// in words, and no file-format jargon.
func TestModelListForPeople(t *testing.T) {
	f := newFake()
	f.models[0].Installed, f.models[0].Active, f.models[0].Trust = true, true, models.TrustVerified
	h := newHarness(t, f, nil)
	h.act(h.u.showSettings)
	selectTab(h, 2)
	h.mustShow("Recommended for this computer: Base, English")
	h.mustShow("Tiny, English  ·  74.1 MiB  ·  keeps up with speech here (1 min in 7 s)")
	h.mustShow("In use — verified: the file matches its published checksum.")
	h.mustShow("[More models (3)]")
	if h.shows("Small, English") {
		t.Fatalf("the other models are shown before asking for more:\n%s", h.text())
	}
	h.tap("More models (3)")
	for _, s := range []string{
		"Small, English  ·  465.0 MiB  ·  too slow for live transcription here (1 min in 52 s)",
		"Base, English, compressed further  ·  57.0 MiB  ·  speed here not measured",
		"Small, many languages",
		"The most accurate of the three",
	} {
		h.mustShow(s)
	}
	h.mu.Lock()
	text := h.text()
	h.mu.Unlock()
	for _, jargon := range []string{"q5_1", "q8_0", "SHA-1", "pinned", "ggml", "base.en-"} {
		if strings.Contains(text, jargon) {
			t.Errorf("the model list says %q:\n%s", jargon, text)
		}
	}
	if strings.Index(text, "Recommended for this computer") > strings.Index(text, "Small, English") {
		t.Error("the recommended model is not first")
	}
	// A model from the list: the technical details come with the question.
	h.act(func() {
		for _, o := range h.objects() {
			if b, ok := o.(*widget.Button); ok && b.Text == "Download…" {
				test.Tap(b) // the first: Small, English
				return
			}
		}
	})
	h.mustShow("File: ggml-small.en.bin")
	h.tap("Download")
	h.mustShow("Small, English is ready")
	if !f.models[2].Installed {
		t.Fatalf("small.en not installed: %+v", f.models[2])
	}
}

// An imported model that has no published checksum is "checked", never
// "verified".
func TestImportedModelIsChecked(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	h.act(h.u.showSettings)
	selectTab(h, 2)
	h.act(func() {
		u := h.u
		var status = para("")
		u.importModel("/home/sam/ggml-my-model.bin", func() {}, status)
	})
	h.act(h.u.showSettings)
	selectTab(h, 2)
	h.mustShow("Installed — checked: a whole, readable model file (no published checksum to compare it with).")
	h.mu.Lock()
	defer h.mu.Unlock()
	if strings.Contains(h.text(), "verified") {
		t.Errorf("an imported model is called verified:\n%s", h.text())
	}
}

// A download from a server that cannot be reached says "You seem to be
// offline" and what to do instead, never the dialler's error chain.
func TestModelDownloadOffline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, base := range []string{closed, "https://models.rehearse.invalid"} {
		t.Run(base, func(t *testing.T) {
			f := newFake()
			mgr := &models.Manager{Dir: filepath.Join(t.TempDir(), "models"), BaseURL: base, Entries: []models.Entry{{Name: "base.en", Size: 147951465, English: true}}}
			h := newHarness(t, f, func(d *Deps) {
				d.FirstRun = true
				d.Models = &realDownload{fakeBackend: f, m: mgr}
			})
			h.tap("Download Base, English (141.1 MiB)")
			h.mustShow("You seem to be offline")
			h.mustShow("import a model file you already have")
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, raw := range []string{"dial tcp", "no such host", "connect:", "lookup", "Something went wrong"} {
				if h.shows(raw) {
					t.Errorf("the window shows %q:\n%s", raw, h.text())
				}
			}
		})
	}
}

// realDownload downloads with a real model manager.
type realDownload struct {
	*fakeBackend
	m *models.Manager
}

func (r *realDownload) Download(ctx context.Context, name string, progress func(done, total int64)) error {
	_, err := r.m.Download(ctx, name, progress)
	return err
}

// The first run ends with the sound check when a model is there to hear
// with; it can be skipped.
func TestFirstRunEndsWithSoundCheck(t *testing.T) {
	f := newFake()
	f.models[1].Installed, f.models[1].Active, f.models[1].Trust = true, true, models.TrustVerified
	sf := &soundFake{fakeBackend: f, amp: 0.3, heard: "So, um, last spring I rebuilt our release checklist and cut failed deploys by half."}
	done := false
	h := newHarness(t, f, func(d *Deps) {
		d.FirstRun = true
		d.Mic = sf
		d.FirstRunDone = func(context.Context) error { done = true; return nil }
	})
	h.mustShow("Base, English is ready: installed and in use")
	h.tap("Start practising")
	if got := h.screen(); got != "first-run-soundcheck" {
		t.Fatalf("screen = %q, want the sound check", got)
	}
	h.mustShow("One last step: a sound check")
	h.mustShow(soundcheck.Sentence)
	h.actNoWait(func() { test.Tap(h.button("Record")) })
	h.waitFor("the recording to start", func() bool { return !h.button("Stop").Disabled() })
	h.tap("Stop")
	h.mustShow("Word error rate")
	h.tap("Start practising")
	if got := h.screen(); got != "home" || !done {
		t.Fatalf("screen = %q, first run remembered %v; want home", got, done)
	}

	// Without a model there is nothing to check with: on to Home.
	g := newFake()
	h2 := newHarness(t, g, func(d *Deps) { d.FirstRun = true; d.Mic = &soundFake{fakeBackend: g} })
	h2.tap("Start practising")
	if got := h2.screen(); got != "home" {
		t.Fatalf("without a model: screen = %q, want home", got)
	}
}

// The self-test failing leaves a plain sentence, and the models can still
// be chosen by hand.
func TestModelOfferSelfTestFails(t *testing.T) {
	f := newFake()
	f.adviceErr = errors.Join(models.ErrSelfTest, errors.New("whisper_init failed"))
	h := newHarness(t, f, nil)
	h.act(h.u.showSettings)
	selectTab(h, 2)
	h.mustShow("The speed test failed")
	h.tap("More models (5)")
	h.mustShow("Base, English  ·  141.1 MiB  ·  speed here not measured")
}

// Golden screenshots of the first run's model download under way (with
// speed and time left) and of the sound check that ends the first run.
func TestModelScreenshots(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	t.Run("first-run-downloading", func(t *testing.T) {
		f := newFake()
		f.downloadHold = make(chan struct{})
		h := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
		h.u.clock = stepClock(10 * time.Second)
		h.actNoWait(func() { test.Tap(h.button("Download Base, English (141.1 MiB)")) })
		h.waitFor("the progress", func() bool { return h.shows("about 20 s left") })
		h.actNoWait(func() { scrollDown(h) })
		img := h.capture()
		h.tap("Cancel")
		compareGolden(t, "first-run-downloading", img)
	})
	t.Run("first-run-soundcheck", func(t *testing.T) {
		f := newFake()
		f.models[1].Installed, f.models[1].Active, f.models[1].Trust = true, true, models.TrustVerified
		sf := &soundFake{fakeBackend: f, amp: 0.3, heard: "So, um, last spring I rebuilt our release checklist and cut failed deploys by half."}
		h := newHarness(t, f, func(d *Deps) { d.FirstRun = true; d.Mic = sf })
		h.tap("Start practising")
		h.mustShow("One last step: a sound check")
		h.settle()
		compareGolden(t, "first-run-soundcheck", h.capture())
	})
}

// The self-test runs only while a screen that shows models is open: not
// for Settings' other tabs, and it stops when the user leaves.
func TestSelfTestOnlyWhileModelsShown(t *testing.T) {
	f := newFake()
	f.adviceDelay = time.Minute
	h := newHarness(t, f, nil)
	h.act(h.u.showSettings)
	calls := func() (int, int) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.recommends, f.stopped
	}
	if n, _ := calls(); n != 0 {
		t.Fatalf("Settings › General started %d self-tests", n)
	}
	h.actNoWait(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(2)
			}
		}
	})
	h.waitFor("the self-test to start", func() bool { n, _ := calls(); return n == 1 })
	h.mustShow("Measuring how fast this computer transcribes speech")
	h.tap("Home") // waits for the window's work: the test must have stopped
	if n, stopped := calls(); n != 1 || stopped != 1 {
		t.Fatalf("%d self-tests, %d stopped; want the one started to stop on leaving", n, stopped)
	}
	// Leaving and coming straight back, before the stopped test has ended,
	// measures afresh rather than waiting for the stopped one.
	h.actNoWait(h.u.showSettings)
	h.actNoWait(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(2)
			}
		}
	})
	h.waitFor("the second self-test", func() bool { n, _ := calls(); return n == 2 })
	h.actNoWait(h.u.showHome)
	h.actNoWait(h.u.showSettings)
	h.actNoWait(func() {
		f.mu.Lock()
		f.adviceDelay = 0
		f.mu.Unlock()
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(2)
			}
		}
	})
	h.waitFor("the advice", func() bool { return h.shows("Recommended for this computer: Base, English") })
	// Back to the models: measured afresh, now to the end.
	f.mu.Lock()
	f.adviceDelay = 0
	f.mu.Unlock()
	h.act(h.u.showSettings)
	selectTab(h, 2)
	h.mustShow("Recommended for this computer: Base, English")
}

// A download started in the first run can be followed and cancelled from
// Settings › Speech models after the user moved on.
func TestDownloadFollowsTheUser(t *testing.T) {
	f := newFake()
	f.downloadHold = make(chan struct{})
	h := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
	h.actNoWait(func() { test.Tap(h.button("Download Base, English (141.1 MiB)")) })
	h.waitFor("the progress", func() bool { return h.shows("70.5 MiB of 141.1 MiB") })
	h.actNoWait(func() { test.Tap(h.button("Continue with typed answers")) })
	h.actNoWait(h.u.showSettings)
	h.actNoWait(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(2)
			}
		}
	})
	h.waitFor("the download in Settings", func() bool { return h.shows("70.5 MiB of 141.1 MiB") && h.shows("[Cancel]") })
	h.tap("Cancel")
	h.mustShow("Paused with 70.5 MiB of 141.1 MiB downloaded")
}

// A download cut off half-way says so in plain words, keeps what arrived
// and offers to continue.
func TestDownloadInterrupted(t *testing.T) {
	f := newFake()
	f.downloadErr = fmt.Errorf("download base.en interrupted after 73975732 of 147951465 bytes: %w: read tcp 10.0.0.2:51234->18.1.1.1:443: connection reset by peer", models.ErrInterrupted)
	h := newHarness(t, f, func(d *Deps) { d.FirstRun = true })
	h.tap("Download Base, English (141.1 MiB)")
	h.mustShow("The download stopped before the end: the connection broke or the server was busy. What arrived is kept")
	h.mu.Lock()
	if h.shows("read tcp") || h.shows("Something went wrong") {
		t.Errorf("the window shows the raw error:\n%s", h.text())
	}
	h.mu.Unlock()
	f.downloadErr = nil
	h.tap("Resume download (70.5 MiB of 141.1 MiB here)")
	h.mustShow("Base, English is ready")
}
