package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Interviews starts mock interviews: the mode that gives no feedback until
// the end. Deps.Interviews nil hides the mode on the setup screen.
type Interviews interface {
	// StartInterview creates the interview's session for the questions
	// chosen on the setup screen.
	StartInterview(ctx context.Context, plan Plan) (InterviewRun, error)
	// ResumeInterview reopens an unfinished interview.
	ResumeInterview(ctx context.Context, sessionID int64) (InterviewRun, error)
	// InterviewReport reports on a stored interview with the current rules,
	// compared with the interview before it.
	InterviewReport(ctx context.Context, sessionID int64) (*interview.Report, error)
}

// InterviewRun is one interview being run. Answers are recorded (or typed)
// through Practice under Question(i), or FollowUpQuestion(i) for the
// answer to the follow-up, and then handed over.
type InterviewRun interface {
	Session() rehearse.Session
	Len() int
	Question(i int) rehearse.Question
	// Next is the first question without a main answer (Len when all
	// have one).
	Next() int
	// MainAnswered takes the saved main answer to question i and returns
	// the follow-up question to ask, "" for none.
	MainAnswered(ctx context.Context, i int, r Result) (followUp string, err error)
	// FollowUpQuestion is the question the follow-up answer is saved under.
	FollowUpQuestion(i int) (rehearse.Question, bool)
	FollowUpAnswered(ctx context.Context, i int, r Result) error
	// Finish ends the interview and reports on it.
	Finish(ctx context.Context) (*interview.Report, error)
}

// Voice is the interviewer's voice. Speak returns once the voice has
// finished (so the microphone never records it) or ctx ends.
type Voice interface {
	Speak(ctx context.Context, text string) error
	// Use chooses the voice (a VoiceOption's Name, "" for the engine's
	// default) and speed (-100 … 0 … 100) of what is spoken next.
	Use(voice string, rate int)
	// Engine names the speech engine, e.g. "speech-dispatcher".
	Engine() string
	Voices(ctx context.Context) ([]VoiceOption, error)
}

// VoiceOption is one installed voice.
type VoiceOption struct {
	Name     string // what the engine is given
	Label    string // what the picker shows
	Language string
}

// noVoiceText is what the window says when the computer has no voice.
const noVoiceText = "No voice found — questions are shown as text."

// interviewScreen runs an interview: each question is spoken, then the
// answer is recorded at once with the answer timer running; no feedback
// is shown until the report at the end.
type interviewScreen struct {
	u   *UI
	run InterviewRun
	idx int
	// followUp is true while the follow-up of question idx is asked or
	// answered.
	followUp bool
	asked    string // the text being asked

	counter, timer, status *widget.Label
	// voiceNote says, for the whole interview, that questions are shown
	// as text because there is no voice (or it failed).
	voiceNote       *widget.Label
	card            *widget.RichText
	meter           *meter
	doneBtn, endBtn *widget.Button
	area            *fyne.Container

	// cancel stops what runs now: the voice, or the recording.
	cancel    context.CancelFunc
	take      Take
	recording bool
	ending    bool
	// voiceFailed: the voice failed once, the rest is shown as text.
	voiceFailed bool
}

// resumeInterview continues an unfinished interview at its first question
// without an answer; a follow-up left unanswered stays unanswered.
func (u *UI) resumeInterview(id int64) {
	u.background(func(ctx context.Context) {
		run, err := u.deps.Interviews.ResumeInterview(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showInterview(run)
		})
	})
}

