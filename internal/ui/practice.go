package ui

import (
	"context"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// practiceScreen is a session in progress.
type practiceScreen struct {
	u       *UI
	session rehearse.Session
	qs      []rehearse.Question
	idx     int
	results map[string][]Result

	counter   *widget.Label
	timer     *widget.Label
	card      *widget.RichText
	tip       *widget.Label
	meter     *meter
	partial   *widget.Label
	recordBtn *widget.Button
	typeBtn   *widget.Button
	retakeBtn *widget.Button
	nextBtn   *widget.Button
	area      *fyne.Container

	take       Take
	recording  bool
	stopping   bool
	tickCancel context.CancelFunc
	stopCancel context.CancelFunc

	// transcript view of the shown result
	transcript *widget.RichText
	shown      *Result
	selected   map[int]bool
}

func qkey(q rehearse.Question) string {
	if q.ID != "" {
		return q.ID
	}
	return q.Text
}

// showPractice runs session s over qs; done are answers already given.
func (u *UI) showPractice(s rehearse.Session, qs []rehearse.Question, done []Result) {
	if len(qs) == 0 {
		// A session started on the command line keeps no question list:
		// it continues with the questions it has answers to.
		seen := map[string]bool{}
		for _, r := range done {
			q := rehearse.Question{ID: r.Attempt.QuestionID, Text: r.Attempt.QuestionText, Type: r.Attempt.QuestionType}
			if k := qkey(q); !seen[k] {
				seen[k] = true
				qs = append(qs, q)
			}
		}
	}
	if len(qs) == 0 {
		u.showNotice("warning", "This session has no questions to continue. Start a new session instead.")
		return
	}
	p := &practiceScreen{u: u, session: s, qs: qs, results: map[string][]Result{}}
	for _, r := range done {
		k := r.Attempt.QuestionID
		if k == "" {
			k = r.Attempt.QuestionText
		}
		p.results[k] = append(p.results[k], r)
	}
	// Resume at the first question without an answer.
	for p.idx < len(qs)-1 && len(p.results[qkey(qs[p.idx])]) > 0 {
		p.idx++
	}
	p.counter = widget.NewLabel("")
	p.timer = widget.NewLabel("")
	p.timer.TextStyle = fyne.TextStyle{Monospace: true}
	p.card = widget.NewRichText()
	p.card.Wrapping = fyne.TextWrapWord
	p.tip = para("")
	p.tip.TextStyle = fyne.TextStyle{Italic: true}
	p.meter = newMeter()
	p.partial = para("")
	p.partial.TextStyle = fyne.TextStyle{Italic: true}
	p.recordBtn = widget.NewButtonWithIcon("Record (Space)", theme.MediaRecordIcon(), p.toggleRecord)
	p.recordBtn.Importance = widget.HighImportance
	p.typeBtn = widget.NewButtonWithIcon("Type an answer instead", theme.DocumentCreateIcon(), func() { p.showTyping("", 0) })
	p.retakeBtn = widget.NewButtonWithIcon("Retake (Ctrl+R)", theme.MediaReplayIcon(), p.retake)
	p.nextBtn = widget.NewButtonWithIcon("Next question (Ctrl+N)", theme.NavigateNextIcon(), p.next)
	finish := widget.NewButtonWithIcon("Finish session", theme.ConfirmIcon(), p.finish)
	p.area = container.NewVBox()

	cardBg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	cardBg.CornerRadius = 10
	card := container.NewStack(cardBg, container.NewPadded(container.NewVBox(p.card, p.tip)))
	header := container.NewBorder(nil, nil, p.counter, p.timer)
	level := widget.NewLabel("Mic level")
	controls := container.NewBorder(nil, nil, container.NewHBox(p.recordBtn, p.typeBtn, level), nil, container.NewPadded(p.meter))
	footer := container.NewHBox(p.retakeBtn, layout.NewSpacer(), finish, p.nextBtn)
	body := container.NewVBox(header, card, controls, p.partial, widget.NewSeparator(), p.area)
	u.show("practice", container.NewBorder(nil, container.NewPadded(footer), nil, nil,
		container.NewVScroll(container.NewPadded(body))), true)
	u.practice = p
	u.onSpace = p.toggleRecord
	u.onNext = p.next
	u.onRetake = p.retake
	p.load()
}

func (p *practiceScreen) current() rehearse.Question { return p.qs[p.idx] }

// load shows the current question, its earlier answers, and starts prep.
func (p *practiceScreen) load() {
	q := p.current()
	p.counter.SetText(fmt.Sprintf("%s  ·  Question %d of %d  ·  %s", p.session.Title, p.idx+1, len(p.qs), q.Type))
	p.card.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: q.Text, Style: widget.RichTextStyle{
		SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true}}}}
	p.card.Refresh()
	p.tip.SetText(q.Tip)
	if q.Tip == "" {
		p.tip.Hide()
	} else {
		p.tip.Show()
	}
	p.partial.SetText("")
	p.meter.SetValue(0)
	if p.idx == len(p.qs)-1 {
		p.nextBtn.SetText("Finish (Ctrl+N)")
	} else {
		p.nextBtn.SetText("Next question (Ctrl+N)")
	}
	if rs := p.results[qkey(q)]; len(rs) > 0 {
		p.showResult(rs[len(rs)-1])
		p.timer.SetText("")
		return
	}
	p.showIdle()
	p.startPrep()
}

