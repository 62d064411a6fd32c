// Package practice is the heart of Rehearse: it runs a mock interview from
// question to feedback. It asks the question bank for questions, turns a typed
// or spoken answer into a transcript, scores it with the feedback rulebook and
// saves it before the next question starts. Open is where both front ends
// start: it unlocks the store, applies the expiry setting and keeps the
// answers waiting for a speech model moving; App then offers the window
// what it shows, as plain values. Settings and their defaults live here too.
// It depends only on the domain interfaces (Store, Transcriber, Microphone)
// and the small ones it declares (Keys, Rescue), so the window and the
// command line share it and tests can run it on real or isolated parts.
package practice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
)

// Setting names kept in the store.
const (
	SettingOverrides      = "rulebook_overrides"
	SettingExpiryDays     = "expiry_days"
	SettingMicrophone     = "microphone"
	SettingKeepRecordings = "keep_recordings"
	SettingPrepSeconds    = "prep_seconds"
	SettingAnswerSeconds  = "answer_seconds"
	SettingTheme          = "theme"
	SettingVoice          = "interviewer_voice"
	SettingVoiceRate      = "interviewer_voice_rate"
	SettingFirstRunDone   = "first_run_done"
	SettingLastExpiry     = "last_expiry"
	SettingLastSetup      = "last_setup"
)

// MaxTypedWords bounds a typed answer; longer text is cut with a caveat-free
// error so nothing is silently dropped.
const MaxTypedWords = 20000

// Config is what a Service is built from. Store and Bank are required; the
// rest may be nil when the part is missing on this computer.
type Config struct {
	Store rehearse.Store
	Bank  *questions.Bank
	Mic   rehearse.Microphone
	// Transcriber opens the active speech model. It returns an error
	// wrapping rehearse.ErrNoTranscriber or rehearse.ErrNoModel when voice
	// transcription is not possible; answers are then kept to transcribe
	// later.
	Transcriber func(ctx context.Context) (rehearse.Transcriber, error)
	// Speech tunes segmentation and transcription.
	Speech speech.Options
	Now    func() time.Time
}

// Service runs practice sessions. It is safe for concurrent use.
type Service struct {
	cfg Config

	mu sync.Mutex
	rb *feedback.Rulebook // cached effective rulebook; nil after a change
	tr rehearse.Transcriber
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("practice: a store is required")
	}
	if cfg.Bank == nil {
		b, err := questions.Load()
		if err != nil {
			return nil, fmt.Errorf("load the question bank: %w", err)
		}
		cfg.Bank = b
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}, nil
}

// Close releases the speech model, if one was loaded.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tr != nil {
		err := s.tr.Close()
		s.tr = nil
		return err
	}
	return nil
}

// Answer is a saved attempt with its feedback. Result is nil while the
// attempt waits for transcription.
type Answer struct {
	Attempt *rehearse.Attempt
	Result  *feedback.Result
	// Warning explains something the user should know although the answer
	// was saved, e.g. that the microphone stopped mid-answer.
	Warning string
}

// Rulebook returns the default rulebook with the user's overrides applied.
func (s *Service) Rulebook(ctx context.Context) (*feedback.Rulebook, error) {
	s.mu.Lock()
	rb := s.rb
	s.mu.Unlock()
	if rb != nil {
		return rb, nil
	}
	o, err := s.Overrides(ctx)
	if err != nil {
		return nil, err
	}
	rb, err = feedback.DefaultRulebook().With(o)
	if err != nil {
		return nil, fmt.Errorf("apply your rule changes: %w", err)
	}
	s.mu.Lock()
	s.rb = rb
	s.mu.Unlock()
	return rb, nil
}

// Overrides returns the user's rule changes.
func (s *Service) Overrides(ctx context.Context) (feedback.Overrides, error) {
	v, ok, err := s.cfg.Store.Setting(ctx, SettingOverrides)
	if err != nil || !ok || strings.TrimSpace(v) == "" {
		return feedback.Overrides{}, err
	}
	o, err := feedback.ParseOverrides([]byte(v))
	if err != nil {
		return feedback.Overrides{}, fmt.Errorf("your saved rule changes: %w", err)
	}
	return o, nil
}

// SetOverrides validates and saves rule changes; they apply to new answers
// and to RescoreAll.
func (s *Service) SetOverrides(ctx context.Context, o feedback.Overrides) error {
	if _, err := feedback.DefaultRulebook().With(o); err != nil {
		return err
	}
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode rule changes: %w", err)
	}
	if err := s.cfg.Store.SetSetting(ctx, SettingOverrides, string(data)); err != nil {
		return err
	}
	s.mu.Lock()
	s.rb = nil
	s.mu.Unlock()
	return nil
}

