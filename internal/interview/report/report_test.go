package report

import (
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// timed makes a spoken transcript: one word every 0.4 s from start.
func timed(text string, start float64) rehearse.Transcript {
	tr := rehearse.Transcript{Text: text, Timed: true, Source: "whisper:test"}
	t := start
	for _, w := range strings.Fields(text) {
		tr.Words = append(tr.Words, rehearse.Word{Text: w, Start: t, End: t + 0.3, P: 0.9})
		t += 0.4
	}
	tr.DurationS = t
	return tr
}

func record(main, follow rehearse.Transcript, extra ...rehearse.Attempt) rehearse.SessionRecord {
	t0 := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	q := "Tell me about a time you solved a difficult technical problem."
	atts := []rehearse.Attempt{{ID: 1, QuestionID: "q1", QuestionText: q, QuestionType: rehearse.Behavioral, Number: 1,
		Status: rehearse.StatusAnalyzed, DurationS: main.DurationS, Transcript: main, LatencyKnown: true}}
	if follow.Text != "" {
		atts = append(atts, rehearse.Attempt{ID: 2, QuestionID: rehearse.FollowUpQuestionID("q1"), QuestionText: "What was the outcome?",
			QuestionType: rehearse.Behavioral, Number: 1, Status: rehearse.StatusAnalyzed, DurationS: follow.DurationS, Transcript: follow})
	}
	atts = append(atts, extra...)
	return rehearse.SessionRecord{Session: rehearse.Session{ID: 1, Title: "I", CreatedAt: t0, Settings: rehearse.SessionSettings{
		Mode: rehearse.ModeInterview, QuestionIDs: []string{"q1", "q2"},
		FollowUps: []rehearse.FollowUpAsked{{QuestionID: "q1", Rule: "followup.result", Text: "What was the outcome?"}}}}, Attempts: atts}
}

const (
	steps   = "Last spring our checkout page kept timing out during the holiday sale, and customers were complaining. I was asked to find the cause. I profiled the slowest queries, I rewrote the query that scanned the whole orders table, and I added an index on the order date."
	outcome = "The timeouts stopped, and checkout errors fell by 80 percent during the next sale."
)

// TestTimedFollowUpContinuesTheAnswer: a spoken follow-up answer is
// analysed on one clock with the main answer, so the interviewer's question
// in between is no pause of the speaker, and its outcome completes STAR.
func TestTimedFollowUpContinuesTheAnswer(t *testing.T) {
	rb := feedback.DefaultRulebook()
	// The follow-up's own clock starts at 0 with a 2.5 s latency.
	rep := Build(LayoutOf(record(timed(steps, 0.8), timed(outcome, 2.5)), nil), nil, rb)
	e := rep.Exchanges[0]
	if e.Status != StatusAnswered || e.Star == nil || !e.Star.Result || e.QuantifiedResults != 1 {
		t.Fatalf("exchange: %+v star %+v", e, e.Star)
	}
	m := e.Result.Metrics
	if e.Result.Mode != "timed" || m.Pauses == nil || m.Pauses.Long != 0 || m.LatencyS == nil || *m.LatencyS != 0.8 {
		t.Errorf("timed metrics of the exchange: mode %s pauses %+v latency %v", e.Result.Mode, m.Pauses, m.LatencyS)
	}
	// Without the follow-up answer the outcome is missing.
	rep = Build(LayoutOf(record(timed(steps, 0.8), rehearse.Transcript{}), nil), nil, rb)
	if e := rep.Exchanges[0]; e.Star.Result || e.FollowUp == nil || e.FollowUp.Answer != nil || e.FollowUp.Reason == "" {
		t.Errorf("without the follow-up answer: star %+v follow-up %+v", e.Star, e.FollowUp)
	}
	// The second question was never answered.
	if e := rep.Exchanges[1]; e.Status != StatusUnanswered || e.Main != nil || rep.Totals.Answered != 1 {
		t.Errorf("unanswered question: %+v", e)
	}
}

func TestLayoutOf(t *testing.T) {
	pending := rehearse.Attempt{ID: 3, QuestionID: "q2", QuestionText: "Why us?", QuestionType: rehearse.Motivation, Number: 1,
		Status: rehearse.StatusPendingTranscription, DurationS: 30}
	stray := rehearse.Attempt{ID: 4, QuestionID: rehearse.FollowUpQuestionID("elsewhere"), QuestionText: "?", QuestionType: rehearse.Behavioral,
		Number: 1, Status: rehearse.StatusAnalyzed, Transcript: rehearse.Transcript{Text: "x"}}
	l := LayoutOf(record(timed(steps, 0), timed(outcome, 0), pending, stray), nil)
	if len(l.Questions) != 2 || l.Questions[1].Text != "Why us?" || l.Main[1] == nil || l.Main[1].ID != 3 || l.Follow[1] != nil || l.Asked[1] != nil || l.Follow[0] == nil {
		t.Fatalf("layout: %+v", l)
	}
	rep := Build(l, nil, feedback.DefaultRulebook())
	if e := rep.Exchanges[1]; e.Status != StatusPending || rep.Totals.Pending != 1 || len(rep.Caveats) != 2 {
		t.Errorf("pending answer: %+v, caveats %q", e, rep.Caveats)
	}
}

func TestCompareDirections(t *testing.T) {
	fr := func(v float64) *float64 { return &v }
	before := Totals{Questions: 4, Answered: 4, FollowUpsAsked: 3, WithinTarget: 1, StoryAnswers: 2, StarParts: 4, Quantified: 0, ChecksMet: 10, ChecksCounted: 20, FillerRate: fr(4), HedgeRate: 2}
	now := Totals{Questions: 4, Answered: 4, FollowUpsAsked: 1, WithinTarget: 1, StoryAnswers: 2, StarParts: 8, Quantified: 1, ChecksMet: 15, ChecksCounted: 20, FillerRate: fr(5), HedgeRate: 2}
	got := map[string]string{}
	for _, c := range compare(before, now) {
		got[c.What] = c.Direction
	}
	want := map[string]string{
		"STAR parts per story answer": "better", "story answers with a number in the result": "better",
		"answers needing a follow-up": "better", "answers within the target time": "same", "checklist items met": "better",
		"filler rate": "worse", "hedge rate": "same",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}

// TestTextEscapesStoredText: a transcript that holds terminal control
// characters (an imported file can) is printed escaped.
func TestTextEscapesStoredText(t *testing.T) {
	rec := record(rehearse.Transcript{Text: steps + " \x1b[2J We \x1b]0;owned\x07 did it.", DurationS: 70}, rehearse.Transcript{})
	rep := Build(LayoutOf(rec, nil), nil, feedback.DefaultRulebook())
	for name, write := range map[string]func(*strings.Builder) error{
		"text":     func(b *strings.Builder) error { return WriteText(b, rep) },
		"markdown": func(b *strings.Builder) error { return WriteMarkdown(b, rep, 2) },
	} {
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x1b\x07") {
			t.Errorf("%s report prints control characters: %q", name, b.String())
		}
	}
}

// TestAnswerTimeIsTheSpeechSpan: the report times an answer as every other
// screen does, by the speech span its analysis measured, not by the length
// of the recording around it (silence before and after included).
func TestAnswerTimeIsTheSpeechSpan(t *testing.T) {
	rb := feedback.DefaultRulebook()
	main := timed(steps, 0.8)
	rec := record(main, rehearse.Transcript{})
	a := &rec.Attempts[0]
	a.DurationS, a.Transcript.DurationS = 166, 166 // a long recording, mostly silence
	res := feedback.Analyze(feedback.InputFor(a, nil), rb)
	a.Analysis = res.JSON()
	span := res.Metrics.AnswerSeconds(a.DurationS)
	if span >= 60 {
		t.Fatalf("speech span %.1f s: the test needs an answer far shorter than its recording", span)
	}
	e := Build(LayoutOf(rec, nil), nil, rb).Exchanges[0]
	if e.Main == nil || e.Main.DurationS != round1(span) || e.Time.MainS != round1(span) {
		t.Fatalf("answer time: part %+v, time %+v; want %.1f s (the speech span), not the 166 s recording", e.Main, e.Time, span)
	}
}