func (p *practiceScreen) showIdle() {
	p.retakeBtn.Disable()
	p.setArea(para("Press Space or Record to answer out loud. Rehearse only listens while the recording runs. " +
		"Prefer typing? Choose “Type an answer instead”."))
}

func (p *practiceScreen) setArea(objs ...fyne.CanvasObject) {
	// What leaves the area leaves the focus too, and its Ctrl+Enter.
	p.u.win.Canvas().Unfocus()
	p.u.onSubmit = nil
	p.area.Objects = objs
	p.area.Refresh()
}

func (p *practiceScreen) cancelTick() {
	if p.tickCancel != nil {
		p.tickCancel()
		p.tickCancel = nil
	}
}

func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	// whole seconds rounded as fmt rounds "%.0f s", so a clock and a
	// sentence about the same answer agree
	s := int(math.RoundToEven(d.Seconds()))
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// startPrep counts the preparation time down.
func (p *practiceScreen) startPrep() {
	p.cancelTick()
	secs := p.session.Settings.PrepSeconds
	if secs <= 0 {
		p.timer.SetText("Ready when you are")
		return
	}
	ctx, cancel := context.WithCancel(p.u.ctx)
	p.tickCancel = cancel
	end := time.Now().Add(time.Duration(secs) * time.Second)
	p.timer.SetText("Prep " + clock(time.Until(end)))
	p.u.background(func(context.Context) {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			left := time.Until(end)
			p.u.do(func() {
				if ctx.Err() != nil {
					return
				}
				if left <= 0 {
					p.timer.SetText("Prep time is over: answer when ready")
				} else {
					p.timer.SetText("Prep " + clock(left))
				}
			})
			if left <= 0 {
				return
			}
		}
	})
}

// toggleRecord starts or stops a spoken answer (Space).
func (p *practiceScreen) toggleRecord() {
	switch {
	case p.stopping:
		return
	case p.recording:
		p.stop()
		return
	}
	p.cancelTick()
	p.recordBtn.Disable()
	q := p.current()
	limit := time.Duration(p.session.Settings.AnswerSeconds) * time.Second
	p.u.background(func(ctx context.Context) {
		take, err := p.u.deps.Practice.Record(ctx, p.session.ID, q)
		p.u.do(func() {
			p.recordBtn.Enable()
			if err != nil {
				p.u.fail(err)
				return
			}
			p.u.clearNotice()
			p.take, p.recording = take, true
			p.recordBtn.SetText("Stop (Space)")
			p.recordBtn.SetIcon(theme.MediaStopIcon())
			p.typeBtn.Disable()
			discard := widget.NewButton("Discard this recording", p.discard)
			discard.Importance = widget.LowImportance
			p.setArea(para("Recording… speak as you would in the interview. Press Space to stop."), discard)
			p.timer.SetText("0:00")
		})
		if err != nil {
			return
		}
		p.u.background(func(context.Context) {
			for s := range take.Partial() {
				p.u.do(func() {
					if p.take == take {
						p.partial.SetText(s)
					}
				})
			}
		})
		for l := range take.Levels() {
			p.u.do(func() {
				if p.take != take || !p.recording {
					return
				}
				p.meter.SetValue(l.Peak)
				t := clock(l.Elapsed)
				if limit > 0 {
					t += "  ·  " + clock(limit-l.Elapsed) + " left"
				}
				p.timer.SetText(t)
				if limit > 0 && l.Elapsed >= limit {
					p.stop()
				}
			})
		}
		// The readings ended: either Stop was pressed or the microphone went away.
		p.u.do(func() {
			if p.take == take && p.recording {
				p.stop()
			}
		})
	})
}