// ResetOverrides goes back to the default rulebook.
func (s *Service) ResetOverrides(ctx context.Context) error {
	if err := s.cfg.Store.SetSetting(ctx, SettingOverrides, ""); err != nil {
		return err
	}
	s.mu.Lock()
	s.rb = nil
	s.mu.Unlock()
	return nil
}

// boolSetting reads a yes/no setting with a default.
func (s *Service) boolSetting(ctx context.Context, name string, def bool) bool {
	v, ok, err := s.cfg.Store.Setting(ctx, name)
	if err != nil || !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def
	}
	return b
}

// intSetting reads a whole-number setting with a default.
func (s *Service) intSetting(ctx context.Context, name string, def int) int {
	v, ok, err := s.cfg.Store.Setting(ctx, name)
	if err != nil || !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

// Questions returns the built-in bank merged with the user's own questions.
func (s *Service) Questions(ctx context.Context) (*questions.Bank, error) {
	custom, err := s.cfg.Store.CustomQuestions(ctx)
	if err != nil {
		return nil, err
	}
	return s.cfg.Bank.With(custom), nil
}

// SaveQuestion adds or edits one of the user's own questions.
func (s *Service) SaveQuestion(ctx context.Context, q *rehearse.Question) error {
	if err := questions.ValidateCustom(*q); err != nil {
		return err
	}
	q.Custom = true
	return s.cfg.Store.SaveQuestion(ctx, q)
}

// StartSession creates a session and returns it with the questions chosen.
func (s *Service) StartSession(ctx context.Context, title, jobDescription string, set rehearse.SessionSettings) (*rehearse.Session, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = "Practice " + s.cfg.Now().Format("2 Jan 2006 15:04")
	}
	sess := &rehearse.Session{Title: title, JobDescription: strings.TrimSpace(jobDescription), Settings: set}
	if err := s.cfg.Store.CreateSession(ctx, sess); err != nil {
		return nil, fmt.Errorf("start the session: %w", err)
	}
	return sess, nil
}

// DropEmptySession deletes the session if it has no answers, so that a
// session started for an answer that could not be saved leaves nothing
// behind. A session with answers is kept. It runs even when ctx was
// cancelled (the user gave up on the answer, not on the clean-up).
func (s *Service) DropEmptySession(ctx context.Context, id int64) error {
	ctx = context.WithoutCancel(ctx)
	atts, err := s.cfg.Store.Attempts(ctx, id)
	if err != nil {
		return err
	}
	if len(atts) > 0 {
		return nil
	}
	return s.cfg.Store.DeleteSession(ctx, id)
}

// FinishSession marks a session done.
func (s *Service) FinishSession(ctx context.Context, id int64) error {
	return s.cfg.Store.FinishSession(ctx, id, s.cfg.Now())
}

// jobTerms returns the key terms of the session's job description.
func (s *Service) jobTerms(ctx context.Context, sessionID int64) ([]string, error) {
	sess, err := s.cfg.Store.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if sess.JobDescription == "" {
		return nil, nil
	}
	return feedback.ExtractJobTerms(sess.JobDescription), nil
}

// SubmitText saves a typed (or pasted) answer and returns its feedback.
// durationS is how long the answer would take to say; 0 estimates it at 150
// words a minute.
func (s *Service) SubmitText(ctx context.Context, sessionID int64, q rehearse.Question, text string, durationS float64) (*Answer, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, &rehearse.InputError{Field: "answer", Reason: "the answer is empty; type or paste what you would say"}
	}
	n := len(strings.Fields(text))
	if n > MaxTypedWords {
		return nil, &rehearse.InputError{Field: "answer", Reason: fmt.Sprintf("the answer has %d words; the most Rehearse scores at once is %d", n, MaxTypedWords)}
	}
	if durationS <= 0 {
		durationS = float64(n) / 150 * 60
	}
	a := s.newAttempt(sessionID, q, durationS)
	// A typed answer is written, not spoken: it starts now.
	a.StartedAt = s.cfg.Now()
	a.Status = rehearse.StatusAnalyzed
	a.Transcript = rehearse.Transcript{Text: text, DurationS: durationS, Source: "typed"}
	return s.analyzeAndAdd(ctx, a, nil)
}

