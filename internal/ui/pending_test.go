package ui

import (
	"context"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakePending isolates the window from the background transcription: the
// test decides what state it reports and counts what the window asks.
type fakePending struct {
	states                   chan PendingState
	starts, cancels, recount atomic.Int32
}

// countingHistory counts how often the session list is loaded.
type countingHistory struct {
	History
	loads *atomic.Int32
}

func (c countingHistory) Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	c.loads.Add(1)
	return c.History.Sessions(ctx, f)
}

func newFakePending() *fakePending { return &fakePending{states: make(chan PendingState, 16)} }

func (p *fakePending) Watch(ctx context.Context) <-chan PendingState {
	out := make(chan PendingState)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case st := <-p.states:
				select {
				case out <- st:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
func (p *fakePending) Start()   { p.starts.Add(1) }
func (p *fakePending) Cancel()  { p.cancels.Add(1) }
func (p *fakePending) Recount() { p.recount.Add(1) }

// progressBar returns the visible determinate progress bar, if any.
func (h *harness) progressBar() *widget.ProgressBar {
	for _, o := range h.objects() {
		if b, ok := o.(*widget.ProgressBar); ok {
			return b
		}
	}
	return nil
}

// TestPendingAnswersShown: the window starts transcribing waiting answers
// when it opens and when a model arrives, shows their count, why they wait
// and the progress on Home and History, can cancel, and shows the answers
// again once they are transcribed.
func TestPendingAnswersShown(t *testing.T) {
	f := newFake()
	p := newFakePending()
	var loads atomic.Int32
	h := newHarness(t, f, func(d *Deps) {
		d.Pending = p
		d.History = countingHistory{History: d.History, loads: &loads}
	})
	if n := p.starts.Load(); n != 1 {
		t.Fatalf("the window asked %d times to transcribe waiting answers when it opened; want 1", n)
	}
	h.waitFor("home", func() bool { return h.u.screen == "home" })
	h.mu.Lock()
	shown := h.shows("waiting")
	h.mu.Unlock()
	if shown {
		t.Fatal("a count of waiting answers is shown while none wait")
	}

	p.states <- PendingState{Waiting: 2, Err: rehearse.ErrNoModel}
	h.waitFor("the count on Home", func() bool { return h.shows("2 answers waiting to be transcribed") })
	h.mustShow("as soon as you add a speech model")

	p.states <- PendingState{Waiting: 2, Running: true, Total: 2, Fraction: 0.25}
	h.waitFor("the progress", func() bool { return h.shows("answer 1 of 2") })
	h.mu.Lock()
	bar := h.progressBar()
	h.mu.Unlock()
	if bar == nil || bar.Value != 0.25 {
		t.Fatalf("progress bar %+v; want one at 0.25", bar)
	}
	h.tap("Cancel")
	if p.cancels.Load() != 1 {
		t.Fatal("Cancel did not reach the background transcription")
	}

	// History shows the same panel.
	h.act(h.u.showHistory)
	h.waitFor("the progress on History", func() bool { return h.shows("answer 1 of 2") })
	p.states <- PendingState{Waiting: 1, Running: true, Done: 1, Total: 2, Fraction: 0.6}
	h.waitFor("the second answer", func() bool { return h.shows("answer 2 of 2") })

	// Done: the list is loaded again and the panel says so.
	before := loads.Load()
	p.states <- PendingState{Done: 2, Total: 2, Fraction: 1, Transcribed: 2}
	h.waitFor("the end of the run", func() bool { return h.shows("2 answers transcribed and analysed") })
	h.settle()
	if loads.Load() <= before {
		t.Error("History was not loaded again after the answers were transcribed")
	}
	h.mu.Lock()
	bar = h.progressBar()
	h.mu.Unlock()
	if bar != nil {
		t.Error("the progress bar stays after the run")
	}

	// A model imported in Settings starts a run.
	h.act(h.u.showSettings)
	starts := p.starts.Load()
	h.act(func() { h.u.importModel("/models/ggml-base.en.bin", func() {}, para("")) })
	if p.starts.Load() != starts+1 {
		t.Error("importing a model did not start transcribing the waiting answers")
	}
}