func (p *practiceScreen) discard() {
	if p.take == nil || !p.recording {
		return
	}
	p.take.Cancel()
	p.take, p.recording = nil, false
	p.resetRecordButton()
	p.meter.SetValue(0)
	p.partial.SetText("")
	p.showIdle()
	p.u.showNotice("info", "The recording was discarded; nothing was saved.")
}

func (p *practiceScreen) resetRecordButton() {
	p.recordBtn.SetText("Record (Space)")
	p.recordBtn.SetIcon(theme.MediaRecordIcon())
	p.recordBtn.Enable()
	p.typeBtn.Enable()
}

// stop ends the recording; transcription runs in the background and can be
// cancelled (the recording is then kept for later).
func (p *practiceScreen) stop() {
	take := p.take
	p.recording, p.stopping = false, true
	p.recordBtn.Disable()
	p.meter.SetValue(0)
	ctx, cancel := context.WithCancel(p.u.ctx)
	p.stopCancel = cancel
	bar := widget.NewProgressBarInfinite()
	cancelBtn := widget.NewButton("Cancel (keep the recording for later)", cancel)
	p.setArea(para("Transcribing and analysing your answer…"), bar, cancelBtn)
	p.u.background(func(context.Context) {
		defer cancel()
		res, err := take.Stop(ctx)
		p.u.do(func() {
			bar.Stop()
			p.stopping = false
			p.take = nil
			p.resetRecordButton()
			if err != nil && res.Attempt.ID == 0 {
				p.u.fail(err)
				p.showIdle()
				return
			}
			if err != nil {
				p.u.showNotice("warning", explain(err))
			}
			if res.Pending && p.u.deps.Pending != nil {
				p.u.deps.Pending.Recount()
			}
			p.add(res)
		})
	})
}

func (p *practiceScreen) add(r Result) {
	k := qkey(p.current())
	p.results[k] = append(p.results[k], r)
	p.showResult(r)
}

// replace swaps an attempt's result after re-analysis.
func (p *practiceScreen) replace(r Result) {
	for k, rs := range p.results {
		for i := range rs {
			if rs[i].Attempt.ID == r.Attempt.ID {
				p.results[k][i] = r
			}
		}
	}
	p.showResult(r)
}

func (p *practiceScreen) retake() {
	if p.recording || p.stopping {
		return
	}
	p.shown = nil
	p.partial.SetText("")
	p.showIdle()
	p.timer.SetText("Retake: ready when you are")
}

func (p *practiceScreen) next() {
	if p.recording || p.stopping {
		return
	}
	p.cancelTick()
	if p.idx >= len(p.qs)-1 {
		p.finish()
		return
	}
	p.idx++
	p.shown = nil
	p.load()
}

func (p *practiceScreen) finish() {
	if p.recording || p.stopping {
		return
	}
	p.cancelTick()
	id := p.session.ID
	p.u.background(func(ctx context.Context) {
		err := p.u.deps.Practice.FinishSession(ctx, id)
		p.u.do(func() {
			if err != nil {
				p.u.fail(err)
				return
			}
			p.u.showSummary(id)
		})
	})
}

// leave stops timers and discards a recording still running.
func (p *practiceScreen) leave() {
	p.cancelTick()
	if p.recording && p.take != nil {
		p.take.Cancel()
	}
	if p.stopCancel != nil && p.stopping {
		// Transcription continues to save the answer; only the view goes.
		p.stopping = false
	}
	p.take, p.recording = nil, false
}
