package interview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/interview/report"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// MaxQuestions bounds the length of one interview.
const MaxQuestions = 20

// Errors of the interview flow, checked with errors.Is.
var (
	// ErrNotInterview: the session was not run as an interview.
	ErrNotInterview = errors.New("this session is a practice session, not an interview")
	// ErrAnswered: the question already has its answer (an interview has no
	// retakes).
	ErrAnswered = errors.New("this question has already been answered in the interview")
	// ErrNoFollowUp: no follow-up was asked for the question.
	ErrNoFollowUp = errors.New("no follow-up question was asked for this question")
	// ErrNotAnswered: the main answer must come before its follow-up.
	ErrNotAnswered = errors.New("the question has not been answered yet")
)

// Plan is what an interview is started with.
type Plan struct {
	// Questions is how many main questions to ask (1 to MaxQuestions).
	Questions int
	// Role is a job title in the user's words or a field name ("backend
	// engineer", "teaching"); "" asks general questions.
	Role string
	// JobDescription, when not empty, ranks questions that match its terms
	// first and is kept with the session.
	JobDescription string
	// Seed repeats an earlier pick; 0 draws a new one (Interview.Seed says
	// which). Without a seed, questions answered recently come last.
	Seed int64
	// Title names the session; "" gives "Interview <date>".
	Title string
	// Settings are the session's timers and recording choices; the mode
	// and the question ids are set by Start.
	Settings rehearse.SessionSettings
	// Chosen, when not empty, are the questions to ask, chosen beforehand
	// (on a setup screen); Questions, Role and Seed are then not used.
	Chosen []rehearse.Question
}

// Interview is one mock interview being run or reopened. Its methods are
// safe for concurrent use.
type Interview struct {
	svc   *practice.Service
	seed  int64
	role  *questions.Role
	picks []questions.Picked

	mu   sync.Mutex
	sess rehearse.Session
	// main and follow-up answers by question index; nil when not given
	main, follow []*rehearse.Attempt
	asked        []*rehearse.FollowUpAsked
}

// Step is what follows a main answer: the saved answer and the follow-up
// question to ask, if any.
type Step struct {
	Answer *practice.Answer
	// FollowUp is nil when the answer needs none (or could not be analysed
	// yet because it waits for transcription).
	FollowUp *feedback.FollowUp
}

// Start picks the questions and creates the interview's session.
func Start(ctx context.Context, svc *practice.Service, p Plan) (*Interview, error) {
	var (
		picks []questions.Picked
		role  *questions.Role
		seed  int64
	)
	if len(p.Chosen) > 0 {
		if len(p.Chosen) > MaxQuestions {
			return nil, &rehearse.InputError{Field: "questions", Value: fmt.Sprint(len(p.Chosen)), Reason: fmt.Sprintf("an interview has 1 to %d questions", MaxQuestions)}
		}
		seen := map[string]bool{}
		for _, q := range p.Chosen {
			if !q.Type.Valid() || strings.TrimSpace(q.Text) == "" {
				return nil, &rehearse.InputError{Field: "questions", Value: q.Text, Reason: "each question needs a text and a valid type"}
			}
			if q.ID != "" && seen[q.ID] {
				return nil, &rehearse.InputError{Field: "questions", Value: q.ID, Reason: "a question is asked once per interview"}
			}
			seen[q.ID] = true
			picks = append(picks, questions.Picked{Question: q})
		}
	} else {
		if p.Questions < 1 || p.Questions > MaxQuestions {
			return nil, &rehearse.InputError{Field: "questions", Value: fmt.Sprint(p.Questions), Reason: fmt.Sprintf("an interview has 1 to %d questions", MaxQuestions)}
		}
		var err error
		if picks, role, seed, err = pick(ctx, svc, p); err != nil {
			return nil, err
		}
	}
	set := p.Settings
	set.Mode = rehearse.ModeInterview
	set.FollowUps = nil
	set.QuestionIDs = nil
	for i := range picks {
		if picks[i].ID == "" {
			picks[i].ID = fmt.Sprintf("q%d", i+1)
		}
		set.QuestionIDs = append(set.QuestionIDs, picks[i].ID)
	}
	title := strings.TrimSpace(p.Title)
	if title == "" {
		title = "Interview " + time.Now().Format("2 Jan 2006 15:04")
	}
	sess, err := svc.StartSession(ctx, title, p.JobDescription, set)
	if err != nil {
		return nil, err
	}
	iv := &Interview{svc: svc, seed: seed, role: role, picks: picks, sess: *sess}
	iv.main = make([]*rehearse.Attempt, len(picks))
	iv.follow = make([]*rehearse.Attempt, len(picks))
	iv.asked = make([]*rehearse.FollowUpAsked, len(picks))
	return iv, nil
}

