package practice

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// brokenTranscriber isolates the error paths: it fails with err, or when
// block is set waits until its context ends (a transcription the user
// cancels). It signals started on its first call.
type brokenTranscriber struct {
	err     error
	block   bool
	calls   atomic.Int32
	started chan struct{}
	once    sync.Once
}

func (b *brokenTranscriber) Transcribe(ctx context.Context, _ rehearse.Audio, _ rehearse.TranscribeOptions, _ func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	b.calls.Add(1)
	if b.started != nil {
		b.once.Do(func() { close(b.started) })
	}
	if b.block {
		<-ctx.Done()
		return rehearse.Transcript{}, ctx.Err()
	}
	return rehearse.Transcript{}, b.err
}
func (b *brokenTranscriber) ModelName() string { return "broken" }
func (b *brokenTranscriber) Close() error      { return nil }

func loaderOf(tr rehearse.Transcriber) func(context.Context) (rehearse.Transcriber, error) {
	return func(context.Context) (rehearse.Transcriber, error) { return tr, nil }
}

// checkPending asserts that the answer is stored as pending with its whole
// recording.
func checkPending(t *testing.T, s *Service, ans *Answer, rec rehearse.Audio) {
	t.Helper()
	if ans == nil || ans.Attempt.ID == 0 {
		t.Fatalf("no answer saved: %+v", ans)
	}
	got, err := s.cfg.Store.Attempt(context.Background(), ans.Attempt.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != rehearse.StatusPendingTranscription || !got.HasAudio {
		t.Fatalf("stored answer: status %s, audio %v; want pending with its recording", got.Status, got.HasAudio)
	}
	a, err := s.cfg.Store.AttemptAudio(context.Background(), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := a.Duration() - rec.Duration(); d < -0.01 || d > 0.01 {
		t.Fatalf("kept recording is %.3f s, the answer was %.3f s", a.Duration(), rec.Duration())
	}
	if ans.Warning == "" {
		t.Error("no warning says why the answer was not transcribed")
	}
}

// A spoken answer whose transcription fails or is cancelled while the user
// waits is kept, recording and all, to be transcribed later.
func TestTakeKeepsRecordingWhenTranscriptionFails(t *testing.T) {
	tests := []struct {
		name   string
		tr     *brokenTranscriber
		cancel bool
	}{
		{"fails", &brokenTranscriber{err: errors.New("whisper.cpp failed")}, false},
		{"cancelled", &brokenTranscriber{block: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := tone(0.5, 3)
			s := newService(t, Config{Mic: &fakeMic{audio: rec}, Transcriber: loaderOf(tc.tr)})
			ctx := context.Background()
			sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
			take, err := s.Record(ctx, sess.ID, conflictQ, "", true)
			if err != nil {
				t.Fatal(err)
			}
			stopCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			if tc.cancel {
				time.AfterFunc(200*time.Millisecond, cancel)
			}
			ans, err := take.Stop(stopCtx)
			if err != nil {
				t.Fatalf("Stop: %v", err)
			}
			checkPending(t, s, ans, rec)
			t.Logf("warning: %s", ans.Warning)
		})
	}
}

func TestSubmitAudioKeepsRecordingWhenTranscriptionFails(t *testing.T) {
	tests := []struct {
		name   string
		tr     *brokenTranscriber
		cancel bool
	}{
		{"fails", &brokenTranscriber{err: errors.New("whisper.cpp failed")}, false},
		{"cancelled", &brokenTranscriber{block: true, started: make(chan struct{})}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := tone(0.5, 3)
			s := newService(t, Config{Transcriber: loaderOf(tc.tr)})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
			if tc.cancel {
				go func() { <-tc.tr.started; cancel() }()
			}
			ans, err := s.SubmitAudio(ctx, sess.ID, conflictQ, rec, nil)
			if err != nil {
				t.Fatalf("SubmitAudio: %v", err)
			}
			checkPending(t, s, ans, rec)
		})
	}
}

// submitPending saves n spoken answers while no model is available.
func submitPending(t *testing.T, s *Service, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	sess, err := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range n {
		ans, err := s.SubmitAudio(ctx, sess.ID, conflictQ, tone(0.5, 2), nil)
		if err != nil || ans.Attempt.Status != rehearse.StatusPendingTranscription {
			t.Fatalf("SubmitAudio without a model: %+v, %v", ans, err)
		}
		ids = append(ids, ans.Attempt.ID)
	}
	return ids
}

// switchTranscriber makes s load tr from now on.
func switchTranscriber(s *Service, tr rehearse.Transcriber) {
	s.mu.Lock()
	s.cfg.Transcriber = loaderOf(tr)
	s.mu.Unlock()
	s.ModelChanged()
}

func TestTranscribePendingKeepsWhatFails(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	ids := submitPending(t, s, 2)

	// No model: nothing changes and the error says why.
	rep, err := s.TranscribePending(ctx, nil)
	if !errors.Is(err, rehearse.ErrNoTranscriber) || rep != (PendingReport{Remaining: 2}) {
		t.Fatalf("without a model: %+v, %v", rep, err)
	}

	// A failing model: both stay pending with their recordings, and the
	// error names the failure.
	bad := &brokenTranscriber{err: errors.New("whisper.cpp failed")}
	switchTranscriber(s, bad)
	rep, err = s.TranscribePending(ctx, nil)
	if err == nil || rep != (PendingReport{Remaining: 2}) || bad.calls.Load() < 2 {
		t.Fatalf("with a failing model: %+v, %v (%d calls)", rep, err, bad.calls.Load())
	}
	for _, id := range ids {
		checkStillPending(t, s, id)
	}

	// Cancelled mid-run: the answer under way stays pending.
	block := &brokenTranscriber{block: true, started: make(chan struct{})}
	switchTranscriber(s, block)
	cctx, cancel := context.WithCancel(ctx)
	go func() { <-block.started; cancel() }()
	rep, err = s.TranscribePending(cctx, nil)
	if !errors.Is(err, context.Canceled) || rep != (PendingReport{Remaining: 2}) {
		t.Fatalf("cancelled: %+v, %v", rep, err)
	}
	for _, id := range ids {
		checkStillPending(t, s, id)
	}

	// A working model completes them.
	switchTranscriber(s, &fakeTranscriber{})
	var last PendingProgress
	rep, err = s.TranscribePending(ctx, func(p PendingProgress) { last = p })
	if err != nil || rep != (PendingReport{Transcribed: 2}) || last.Fraction() != 1 {
		t.Fatalf("with a model: %+v, %v, last progress %+v", rep, err, last)
	}
	if n, err := s.PendingCount(ctx); n != 0 || err != nil {
		t.Fatalf("pending afterwards: %d, %v", n, err)
	}
}

func checkStillPending(t *testing.T, s *Service, id int64) {
	t.Helper()
	a, err := s.cfg.Store.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != rehearse.StatusPendingTranscription || !a.HasAudio {
		t.Fatalf("answer %d: status %s, audio %v; want pending with its recording", id, a.Status, a.HasAudio)
	}
}

// nextState waits for a state matching ok.
func nextState(t *testing.T, ch <-chan BacklogState, ok func(BacklogState) bool) BacklogState {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case st, open := <-ch:
			if !open {
				t.Fatal("watch closed")
			}
			if ok(st) {
				return st
			}
		case <-timeout:
			t.Fatal("the backlog never reached the expected state")
		}
	}
}

