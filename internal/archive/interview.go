package archive

import (
	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/interview/report"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// interviewReport is the end-of-interview report of recs[i] for an export,
// or nil when recs[i] is a practice session. It is rebuilt from the
// session's answers with the built-in rulebook, compared with the latest
// interview before it in recs; an import ignores it (the answers and the
// follow-ups asked, kept in the session's settings, are the record).
func interviewReport(recs []rehearse.SessionRecord, i int) *report.Report {
	r, ok := report.ForRecords(recs, i, feedback.DefaultRulebook())
	if !ok {
		return nil
	}
	return r
}
