package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/rehearse-app/rehearse/internal/printable"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// WriteText prints the report for a terminal.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	t := r.Totals
	fmt.Fprintf(bw, "Interview report: %s\n", line(r.Title))
	fmt.Fprintf(bw, "%d questions, %d answered", t.Questions, t.Answered)
	if t.Pending > 0 {
		fmt.Fprintf(bw, ", %d waiting for transcription", t.Pending)
	}
	fmt.Fprintf(bw, "; %d follow-up questions asked, %d answered.\n", t.FollowUpsAsked, t.FollowUpsAnswered)
	for _, e := range r.Exchanges {
		fmt.Fprintf(bw, "\n%d. %s (%s)\n", e.Number, line(e.Question), e.Type)
		if e.Main == nil {
			fmt.Fprintln(bw, "   Not answered.")
			continue
		}
		fmt.Fprintf(bw, "   Answer (%s): %s\n", seconds(e.Main.DurationS), answerText(e.Main))
		if f := e.FollowUp; f != nil {
			fmt.Fprintf(bw, "   Follow-up: %s\n", line(f.Question))
			fmt.Fprintf(bw, "     asked because %s\n", line(f.Reason))
			if f.Answer != nil {
				fmt.Fprintf(bw, "   Answer (%s): %s\n", seconds(f.Answer.DurationS), answerText(f.Answer))
			} else {
				fmt.Fprintln(bw, "   (the follow-up was not answered)")
			}
		}
		fmt.Fprintf(bw, "   Time: %s\n", timeText(e.Time))
		if e.Status != StatusAnswered {
			fmt.Fprintln(bw, "   Waits for transcription; the analysis follows once it is transcribed.")
			continue
		}
		fmt.Fprintf(bw, "   STAR: %s\n", starText(e))
		fmt.Fprintf(bw, "   Checklist: %s\n", line(e.Checklist))
		for _, c := range e.Checks {
			fmt.Fprintf(bw, "     %s %s — %s\n", mark(c.Pass), line(c.Label), line(c.Reason))
		}
		for _, f := range e.Flags {
			fmt.Fprintf(bw, "   Flag: %s\n", line(f.Text))
		}
	}
	writeComparisonText(bw, r)
	if len(r.TopChanges) > 0 {
		fmt.Fprint(bw, "\nThe changes with the biggest expected effect:\n")
		for i, c := range r.TopChanges {
			fmt.Fprintf(bw, "%d. %s\n   %s\n", i+1, line(c.Advice), line(c.Why))
			for _, ev := range c.Evidence {
				fmt.Fprintf(bw, "   - answer %d: %s\n", ev.Exchange, line(evidenceText(ev)))
			}
		}
	}
	for _, c := range r.Caveats {
		fmt.Fprintf(bw, "\nNote: %s", line(c))
	}
	if len(r.Caveats) > 0 {
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func writeComparisonText(bw *bufio.Writer, r *Report) {
	if r.SinceLast == nil {
		fmt.Fprint(bw, "\nThis is your first interview: the next one will show what changed.\n")
		return
	}
	s := r.SinceLast
	fmt.Fprintf(bw, "\nSince your last interview (%s, %s):\n", line(s.PreviousTitle), s.PreviousAt.Local().Format("2 Jan 2006"))
	for _, c := range s.Changes {
		fmt.Fprintf(bw, "   %s: %s → %s %s (%s)\n", c.What, num(c.Before), num(c.Now), c.Unit, c.Direction)
	}
}

// WriteMarkdown writes the report as a Markdown section; level is the
// heading level of its title (2 for "## ...").
func WriteMarkdown(w io.Writer, r *Report, level int) error {
	bw := bufio.NewWriter(w)
	h := strings.Repeat("#", max(1, level))
	t := r.Totals
	fmt.Fprintf(bw, "%s Interview report: %s\n\n", h, line(r.Title))
	fmt.Fprintf(bw, "- Date: %s\n", r.StartedAt.Local().Format("2006-01-02 15:04"))
	fmt.Fprintf(bw, "- Questions: %d, answered %d", t.Questions, t.Answered)
	if t.Pending > 0 {
		fmt.Fprintf(bw, ", waiting for transcription %d", t.Pending)
	}
	fmt.Fprintf(bw, "\n- Follow-up questions: %d asked, %d answered\n", t.FollowUpsAsked, t.FollowUpsAnswered)
	fmt.Fprintf(bw, "- Rulebook: %s\n", r.RulebookVersion)
	for _, e := range r.Exchanges {
		fmt.Fprintf(bw, "\n%s# %d. %s\n\n", h, e.Number, line(e.Question))
		fmt.Fprintf(bw, "*%s*\n", e.Type)
		if e.Main == nil {
			fmt.Fprint(bw, "\nNot answered.\n")
			continue
		}
		fmt.Fprintf(bw, "\n**Answer** (%s)\n\n%s\n", seconds(e.Main.DurationS), quote(e.Main.Transcript))
		if f := e.FollowUp; f != nil {
			fmt.Fprintf(bw, "\n**Follow-up:** %s  \n*Asked because %s.*\n", line(f.Question), line(f.Reason))
			if f.Answer != nil {
				fmt.Fprintf(bw, "\n**Answer** (%s)\n\n%s\n", seconds(f.Answer.DurationS), quote(f.Answer.Transcript))
			} else {
				fmt.Fprint(bw, "\n*Not answered.*\n")
			}
		}
		fmt.Fprintf(bw, "\n- Time: %s\n", timeText(e.Time))
		if e.Status != StatusAnswered {
			fmt.Fprint(bw, "- Waits for transcription.\n")
			continue
		}
		fmt.Fprintf(bw, "- STAR: %s\n", starText(e))
		fmt.Fprintf(bw, "- Checklist: %s\n", line(e.Checklist))
		for _, c := range e.Checks {
			fmt.Fprintf(bw, "  - %s %s — %s\n", mark(c.Pass), line(c.Label), line(c.Reason))
		}
		for _, f := range e.Flags {
			fmt.Fprintf(bw, "- Flag: %s\n", line(f.Text))
		}
	}
	fmt.Fprintf(bw, "\n%s# Since the last interview\n\n", h)
	if r.SinceLast == nil {
		fmt.Fprint(bw, "This is the first interview.\n")
	} else {
		s := r.SinceLast
		fmt.Fprintf(bw, "Compared with %s (%s):\n\n", line(s.PreviousTitle), s.PreviousAt.Local().Format("2006-01-02"))
		for _, c := range s.Changes {
			fmt.Fprintf(bw, "- %s: %s → %s %s (%s)\n", c.What, num(c.Before), num(c.Now), c.Unit, c.Direction)
		}
	}
	if len(r.TopChanges) > 0 {
		fmt.Fprintf(bw, "\n%s# The changes with the biggest expected effect\n\n", h)
		for i, c := range r.TopChanges {
			fmt.Fprintf(bw, "%d. **%s** %s\n", i+1, line(c.Advice), line(c.Why))
			for _, ev := range c.Evidence {
				fmt.Fprintf(bw, "   - Answer %d: %s\n", ev.Exchange, line(evidenceText(ev)))
			}
		}
	}
	if len(r.Caveats) > 0 {
		fmt.Fprintln(bw)
		for _, c := range r.Caveats {
			fmt.Fprintf(bw, "*%s*\n", line(c))
		}
	}
	return bw.Flush()
}

func line(s string) string { return printable.Line(strings.Join(strings.Fields(s), " ")) }

func quote(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString("> " + printable.Line(l) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func answerText(p *AnswerPart) string {
	if strings.TrimSpace(p.Transcript) == "" {
		return "(not transcribed yet)"
	}
	return line(p.Transcript)
}

func seconds(s float64) string { return fmt.Sprintf("%.0f s", s) }

func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".")
}

func mark(pass bool) string {
	if pass {
		return "✓"
	}
	return "✗"
}

var bandWords = map[string]string{
	"short": "far too short", "below_target": "a little short", "target": "within the target",
	"above_target": "a little long", "long": "far too long",
}

func timeText(t TimeUse) string {
	s := fmt.Sprintf("%s against a target of %s–%s", seconds(t.UsedS), num(t.TargetLowS), seconds(t.TargetHighS))
	if t.FollowUpS > 0 {
		s += fmt.Sprintf(" (%s + %s follow-up)", seconds(t.MainS), seconds(t.FollowUpS))
	}
	if w := bandWords[t.Band]; w != "" {
		s += ": " + w
	}
	if t.OverLimit {
		s += fmt.Sprintf("; the answer ran past the %d s timer", t.LimitS)
	}
	return s
}

func starText(e Exchange) string {
	if e.Star == nil {
		return "not scored"
	}
	if e.Type != rehearse.Behavioral && e.Type != rehearse.Situational {
		return "not scored for " + string(e.Type) + " answers"
	}
	if !e.Star.Episode {
		return "no specific past event, not scored"
	}
	parts := []string{}
	for _, p := range []struct {
		name string
		ok   bool
	}{{"situation", e.Star.Situation}, {"task", e.Star.Task}, {"action", e.Star.Action}, {"result", e.Star.Result}} {
		parts = append(parts, mark(p.ok)+" "+p.name)
	}
	return fmt.Sprintf("%s; numbers in the result: %d", strings.Join(parts, ", "), e.QuantifiedResults)
}

func evidenceText(ev EvidenceRef) string {
	if ev.Quote != "" {
		return ev.Quote + " — " + ev.Flag
	}
	return ev.Flag
}