// newAttempt is an answer to q in a session that lasted durationS seconds
// and ended now; the question is copied in, so that the answer still reads
// well after the question is edited or deleted.
func (s *Service) newAttempt(sessionID int64, q rehearse.Question, durationS float64) *rehearse.Attempt {
	return &rehearse.Attempt{
		SessionID:    sessionID,
		QuestionID:   q.ID,
		QuestionText: q.Text,
		QuestionType: q.Type,
		StartedAt:    s.cfg.Now().Add(-secondsToDuration(durationS)),
		DurationS:    durationS,
	}
}

// analyzeAndAdd scores a new attempt and commits it (with audio, if any) in
// one step.
func (s *Service) analyzeAndAdd(ctx context.Context, a *rehearse.Attempt, audio *rehearse.Audio) (*Answer, error) {
	var res *feedback.Result
	if a.Status == rehearse.StatusAnalyzed {
		var err error
		if res, err = s.analyze(ctx, a); err != nil {
			return nil, err
		}
	}
	if err := s.cfg.Store.AddAttempt(ctx, a, audio); err != nil {
		return nil, fmt.Errorf("save the answer: %w", err)
	}
	return &Answer{Attempt: a, Result: res}, nil
}

// analyze runs the rulebook on the attempt and records the result on it.
func (s *Service) analyze(ctx context.Context, a *rehearse.Attempt) (*feedback.Result, error) {
	rb, err := s.Rulebook(ctx)
	if err != nil {
		return nil, err
	}
	terms, err := s.jobTerms(ctx, a.SessionID)
	if err != nil {
		return nil, err
	}
	in := feedback.InputFor(a, terms)
	res := feedback.Analyze(in, rb)
	a.Analysis = res.JSON()
	a.RulebookVersion = rb.Version
	a.Status = rehearse.StatusAnalyzed
	return res, nil
}

// Result returns an attempt's feedback: the stored analysis when there is
// one, otherwise a fresh one with the current rulebook.
func (s *Service) Result(ctx context.Context, a *rehearse.Attempt) (*feedback.Result, error) {
	if a.Status != rehearse.StatusAnalyzed {
		return nil, nil
	}
	if len(a.Analysis) > 0 {
		var r feedback.Result
		if err := json.Unmarshal(a.Analysis, &r); err == nil {
			return &r, nil
		}
	}
	cp := *a
	return s.analyze(ctx, &cp)
}

// EditTranscript saves the user's correction of what was said and scores
// the corrected text.
func (s *Service) EditTranscript(ctx context.Context, attemptID int64, text string) (*Answer, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, &rehearse.InputError{Field: "transcript", Reason: "the corrected transcript is empty"}
	}
	a, err := s.cfg.Store.Attempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	a.Corrected = correct(a.Transcript, text)
	a.Status = rehearse.StatusAnalyzed
	res, err := s.analyze(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.UpdateAttempt(ctx, a); err != nil {
		return nil, fmt.Errorf("save the corrected transcript: %w", err)
	}
	return &Answer{Attempt: a, Result: res}, nil
}

// Reanalyze scores a stored answer again with the current rulebook.
func (s *Service) Reanalyze(ctx context.Context, attemptID int64) (*Answer, error) {
	a, err := s.cfg.Store.Attempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	if a.Status != rehearse.StatusAnalyzed {
		return &Answer{Attempt: a}, nil
	}
	res, err := s.analyze(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.UpdateAttempt(ctx, a); err != nil {
		return nil, err
	}
	return &Answer{Attempt: a, Result: res}, nil
}

// RescoreAll scores every stored answer again with the current rulebook and
// returns how many changed. progress, when not nil, is called after each.
func (s *Service) RescoreAll(ctx context.Context, progress func(done, total int)) (int, error) {
	all, err := s.cfg.Store.AllAttempts(ctx, time.Time{})
	if err != nil {
		return 0, err
	}
	changed := 0
	for i := range all {
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		a := &all[i]
		if a.Status == rehearse.StatusAnalyzed {
			before := string(a.Analysis)
			if _, err := s.analyze(ctx, a); err != nil {
				return changed, err
			}
			if string(a.Analysis) != before {
				if err := s.cfg.Store.UpdateAttempt(ctx, a); err != nil {
					return changed, err
				}
				changed++
			}
		}
		if progress != nil {
			progress(i+1, len(all))
		}
	}
	return changed, nil
}

// ExpireDaily applies the expiry setting again whenever a day has passed
// since it last ran (checking every check interval), until ctx ends: the
// window may stay open for days, and answers must not outlive the setting
// meanwhile. A failed run is tried again at the next check.
func (s *Service) ExpireDaily(ctx context.Context, check time.Duration) {
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s.expiryDue(ctx) {
				_, _ = s.ApplyExpiry(ctx)
			}
		}
	}
}

