package practice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
)

// transcriber returns the loaded speech model, loading it on first use.
func (s *Service) transcriber(ctx context.Context) (rehearse.Transcriber, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tr != nil {
		return s.tr, nil
	}
	if s.cfg.Transcriber == nil {
		return nil, rehearse.ErrNoTranscriber
	}
	tr, err := s.cfg.Transcriber(ctx)
	if err != nil {
		return nil, err
	}
	s.tr = tr
	return tr, nil
}

// CanTranscribe reports whether spoken answers can be transcribed now, and
// if not, why.
func (s *Service) CanTranscribe(ctx context.Context) error {
	_, err := s.transcriber(ctx)
	return err
}

// transcriptionUnavailable reports errors that mean "keep the audio and
// transcribe later" rather than "the answer failed".
func transcriptionUnavailable(err error) bool {
	return errors.Is(err, rehearse.ErrNoTranscriber) || errors.Is(err, rehearse.ErrNoModel) || errors.Is(err, rehearse.ErrBadModel)
}

// SubmitAudio saves a recorded answer. When the recording can be transcribed
// now it is, and the feedback is returned; otherwise the audio is kept,
// encrypted in the store, until a speech model is available
// (TranscribePending). A recording with no speech is not saved
// (rehearse.ErrNoSpeech).
func (s *Service) SubmitAudio(ctx context.Context, sessionID int64, q rehearse.Question, rec rehearse.Audio, progress func(rehearse.TranscribeProgress)) (*Answer, error) {
	if len(rec.Samples) == 0 {
		return nil, fmt.Errorf("the recording is empty: %w", rehearse.ErrNoSpeech)
	}
	a := &rehearse.Attempt{
		SessionID:    sessionID,
		QuestionID:   q.ID,
		QuestionText: q.Text,
		QuestionType: q.Type,
		StartedAt:    s.cfg.Now().Add(-secondsToDuration(rec.Duration())),
		DurationS:    rec.Duration(),
	}
	keep := s.keepRecordings(ctx, sessionID)
	tr, err := s.transcriber(ctx)
	if err != nil {
		if !transcriptionUnavailable(err) {
			return nil, err
		}
		if len(audio.DetectSpeech(rec, audio.DefaultVADConfig())) == 0 {
			return nil, rehearse.ErrNoSpeech
		}
		a.Status = rehearse.StatusPendingTranscription
		return s.analyzeAndAdd(ctx, a, &rec)
	}
	t, err := speech.TranscribeAll(ctx, tr, rec, s.cfg.Speech, progress)
	if err != nil {
		return nil, err
	}
	t.Source = "whisper:" + tr.ModelName()
	a.Transcript = t
	a.Status = rehearse.StatusAnalyzed
	var keepAudio *rehearse.Audio
	if keep {
		keepAudio = &rec
	}
	return s.analyzeAndAdd(ctx, a, keepAudio)
}

func (s *Service) keepRecordings(ctx context.Context, sessionID int64) bool {
	if sess, err := s.cfg.Store.Session(ctx, sessionID); err == nil && sess.Settings.KeepRecordings {
		return true
	}
	return s.BoolSetting(ctx, SettingKeepRecordings, false)
}

// TranscribePending transcribes answers that were recorded while no speech
// model was available, scores them, and deletes their audio unless the user
// keeps recordings. It returns how many were done.
func (s *Service) TranscribePending(ctx context.Context, progress func(done, total int)) (int, error) {
	tr, err := s.transcriber(ctx)
	if err != nil {
		return 0, err
	}
	pend, err := s.cfg.Store.PendingAttempts(ctx)
	if err != nil {
		return 0, err
	}
	done := 0
	for i := range pend {
		a := &pend[i]
		rec, err := s.cfg.Store.AttemptAudio(ctx, a.ID)
		if err != nil {
			return done, fmt.Errorf("answer %d: %w", a.ID, err)
		}
		t, err := speech.TranscribeAll(ctx, tr, *rec, s.cfg.Speech, nil)
		if errors.Is(err, rehearse.ErrNoSpeech) {
			t = rehearse.Transcript{Timed: true, DurationS: rec.Duration()}
		} else if err != nil {
			return done, fmt.Errorf("answer %d: %w", a.ID, err)
		}
		t.Source = "whisper:" + tr.ModelName()
		a.Transcript = t
		if _, err := s.analyze(ctx, a); err != nil {
			return done, err
		}
		if err := s.cfg.Store.UpdateAttempt(ctx, a); err != nil {
			return done, err
		}
		if !s.keepRecordings(ctx, a.SessionID) {
			if err := s.cfg.Store.DeleteAttemptAudio(ctx, a.ID); err != nil {
				return done, err
			}
		}
		done++
		if progress != nil {
			progress(done, len(pend))
		}
	}
	return done, nil
}

func secondsToDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