func TestBacklog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newService(t, Config{})
	submitPending(t, s, 3)
	b := NewBacklog(func() (*Service, error) { return s, nil })
	t.Cleanup(b.Close)
	states := b.Watch(ctx)

	b.Recount()
	nextState(t, states, func(st BacklogState) bool { return st.Waiting == 3 })

	// Without a model the run ends at once and says why.
	b.Start()
	st := nextState(t, states, func(st BacklogState) bool { return !st.Running && st.Err != nil })
	if st.Waiting != 3 || !errors.Is(st.Err, rehearse.ErrNoTranscriber) {
		t.Fatalf("without a model: %+v", st)
	}

	// Cancel stops a run; nothing is lost.
	block := &brokenTranscriber{block: true, started: make(chan struct{})}
	switchTranscriber(s, block)
	b.Start()
	nextState(t, states, func(st BacklogState) bool { return st.Running })
	<-block.started
	b.Cancel()
	st = nextState(t, states, func(st BacklogState) bool { return !st.Running })
	if st.Waiting != 3 || !errors.Is(st.Err, context.Canceled) || st.Transcribed != 0 {
		t.Fatalf("after cancel: %+v", st)
	}

	// A model arrives: the next run completes all three.
	switchTranscriber(s, &fakeTranscriber{})
	b.Start()
	st = nextState(t, states, func(st BacklogState) bool { return !st.Running && st.Transcribed > 0 })
	if st.Waiting != 0 || st.Transcribed != 3 || st.Err != nil || st.Fraction != 1 {
		t.Fatalf("after the run: %+v", st)
	}
}
