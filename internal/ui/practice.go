package ui

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// maxTypedWords is the longest typed answer analysed; a spoken answer of
// three minutes is about 400 words.
const maxTypedWords = 3000

// wrapLimit is the length (words) above which the answer box stops
// wrapping lines, which Fyne does in time quadratic in the text length.
const wrapLimit = 1500

// typedWPM estimates how long a typed answer would take to say.
const typedWPM = 130

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
	s := int(d.Round(time.Second) / time.Second)
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
		count.SetText(fmt.Sprintf("%d words  ·  about %s to say at %d words per minute%s", n, clock(time.Duration(n)*time.Minute/typedWPM), typedWPM, note))
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
		dur := time.Duration(words) * time.Minute / typedWPM
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

// showResult shows one answer: highlighted transcript, suggestions with
// their evidence, strengths, caveats and a comparison with earlier tries.
func (p *practiceScreen) showResult(r Result) {
	p.shown = &r
	p.selected = nil
	p.retakeBtn.Enable()
	objs := []fyne.CanvasObject{}
	a := r.Attempt
	edit := widget.NewButtonWithIcon("Edit transcript & re-analyse", theme.DocumentCreateIcon(), func() {
		p.showTyping(a.Effective().Text, a.ID)
	})
	if r.Pending {
		note := r.Note
		if note == "" {
			note = "Your answer is saved and will be transcribed when a speech model is available."
		}
		objs = append(objs, bold(fmt.Sprintf("Attempt %d saved (%s)", a.Number, clock(time.Duration(a.DurationS*float64(time.Second))))),
			para(note), container.NewHBox(widget.NewButton("Type this answer instead", func() { p.showTyping("", 0) })))
		p.setArea(objs...)
		return
	}
	fb := r.Feedback
	if fb == nil {
		fb = &feedback.Result{}
	}
	p.transcript = widget.NewRichText()
	p.transcript.Wrapping = fyne.TextWrapWord
	p.renderTranscript()
	src := "typed"
	if t := a.Effective(); t.Source != "" {
		src = t.Source
	}
	objs = append(objs,
		container.NewBorder(nil, nil, subheading(fmt.Sprintf("Attempt %d", a.Number)), edit, widget.NewLabel("("+src+")")),
		p.transcript, legend(),
		metricsLine(fb.Metrics))
	if len(fb.Suggestions) > 0 {
		objs = append(objs, subheading("Suggestions"))
	}
	for i, s := range fb.Suggestions {
		s := s
		show := widget.NewButtonWithIcon("Show evidence", theme.SearchIcon(), func() { p.selectSuggestion(s) })
		if s.Threshold != "" {
			s.Text += " (" + s.Threshold + ")"
		}
		show.Importance = widget.LowImportance
		if len(s.EvidenceRefs) == 0 {
			show.Hide()
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, show, para(fmt.Sprintf("%d. %s", i+1, s.Text))))
	}
	if len(fb.Strengths) > 0 {
		objs = append(objs, subheading("Strengths"))
		for _, s := range fb.Strengths {
			objs = append(objs, para("✓ "+s))
		}
	}
	if r.Note != "" {
		objs = append(objs, para(r.Note))
	}
	for _, c := range fb.Caveats {
		l := para("Note: " + c)
		l.TextStyle = fyne.TextStyle{Italic: true}
		objs = append(objs, l)
	}
	if rs := p.results[qkey(p.current())]; len(rs) > 1 {
		objs = append(objs, subheading("Your attempts side by side"), compareAttempts(rs))
	}
	p.setArea(objs...)
}

// selectSuggestion highlights a suggestion's evidence and, when the
// recording was kept, plays that moment.
func (p *practiceScreen) selectSuggestion(s feedback.Suggestion) {
	p.selected = map[int]bool{}
	for _, i := range s.EvidenceRefs {
		p.selected[i] = true
	}
	p.renderTranscript()
	r := p.shown
	if r == nil || !r.Attempt.HasAudio || r.Feedback == nil || len(s.EvidenceRefs) == 0 {
		return
	}
	ev := r.Feedback.Evidence
	first := s.EvidenceRefs[0]
	if first < 0 || first >= len(ev) {
		return
	}
	if ev[first].Start == nil {
		return
	}
	from := math.Max(0, *ev[first].Start-0.5)
	id := r.Attempt.ID
	p.u.background(func(ctx context.Context) {
		if err := p.u.deps.Practice.Play(ctx, id, from); err != nil {
			p.u.do(func() { p.u.fail(err) })
		}
	})
}

func (p *practiceScreen) renderTranscript() {
	if p.shown == nil || p.transcript == nil {
		return
	}
	var ev []feedback.Evidence
	if p.shown.Feedback != nil {
		ev = p.shown.Feedback.Evidence
	}
	p.transcript.Segments = highlight(p.shown.Attempt.Effective(), ev, p.selected)
	p.transcript.Refresh()
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

// token is one word of a transcript with the space after it.
type token struct{ word, space string }

// tokens splits a transcript the way feedback evidence indexes it: the
// timed words of a spoken answer, or the whitespace-separated tokens of
// typed text.
func tokens(t rehearse.Transcript) []token {
	if t.Timed && len(t.Words) > 0 {
		out := make([]token, 0, len(t.Words))
		for _, w := range t.Words {
			if s := strings.TrimSpace(w.Text); s != "" {
				out = append(out, token{s, " "})
			} else {
				out = append(out, token{"", ""})
			}
		}
		return out
	}
	var out []token
	for _, f := range strings.Fields(t.Text) {
		out = append(out, token{f, " "})
	}
	return out
}

func norm(s string) string {
	return strings.ToLower(strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }))
}