// expiryDue reports whether expiry is on and last ran a day or more ago.
func (s *Service) expiryDue(ctx context.Context) bool {
	if days, err := ExpiryDays(ctx, s.cfg.Store); err != nil || days <= 0 {
		return false
	}
	v, ok, err := s.cfg.Store.Setting(ctx, SettingLastExpiry)
	if err != nil || !ok {
		return err == nil
	}
	last, err := time.Parse(time.RFC3339, v)
	return err != nil || s.cfg.Now().Sub(last) >= 24*time.Hour
}

// ApplyExpiry deletes answers older than the user's expiry setting (off when
// 0) and returns how many went.
func (s *Service) ApplyExpiry(ctx context.Context) (int, error) {
	return ApplyExpiry(ctx, s.cfg.Store, s.cfg.Now())
}

// DeleteQuestion deletes one of the user's own questions.
func (s *Service) DeleteQuestion(ctx context.Context, id string) error {
	return s.cfg.Store.DeleteQuestion(ctx, id)
}

// PickQuestions chooses questions for a session from the bank and the
// user's own, each with why it was chosen; questions answered recently come
// last.
func (s *Service) PickQuestions(ctx context.Context, sel questions.Selection) ([]questions.Picked, error) {
	b, err := s.Questions(ctx)
	if err != nil {
		return nil, err
	}
	recent, err := s.RecentQuestionIDs(ctx, RecentQuestionWindow)
	if err != nil {
		return nil, err
	}
	sel.Recent = append(sel.Recent, recent...)
	return b.Pick(sel), nil
}

// Session returns a session.
func (s *Service) Session(ctx context.Context, id int64) (*rehearse.Session, error) {
	return s.cfg.Store.Session(ctx, id)
}

// Sessions lists sessions, newest first.
func (s *Service) Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	return s.cfg.Store.ListSessions(ctx, f)
}

// DeleteSession deletes a session with its answers.
func (s *Service) DeleteSession(ctx context.Context, id int64) error {
	return s.cfg.Store.DeleteSession(ctx, id)
}

// Recording is an answer's kept recording (rehearse.ErrNotFound when none
// was kept).
func (s *Service) Recording(ctx context.Context, attemptID int64) (*rehearse.Audio, error) {
	return s.cfg.Store.AttemptAudio(ctx, attemptID)
}

// Stats describes what the store holds.
func (s *Service) Stats(ctx context.Context) (rehearse.StoreStats, error) {
	return s.cfg.Store.Stats(ctx)
}

// Import adds exported sessions to the store; sessions it holds already
// are skipped.
func (s *Service) Import(ctx context.Context, recs []rehearse.SessionRecord) (archive.Imported, error) {
	return archive.Import(ctx, s.cfg.Store, recs)
}

// Attempts lists a session's answers, oldest first.
func (s *Service) Attempts(ctx context.Context, sessionID int64) ([]rehearse.Attempt, error) {
	return s.cfg.Store.Attempts(ctx, sessionID)
}

// Search finds answers whose transcript, question or session title
// matches text.
func (s *Service) Search(ctx context.Context, text string, limit int) ([]rehearse.SearchHit, error) {
	return s.cfg.Store.Search(ctx, text, limit)
}

// Records reads every session with its answers, for an export; kept
// recordings are loaded one at a time with Recording.
func (s *Service) Records(ctx context.Context) ([]rehearse.SessionRecord, error) {
	return archive.Collect(ctx, s.cfg.Store)
}

// ExpiryDays is how many days answers are kept (0: until deleted).
func (s *Service) ExpiryDays(ctx context.Context) (int, error) {
	return ExpiryDays(ctx, s.cfg.Store)
}

// SetExpiryDays keeps answers days days (0: until deleted) and deletes the
// older ones now; it returns how many went.
func (s *Service) SetExpiryDays(ctx context.Context, days int) (int, error) {
	if err := SetExpiryDays(ctx, s.cfg.Store, days); err != nil {
		return 0, err
	}
	return s.ApplyExpiry(ctx)
}

// UpdateSession saves a session's changed title, job description or
// settings.
func (s *Service) UpdateSession(ctx context.Context, sess *rehearse.Session) error {
	return s.cfg.Store.UpdateSession(ctx, sess)
}
