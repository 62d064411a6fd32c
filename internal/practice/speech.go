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
// (TranscribePending). So is a recording whose transcription fails or is
// cancelled (ctx): Answer.Warning then says why. A recording with no speech
// is not saved (rehearse.ErrNoSpeech).
func (s *Service) SubmitAudio(ctx context.Context, sessionID int64, q rehearse.Question, rec rehearse.Audio, progress func(rehearse.TranscribeProgress)) (*Answer, error) {
	if len(rec.Samples) == 0 {
		return nil, fmt.Errorf("the recording is empty: %w", rehearse.ErrNoSpeech)
	}
	a := s.newAttempt(sessionID, q, rec.Duration())
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
	switch {
	case errors.Is(err, rehearse.ErrNoSpeech):
		return nil, err
	case err != nil:
		// Keep the recording to transcribe later, also when the wait was
		// cancelled: the save itself must not be.
		a.Status = rehearse.StatusPendingTranscription
		ans, saveErr := s.analyzeAndAdd(context.WithoutCancel(ctx), a, &rec)
		if saveErr != nil {
			return nil, saveErr
		}
		ans.Warning = unfinishedWarning(err)
		return ans, nil
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
	return s.boolSetting(ctx, SettingKeepRecordings, false)
}

// ModelChanged forgets the loaded speech model, so that the next
// transcription loads the one in use now (after the user chose, imported or
// downloaded one).
func (s *Service) ModelChanged() {
	s.mu.Lock()
	tr := s.tr
	s.tr = nil
	s.mu.Unlock()
	if tr != nil {
		_ = tr.Close() // waits for a transcription under way to end
	}
}

// unfinishedWarning tells the user why a recorded answer was kept for later.
func unfinishedWarning(err error) string {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "Transcription was stopped before it finished; the recording is saved and will be transcribed later."
	}
	return fmt.Sprintf("Transcription failed (%v); the recording is saved and will be transcribed later.", err)
}

// ErrNoRecording marks a pending answer whose recording is missing, so it
// can never be transcribed.
var ErrNoRecording = errors.New("the answer's recording is missing")

// PendingCount returns how many answers wait for transcription.
func (s *Service) PendingCount(ctx context.Context) (int, error) {
	pend, err := s.cfg.Store.PendingAttempts(ctx)
	return len(pend), err
}

// PendingProgress is where a run over the pending answers stands.
type PendingProgress struct {
	Done, Total int     // answers finished in this run, and answers in it
	Current     float64 // share of the answer under way already transcribed, 0..1
}

// Fraction is the share of the whole run done, 0..1.
func (p PendingProgress) Fraction() float64 {
	if p.Total == 0 {
		return 1
	}
	return min(1, (float64(p.Done)+p.Current)/float64(p.Total))
}

// PendingReport is what a run over the pending answers achieved.
type PendingReport struct {
	Transcribed int // answers transcribed, analysed and saved in this run
	Remaining   int // answers still pending afterwards
}

// TranscribePending transcribes the answers that were recorded while no
// speech model was available (or whose transcription failed or was
// interrupted), analyses them and saves each one as soon as it is done, then
// deletes its recording unless the user keeps recordings. An answer is
// never left without both its recording and its words: it stays pending,
// recording and all, until its transcript is saved.
//
// When answers remain pending the error says why: no model
// (rehearse.ErrNoModel, rehearse.ErrNoTranscriber), ctx ended, or the
// first answer that failed (the others are still tried). progress, when not
// nil, is called as the run advances.
func (s *Service) TranscribePending(ctx context.Context, progress func(PendingProgress)) (PendingReport, error) {
	pend, err := s.cfg.Store.PendingAttempts(ctx)
	if err != nil {
		return PendingReport{}, fmt.Errorf("list the answers waiting for transcription: %w", err)
	}
	rep := PendingReport{Remaining: len(pend)}
	if len(pend) == 0 {
		return rep, nil
	}
	tr, err := s.transcriber(ctx)
	if err != nil {
		return rep, err
	}
	report := func(p PendingProgress) {
		if progress != nil {
			progress(p)
		}
	}
	var firstErr error
	for i := range pend {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		report(PendingProgress{Done: i, Total: len(pend)})
		err := s.completePending(ctx, tr, &pend[i], func(p rehearse.TranscribeProgress) {
			if p.Total > 0 {
				report(PendingProgress{Done: i, Total: len(pend), Current: min(1, p.Done.Seconds()/p.Total.Seconds())})
			}
		})
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return rep, cerr
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("answer %d: %w", pend[i].ID, err)
			}
			continue
		}
		rep.Transcribed++
		rep.Remaining--
	}
	report(PendingProgress{Done: len(pend), Total: len(pend)})
	return rep, firstErr
}

// completePending transcribes, analyses and saves one pending answer. The
// transcript is saved before the recording is deleted, so a crash in
// between leaves the recording, never an answer with neither.
func (s *Service) completePending(ctx context.Context, tr rehearse.Transcriber, a *rehearse.Attempt, progress func(rehearse.TranscribeProgress)) error {
	rec, err := s.cfg.Store.AttemptAudio(ctx, a.ID)
	if errors.Is(err, rehearse.ErrNotFound) {
		return ErrNoRecording
	}
	if err != nil {
		return err
	}
	keep := s.keepRecordings(ctx, a.SessionID)
	t, err := speech.TranscribeAll(ctx, tr, *rec, s.cfg.Speech, progress)
	if errors.Is(err, rehearse.ErrNoSpeech) {
		// Nothing recognisable was said: the answer is scored as empty and
		// its recording kept, so the user can still hear or type it.
		t = rehearse.Transcript{Timed: true, DurationS: rec.Duration()}
		keep = true
	} else if err != nil {
		return err
	}
	t.Source = "whisper:" + tr.ModelName()
	a.Transcript = t
	if _, err := s.analyze(ctx, a); err != nil {
		return err
	}
	// Once transcribed, the save and the clean-up go through even if the
	// run is cancelled now: the work is done.
	wctx := context.WithoutCancel(ctx)
	if err := s.cfg.Store.UpdateAttempt(wctx, a); err != nil {
		return fmt.Errorf("save the transcript: %w", err)
	}
	if !keep {
		if err := s.cfg.Store.DeleteAttemptAudio(wctx, a.ID); err != nil {
			return fmt.Errorf("delete the transcribed recording: %w", err)
		}
		a.HasAudio = false
	}
	return nil
}

func secondsToDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
