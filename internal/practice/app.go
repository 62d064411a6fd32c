package practice

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// This file is what the window does with the open store, in its terms:
// plain values in, plain values out. Each call works on the store open at
// the time (it changes after an unlock or a wipe).

// with runs f on the open service.
func with[T any](a *App, f func(*Service) (T, error)) (T, error) {
	svc, err := a.Service()
	if err != nil {
		var zero T
		return zero, err
	}
	return f(svc)
}

// do runs f on the open service.
func (a *App) do(f func(*Service) error) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	return f(svc)
}

// Questions returns the built-in bank followed by the user's own.
func (a *App) Questions(ctx context.Context) ([]rehearse.Question, error) {
	return with(a, func(s *Service) ([]rehearse.Question, error) {
		b, err := s.Questions(ctx)
		if err != nil {
			return nil, err
		}
		return b.All(), nil
	})
}

// SaveQuestion adds (empty ID) or edits one of the user's own questions.
func (a *App) SaveQuestion(ctx context.Context, q rehearse.Question) (rehearse.Question, error) {
	err := a.do(func(s *Service) error { return s.SaveQuestion(ctx, &q) })
	return q, err
}

// DeleteQuestion deletes one of the user's own questions.
func (a *App) DeleteQuestion(ctx context.Context, id string) error {
	return a.do(func(s *Service) error { return s.DeleteQuestion(ctx, id) })
}

// Roles lists the role tags of the bank.
func (a *App) Roles(ctx context.Context) ([]string, error) {
	return with(a, func(s *Service) ([]string, error) {
		b, err := s.Questions(ctx)
		if err != nil {
			return nil, err
		}
		return b.Roles(), nil
	})
}

// PickQuestions chooses questions for a session, each with why it was
// chosen; questions answered recently come last.
func (a *App) PickQuestions(ctx context.Context, sel questions.Selection) ([]questions.Picked, error) {
	return with(a, func(s *Service) ([]questions.Picked, error) { return s.PickQuestions(ctx, sel) })
}

// Plan is a session about to start.
type Plan struct {
	Title          string
	JobDescription string
	Questions      []rehearse.Question
	Settings       rehearse.SessionSettings
}

// StartSession starts the planned session.
func (a *App) StartSession(ctx context.Context, p Plan) (rehearse.Session, error) {
	return with(a, func(s *Service) (rehearse.Session, error) {
		set := p.Settings
		set.QuestionIDs = set.QuestionIDs[:0]
		for _, q := range p.Questions {
			set.QuestionIDs = append(set.QuestionIDs, q.ID)
		}
		sess, err := s.StartSession(ctx, p.Title, p.JobDescription, set)
		if err != nil {
			return rehearse.Session{}, err
		}
		return *sess, nil
	})
}

// Resume returns an unfinished session with its questions and answers.
func (a *App) Resume(ctx context.Context, sessionID int64) (Resumed, error) {
	return with(a, func(s *Service) (Resumed, error) { return s.Resume(ctx, sessionID) })
}

// SubmitTyped saves a typed answer and returns its feedback.
func (a *App) SubmitTyped(ctx context.Context, sessionID int64, q rehearse.Question, text string, d time.Duration) (Result, error) {
	return with(a, func(s *Service) (Result, error) {
		ans, err := s.SubmitText(ctx, sessionID, q, text, d.Seconds())
		if err != nil {
			return Result{}, err
		}
		return ans.View(), nil
	})
}

// SpokenAnswer is a spoken answer being recorded, as a front end drives it.
type SpokenAnswer interface {
	// Levels delivers meter readings; it is closed when the recording
	// ends, also when the microphone goes away mid-answer.
	Levels() <-chan rehearse.Level
	// Partial delivers the live transcript so far (the whole text each
	// time); closed when the recording ends. Never sends when no model is
	// loaded.
	Partial() <-chan string
	// Stop ends the recording, saves it and analyses it. When it cannot be
	// transcribed now the answer is still saved: Result.Pending is true.
	// When the microphone was lost, Stop returns what was recorded together
	// with an error wrapping rehearse.ErrDeviceLost.
	Stop(ctx context.Context) (Result, error)
	// Cancel discards the recording.
	Cancel()
}

// spoken is a Take whose Stop returns what the front end shows.
type spoken struct{ *Take }

func (t spoken) Stop(ctx context.Context) (Result, error) {
	ans, err := t.Take.Stop(ctx)
	if ans == nil {
		return Result{}, err
	}
	// With a lost microphone the answer is saved and err says so.
	return ans.View(), err
}

// Record starts a spoken answer on the chosen microphone.
func (a *App) Record(ctx context.Context, sessionID int64, q rehearse.Question) (SpokenAnswer, error) {
	return with(a, func(s *Service) (SpokenAnswer, error) {
		t, err := s.Record(ctx, sessionID, q, "", false)
		if err != nil {
			return nil, err
		}
		return spoken{t}, nil
	})
}

