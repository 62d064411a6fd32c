package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Export formats of the interview report.
const (
	reportMarkdown = "Markdown"
	reportJSON     = "JSON"
)

// showInterviewReport is the end of an interview: the one or two changes
// with the biggest expected effect first, each pointing to its evidence;
// then the totals, what changed since the last interview, and every
// exchange with its transcripts, time against the target, checklist and
// flags. It describes the answers, never the person, and has no score.
func (u *UI) showInterviewReport(r *interview.Report) {
	objs := []fyne.CanvasObject{para(reportSummary(r))}

	objs = append(objs, subheading("The biggest changes"))
	if len(r.TopChanges) == 0 {
		objs = append(objs, para("Nothing stands out: no suggestion applies to more than one answer."))
	}
	for i, c := range r.TopChanges {
		objs = append(objs, bold(fmt.Sprintf("%d. %s", i+1, c.Advice)))
		if c.Why != "" {
			objs = append(objs, para(c.Why))
		}
		for _, ev := range c.Evidence {
			objs = append(objs, para(fmt.Sprintf("   Answer %d: %s", ev.Exchange, evidenceLine(ev))))
		}
	}

	objs = append(objs, subheading("Since the last interview"))
	if r.SinceLast == nil {
		objs = append(objs, para("This is your first interview: the next one will show what changed."))
	} else {
		s := r.SinceLast
		objs = append(objs, para(fmt.Sprintf("Compared with “%s” (%s):", s.PreviousTitle, fmtDate(s.PreviousAt))))
		for _, c := range s.Changes {
			objs = append(objs, para(fmt.Sprintf("   %s: %s → %s %s (%s)", c.What, trimFloat(c.Before), trimFloat(c.Now), c.Unit, c.Direction)))
		}
	}

	for _, e := range r.Exchanges {
		objs = append(objs, widget.NewSeparator(), exchangeView(e))
	}
	for _, c := range r.Caveats {
		objs = append(objs, para("Note: "+c))
	}
	objs = append(objs, widget.NewSeparator(), u.reportExport(r))
	u.show("interview-report", page("Interview report: "+r.Title, objs...), true)
}

// openInterviewReport shows the report of a stored interview (from its
// History page).
func (u *UI) openInterviewReport(id int64) {
	u.background(func(ctx context.Context) {
		rep, err := u.deps.Interviews.InterviewReport(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showInterviewReport(rep)
		})
	})
}

// reportSummary is the report's first line.
func reportSummary(r *interview.Report) string {
	t := r.Totals
	s := fmt.Sprintf("%d of %d questions answered · follow-up questions: %d asked, %d answered · %d of %d answers within their time target",
		t.Answered, t.Questions, t.FollowUpsAsked, t.FollowUpsAnswered, t.WithinTarget, t.Answered)
	if t.ChecksCounted > 0 {
		s += fmt.Sprintf(" · checks met: %d of %d", t.ChecksMet, t.ChecksCounted)
	}
	if t.Pending > 0 {
		s += fmt.Sprintf(" · %d waiting for transcription", t.Pending)
	}
	return s
}

func evidenceLine(ev interview.EvidenceRef) string {
	if ev.Quote != "" {
		return ev.Quote + " — " + ev.Flag
	}
	return ev.Flag
}

var bandWords = map[string]string{
	"short": "far too short", "below_target": "a little short", "target": "within the target",
	"above_target": "a little long", "long": "far too long",
}

// timeLine is the time an exchange used against its target.
func timeLine(t interview.TimeUse) string {
	s := fmt.Sprintf("Time: %.0f s against a target of %.0f–%.0f s", t.UsedS, t.TargetLowS, t.TargetHighS)
	if t.FollowUpS > 0 {
		s += fmt.Sprintf(" (%.0f s + %.0f s follow-up)", t.MainS, t.FollowUpS)
	}
	if w := bandWords[t.Band]; w != "" {
		s += ": " + w
	}
	if t.OverLimit {
		s += fmt.Sprintf("; the answer ran past the %d s timer", t.LimitS)
	}
	return s
}