// showInterview runs an interview from its first question without an
// answer.
func (u *UI) showInterview(run InterviewRun) {
	p := &interviewScreen{u: u, run: run, idx: run.Next()}
	p.counter = widget.NewLabel("")
	p.timer = widget.NewLabel("")
	p.timer.TextStyle = fyne.TextStyle{Monospace: true}
	p.status = para("")
	p.status.TextStyle = fyne.TextStyle{Italic: true}
	p.card = widget.NewRichText()
	p.card.Wrapping = fyne.TextWrapWord
	p.voiceNote = para("")
	if u.deps.Voice == nil {
		p.voiceNote.SetText(noVoiceText)
	} else {
		p.voiceNote.Hide()
	}
	p.meter = newMeter()
	p.doneBtn = widget.NewButtonWithIcon("Done answering (Space)", theme.MediaStopIcon(), p.stop)
	p.doneBtn.Importance = widget.HighImportance
	p.doneBtn.Disable()
	p.endBtn = widget.NewButtonWithIcon("End the interview now", theme.CancelIcon(), p.end)
	p.area = container.NewVBox()

	cardBg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	cardBg.CornerRadius = 10
	card := container.NewStack(cardBg, container.NewPadded(p.card))
	header := container.NewBorder(nil, nil, p.counter, p.timer)
	controls := container.NewBorder(nil, nil, container.NewHBox(p.doneBtn, widget.NewLabel("Mic level")), nil, container.NewPadded(p.meter))
	body := container.NewVBox(header, card, p.voiceNote, p.status, controls, widget.NewSeparator(), p.area)
	footer := container.NewHBox(layout.NewSpacer(), p.endBtn)
	u.show("interview", container.NewBorder(nil, container.NewPadded(footer), nil, nil,
		container.NewVScroll(container.NewPadded(body))), true)
	u.interview = p
	if p.idx >= run.Len() {
		p.finish()
		return
	}
	p.ask()
}

// leave stops the voice and discards a recording in progress when the
// user goes to another screen; saved answers stay with the session.
func (p *interviewScreen) leave() {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.take != nil && p.recording {
		p.take.Cancel()
	}
	p.take, p.recording = nil, false
}

// question is what the current answer is saved under.
func (p *interviewScreen) question() rehearse.Question {
	if p.followUp {
		if q, ok := p.run.FollowUpQuestion(p.idx); ok {
			return q
		}
	}
	return p.run.Question(p.idx)
}

// ask shows and speaks the current question (or its follow-up), then
// starts recording.
func (p *interviewScreen) ask() {
	u := p.u
	s := p.run.Session()
	q := p.run.Question(p.idx)
	text := q.Text
	label := fmt.Sprintf("%s  ·  Question %d of %d  ·  %s", s.Title, p.idx+1, p.run.Len(), q.Type)
	if p.followUp {
		text = p.asked
		label = fmt.Sprintf("%s  ·  Question %d of %d  ·  follow-up", s.Title, p.idx+1, p.run.Len())
	}
	p.asked = text
	p.counter.SetText(label)
	p.card.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true}}}}
	p.card.Refresh()
	p.timer.SetText("")
	p.meter.SetValue(0)
	p.doneBtn.Disable()
	p.area.Objects = nil
	p.area.Refresh()
	voice := u.deps.Voice
	if voice == nil || p.voiceFailed {
		p.status.SetText("Recording starts now.")
		p.record()
		return
	}
	p.status.SetText("The interviewer is asking… recording starts when the question has been asked.")
	voice.Use(u.settings.Voice, u.settings.VoiceRate)
	ctx, cancel := context.WithCancel(u.ctx)
	p.cancel = cancel
	u.background(func(context.Context) {
		err := voice.Speak(ctx, text)
		u.do(func() {
			if ctx.Err() != nil {
				return
			}
			p.cancel = nil
			if err != nil {
				p.voiceFailed = true
				p.voiceNote.SetText("The voice failed, so questions are shown as text.")
				p.voiceNote.Show()
				u.showNotice("warning", "The question could not be spoken, so questions are shown as text: "+explain(err))
			}
			p.record()
		})
	})
}

