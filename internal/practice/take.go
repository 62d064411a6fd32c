package practice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
)

// Take is a spoken answer being recorded. While the user talks, finished
// stretches of speech are already being transcribed, so Stop has only the
// tail left to do.
type Take struct {
	svc       *Service
	sessionID int64
	q         rehearse.Question
	latency   bool
	rec       rehearse.Recording
	stream    *speech.Stream // nil when transcription is not available
	partial   chan string
	pumped    chan struct{}
	stopOnce  sync.Once
	cancel    context.CancelFunc
}

// Record starts recording an answer to q from the named microphone ("" for
// the remembered or default one). latencyKnown says the recording started
// the moment the question was put (so the first word's start is the
// response latency); it is false when the user pressed record themselves.
func (s *Service) Record(ctx context.Context, sessionID int64, q rehearse.Question, device string, latencyKnown bool) (*Take, error) {
	if s.cfg.Mic == nil {
		return nil, rehearse.ErrNoInputDevice
	}
	if device == "" {
		device, _, _ = s.cfg.Store.Setting(ctx, SettingMicrophone)
	}
	tctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rec, err := s.cfg.Mic.Record(tctx, device)
	if err != nil {
		cancel()
		return nil, err
	}
	t := &Take{svc: s, sessionID: sessionID, q: q, latency: latencyKnown, rec: rec,
		partial: make(chan string, 1), pumped: make(chan struct{}), cancel: cancel}
	if tr, err := s.transcriber(ctx); err == nil {
		t.stream = speech.NewStream(tctx, tr, s.cfg.Speech)
		go func() {
			defer close(t.partial)
			t.forwardPartials(tctx)
		}()
	} else {
		close(t.partial)
	}
	go t.pump()
	return t, nil
}

// pump moves captured audio into the streaming transcriber.
func (t *Take) pump() {
	defer close(t.pumped)
	for chunk := range t.rec.Chunks() {
		if t.stream != nil {
			_ = t.stream.Write(chunk) // an error surfaces again from Finish
		}
	}
}

func (t *Take) forwardPartials(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case tr := <-t.stream.Updates():
			select {
			case <-t.partial:
			default:
			}
			t.partial <- tr.Text
		}
	}
}

// Levels delivers the input level meter while recording; it is closed
// when the recording ends, also when the microphone goes away mid-answer.
func (t *Take) Levels() <-chan rehearse.Level { return t.rec.Levels() }

// Partial delivers the transcript so far (only the latest is kept, the
// whole text each time); it is closed when the take is stopped or
// cancelled, and at once when nothing transcribes as the user speaks.
func (t *Take) Partial() <-chan string { return t.partial }

// Transcribing reports whether the answer is transcribed as it is spoken.
func (t *Take) Transcribing() bool { return t.stream != nil }

// Stop ends the recording, finishes the transcript, scores the answer and
// saves it before returning. If the microphone stopped mid-answer, what was
// captured is still saved: Stop returns the answer (Warning says what
// happened) together with an error wrapping rehearse.ErrDeviceLost. A recording without
// speech is not saved (rehearse.ErrNoSpeech). Without a speech model, or
// when transcription fails or ctx is cancelled while the tail is being
// transcribed, the recording is saved (encrypted) as a pending answer to be
// transcribed later (TranscribePending), and Warning says why.
func (t *Take) Stop(ctx context.Context) (*Answer, error) {
	var (
		rec    rehearse.Audio
		recErr error
	)
	t.stopOnce.Do(func() { rec, recErr = t.rec.Stop() })
	defer t.cancel()
	<-t.pumped
	warning := ""
	if recErr != nil {
		if !errors.Is(recErr, rehearse.ErrDeviceLost) {
			if t.stream != nil {
				t.stream.Close()
			}
			return nil, recErr
		}
		warning = "The microphone stopped responding during this answer; everything recorded until then was kept."
	}
	if over := t.rec.Overruns(); over > 0 {
		warning = fmt.Sprintf("%s %d audio blocks were lost because the computer was busy; the transcript may miss a few words.", warning, over)
	}
	s := t.svc
	a := s.newAttempt(t.sessionID, t.q, rec.Duration())
	a.LatencyKnown = t.latency
	if t.stream == nil {
		if len(audio.DetectSpeech(rec, audio.DefaultVADConfig())) == 0 {
			return nil, rehearse.ErrNoSpeech
		}
		a.Status = rehearse.StatusPendingTranscription
		ans, err := s.analyzeAndAdd(ctx, a, &rec)
		return t.finish(ans, err, recErr, warning)
	}
	tr, err := t.stream.Finish(ctx)
	switch {
	case errors.Is(err, rehearse.ErrNoSpeech):
		return nil, err
	case err != nil:
		// The recording is the answer: keep it to transcribe later, also
		// when the user cancelled the wait (the save must not be cancelled
		// with it).
		a.Status = rehearse.StatusPendingTranscription
		ans, saveErr := s.analyzeAndAdd(context.WithoutCancel(ctx), a, &rec)
		return t.finish(ans, saveErr, recErr, warning+" "+unfinishedWarning(err))
	}
	a.Transcript = tr
	a.Status = rehearse.StatusAnalyzed
	var keep *rehearse.Audio
	if s.keepRecordings(ctx, t.sessionID) {
		keep = &rec
	}
	ans, err := s.analyzeAndAdd(ctx, a, keep)
	return t.finish(ans, err, recErr, warning)
}

func (t *Take) finish(ans *Answer, saveErr, recErr error, warning string) (*Answer, error) {
	if saveErr != nil {
		return nil, saveErr
	}
	ans.Warning = strings.TrimSpace(warning)
	return ans, recErr
}

// Cancel abandons the take: nothing is saved.
func (t *Take) Cancel() {
	t.stopOnce.Do(func() { _, _ = t.rec.Stop() })
	if t.stream != nil {
		t.stream.Close()
	}
	t.cancel()
	<-t.pumped
}