// locate finds the token where evidence e starts: its WordIndex when the
// word matches, otherwise the nearest matching token; -1 if none.
func locate(toks []token, e feedback.Evidence) int {
	want := ""
	if f := strings.Fields(e.Text); len(f) > 0 && evidenceKind(e) != "pause" {
		want = norm(f[0])
	}
	match := func(i int) bool {
		return i >= 0 && i < len(toks) && (want == "" || want == "…" || norm(toks[i].word) == want)
	}
	for d := 0; d <= 3; d++ {
		if match(e.WordIndex + d) {
			return e.WordIndex + d
		}
		if match(e.WordIndex - d) {
			return e.WordIndex - d
		}
	}
	return -1
}

// highlight turns a transcript into rich-text segments with fillers, hedges
// and long pauses coloured in place; selected evidence (any metric) stands
// out in its own colour.
func highlight(t rehearse.Transcript, ev []feedback.Evidence, selected map[int]bool) []widget.RichTextSegment {
	toks := tokens(t)
	kind := make([]fyne.ThemeColorName, len(toks))
	pauses := map[int]string{}
	for i, e := range ev {
		at := locate(toks, e)
		if at < 0 {
			continue
		}
		k := evidenceKind(e)
		if k == "pause" {
			if e.Start != nil && e.End != nil {
				pauses[at] = fmt.Sprintf(" ⏸ %.1f s", *e.End-*e.Start)
			}
			continue
		}
		c := fyne.ThemeColorName("")
		switch k {
		case "filler":
			c = colorFiller
		case "hedge":
			c = colorHedge
		}
		if selected[i] {
			c = colorSelected
		}
		if c == "" {
			continue
		}
		last := at + max(e.LastIndex-e.WordIndex, 0)
		for j := at; j <= last && j < len(toks); j++ {
			kind[j] = c
		}
	}
	var segs []widget.RichTextSegment
	var buf strings.Builder
	cur := fyne.ThemeColorName("")
	flush := func() {
		if buf.Len() == 0 {
			return
		}
		st := widget.RichTextStyleInline
		if cur != "" {
			st.ColorName = cur
			st.TextStyle = fyne.TextStyle{Bold: true}
		}
		segs = append(segs, &widget.TextSegment{Text: buf.String(), Style: st})
		buf.Reset()
	}
	for i, t := range toks {
		if kind[i] != cur {
			flush()
			cur = kind[i]
		}
		buf.WriteString(t.word)
		if p, ok := pauses[i]; ok {
			flush()
			segs = append(segs, &widget.TextSegment{Text: p, Style: widget.RichTextStyle{Inline: true, ColorName: colorPause, TextStyle: fyne.TextStyle{Italic: true}}})
		}
		buf.WriteString(t.space)
	}
	flush()
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "(no words)", Style: widget.RichTextStyleInline})
	}
	return segs
}

func legend() fyne.CanvasObject {
	item := func(c fyne.ThemeColorName, s string) fyne.CanvasObject {
		t := canvas.NewText("■ "+s, theme.Color(c))
		t.TextSize = 12
		return t
	}
	return container.NewHBox(item(colorFiller, "filler"), item(colorHedge, "hedge"), item(colorPause, "long pause"), item(colorSelected, "selected evidence"))
}

func metricsLine(m feedback.Metrics) fyne.CanvasObject {
	pace := "—"
	if m.SpeakingRateWPM != nil {
		pace = fmt.Sprintf("%.0f wpm", *m.SpeakingRateWPM)
	}
	fill := fmtRate(m.FillerRate)
	l := widget.NewLabel(fmt.Sprintf("%d words  ·  fillers %s /100 words  ·  hedges %.1f /100 words  ·  pace %s  ·  STAR %d/4  ·  length: %s",
		m.WordCount, fill, m.HedgeRate, pace, starCount(m.Star), bandText(m.LengthBand)))
	l.Wrapping = fyne.TextWrapWord
	return l
}

func bandText(b string) string {
	switch b {
	case "target":
		return "on target"
	case "below_target":
		return "a little short"
	case "above_target":
		return "a little long"
	case "":
		return "—"
	}
	return b
}

// compareAttempts lays out attempts of one question in columns.
func compareAttempts(rs []Result) fyne.CanvasObject {
	cells := []fyne.CanvasObject{widget.NewLabel("")}
	for _, r := range rs {
		cells = append(cells, bold(fmt.Sprintf("Attempt %d", r.Attempt.Number)))
	}
	row := func(name string, f func(feedback.Metrics) string) {
		cells = append(cells, widget.NewLabel(name))
		for _, r := range rs {
			v := "pending"
			if r.Feedback != nil {
				v = f(r.Feedback.Metrics)
			}
			cells = append(cells, widget.NewLabel(v))
		}
	}
	row("Words", func(m feedback.Metrics) string { return strconv.Itoa(m.WordCount) })
	row("Fillers /100", func(m feedback.Metrics) string { return fmtRate(m.FillerRate) })
	row("Hedges /100", func(m feedback.Metrics) string { return fmt.Sprintf("%.1f", m.HedgeRate) })
	row("Pace", func(m feedback.Metrics) string {
		if m.SpeakingRateWPM == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f wpm", *m.SpeakingRateWPM)
	})
	row("STAR", func(m feedback.Metrics) string { return fmt.Sprintf("%d/4", starCount(m.Star)) })
	row("Length", func(m feedback.Metrics) string { return bandText(m.LengthBand) })
	return container.NewGridWithColumns(len(rs)+1, cells...)
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