// record starts recording the answer; without a microphone the answer is
// typed.
func (p *interviewScreen) record() {
	u := p.u
	q := p.question()
	limit := time.Duration(p.run.Session().Settings.AnswerSeconds) * time.Second
	ctx, cancel := context.WithCancel(u.ctx)
	p.cancel = cancel
	u.background(func(context.Context) {
		take, err := u.deps.Practice.Record(ctx, p.run.Session().ID, q)
		u.do(func() {
			if ctx.Err() != nil {
				if take != nil {
					take.Cancel()
				}
				return
			}
			if err != nil {
				u.showNotice("warning", "Recording could not start, so type your answer: "+explain(err))
				p.showTyping()
				return
			}
			p.take, p.recording = take, true
			p.status.SetText("Recording… answer as you would in the interview. Press Space or “Done answering” when you have finished.")
			p.doneBtn.Enable()
			u.onSpace = p.stop
			p.timer.SetText("0:00")
		})
		if err != nil {
			return
		}
		// The live transcript is not shown in an interview (nothing
		// between questions), but it must be read.
		u.background(func(context.Context) {
			for range take.Partial() {
			}
		})
		// Closing the window discards the recording in progress.
		ended := make(chan struct{})
		defer close(ended)
		u.background(func(context.Context) {
			select {
			case <-ended:
			case <-ctx.Done():
				u.do(func() {
					if p.take == take && p.recording {
						p.take, p.recording = nil, false
						take.Cancel()
					}
				})
			}
		})
		for l := range take.Levels() {
			u.do(func() {
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
		u.do(func() {
			if p.take == take && p.recording {
				p.stop()
			}
		})
	})
}

// showTyping takes a typed answer when recording is not possible.
func (p *interviewScreen) showTyping() {
	u := p.u
	box := u.newMultiLineEntry()
	box.SetPlaceHolder("Type your answer")
	box.Wrapping = fyne.TextWrapWord
	box.SetMinRowsVisible(6)
	started := time.Now()
	var submit *widget.Button
	submit = widget.NewButtonWithIcon("Submit answer", theme.ConfirmIcon(), func() {
		submit.Disable()
		q, text := p.question(), box.Text
		u.background(func(ctx context.Context) {
			r, err := u.deps.Practice.SubmitTyped(ctx, p.run.Session().ID, q, text, time.Since(started))
			u.do(func() {
				if err != nil {
					submit.Enable()
					u.fail(err)
					return
				}
				p.answered(r)
			})
		})
	})
	submit.Importance = widget.HighImportance
	p.status.SetText("Type your answer, then submit it.")
	p.area.Objects = []fyne.CanvasObject{box, container.NewHBox(submit)}
	p.area.Refresh()
}

// stop ends the recording and saves the answer, showing no feedback.
func (p *interviewScreen) stop() {
	u := p.u
	if !p.recording || p.take == nil {
		return
	}
	take := p.take
	p.recording = false
	u.onSpace = nil
	p.doneBtn.Disable()
	p.meter.SetValue(0)
	p.status.SetText("Saving your answer…")
	u.background(func(ctx context.Context) {
		r, err := take.Stop(ctx)
		u.do(func() {
			if p.take != take {
				return
			}
			p.take = nil
			if err != nil && r.Attempt.ID == 0 {
				u.fail(err)
				p.status.SetText("The answer could not be saved. Type it instead, or end the interview.")
				p.showTyping()
				return
			}
			if err != nil {
				u.showNotice("warning", explain(err))
			}
			if r.Pending && u.deps.Pending != nil {
				u.deps.Pending.Recount()
			}
			p.answered(r)
		})
	})
}

// answered hands the saved answer to the interview, which decides on a
// follow-up, and moves on.
func (p *interviewScreen) answered(r Result) {
	u := p.u
	i, followUp := p.idx, p.followUp
	p.status.SetText("Answer saved.")
	p.area.Objects = nil
	p.area.Refresh()
	u.background(func(ctx context.Context) {
		var next string
		var err error
		if followUp {
			err = p.run.FollowUpAnswered(ctx, i, r)
		} else {
			next, err = p.run.MainAnswered(ctx, i, r)
		}
		u.do(func() {
			if u.interview != p {
				return
			}
			if err != nil {
				u.fail(err)
			}
			if next != "" {
				p.followUp, p.asked = true, next
				p.ask()
				return
			}
			p.followUp = false
			p.idx++
			if p.idx >= p.run.Len() {
				p.finish()
				return
			}
			p.ask()
		})
	})
}

// end finishes the interview before the last question; what was answered
// is reported, the rest is marked unanswered.
func (p *interviewScreen) end() {
	p.leave()
	p.finish()
}

// finish closes the interview and shows the report.
func (p *interviewScreen) finish() {
	u := p.u
	if p.ending {
		return
	}
	p.ending = true
	p.endBtn.Disable()
	p.doneBtn.Disable()
	p.status.SetText("The interview is over. Preparing the report…")
	u.background(func(ctx context.Context) {
		rep, err := p.run.Finish(ctx)
		u.do(func() {
			if err != nil {
				p.ending = false
				p.endBtn.Enable()
				u.fail(err)
				return
			}
			u.showInterviewReport(rep)
		})
	})
}
