package feedback

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteText renders a result for people: metrics, suggestions (each with
// its rule, threshold and quoted words), mentions, strengths, the
// checklist, and caveats.
func WriteText(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	m := &r.Metrics
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("Answer (%s, %s mode) — rulebook %s", r.QuestionType, r.Mode, r.RulebookVersion)
	if r.OverridesHash != "" {
		p(", overrides %s", r.OverridesHash)
	}
	p("\n\n")
	p("Metrics\n")
	p("  words: %d (lexical %d)", m.WordCount, m.LexicalWords)
	if m.SpeechSpanS != nil {
		p(", speech span %.1f s, length %s", *m.SpeechSpanS, strings.ReplaceAll(m.LengthBand, "_", " "))
	} else {
		p(", length unknown")
	}
	p("\n")
	if m.FillerTotal != nil {
		if *m.FillerTotal == 0 {
			p("  fillers: none detected")
		} else {
			p("  fillers: at least %d (%.1f per 100 words)%s", *m.FillerTotal, *m.FillerRate, keyList(m.Fillers, FillerKeys))
		}
		p("\n")
	} else {
		p("  fillers: switched off\n")
	}
	if m.HedgeTotal == 0 {
		p("  hedges: none detected\n")
	} else {
		p("  hedges: %d (%.1f per 100 words)%s\n", m.HedgeTotal, m.HedgeRate, keyList(m.Hedges, HedgeKeys))
	}
	if m.SpeakingRateWPM != nil {
		p("  pace: %.0f words per minute", *m.SpeakingRateWPM)
		if m.ArticulationRateWPM != nil {
			p(" (articulation %.0f)", *m.ArticulationRateWPM)
		}
		p("\n")
	}
	if m.Pauses != nil {
		p("  pauses: %d long, %d very long, %d mid-sentence, longest %.1f s\n", m.Pauses.Long, m.Pauses.VeryLong, m.Pauses.MidSentenceLong, m.Pauses.MaxS)
	}
	if m.LatencyS != nil {
		p("  time before first word: %.1f s\n", *m.LatencyS)
	}
	s := m.Star
	p("  STAR: situation %s, task %s, action %s, result %s", yn(s.Situation), yn(s.Task), yn(s.Action), yn(s.Result))
	if !s.Episode {
		p(" (%s)", noEpisodeText)
	}
	if s.Reflection {
		p(", reflection yes")
	}
	p("\n")
	p("  quantified results: %d\n", m.QuantifiedResults)
	p("  I: %d, we: %d (we share %.2f)\n", m.ICount, m.WeCount, m.WeShare)
	if len(m.OverusedWords) > 0 {
		var ws []string
		for _, o := range m.OverusedWords {
			ws = append(ws, fmt.Sprintf("%s ×%d", o.Word, o.Count))
		}
		p("  often-used words: %s\n", strings.Join(ws, ", "))
	}
	if r.JobCover != nil {
		p("  job terms used: %d of %d", len(r.JobCover.Covered), len(r.JobCover.Terms))
		if len(r.JobCover.Covered) > 0 {
			p(" (%s)", strings.Join(r.JobCover.Covered, ", "))
		}
		p("\n")
	}
	if len(r.Suggestions) > 0 {
		p("\nSuggestions\n")
		for _, sg := range r.Suggestions {
			p("  %d. %s\n     suggested when: %s (rule %s)\n", sg.Priority, sg.Text, sg.Threshold, sg.Rule)
			if sg.EvidenceNote != "" {
				p("     evidence: %s\n", sg.EvidenceNote)
			}
			for _, ref := range sg.EvidenceRefs {
				if ref >= 0 && ref < len(r.Evidence) {
					e := r.Evidence[ref]
					p("     - “%s”%s\n", e.Text, when(e))
				}
			}
		}
	}
	if len(r.Mentions) > 0 {
		p("\nAlso noted\n")
		for _, mn := range r.Mentions {
			p("  - %s (rule %s, %s)\n", mn.Text, mn.Rule, mn.Threshold)
		}
	}
	p("\nStrengths\n")
	for _, st := range r.Strengths {
		p("  + %s\n", st)
	}
	if len(r.Checks) > 0 {
		p("\nChecklist: %s\n", r.Checklist)
		for _, c := range r.Checks {
			mark := "[x]"
			if !c.Pass {
				mark = "[ ]"
			}
			extra := ""
			if !c.Counted {
				extra = " (not counted in the total)"
			}
			p("  %s %s — %s%s\n", mark, c.Label, c.Reason, extra)
		}
	}
	if len(r.Caveats) > 0 {
		p("\nCaveats\n")
		for _, c := range r.Caveats {
			p("  * %s\n", c)
		}
	}
	return b.Flush()
}

func when(e Evidence) string {
	if e.Start == nil || e.End == nil {
		return ""
	}
	return fmt.Sprintf(" at %.1f–%.1f s", *e.Start, *e.End)
}

func yn(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func keyList(m map[string]int, order []string) string {
	var parts []string
	for _, k := range order {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}
