package ui

import (
	"fmt"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

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
