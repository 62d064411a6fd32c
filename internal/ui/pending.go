package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Pending transcribes, in the background, the answers recorded while no
// speech model was available (or whose transcription failed or was
// interrupted), then analyses them like any other answer.
type Pending interface {
	// Watch delivers the state now and after every change until ctx ends.
	Watch(ctx context.Context) <-chan PendingState
	// Start transcribes the waiting answers now; during a run, another
	// follows it (a model may just have arrived).
	Start()
	// Recount counts the waiting answers again, e.g. after one was saved.
	Recount()
	// Cancel stops the run under way; unfinished answers keep waiting,
	// with their recordings.
	Cancel()
}

// PendingState is how far the transcription of waiting answers is.
type PendingState = practice.BacklogState

// pendingPanel shows the waiting answers on Home and History: a count, a
// progress bar and Cancel while a run is under way, "Transcribe now"
// otherwise. Each screen builds its own; the UI updates the one shown.
type pendingPanel struct {
	box    *fyne.Container
	label  *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	start  *widget.Button
}

// newPendingPanel builds the panel for a screen; showPendingPanel makes it
// the one updated once the screen is shown.
func (u *UI) newPendingPanel() *pendingPanel {
	p := &pendingPanel{box: container.NewVBox(), label: para(""), bar: widget.NewProgressBar()}
	if u.deps.Pending == nil {
		return p
	}
	p.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), u.deps.Pending.Cancel)
	p.start = widget.NewButtonWithIcon("Transcribe now", theme.MediaPlayIcon(), u.deps.Pending.Start)
	p.box.Objects = []fyne.CanvasObject{p.label, container.NewBorder(nil, nil, nil, container.NewHBox(p.cancel, p.start), p.bar)}
	return p
}

func (u *UI) showPendingPanel(p *pendingPanel) {
	if u.deps.Pending == nil {
		p.box.Hide()
		return
	}
	u.pendingView = p
	u.renderPending()
}

// watchPending follows the background transcription for as long as the
// window is open. It is not background work the window waits for: it
// ends with the window's context.
func (u *UI) watchPending() {
	if u.deps.Pending == nil {
		return
	}
	states := u.deps.Pending.Watch(u.ctx)
	go func() {
		for st := range states {
			u.do(func() { u.setPending(st) })
		}
	}()
}

// setPending shows a new state; when a run has just transcribed answers,
// the screen that lists them is loaded again.
func (u *UI) setPending(st PendingState) {
	finished := u.pending.Running && !st.Running
	u.pending = st
	u.renderPending()
	if finished && st.Transcribed > 0 {
		switch u.screen {
		case "home":
			u.showHome()
		case "history":
			u.showHistory()
		}
	}
}

func (u *UI) renderPending() {
	p, st := u.pendingView, u.pending
	if p == nil {
		return
	}
	p.bar.SetValue(st.Fraction)
	p.cancel.Hidden = !st.Running
	p.start.Hidden = st.Running || st.Waiting == 0 || errors.Is(st.Err, rehearse.ErrNoTranscriber) || errors.Is(st.Err, rehearse.ErrNoModel)
	p.bar.Hidden = !st.Running
	switch {
	case st.Running:
		p.label.SetText(fmt.Sprintf("Transcribing %s: answer %d of %d. You can keep practising; each one appears with its feedback when done.",
			countAnswers(st.Waiting, "waiting"), min(st.Done+1, st.Total), st.Total))
	case st.Waiting > 0:
		p.label.SetText(fmt.Sprintf("%s to be transcribed. %s", countAnswers(st.Waiting, "waiting"), pendingWhy(st.Err)))
	case st.Transcribed > 0:
		p.label.SetText(fmt.Sprintf("%s transcribed and analysed; they are listed with the others.", countAnswers(st.Transcribed, "")))
	}
	p.box.Hidden = !st.Running && st.Waiting == 0 && st.Transcribed == 0
	p.box.Refresh()
}

func countAnswers(n int, what string) string {
	s := fmt.Sprintf("%d answer", n)
	if n != 1 {
		s += "s"
	}
	if what != "" {
		s += " " + what
	}
	return s
}

// pendingWhy says why answers still wait and what to do.
func pendingWhy(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, rehearse.ErrNoModel):
		return "They are saved, encrypted, and are transcribed as soon as you add a speech model (Settings → Models)."
	case errors.Is(err, rehearse.ErrNoTranscriber):
		return "Voice transcription is not built into this copy of Rehearse; they stay saved, encrypted."
	case errors.Is(err, context.Canceled):
		return "Stopped; the recordings are kept."
	}
	return explain(err) + " The recordings are kept."
}

// modelArrived starts transcribing the waiting answers once a model was
// installed or chosen.
func (u *UI) modelArrived() {
	if u.deps.Pending != nil {
		u.deps.Pending.Start()
	}
}
