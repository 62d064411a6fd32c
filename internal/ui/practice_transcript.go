package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
)

func (p *practiceScreen) renderTranscript() {
	if p.shown == nil || p.transcript == nil {
		return
	}
	var ev []feedback.Evidence
	if p.shown.Feedback != nil {
		ev = p.shown.Feedback.Evidence
	}
	p.transcript.Segments = highlight(feedback.Words(p.shown.Attempt.Effective()), ev, p.selected)
	p.transcript.Refresh()
}

// highlight turns a transcript's words into rich-text segments with
// fillers, hedges and long pauses coloured where their spans are; selected
// evidence (of any kind) stands out in its own colour.
func highlight(words []string, ev []feedback.Evidence, selected map[int]bool) []widget.RichTextSegment {
	color := make([]fyne.ThemeColorName, len(words))
	pauses := map[int]string{}
	for i, e := range ev {
		if e.First < 0 || e.Last < e.First || e.Last >= len(words) {
			continue // a span this transcript does not have
		}
		if e.Kind == feedback.KindPause {
			if e.Start != nil && e.End != nil {
				pauses[e.Last] = fmt.Sprintf(" ⏸ %.1f s", *e.End-*e.Start)
			}
			continue
		}
		c := fyne.ThemeColorName("")
		switch e.Kind {
		case feedback.KindFiller:
			c = colorFiller
		case feedback.KindHedge:
			c = colorHedge
		}
		if selected[i] {
			c = colorSelected
		}
		if c == "" {
			continue
		}
		for j := e.First; j <= e.Last; j++ {
			color[j] = c
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
	for i, w := range words {
		if color[i] != cur {
			flush()
			cur = color[i]
		}
		buf.WriteString(w)
		if p, ok := pauses[i]; ok {
			flush()
			segs = append(segs, &widget.TextSegment{Text: p, Style: widget.RichTextStyle{Inline: true, ColorName: colorPause, TextStyle: fyne.TextStyle{Italic: true}}})
		}
		if w != "" {
			buf.WriteString(" ")
		}
	}
	flush()
	if len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: "(no words)", Style: widget.RichTextStyleInline})
	}
	return segs
}
