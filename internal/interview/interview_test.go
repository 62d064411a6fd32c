package interview

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// newService returns a practice service on a real encrypted store in a
// temporary folder.
func newService(t *testing.T) *practice.Service {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	st, err := sqlcipher.Open(context.Background(), filepath.Join(t.TempDir(), "rehearse.db"), key, sqlcipher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := practice.New(practice.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

var chosen = []rehearse.Question{
	{ID: "beh-problem", Text: "Tell me about a time you solved a difficult technical problem.", Type: rehearse.Behavioral},
	{ID: "beh-process", Text: "Tell me about a time you improved a process.", Type: rehearse.Behavioral},
	{ID: "mot-why", Text: "Why do you want to work here?", Type: rehearse.Motivation},
}

const (
	noOutcome = `Last spring our checkout page kept timing out during the holiday sale, and customers were complaining. I was asked to find the cause. I profiled the slowest queries, I rewrote the query that scanned the whole orders table, and I added an index on the order date.`
	outcome   = `The timeouts stopped, and checkout errors fell by 80 percent during the next sale.`
	weOnly    = `Last year our team was missing every release deadline because code reviews piled up. We needed to fix it. We set up a review rota, we wrote a checklist for reviewers, and we moved the stand-up earlier. As a result, review time dropped from four days to one day.`
	whyUs     = `I want to work here because your team builds accessibility tools that millions of people use. I have spent two years making our own product usable with screen readers, and I want to do that work full time, with people who care about it as much as I do.`
)

// runInterview answers the three questions: the first follow-up is
// answered, the second is not, the third question needs none.
func runInterview(t *testing.T, svc *practice.Service, title string) *Interview {
	t.Helper()
	ctx := context.Background()
	iv, err := Start(ctx, svc, Plan{Chosen: chosen, Title: title, Settings: rehearse.SessionSettings{AnswerSeconds: 120}})
	if err != nil {
		t.Fatal(err)
	}
	step, err := iv.SubmitMainText(ctx, 0, noOutcome, 70)
	if err != nil {
		t.Fatal(err)
	}
	if step.FollowUp == nil || step.FollowUp.Rule != "followup.result" || step.FollowUp.Text != "What was the outcome?" {
		t.Fatalf("follow-up after an answer without an outcome: %+v", step.FollowUp)
	}
	if _, err := iv.SubmitFollowUpText(ctx, 0, outcome, 8); err != nil {
		t.Fatal(err)
	}
	step, err = iv.SubmitMainText(ctx, 1, weOnly, 70)
	if err != nil {
		t.Fatal(err)
	}
	if step.FollowUp == nil || step.FollowUp.Rule != "followup.own_part" {
		t.Fatalf("follow-up after a we-only answer: %+v", step.FollowUp)
	}
	step, err = iv.SubmitMainText(ctx, 2, whyUs, 40)
	if err != nil {
		t.Fatal(err)
	}
	if step.FollowUp != nil {
		t.Fatalf("a motivation answer in its band got a follow-up: %+v", step.FollowUp)
	}
	return iv
}

func TestInterviewExchangesAndReport(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	iv := runInterview(t, svc, "Backend interview")

	// No retakes, no follow-up answer before the main one or without a
	// follow-up.
	if _, err := iv.SubmitMainText(ctx, 0, "again", 5); !errors.Is(err, ErrAnswered) {
		t.Errorf("second main answer: %v", err)
	}
	if _, err := iv.SubmitFollowUpText(ctx, 2, "more", 5); !errors.Is(err, ErrNoFollowUp) {
		t.Errorf("follow-up answer without a follow-up: %v", err)
	}

	rep, err := iv.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The session is stored as an interview with the follow-ups asked.
	rec, err := svc.SessionRecord(ctx, iv.SessionID())
	if err != nil {
		t.Fatal(err)
	}
	sess, atts := &rec.Session, rec.Attempts
	if !IsInterview(sess) || sess.FinishedAt == nil || len(sess.Settings.FollowUps) != 2 ||
		!slices.Equal(sess.Settings.QuestionIDs, []string{"beh-problem", "beh-process", "mot-why"}) {
		t.Fatalf("stored session: %+v", sess)
	}
	if len(atts) != 4 || atts[1].QuestionID != rehearse.FollowUpQuestionID("beh-problem") || atts[1].QuestionText != "What was the outcome?" {
		t.Fatalf("stored answers: %+v", atts)
	}

	// The follow-up completes the story: the exchange has a quantified
	// result although the main answer alone had none.
	m, _ := practice.MetricsOf(&atts[0])
	e := rep.Exchanges[0]
	if m.Star.Result || e.Star == nil || !e.Star.Result || e.QuantifiedResults < 1 {
		t.Fatalf("main answer result %v; exchange %+v", m.Star.Result, e.Star)
	}
	for _, f := range e.Flags {
		if strings.HasPrefix(f.ID, "star.result") || f.ID == "quantified.missing" {
			t.Errorf("exchange 1 still flags %s after the follow-up gave the outcome", f.ID)
		}
	}
	if e.Time.UsedS != 78 || e.Time.MainS != 70 || e.Time.FollowUpS != 8 || e.Time.Band != "target" {
		t.Errorf("exchange 1 time: %+v", e.Time)
	}
	// The unanswered follow-up stays unanswered and the flag stays.
	e = rep.Exchanges[1]
	if e.FollowUp == nil || e.FollowUp.Answer != nil || !slices.ContainsFunc(e.Flags, func(f Flag) bool { return f.ID == "ownership.we" }) {
		t.Errorf("exchange 2: %+v", e)
	}
	if rep.Totals.FollowUpsAsked != 2 || rep.Totals.FollowUpsAnswered != 1 || rep.Totals.Answered != 3 {
		t.Errorf("totals: %+v", rep.Totals)
	}
	if rep.SinceLast != nil {
		t.Errorf("a first interview compares with %+v", rep.SinceLast)
	}
	if len(rep.TopChanges) == 0 || len(rep.TopChanges) > 2 {
		t.Fatalf("top changes: %+v", rep.TopChanges)
	}
	for _, c := range rep.TopChanges {
		if len(c.Evidence) == 0 || len(c.Answers) == 0 || c.Advice == "" {
			t.Errorf("top change without evidence: %+v", c)
		}
	}
	// The typed answers come with speaking times far slower than speech
	// (about 40 words a minute), so pace changes all three; then the one
	// answer that tells no step of the speaker's own.
	if rep.TopChanges[0].ID != "pace.slow" || !slices.Equal(rep.TopChanges[0].Answers, []int{1, 2, 3}) || len(rep.TopChanges) != 2 ||
		rep.TopChanges[1].ID != "star.action.missing" || !slices.Equal(rep.TopChanges[1].Answers, []int{2}) {
		t.Errorf("top changes: %+v", rep.TopChanges)
	}

	// Reopened from the store, the interview is the same.
	again, err := Open(ctx, svc, iv.SessionID())
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := again.FollowUp(1); !ok || f.Rule != "followup.own_part" || again.Next() != 3 {
		t.Errorf("reopened: follow-up %+v %v, next %d", f, ok, again.Next())
	}
	golden(t, "report.json", rep)
	var md bytes.Buffer
	if err := WriteMarkdown(&md, normalised(rep), 2); err != nil {
		t.Fatal(err)
	}
	goldenBytes(t, "report.md", md.Bytes())
}

func TestSecondInterviewComparesWithFirst(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	first := runInterview(t, svc, "First")
	if _, err := first.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	// A practice session in between is not an interview.
	if _, err := svc.StartSession(ctx, "Practice", "", rehearse.SessionSettings{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // sessions are ordered by their start
	second, err := Start(ctx, svc, Plan{Chosen: chosen[1:2], Title: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	own := `Last year our team was missing every release deadline because code reviews piled up. I was responsible for the release process, so I needed to fix it. I set up a review rota and I wrote a checklist for reviewers. As a result, review time dropped from four days to one day and we shipped the next three releases on time.`
	step, err := second.SubmitMainText(ctx, 0, own, 80)
	if err != nil {
		t.Fatal(err)
	}
	if step.FollowUp != nil {
		t.Fatalf("a complete answer got a follow-up: %+v", step.FollowUp)
	}
	rep, err := second.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SinceLast == nil || rep.SinceLast.PreviousSessionID != first.SessionID() {
		t.Fatalf("since last: %+v", rep.SinceLast)
	}
	dir := map[string]string{}
	for _, c := range rep.SinceLast.Changes {
		dir[c.What] = c.Direction
	}
	if dir["answers needing a follow-up"] != "better" || dir["checklist items met"] != "better" {
		t.Errorf("changes: %+v", rep.SinceLast.Changes)
	}
	var out bytes.Buffer
	if err := WriteText(&out, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Since your last interview (First") {
		t.Errorf("text report:\n%s", out.String())
	}
}

func TestPracticeSessionIsNoInterview(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	sess, err := svc.StartSession(ctx, "Practice", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildReport(ctx, svc, sess.ID); !errors.Is(err, ErrNotInterview) {
		t.Errorf("report of a practice session: %v", err)
	}
}

// normalised replaces what differs between runs (times) and releases (the
// rulebook's version) with fixed values.
func normalised(r *Report) *Report {
	c := *r
	c.RulebookVersion = "VERSION"
	c.StartedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if c.FinishedAt != nil {
		f := c.StartedAt.Add(10 * time.Minute)
		c.FinishedAt = &f
	}
	return &c
}

func golden(t *testing.T, name string, r *Report) {
	t.Helper()
	data, err := json.MarshalIndent(normalised(r), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	goldenBytes(t, name, append(data, '\n'))
}

func goldenBytes(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}
