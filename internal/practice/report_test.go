package practice

import (
	"context"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestSessionStarShare: a session's STAR share counts only the answers
// STAR applies to; a situational answer that tells no past episode is not
// a behavioural answer with no parts.
func TestSessionStarShare(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	situational := rehearse.Question{ID: "sit-test", Text: "What would you do if a customer asked for something you cannot give?", Type: rehearse.Situational}
	const plan = "I would listen first and ask what they need it for. Then I would explain what I can offer instead, and I would follow up by email the same day."
	for _, a := range []struct {
		q    rehearse.Question
		text string
	}{{conflictQ, goodAnswer}, {situational, plan}, {conflictQ, goodAnswer}, {situational, plan}, {situational, plan}} {
		if _, err := s.SubmitText(ctx, sess.ID, a.q, a.text, 80); err != nil {
			t.Fatal(err)
		}
	}
	pts, err := s.Progress(ctx, time.Time{})
	if err != nil || len(pts) != 5 {
		t.Fatalf("progress = %d points, %v", len(pts), err)
	}
	for _, p := range pts {
		if p.QuestionType == rehearse.Behavioral && (p.StarParts != 4 || !p.StarScored) {
			t.Fatalf("behavioural answer: %+v, want 4 STAR parts, scored", p)
		}
		if p.QuestionType == rehearse.Situational && p.StarScored {
			t.Errorf("a situational plan is scored for STAR: %+v", p)
		}
	}
	got := BySession(pts)
	if len(got) != 1 {
		t.Fatalf("%d sessions", len(got))
	}
	if got[0].STARShare != 1 {
		t.Errorf("STAR share = %.2f, want 1 (both behavioural answers have all four parts)", got[0].STARShare)
	}
}