// pick chooses the plan's questions from the bank and the user's own.
func pick(ctx context.Context, svc *practice.Service, p Plan) ([]questions.Picked, *questions.Role, int64, error) {
	bank, err := svc.Questions(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	sel := questions.Selection{Count: p.Questions, Seed: p.Seed}
	var role *questions.Role
	if strings.TrimSpace(p.Role) != "" {
		r, err := questions.ResolveRole(p.Role)
		if err != nil {
			return nil, nil, 0, err
		}
		role = &r
		sel.Roles = []string{questions.GeneralRole}
		if r.Field != "" {
			sel.Roles = []string{r.Field}
		}
		sel.Level = r.Level
	}
	if jd := strings.TrimSpace(p.JobDescription); jd != "" {
		sel.JobTerms = questions.ExtractTerms(jd)
	}
	if sel.Seed == 0 {
		sel.Seed = time.Now().UnixNano()%1_000_000_000 + 1
		if recent, err := svc.RecentQuestionIDs(ctx, practice.RecentQuestionWindow); err == nil {
			sel.Recent = recent
		}
	}
	picks := bank.Pick(sel)
	if len(picks) == 0 {
		return nil, nil, 0, errors.New("no questions match this role; try a field name such as software, data or teaching")
	}
	return picks, role, sel.Seed, nil
}

// Open reopens a stored interview (to continue it or to report on it). The
// questions are looked up by id in the bank and the user's own questions;
// a question no longer there is rebuilt from its saved answer.
func Open(ctx context.Context, svc *practice.Service, sessionID int64) (*Interview, error) {
	rec, err := svc.SessionRecord(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if !IsInterview(&rec.Session) {
		return nil, fmt.Errorf("session %d: %w", sessionID, ErrNotInterview)
	}
	bank, err := svc.Questions(ctx)
	if err != nil {
		return nil, err
	}
	iv := fromRecord(rec, bank)
	iv.svc = svc
	return iv, nil
}

// fromRecord rebuilds an interview's state from its session and answers;
// bank (may be nil) supplies the text of questions not answered.
func fromRecord(rec rehearse.SessionRecord, bank *questions.Bank) *Interview {
	l := report.LayoutOf(rec, bank)
	iv := &Interview{sess: l.Session, main: l.Main, follow: l.Follow, asked: l.Asked}
	for _, q := range l.Questions {
		iv.picks = append(iv.picks, questions.Picked{Question: q})
	}
	return iv
}

// layout is a snapshot of the interview for its report.
func (iv *Interview) layout() report.Layout {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	l := report.Layout{Session: iv.sess, Main: append([]*rehearse.Attempt(nil), iv.main...),
		Follow: append([]*rehearse.Attempt(nil), iv.follow...), Asked: append([]*rehearse.FollowUpAsked(nil), iv.asked...)}
	for _, p := range iv.picks {
		l.Questions = append(l.Questions, p.Question)
	}
	return l
}

// SessionID is the id of the interview's session.
func (iv *Interview) SessionID() int64 {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	return iv.sess.ID
}

// Session returns a copy of the interview's session.
func (iv *Interview) Session() rehearse.Session {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	s := iv.sess
	s.Settings.FollowUps = append([]rehearse.FollowUpAsked(nil), s.Settings.FollowUps...)
	return s
}

// Seed is the seed the questions were picked with (0 for a reopened
// interview): Plan.Seed repeats the pick.
func (iv *Interview) Seed() int64 { return iv.seed }

// Role is how the plan's role was understood, nil when none was given (or
// the interview was reopened).
func (iv *Interview) Role() *questions.Role { return iv.role }

// Len is the number of main questions.
func (iv *Interview) Len() int { return len(iv.picks) }

// Questions returns the main questions in order, each with why it was
// picked.
func (iv *Interview) Questions() []questions.Picked {
	return append([]questions.Picked(nil), iv.picks...)
}

// Question returns main question i (0-based). Record or submit its answer
// with exactly this question.
func (iv *Interview) Question(i int) rehearse.Question { return iv.picks[i].Question }

// Next returns the index of the first question without a main answer, or
// Len() when all are answered.
func (iv *Interview) Next() int {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	for i, a := range iv.main {
		if a == nil {
			return i
		}
	}
	return len(iv.main)
}

// FollowUp returns the follow-up asked after question i, if one was.
func (iv *Interview) FollowUp(i int) (rehearse.FollowUpAsked, bool) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if f := iv.asked[i]; f != nil {
		return *f, true
	}
	return rehearse.FollowUpAsked{}, false
}

// FollowUpQuestion is the question under which the answer to question i's
// follow-up is recorded or submitted: the follow-up's words, the main
// question's type, and the id rehearse.FollowUpQuestionID gives. ok is false
// when no follow-up was asked.
func (iv *Interview) FollowUpQuestion(i int) (rehearse.Question, bool) {
	f, ok := iv.FollowUp(i)
	if !ok {
		return rehearse.Question{}, false
	}
	q := iv.picks[i].Question
	return rehearse.Question{ID: rehearse.FollowUpQuestionID(q.ID), Text: f.Text, Type: q.Type}, true
}

// SubmitMainText saves a typed answer to question i and chooses its
// follow-up. durationS is how long it takes to say (0 estimates it).
func (iv *Interview) SubmitMainText(ctx context.Context, i int, text string, durationS float64) (*Step, error) {
	if err := iv.checkMain(i); err != nil {
		return nil, err
	}
	ans, err := iv.svc.SubmitText(ctx, iv.SessionID(), iv.Question(i), text, durationS)
	if err != nil {
		return nil, err
	}
	return iv.MainAnswered(ctx, i, ans)
}

// SubmitMainAudio saves a recorded answer to question i (transcribing it
// when a speech model is available) and chooses its follow-up.
func (iv *Interview) SubmitMainAudio(ctx context.Context, i int, rec rehearse.Audio, progress func(rehearse.TranscribeProgress)) (*Step, error) {
	if err := iv.checkMain(i); err != nil {
		return nil, err
	}
	ans, err := iv.svc.SubmitAudio(ctx, iv.SessionID(), iv.Question(i), rec, progress)
	if err != nil {
		return nil, err
	}
	return iv.MainAnswered(ctx, i, ans)
}

func (iv *Interview) checkMain(i int) error {
	if i < 0 || i >= len(iv.picks) {
		return fmt.Errorf("question %d: the interview has %d questions", i+1, len(iv.picks))
	}
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if iv.main[i] != nil {
		return fmt.Errorf("question %d: %w", i+1, ErrAnswered)
	}
	return nil
}

// MainAnswered takes the main answer to question i, saved by the practice
// service (SubmitText, SubmitAudio or a Take's Stop, with Question(i)), and
// chooses the follow-up by the rulebook's follow-up rules. The follow-up
// asked is saved with the session before MainAnswered returns.
func (iv *Interview) MainAnswered(ctx context.Context, i int, ans *practice.Answer) (*Step, error) {
	if err := iv.checkMain(i); err != nil {
		return nil, err
	}
	if ans == nil || ans.Attempt == nil {
		return nil, errors.New("no saved answer was given")
	}
	q := iv.Question(i)
	if ans.Attempt.QuestionID != q.ID || ans.Attempt.SessionID != iv.SessionID() {
		return nil, fmt.Errorf("the answer was saved for another question or session than question %d of this interview", i+1)
	}
	step := &Step{Answer: ans}
	var asked *rehearse.FollowUpAsked
	if ans.Result != nil {
		rb, err := iv.svc.Rulebook(ctx)
		if err != nil {
			return nil, err
		}
		if fu, ok := rb.ChooseFollowUp(ans.Result, ans.Attempt.Effective().Text, q.Text); ok {
			step.FollowUp = &fu
			asked = &rehearse.FollowUpAsked{QuestionID: q.ID, Rule: fu.Rule, Text: fu.Text}
		}
	}
	var sess *rehearse.Session
	if asked != nil {
		var err error
		if sess, err = iv.svc.AddFollowUp(ctx, iv.SessionID(), *asked); err != nil {
			return nil, err
		}
	}
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if sess != nil {
		iv.sess = *sess
		iv.asked[i] = asked
	}
	iv.main[i] = ans.Attempt
	return step, nil
}

// SubmitFollowUpText saves a typed answer to question i's follow-up.
func (iv *Interview) SubmitFollowUpText(ctx context.Context, i int, text string, durationS float64) (*practice.Answer, error) {
	q, err := iv.checkFollowUp(i)
	if err != nil {
		return nil, err
	}
	ans, err := iv.svc.SubmitText(ctx, iv.SessionID(), q, text, durationS)
	if err != nil {
		return nil, err
	}
	return ans, iv.FollowUpAnswered(ctx, i, ans)
}

// SubmitFollowUpAudio saves a recorded answer to question i's follow-up.
func (iv *Interview) SubmitFollowUpAudio(ctx context.Context, i int, rec rehearse.Audio, progress func(rehearse.TranscribeProgress)) (*practice.Answer, error) {
	q, err := iv.checkFollowUp(i)
	if err != nil {
		return nil, err
	}
	ans, err := iv.svc.SubmitAudio(ctx, iv.SessionID(), q, rec, progress)
	if err != nil {
		return nil, err
	}
	return ans, iv.FollowUpAnswered(ctx, i, ans)
}

func (iv *Interview) checkFollowUp(i int) (rehearse.Question, error) {
	if i < 0 || i >= len(iv.picks) {
		return rehearse.Question{}, fmt.Errorf("question %d: the interview has %d questions", i+1, len(iv.picks))
	}
	iv.mu.Lock()
	answered, done := iv.main[i] != nil, iv.follow[i] != nil
	iv.mu.Unlock()
	if !answered {
		return rehearse.Question{}, fmt.Errorf("question %d: %w", i+1, ErrNotAnswered)
	}
	if done {
		return rehearse.Question{}, fmt.Errorf("the follow-up of question %d: %w", i+1, ErrAnswered)
	}
	q, ok := iv.FollowUpQuestion(i)
	if !ok {
		return rehearse.Question{}, fmt.Errorf("question %d: %w", i+1, ErrNoFollowUp)
	}
	return q, nil
}

// FollowUpAnswered takes the answer to question i's follow-up, saved by the
// practice service with FollowUpQuestion(i).
func (iv *Interview) FollowUpAnswered(ctx context.Context, i int, ans *practice.Answer) error {
	q, err := iv.checkFollowUp(i)
	if err != nil {
		return err
	}
	if ans == nil || ans.Attempt == nil || ans.Attempt.QuestionID != q.ID || ans.Attempt.SessionID != iv.SessionID() {
		return fmt.Errorf("the answer was not saved for the follow-up of question %d of this interview", i+1)
	}
	iv.mu.Lock()
	iv.follow[i] = ans.Attempt
	iv.mu.Unlock()
	return nil
}

// Finish marks the interview done and returns its report.
func (iv *Interview) Finish(ctx context.Context) (*Report, error) {
	if err := iv.svc.FinishSession(ctx, iv.SessionID()); err != nil {
		return nil, fmt.Errorf("finish the interview: %w", err)
	}
	return BuildReport(ctx, iv.svc, iv.SessionID())
}

// IsInterview reports whether a session was run as an interview.
func IsInterview(s *rehearse.Session) bool { return report.IsInterview(s) }