// Reanalyze saves a corrected transcript and analyses it again.
func (a *App) Reanalyze(ctx context.Context, attemptID int64, text string) (Result, error) {
	return with(a, func(s *Service) (Result, error) {
		ans, err := s.EditTranscript(ctx, attemptID, text)
		if err != nil {
			return Result{}, err
		}
		return ans.View(), nil
	})
}

// FinishSession marks a session done.
func (a *App) FinishSession(ctx context.Context, id int64) error {
	return a.do(func(s *Service) error { return s.FinishSession(ctx, id) })
}

// Summary is a session's review.
func (a *App) Summary(ctx context.Context, sessionID int64) (Review, error) {
	return with(a, func(s *Service) (Review, error) { return s.Review(ctx, sessionID) })
}

// Sessions lists sessions, newest first.
func (a *App) Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	return with(a, func(s *Service) ([]rehearse.SessionSummary, error) { return s.Sessions(ctx, f) })
}

// DeleteSession deletes a session with its answers.
func (a *App) DeleteSession(ctx context.Context, id int64) error {
	return a.do(func(s *Service) error { return s.DeleteSession(ctx, id) })
}

// Progress returns one point per analysed session, oldest first.
func (a *App) Progress(ctx context.Context) ([]SessionPoint, error) {
	return with(a, func(s *Service) ([]SessionPoint, error) { return s.SessionProgress(ctx) })
}

// Rules lists the rulebook's rules with the user's overrides applied.
func (a *App) Rules(ctx context.Context) ([]feedback.RuleInfo, error) {
	return with(a, func(s *Service) ([]feedback.RuleInfo, error) {
		rb, err := s.Rulebook(ctx)
		if err != nil {
			return nil, err
		}
		return rb.Rules(), nil
	})
}

// RuleList returns the current words of one list of a rule.
func (a *App) RuleList(ctx context.Context, ruleID, list string) ([]string, error) {
	return with(a, func(s *Service) ([]string, error) {
		rb, err := s.Rulebook(ctx)
		if err != nil {
			return nil, err
		}
		return rb.List(ruleID, list), nil
	})
}

// Overrides returns the user's rule changes.
func (a *App) Overrides(ctx context.Context) (feedback.Overrides, error) {
	return with(a, func(s *Service) (feedback.Overrides, error) { return s.Overrides(ctx) })
}

// SetOverrides stores the user's rule changes; empty ones reset the
// rulebook to its defaults.
func (a *App) SetOverrides(ctx context.Context, o feedback.Overrides) error {
	return a.do(func(s *Service) error {
		if o.Fluency == nil && len(o.Rules) == 0 {
			return s.ResetOverrides(ctx)
		}
		return s.SetOverrides(ctx, o)
	})
}

// Rescore analyses every stored answer again with the current rules.
func (a *App) Rescore(ctx context.Context, progress func(done, total int)) error {
	return a.do(func(s *Service) error {
		_, err := s.RescoreAll(ctx, progress)
		return err
	})
}

// Settings reads the user's preferences.
func (a *App) Settings(ctx context.Context) (Settings, error) {
	return with(a, func(s *Service) (Settings, error) { return s.Settings(ctx) })
}

// SaveSettings stores the user's preferences.
func (a *App) SaveSettings(ctx context.Context, set Settings) error {
	return a.do(func(s *Service) error { return s.SaveSettings(ctx, set) })
}

// Play plays an answer's kept recording from a time (seconds).
func (a *App) Play(ctx context.Context, attemptID int64, from float64) error {
	return a.do(func(s *Service) error {
		if a.cfg.Player == nil {
			return rehearse.ErrNoOutputDevice
		}
		rec, err := s.Recording(ctx, attemptID)
		if err != nil {
			return fmt.Errorf("this answer has no kept recording: %w", err)
		}
		return a.cfg.Player.Play(ctx, *rec, from)
	})
}

// StoreStats describes what the open store holds.
func (a *App) StoreStats(ctx context.Context) (rehearse.StoreStats, int, error) {
	svc, err := a.Service()
	if err != nil {
		return rehearse.StoreStats{}, 0, err
	}
	st, err := svc.Stats(ctx)
	days, _ := ExpiryDays(ctx, svc.cfg.Store)
	return st, days, err
}

// Export writes every session to path as "json" or "markdown" (kept
// recordings go into the JSON).
func (a *App) Export(ctx context.Context, path, format string) error {
	return a.do(func(s *Service) error {
		recs, err := s.Records(ctx)
		if err != nil {
			return err
		}
		write := func(w io.Writer) error { return archive.WriteJSON(ctx, w, recs, a.cfg.Now(), s.Recording) }
		if format == "markdown" || format == "md" {
			write = func(w io.Writer) error { return archive.WriteMarkdown(w, recs, a.cfg.Now()) }
		}
		if err := archive.WriteFile(filepath.Clean(path), nil, write); err != nil {
			return err
		}
		return s.RecordExport(ctx, path)
	})
}
