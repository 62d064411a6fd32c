package interview

import (
	"context"
	"fmt"
	"io"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/interview/report"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// The report's types live in package report, which reads records only, so
// that exports can build it too; they are the interview's report types.
type (
	Report       = report.Report
	Exchange     = report.Exchange
	AnswerPart   = report.AnswerPart
	FollowUpPart = report.FollowUpPart
	TimeUse      = report.TimeUse
	Flag         = report.Flag
	Check        = report.Check
	Totals       = report.Totals
	Comparison   = report.Comparison
	Change       = report.Change
	TopChange    = report.TopChange
	EvidenceRef  = report.EvidenceRef
)

// Exchange states.
const (
	StatusAnswered   = report.StatusAnswered
	StatusPending    = report.StatusPending
	StatusUnanswered = report.StatusUnanswered
)

// WriteText prints the report for a terminal.
func WriteText(w io.Writer, r *Report) error { return report.WriteText(w, r) }

// WriteMarkdown writes the report as a Markdown section; level is the
// heading level of its title.
func WriteMarkdown(w io.Writer, r *Report, level int) error { return report.WriteMarkdown(w, r, level) }

// BuildReport reads a stored interview and reports on it with the current
// rulebook (the user's rule changes applied), comparing it with the
// interview run before it.
func BuildReport(ctx context.Context, svc *practice.Service, sessionID int64) (*Report, error) {
	iv, err := Open(ctx, svc, sessionID)
	if err != nil {
		return nil, err
	}
	rb, err := svc.Rulebook(ctx)
	if err != nil {
		return nil, err
	}
	var before *report.Layout
	if prev, err := svc.PreviousInterview(ctx, iv.Session()); err != nil {
		return nil, err
	} else if prev != nil {
		piv, err := Open(ctx, svc, prev.ID)
		if err != nil {
			return nil, fmt.Errorf("the previous interview: %w", err)
		}
		l := piv.layout()
		before = &l
	}
	return report.Build(iv.layout(), before, rb), nil
}

// ReportFor reports on the interview recs[i] with rulebook rb, compared
// with the latest interview in recs before it; ok is false when recs[i] is
// not an interview.
func ReportFor(recs []rehearse.SessionRecord, i int, rb *feedback.Rulebook) (*Report, bool) {
	return report.ForRecords(recs, i, rb)
}
