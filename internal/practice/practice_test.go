package practice

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

// newService returns a service on a real encrypted store in a temporary
// folder.
func newService(t *testing.T, cfg Config) *Service {
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
	cfg.Store = st
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var conflictQ = rehearse.Question{ID: "beh-test", Text: "Tell me about a time you disagreed with a teammate.", Type: rehearse.Behavioral}

const goodAnswer = `Last year our team was missing every release deadline because reviews piled up.
I was responsible for the release process, so I needed to fix it. I set up a review rota and
I wrote a checklist for reviewers. As a result, review time dropped from four days to one day
and we shipped the next three releases on time.`

func TestSubmitTextStoresAndScores(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, err := s.StartSession(ctx, "Backend engineer", "We need Kubernetes and PostgreSQL experience. Kubernetes on-call.", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	ans, err := s.SubmitText(ctx, sess.ID, conflictQ, goodAnswer, 75)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Attempt.ID == 0 || ans.Attempt.Number != 1 || ans.Result == nil {
		t.Fatalf("attempt not saved or scored: %+v", ans.Attempt)
	}
	got, err := s.cfg.Store.Attempt(ctx, ans.Attempt.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Transcript.Text != strings.TrimSpace(goodAnswer) || got.RulebookVersion == "" || len(got.Analysis) == 0 {
		t.Fatalf("stored attempt incomplete: %+v", got)
	}
	m, ok := MetricsOf(got)
	if !ok || !m.Star.Result || m.QuantifiedResults < 1 {
		t.Fatalf("metrics from stored analysis: %+v (ok=%v)", m, ok)
	}

	// A retake of the same question gets the next number.
	again, err := s.SubmitText(ctx, sess.ID, conflictQ, "Um, so, like, we kind of fixed it, I think.", 20)
	if err != nil {
		t.Fatal(err)
	}
	if again.Attempt.Number != 2 {
		t.Fatalf("retake number = %d, want 2", again.Attempt.Number)
	}
	sum, err := s.Summary(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Questions) != 1 || len(sum.Questions[0].Attempts) != 2 {
		t.Fatalf("summary groups attempts by question: %+v", sum.Questions)
	}
	if len(sum.Questions[0].Changes) == 0 {
		t.Fatal("summary shows no change between two different attempts")
	}
	if len(sum.JobTerms) == 0 {
		t.Fatal("job terms not extracted for the summary")
	}
}

func TestSubmitTextBadInput(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, err := s.StartSession(ctx, "", "", rehearse.SessionSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sess.Title, "Practice ") {
		t.Fatalf("default title %q", sess.Title)
	}
	tests := []struct {
		name, text string
		wantErr    bool
	}{
		{"empty", "   \n ", true},
		{"5000 words", strings.Repeat("word ", 5000), false},
		{"only fillers", "um uh um like uh", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := s.SubmitText(ctx, sess.ID, conflictQ, tc.text, 0)
			var ie *rehearse.InputError
			if tc.wantErr {
				if !errors.As(err, &ie) {
					t.Fatalf("err = %v, want an InputError", err)
				}
				return
			}
			if err != nil || ans.Result == nil {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestEditTranscriptKeepsTimings(t *testing.T) {
	orig := rehearse.Transcript{Timed: true, Words: []rehearse.Word{
		{Text: "I", Start: 0.5, End: 0.6, P: 0.9},
		{Text: "led", Start: 0.6, End: 0.9, P: 0.9},
		{Text: "the", Start: 3.5, End: 3.6, P: 0.9},
		{Text: "migraine.", Start: 3.6, End: 4.2, P: 0.4},
	}}
	c := correct(orig, "I led the migration.")
	if !c.Timed || len(c.Words) != 4 {
		t.Fatalf("corrected = %+v", c)
	}
	if c.Words[2].Start != 3.5 || c.Words[1].End != 0.9 {
		t.Fatalf("kept words lost their times: %+v", c.Words)
	}
	if w := c.Words[3]; w.Start < 3.6 || w.End > 4.2+1e-9 || w.P != 1 {
		t.Fatalf("new word placed at %+v, want inside the gap with p=1", w)
	}
}

func TestEditTranscriptAndRescore(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	ans, err := s.SubmitText(ctx, sess.ID, conflictQ, "We fixed the bug.", 30)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := s.EditTranscript(ctx, ans.Attempt.ID, goodAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if ed.Attempt.Corrected == nil || ed.Attempt.Corrected.Source != "edited" || ed.Attempt.Transcript.Text != "We fixed the bug." {
		t.Fatalf("correction not kept beside the original: %+v", ed.Attempt)
	}
	if m, _ := MetricsOf(ed.Attempt); m.QuantifiedResults == 0 {
		t.Fatal("edited answer was not re-analysed")
	}
	// Turning a rule off changes the stored analysis on re-score.
	o, err := feedback.ParseOverrides([]byte(`{"rules":{"quantified":{"enabled":false}}}`))
	if err != nil {
		t.Skipf("rulebook override syntax differs: %v", err)
	}
	if err := s.SetOverrides(ctx, o); err != nil {
		t.Fatal(err)
	}
	n, err := s.RescoreAll(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("rescored %d answers, want 1", n)
	}
}

// fakeTranscriber isolates the service from whisper.cpp: it "hears" one
// word per 0.4 s of speech.
type fakeTranscriber struct{ calls int }

func (f *fakeTranscriber) Transcribe(ctx context.Context, a rehearse.Audio, _ rehearse.TranscribeOptions, _ func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	f.calls++
	var ws []rehearse.Word
	for t := 0.1; t+0.3 < a.Duration(); t += 0.4 {
		ws = append(ws, rehearse.Word{Text: "word", Start: t, End: t + 0.3, P: 0.9})
	}
	return rehearse.Transcript{Words: ws, Timed: true}, ctx.Err()
}
func (f *fakeTranscriber) ModelName() string { return "fake" }
func (f *fakeTranscriber) Close() error      { return nil }

// tone returns speech-like audio: a 200 Hz tone with silence around it.
func tone(silence, speech float64) rehearse.Audio {
	n := int((2*silence + speech) * rehearse.SampleRate)
	s := make([]float32, n)
	for i := int(silence * rehearse.SampleRate); i < int((silence+speech)*rehearse.SampleRate); i++ {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*200*float64(i)/rehearse.SampleRate))
	}
	return rehearse.Audio{Samples: s}
}

func TestSubmitAudioWithoutTranscriberKeepsItForLater(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	if _, err := s.SubmitAudio(ctx, sess.ID, conflictQ, tone(2, 0), nil); !errors.Is(err, rehearse.ErrNoSpeech) {
		t.Fatalf("silent recording: err = %v, want ErrNoSpeech", err)
	}
	ans, err := s.SubmitAudio(ctx, sess.ID, conflictQ, tone(1, 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Attempt.Status != rehearse.StatusPendingTranscription || ans.Result != nil {
		t.Fatalf("want a pending attempt, got %+v", ans.Attempt)
	}
	if _, err := s.cfg.Store.AttemptAudio(ctx, ans.Attempt.ID); err != nil {
		t.Fatalf("audio not kept for later transcription: %v", err)
	}

	// Once a model is there, the pending answer is transcribed, scored and
	// its audio dropped.
	ft := &fakeTranscriber{}
	s.cfg.Transcriber = func(context.Context) (rehearse.Transcriber, error) { return ft, nil }
	rep, err := s.TranscribePending(ctx, nil)
	if err != nil || rep != (PendingReport{Transcribed: 1}) {
		t.Fatalf("TranscribePending = %+v, %v", rep, err)
	}
	got, _ := s.cfg.Store.Attempt(ctx, ans.Attempt.ID)
	if got.Status != rehearse.StatusAnalyzed || len(got.Transcript.Words) == 0 || got.Transcript.Source != "whisper:fake" {
		t.Fatalf("pending attempt not completed: %+v", got)
	}
	if _, err := s.cfg.Store.AttemptAudio(ctx, ans.Attempt.ID); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("audio kept after transcription without 'keep recordings': %v", err)
	}
}

// fakeMic isolates the service from PortAudio: it plays back a prepared
// recording in 100 ms chunks, optionally losing the device part-way.
type fakeMic struct {
	audio rehearse.Audio
	lose  bool
}

func (m *fakeMic) Devices(context.Context) ([]rehearse.InputDevice, error) { return nil, nil }
func (m *fakeMic) Record(ctx context.Context, device string) (rehearse.Recording, error) {
	r := &fakeRec{chunks: make(chan []float32, 1024), levels: make(chan rehearse.Level, 1), stopped: make(chan struct{})}
	go func() {
		defer close(r.chunks)
		step := rehearse.SampleRate / 10
		for i := 0; i < len(m.audio.Samples); i += step {
			end := min(i+step, len(m.audio.Samples))
			if m.lose && i > len(m.audio.Samples)/2 {
				r.mu.Lock()
				r.err = rehearse.ErrDeviceLost
				r.mu.Unlock()
				return
			}
			r.mu.Lock()
			r.got = append(r.got, m.audio.Samples[i:end]...)
			r.mu.Unlock()
			r.chunks <- m.audio.Samples[i:end]
		}
	}()
	return r, nil
}

type fakeRec struct {
	mu      sync.Mutex
	got     []float32
	err     error
	chunks  chan []float32
	levels  chan rehearse.Level
	stopped chan struct{}
}

func (r *fakeRec) Levels() <-chan rehearse.Level { return r.levels }
func (r *fakeRec) Chunks() <-chan []float32      { return r.chunks }
func (r *fakeRec) Overruns() int                 { return 0 }
func (r *fakeRec) Stop() (rehearse.Audio, error) {
	// Wait for the prepared audio to be delivered, as a real device
	// would have delivered it by the time the user presses stop.
	for range 200 {
		r.mu.Lock()
		done := r.err != nil || len(r.got) > 0 && len(r.chunks) == 0
		r.mu.Unlock()
		if done {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	r.mu.Lock()
	defer r.mu.Unlock()
	return rehearse.Audio{Samples: append([]float32(nil), r.got...)}, r.err
}

func TestRecordTranscribesWhileSpeaking(t *testing.T) {
	tests := []struct {
		name        string
		lose        bool
		transcriber bool
		wantStatus  rehearse.AttemptStatus
		wantWarning bool
	}{
		{"streaming", false, true, rehearse.StatusAnalyzed, false},
		{"device lost", true, true, rehearse.StatusAnalyzed, true},
		{"no model", false, false, rehearse.StatusPendingTranscription, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			cfg := Config{Mic: &fakeMic{audio: tone(0.5, 6), lose: tc.lose}}
			if tc.transcriber {
				cfg.Transcriber = func(context.Context) (rehearse.Transcriber, error) { return &fakeTranscriber{}, nil }
			}
			s := newService(t, cfg)
			sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
			take, err := s.Record(ctx, sess.ID, conflictQ, "", true)
			if err != nil {
				t.Fatal(err)
			}
			ans, err := take.Stop(ctx)
			if tc.lose != errors.Is(err, rehearse.ErrDeviceLost) || ans == nil {
				t.Fatalf("Stop = %v, %v", ans, err)
			}
			if ans.Attempt.Status != tc.wantStatus || ans.Attempt.ID == 0 {
				t.Fatalf("attempt = %+v", ans.Attempt)
			}
			if (ans.Warning != "") != tc.wantWarning {
				t.Fatalf("warning = %q", ans.Warning)
			}
			if tc.transcriber && len(ans.Attempt.Transcript.Words) == 0 {
				t.Fatal("no words transcribed")
			}
			if !ans.Attempt.LatencyKnown {
				t.Fatal("latency flag lost")
			}
			// The live transcript ends with the take, so a front end
			// reading it is not left waiting.
			select {
			case _, open := <-drain(take.Partial()):
				if open {
					t.Fatal("Partial still open after Stop")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Partial not closed after Stop")
			}
		})
	}
}

// drain reads ch to its end and then reports it closed.
func drain(ch <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		for range ch {
		}
		close(out)
	}()
	return out
}

// TestSettingsDefaults: a new store has the one set of defaults every
// front end shows, and what is saved is read back.
func TestSettingsDefaults(t *testing.T) {
	ctx := context.Background()
	s := newService(t, Config{})
	got, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{FluencyMetrics: true, Theme: ThemeSystem, PrepSeconds: 30, AnswerSeconds: 180}
	if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(DefaultSettings()) != fmt.Sprint(want) {
		t.Fatalf("defaults = %+v, DefaultSettings = %+v; want %+v", got, DefaultSettings(), want)
	}
	set := Settings{FluencyMetrics: false, ExpiryDays: 30, Theme: ThemeDark, PrepSeconds: 10, AnswerSeconds: 90,
		KeepRecordings: true, Microphone: "USB", Voice: "English (America)+Alex", VoiceRate: -30, LastSetup: SetupMemory{Role: "nurse", Count: 3}}
	if err := s.SaveSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Settings(ctx); err != nil || fmt.Sprint(got) != fmt.Sprint(set) {
		t.Fatalf("read back %+v, %v; want %+v", got, err, set)
	}
	if err := s.SaveSettings(ctx, Settings{ExpiryDays: -1}); err == nil {
		t.Fatal("negative expiry saved")
	}
}

func TestRecordWithoutMicrophone(t *testing.T) {
	s := newService(t, Config{})
	if _, err := s.Record(context.Background(), 1, conflictQ, "", false); !errors.Is(err, rehearse.ErrNoInputDevice) {
		t.Fatalf("err = %v, want ErrNoInputDevice", err)
	}
}

func TestProgressAndExpiry(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	s := newService(t, Config{Now: func() time.Time { return now }})
	sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	for i := 0; i < 3; i++ {
		if _, err := s.SubmitText(ctx, sess.ID, conflictQ, goodAnswer, 80); err != nil {
			t.Fatal(err)
		}
	}
	pts, err := s.Progress(ctx, time.Time{})
	if err != nil || len(pts) != 3 {
		t.Fatalf("progress = %d points, %v", len(pts), err)
	}
	if pts[0].TargetHi != 150 || pts[0].StarParts == 0 {
		t.Fatalf("point = %+v", pts[0])
	}
	if n, err := s.ApplyExpiry(ctx); n != 0 || err != nil {
		t.Fatalf("expiry off: %d, %v", n, err)
	}
	if err := s.cfg.Store.SetSetting(ctx, SettingExpiryDays, "30"); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 31)
	n, err := s.ApplyExpiry(ctx)
	if err != nil || n != 3 {
		t.Fatalf("expired %d answers, %v; want 3", n, err)
	}
}

// TestExpireDaily keeps the service running across simulated days: it
// applies expiry once a day has passed since the last run, so an answer that
// reaches the expiry age while the window stays open is gone within a day.
func TestExpireDaily(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	// The store dates answers by the computer's clock; the service's clock
	// starts there and then jumps ahead.
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := newService(t, Config{Now: clock})
	sess, _ := s.StartSession(ctx, "t", "", rehearse.SessionSettings{})
	if _, err := s.SubmitText(ctx, sess.ID, conflictQ, goodAnswer, 80); err != nil {
		t.Fatal(err)
	}
	if err := s.cfg.Store.SetSetting(ctx, SettingExpiryDays, "2"); err != nil {
		t.Fatal(err)
	}
	// As at start-up: nothing is two days old yet.
	if n, err := s.ApplyExpiry(ctx); n != 0 || err != nil {
		t.Fatalf("at start: expired %d, %v", n, err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.ExpireDaily(runCtx, time.Millisecond); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	steps := []struct {
		after   time.Duration // since the answer was saved
		want    int           // answers left
		lastRun time.Duration // when expiry last ran
		why     string
	}{
		{23 * time.Hour, 1, 0, "not due: the last run was 23 h ago"},
		{25 * time.Hour, 1, 25 * time.Hour, "due, but the answer is not two days old"},
		{47 * time.Hour, 1, 25 * time.Hour, "not due: the last run was 22 h ago"},
		{49 * time.Hour, 0, 49 * time.Hour, "due, and the answer is older than two days"},
	}
	start := clock()
	for _, st := range steps {
		mu.Lock()
		now = start.Add(st.after)
		mu.Unlock()
		// Let many checks pass; wait longer for a run that is due (a busy
		// machine may be slow to schedule the checker).
		want := start.Add(st.lastRun).Format(time.RFC3339)
		time.Sleep(50 * time.Millisecond)
		last, _, _ := s.cfg.Store.Setting(ctx, SettingLastExpiry)
		for deadline := time.Now().Add(10 * time.Second); last != want && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			last, _, _ = s.cfg.Store.Setting(ctx, SettingLastExpiry)
		}
		if last != want {
			t.Fatalf("after %v: last run %s, want %s (%s)", st.after, last, want, st.why)
		}
		atts, err := s.cfg.Store.AllAttempts(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(atts) != st.want {
			t.Fatalf("after %v: %d answers, want %d (%s)", st.after, len(atts), st.want, st.why)
		}
	}
}

// TestExpirySetting is the one reading of the expiry setting that the
// command line and the window share: a damaged value deletes nothing.
func TestExpirySetting(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	s := newService(t, Config{Now: func() time.Time { return now }})
	st := s.cfg.Store
	for _, age := range []int{100, 40, 10, 1} {
		sess := &rehearse.Session{Title: "age", CreatedAt: now.AddDate(0, 0, -age)}
		if err := st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		a := &rehearse.Attempt{SessionID: sess.ID, QuestionText: "q", QuestionType: rehearse.Intro, Status: rehearse.StatusAnalyzed, CreatedAt: now.AddDate(0, 0, -age)}
		if err := st.AddAttempt(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := ApplyExpiry(ctx, st, now); n != 0 || err != nil {
		t.Fatalf("expiry off: %d, %v", n, err)
	}
	for _, bad := range []int{-1, MaxExpiryDays + 1} {
		if err := SetExpiryDays(ctx, st, bad); err == nil {
			t.Fatalf("%d days accepted", bad)
		}
	}
	if err := st.SetSetting(ctx, SettingExpiryDays, "soon"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ApplyExpiry(ctx); n != 0 || err == nil {
		t.Fatalf("damaged setting: expired %d, %v; want nothing deleted and an error", n, err)
	}
	if err := st.SetSetting(ctx, SettingExpiryDays, `"30"`); err != nil {
		t.Fatal(err)
	}
	if d, err := ExpiryDays(ctx, st); d != 30 || err != nil {
		t.Fatalf("quoted days = %d, %v", d, err)
	}
	if err := SetExpiryDays(ctx, st, 30); err != nil {
		t.Fatal(err)
	}
	n, err := s.ApplyExpiry(ctx)
	if n != 2 || err != nil {
		t.Fatalf("expired %d, %v; want 2", n, err)
	}
	if v, ok, _ := st.Setting(ctx, SettingLastExpiry); !ok || v != now.Format(time.RFC3339) {
		t.Fatalf("last expiry = %q, %v", v, ok)
	}
}
