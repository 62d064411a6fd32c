package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// marked lists the words drawn in colour c.
func marked(segs []widget.RichTextSegment, c fyne.ThemeColorName) []string {
	var out []string
	for _, s := range segs {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Style.ColorName == c {
			out = append(out, strings.TrimSpace(ts.Text))
		}
	}
	return out
}

// TestTranscriptOfStoredAnalysisBeforeKinds: an answer analysed and stored
// before evidence carried its kind still shows its fillers and hedges.
func TestTranscriptOfStoredAnalysisBeforeKinds(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "stored", "behavioral_text-before-kinds.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fb feedback.Result
	if err := json.Unmarshal(b, &fb); err != nil {
		t.Fatal(err)
	}
	tr := rehearse.Transcript{Text: "So, um, last spring our checkout API was timing out for, like, one in twenty requests. My job was to find the cause before the sale. I pulled the traces, I found a slow query and I added an index, which cut p99 latency by 60%. We shipped it two days early. I think I learned to measure first."}
	segs := highlight(feedback.Words(tr), fb.Evidence, nil)
	if got := strings.Join(marked(segs, colorFiller), "|"); got != "So, um,|like," {
		t.Errorf("fillers drawn: %q", got)
	}
	if got := strings.Join(marked(segs, colorHedge), "|"); got != "I think" {
		t.Errorf("hedges drawn: %q", got)
	}
}

// TestTranscriptDrawsSpans: evidence is drawn exactly over its span, also
// where the same word occurs nearby, and a span the transcript does not
// have is left out rather than guessed.
func TestTranscriptDrawsSpans(t *testing.T) {
	words := feedback.Words(rehearse.Transcript{Text: "like I said, I like it, like"})
	one, two := 1.0, 2.5
	ev := []feedback.Evidence{
		{Kind: feedback.KindFiller, Text: "like", Span: feedback.Span{First: 4, Last: 4}},
		{Kind: feedback.KindHedge, Text: "something", Span: feedback.Span{First: 9, Last: 10}},
		{Kind: feedback.KindPause, Text: "1.5 s pause", Span: feedback.Span{First: 2, Last: 2, Start: &one, End: &two}},
		{Kind: feedback.KindStarComponent, Text: "I like it", Span: feedback.Span{First: 3, Last: 5}},
	}
	segs := highlight(words, ev, nil)
	if got := strings.Join(marked(segs, colorFiller), "|"); got != "like" {
		t.Errorf("fillers drawn: %q", got)
	}
	var text strings.Builder
	for _, s := range segs {
		text.WriteString(s.(*widget.TextSegment).Text)
	}
	if want := "like I said, ⏸ 1.5 s I like it, like "; text.String() != want {
		t.Errorf("text %q, want %q", text.String(), want)
	}
	if got := marked(segs, colorHedge); len(got) != 0 {
		t.Errorf("a span past the end was drawn: %q", got)
	}
	sel := highlight(words, ev, map[int]bool{3: true})
	if got := strings.Join(marked(sel, colorSelected), "|"); got != "I like it," {
		t.Errorf("selected star evidence drawn: %q", got)
	}
}
