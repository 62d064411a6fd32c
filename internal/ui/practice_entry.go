package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
)

// maxTypedWords is the longest typed answer analysed; a spoken answer of
// three minutes is about 400 words.
const maxTypedWords = 3000

// wrapLimit is the length (words) above which the answer box stops
// wrapping lines, which Fyne does in time quadratic in the text length.
const wrapLimit = 1500

// showTyping shows the typed-answer box; attemptID > 0 edits a transcript.
func (p *practiceScreen) showTyping(text string, attemptID int64) {
	p.cancelTick()
	entry := newAnswerEntry(p.u)
	entry.SetMinRowsVisible(8)
	entry.setLongText(text)
	entry.SetPlaceHolder("Type your answer as you would say it.")
	count := widget.NewLabel("")
	secs := p.u.newEntry()
	secs.SetPlaceHolder("auto")
	update := func(s string) {
		n := len(strings.Fields(s))
		note := ""
		entry.fitWrapping(n)
		if entry.Wrapping == fyne.TextWrapOff {
			note = "  ·  line wrapping is off while the text is this long"
		}
		count.SetText(fmt.Sprintf("%d words  ·  about %s to say at %d words per minute%s", n, clock(time.Duration(feedback.EstimatedSpeakingS(n)*float64(time.Second))), feedback.TypedWPM, note))
	}
	entry.OnChanged = update
	update(text)
	msg := para("")
	title := "Type your answer"
	action := "Analyse answer (Ctrl+Enter)"
	if attemptID > 0 {
		title = "Correct the transcript, then analyse it again"
		action = "Re-analyse (Ctrl+Enter)"
	}
	var submit *widget.Button
	submit = widget.NewButtonWithIcon(action, theme.ConfirmIcon(), func() {
		words := len(strings.Fields(entry.Text))
		switch {
		case words == 0:
			msg.SetText("The answer is empty: type something first. Nothing was saved.")
			return
		case words > maxTypedWords:
			msg.SetText(fmt.Sprintf("This answer has %d words. Spoken interview answers are usually under 400 words (about three minutes); "+
				"please shorten it to %d words or fewer to analyse it. Your text stays in the box.", words, maxTypedWords))
			return
		}
		// Without a speaking time the service estimates one for the
		// length; pace then stays unknown.
		var dur time.Duration
		if v, err := strconv.ParseFloat(strings.TrimSpace(secs.Text), 64); err == nil && v > 0 {
			dur = time.Duration(v * float64(time.Second))
		}
		submit.Disable()
		msg.SetText("Analysing…")
		txt := entry.Text
		q := p.current()
		p.u.background(func(ctx context.Context) {
			var r Result
			var err error
			if attemptID > 0 {
				r, err = p.u.deps.Practice.Reanalyze(ctx, attemptID, txt)
			} else {
				r, err = p.u.deps.Practice.SubmitTyped(ctx, p.session.ID, q, txt, dur)
			}
			p.u.do(func() {
				submit.Enable()
				if err != nil {
					msg.SetText(explain(err) + " Your text stays in the box.")
					return
				}
				if attemptID > 0 {
					p.replace(r)
				} else {
					p.add(r)
				}
			})
		})
	})
	submit.Importance = widget.HighImportance
	cancel := widget.NewButton("Back", func() {
		if p.shown != nil {
			p.showResult(*p.shown)
		} else {
			p.showIdle()
		}
	})
	objs := []fyne.CanvasObject{bold(title), entry, count}
	if attemptID == 0 {
		objs = append(objs, container.NewHBox(widget.NewLabel("Speaking time in seconds (optional):"), container.NewGridWrap(fyne.NewSize(90, 36), secs)))
	}
	objs = append(objs, container.NewHBox(submit, cancel), msg)
	p.setArea(objs...)
	p.u.onSubmit = func() {
		if !submit.Disabled() {
			submit.OnTapped()
		}
	}
	// The box takes the focus once the key that opened it is done with:
	// pressing Space on "Type an answer instead" would otherwise type its
	// space into the box too.
	p.u.background(func(context.Context) {
		p.u.do(func() {
			if p.u.practice == p && len(p.area.Objects) > 1 && p.area.Objects[1] == entry {
				p.u.win.Canvas().Focus(entry)
			}
		})
	})
}

// answerEntry is the typed-answer box. Fyne wraps lines in time that grows
// with the square of the text, so a very long text (a pasted essay) is
// shown with wrapping off; the switch happens before the text goes in.
type answerEntry struct {
	textBox
}

func newAnswerEntry(u *UI) *answerEntry {
	e := &answerEntry{textBox: textBox{u: u}}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *answerEntry) fitWrapping(words int) {
	switch {
	case words > wrapLimit && e.Wrapping != fyne.TextWrapOff:
		e.Wrapping = fyne.TextWrapOff
		e.Refresh()
	case words < wrapLimit*4/5 && e.Wrapping == fyne.TextWrapOff:
		e.Wrapping = fyne.TextWrapWord
		e.Refresh()
	}
}

// setLongText sets the text, turning wrapping off first when it is long.
func (e *answerEntry) setLongText(s string) {
	e.fitWrapping(len(strings.Fields(s)))
	e.SetText(s)
}

// TypedShortcut turns wrapping off before a long paste.
func (e *answerEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		e.fitWrapping(len(strings.Fields(e.Text)) + len(strings.Fields(p.Clipboard.Content())))
	}
	e.textBox.TypedShortcut(s)
}
