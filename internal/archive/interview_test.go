package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// interviewRecord is an interview of one question whose follow-up asked for
// the outcome and got it.
func interviewRecord() rehearse.SessionRecord {
	t0 := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	q := "Tell me about a time you solved a difficult technical problem."
	main := rehearse.Attempt{ID: 1, SessionID: 1, QuestionID: "beh-x", QuestionText: q, QuestionType: rehearse.Behavioral,
		Number: 1, Status: rehearse.StatusAnalyzed, StartedAt: t0, DurationS: 70, CreatedAt: t0,
		Transcript: rehearse.Transcript{Text: "Last spring our checkout page kept timing out during the holiday sale. I was asked to find the cause. I profiled the slowest queries and I added an index on the order date.", DurationS: 70, Source: "typed"}}
	follow := rehearse.Attempt{ID: 2, SessionID: 1, QuestionID: rehearse.FollowUpQuestionID("beh-x"), QuestionText: "What was the outcome?",
		QuestionType: rehearse.Behavioral, Number: 1, Status: rehearse.StatusAnalyzed, StartedAt: t0.Add(time.Minute), DurationS: 8, CreatedAt: t0.Add(time.Minute),
		Transcript: rehearse.Transcript{Text: "The timeouts stopped, and checkout errors fell by 80 percent.", DurationS: 8, Source: "typed"}}
	return rehearse.SessionRecord{
		Session: rehearse.Session{ID: 1, Title: "Interview", CreatedAt: t0, UpdatedAt: t0, Settings: rehearse.SessionSettings{
			Mode: rehearse.ModeInterview, QuestionIDs: []string{"beh-x"},
			FollowUps: []rehearse.FollowUpAsked{{QuestionID: "beh-x", Rule: "followup.result", Text: "What was the outcome?"}}}},
		Attempts: []rehearse.Attempt{main, follow},
	}
}

func TestInterviewExport(t *testing.T) {
	recs := []rehearse.SessionRecord{interviewRecord()}
	var js bytes.Buffer
	if err := WriteJSON(context.Background(), &js, recs, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sessions []struct {
			Report *struct {
				Exchanges []struct {
					FollowUp struct {
						Question string `json:"question"`
						Answer   *struct {
							Transcript string `json:"transcript"`
						} `json:"answer"`
					} `json:"follow_up"`
					Star struct {
						Result bool `json:"result"`
					} `json:"star"`
				} `json:"exchanges"`
			} `json:"interview_report"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	rep := doc.Sessions[0].Report
	if rep == nil || len(rep.Exchanges) != 1 || rep.Exchanges[0].FollowUp.Question != "What was the outcome?" ||
		rep.Exchanges[0].FollowUp.Answer == nil || !rep.Exchanges[0].Star.Result {
		t.Fatalf("interview report in the export: %+v\n%s", rep, js.String())
	}
	// The export is read back: the report is derived and ignored, the
	// session keeps its mode and follow-ups.
	back, err := ReadJSON(bytes.NewReader(js.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if s := back[0].Session.Settings; s.Mode != rehearse.ModeInterview || len(s.FollowUps) != 1 || len(back[0].Attempts) != 2 {
		t.Fatalf("read back: %+v", back[0])
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, recs, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### Interview report: Interview", "**Follow-up:** What was the outcome?", "fell by 80 percent", "✓ result"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown export lacks %q:\n%s", want, md.String())
		}
	}
}
