package ui

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
)

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
		container.NewBorder(nil, nil, subheading(fmt.Sprintf("Attempt %d  ·  %s", a.Number, clock(answerLength(r)))), edit, widget.NewLabel("("+src+")")),
		p.transcript, legend(),
		metricsLine(fb.Metrics))
	if len(fb.Suggestions) > 0 {
		objs = append(objs, subheading("Suggestions"))
	}
	notes := make([]*widget.Label, len(fb.Suggestions))
	for i, s := range fb.Suggestions {
		notes[i] = para("")
		notes[i].TextStyle = fyne.TextStyle{Italic: true}
		notes[i].Hide()
		note := notes[i]
		reveal := func(text string) {
			for _, n := range notes {
				n.Hide()
			}
			note.SetText(text)
			note.Show()
		}
		show := widget.NewButtonWithIcon("Show evidence", theme.SearchIcon(), func() {
			p.selectSuggestion(s)
			reveal(evidenceNote(s, fb.Evidence))
		})
		show.Importance = widget.LowImportance
		if len(s.EvidenceRefs) == 0 {
			show.Hide()
		}
		why := widget.NewButtonWithIcon("Why?", theme.QuestionIcon(), func() { reveal(whyNote(s)) })
		why.Importance = widget.LowImportance
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewHBox(show, why), para(fmt.Sprintf("%d. %s", i+1, s.Text))), note)
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

// answerLength is how long an answer lasted, the figure its feedback
// uses: the speech span when known, otherwise the recording's length.
func answerLength(r Result) time.Duration {
	s := r.Attempt.DurationS
	if r.Feedback != nil {
		s = r.Feedback.Metrics.AnswerSeconds(s)
	}
	return time.Duration(s * float64(time.Second))
}

// evidenceNote says why the words a suggestion marks are its evidence:
// the suggestion's own note with the cues that decided (STAR parts,
// numbers), or for feedback stored before suggestions had notes, what each
// marked item is.
func evidenceNote(s feedback.Suggestion, ev []feedback.Evidence) string {
	var whys, cues []string
	seen := map[string]bool{}
	for _, i := range s.EvidenceRefs {
		if i < 0 || i >= len(ev) {
			continue
		}
		if w := ev[i].Why(); w != "" && !seen[w] && len(whys) < 3 {
			seen[w] = true
			whys = append(whys, w)
		}
		if c := ev[i].Reason; c != "" && !seen[c] && len(cues) < 3 {
			seen[c] = true
			cues = append(cues, c)
		}
	}
	switch {
	case s.EvidenceNote != "" && len(cues) > 0:
		return "Marked in the transcript: " + s.EvidenceNote + " Decided by: " + strings.Join(cues, "; ") + "."
	case s.EvidenceNote != "":
		return "Marked in the transcript: " + s.EvidenceNote
	case len(whys) > 0:
		return "Marked in the transcript: " + strings.Join(whys, " ")
	}
	return ""
}

// whyNote is the rule behind a suggestion: when it is made, in words, and
// the rule's id as listed under How feedback works and in the rulebook.
func whyNote(s feedback.Suggestion) string {
	var b strings.Builder
	if s.Threshold != "" {
		b.WriteString("Suggested when: " + s.Threshold + ". ")
	}
	if s.Rule != "" {
		b.WriteString("Rule “" + s.Rule + "”: you can read it under How feedback works and change it in Settings › Rulebook.")
	}
	return strings.TrimSpace(b.String())
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
		m.WordCount, fill, m.HedgeRate, pace, m.Star.Components, bandText(m.LengthBand)))
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
	row("STAR", func(m feedback.Metrics) string { return fmt.Sprintf("%d/4", m.Star.Components) })
	cells = append(cells, widget.NewLabel("Length"))
	for _, r := range rs {
		v := clock(answerLength(r))
		if r.Feedback != nil {
			v += ", " + bandText(r.Feedback.Metrics.LengthBand)
		}
		cells = append(cells, widget.NewLabel(v))
	}
	return container.NewGridWithColumns(len(rs)+1, cells...)
}
