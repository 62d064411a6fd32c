package practice

import (
	"context"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestProgressLeavesOutFollowUpAnswers: the answer to an interview's
// follow-up question completes its exchange; on the progress charts it is
// not an answer of its own.
func TestProgressLeavesOutFollowUpAnswers(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, err := s.StartSession(ctx, "Interview", "", rehearse.SessionSettings{Mode: rehearse.ModeInterview})
	if err != nil {
		t.Fatal(err)
	}
	main, err := s.SubmitText(ctx, sess.ID, conflictQ, goodAnswer, 75)
	if err != nil {
		t.Fatal(err)
	}
	fq := rehearse.Question{ID: rehearse.FollowUpQuestionID(conflictQ.ID), Text: "What was your own part in that?", Type: conflictQ.Type}
	if _, err := s.SubmitText(ctx, sess.ID, fq, "I wrote the checklist.", 5); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFollowUp(ctx, sess.ID, rehearse.FollowUpAsked{QuestionID: conflictQ.ID, Rule: "followup.own_part", Text: fq.Text}); err != nil {
		t.Fatal(err)
	}
	pts, err := s.Progress(ctx, sess.CreatedAt.Add(-1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 1 || pts[0].AttemptID != main.Attempt.ID {
		t.Fatalf("progress points %+v, want only the main answer %d", pts, main.Attempt.ID)
	}
	rec, err := s.SessionRecord(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Attempts) != 2 || len(rec.Session.Settings.FollowUps) != 1 || rec.Session.Settings.Mode != rehearse.ModeInterview {
		t.Errorf("session record: %+v", rec)
	}
	if prev, err := s.PreviousInterview(ctx, rec.Session); err != nil || prev != nil {
		t.Errorf("previous interview of the first: %v %v", prev, err)
	}
}