// exchangeView is one question: the answers, the follow-up, time,
// checklist and flags.
func exchangeView(e interview.Exchange) fyne.CanvasObject {
	objs := []fyne.CanvasObject{bold(fmt.Sprintf("%d. %s  (%s)", e.Number, e.Question, e.Type))}
	part := func(p *interview.AnswerPart) {
		switch {
		case p == nil:
			objs = append(objs, para("Not answered."))
		case p.Status != string(rehearse.StatusAnalyzed) && strings.TrimSpace(p.Transcript) == "":
			objs = append(objs, para(fmt.Sprintf("Answer (%.0f s) saved; it will be transcribed when a speech model is available.", p.DurationS)))
		default:
			objs = append(objs, para(fmt.Sprintf("Answer (%.0f s): “%s”", p.DurationS, strings.TrimSpace(p.Transcript))))
		}
	}
	if e.Status == interview.StatusUnanswered {
		objs = append(objs, para("Not answered: the interview ended before this question."))
		return container.NewVBox(objs...)
	}
	part(e.Main)
	if f := e.FollowUp; f != nil {
		objs = append(objs, bold("Follow-up: "+f.Question))
		if f.Reason != "" {
			why := para("Asked because " + f.Reason)
			why.TextStyle = fyne.TextStyle{Italic: true}
			objs = append(objs, why)
		}
		part(f.Answer)
	}
	if e.Status == interview.StatusPending {
		return container.NewVBox(objs...)
	}
	objs = append(objs, para(timeLine(e.Time)))
	if e.Checklist != "" {
		objs = append(objs, para("Checklist: "+e.Checklist))
	}
	for _, c := range e.Checks {
		m := "✗"
		if c.Pass {
			m = "✓"
		}
		objs = append(objs, para(fmt.Sprintf("   %s %s — %s", m, c.Label, c.Reason)))
	}
	for _, f := range e.Flags {
		s := "Flag: " + f.Text
		if len(f.Evidence) > 0 {
			s += " Evidence: " + strings.Join(f.Evidence, "; ")
		}
		objs = append(objs, para(s))
	}
	return container.NewVBox(objs...)
}

// reportExport saves the report as Markdown or JSON.
func (u *UI) reportExport(r *interview.Report) fyne.CanvasObject {
	home, _ := os.UserHomeDir()
	path := widget.NewEntry()
	format := widget.NewRadioGroup([]string{reportMarkdown, reportJSON}, nil)
	format.Horizontal = true
	name := func(f string) string {
		ext := ".md"
		if f == reportJSON {
			ext = ".json"
		}
		return filepath.Join(home, fmt.Sprintf("rehearse-interview-%d%s", r.SessionID, ext))
	}
	format.OnChanged = func(f string) { path.SetText(name(f)) }
	format.SetSelected(reportMarkdown)
	msg := para("")
	save := widget.NewButtonWithIcon("Export the report", theme.DocumentSaveIcon(), func() {
		p, f := strings.TrimSpace(path.Text), format.Selected
		u.background(func(ctx context.Context) {
			err := writeReport(p, f, r)
			u.do(func() {
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				msg.SetText("Saved to " + p + ". It is not encrypted: keep it somewhere private.")
			})
		})
	})
	return container.NewVBox(subheading("Export"),
		para("The report is also part of every export of your sessions (Privacy › Export)."),
		format, container.NewBorder(nil, nil, nil, u.chooseSavePath(path), path),
		container.NewHBox(save), msg)
}

// writeReport writes the report to path in the chosen format, replacing the
// file only once the whole report is written.
func writeReport(path, format string, r *interview.Report) error {
	if path == "" {
		return fmt.Errorf("choose where to save the report")
	}
	var b bytes.Buffer
	var err error
	if format == reportJSON {
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = interview.WriteMarkdown(&b, r, 1)
	}
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := atomicfile.WriteBytes(path, b.Bytes()); err != nil {
		return fmt.Errorf("save the report to %q: %w", path, err)
	}
	return nil
}
