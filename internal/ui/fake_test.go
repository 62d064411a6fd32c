package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeBackend is an in-memory stand-in for the core, used to test the
// window in isolation. It runs the real feedback engine and question bank;
// only storage, audio and models are simulated.
type fakeBackend struct {
	mu        sync.Mutex
	lastPick  questions.Selection
	bank      *questions.Bank
	custom    []rehearse.Question
	sessions  []*fakeSession
	settings  Settings
	overrides feedback.Overrides
	nextID    int64
	clock     time.Time

	// failure switches
	devices      []rehearse.InputDevice
	loseMic      bool // the microphone disappears mid-answer
	noModel      bool // spoken answers stay pending
	downloadErr  error
	downloadHold chan struct{} // when set, a download stops half-way until it is closed
	adviceErr    error
	adviceDelay  time.Duration // how long the self-test takes
	recommends   int
	stopped      int  // self-tests cancelled
	exportRec    bool // the last export asked for recordings
	unlockPass   string
	played       []float64
	models       []ModelInfo
	network      []NetworkUse
	wipes        int
	wipedModels  bool
	exportFormat string
}

type fakeSession struct {
	s       rehearse.Session
	qs      []rehearse.Question
	results []Result
}

// spokenWords is what the simulated microphone "hears".
var spokenWords = strings.Fields("So, um, when our checkout service kept timing out, I led the fix. " +
	"I think we, like, moved the payment calls to a queue and I added retries. Latency dropped by forty percent.")

func newFake() *fakeBackend {
	bank, err := questions.Load()
	if err != nil {
		panic(err)
	}
	return &fakeBackend{
		bank:     bank,
		settings: Settings{FluencyMetrics: true, Theme: ThemeLight, PrepSeconds: 0, AnswerSeconds: 120},
		clock:    time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		devices: []rehearse.InputDevice{
			{Name: "Built-in microphone", Default: true, DefaultRate: 48000, Channels: 1},
			{Name: "USB headset", DefaultRate: 44100, Channels: 1},
		},
		models: []ModelInfo{
			fakeModel("tiny.en", 77704715),
			fakeModel("base.en", 147951465),
			fakeModel("small.en", 487614201),
			fakeModel("base.en-q5_1", 59721011),
			fakeModel("small", 487601967),
		},
	}
}

// fakeModel is a catalogue model as the real model view describes it.
func fakeModel(name string, size int64) ModelInfo {
	d := models.Describe(name)
	return ModelInfo{Name: name, Title: d.Title, File: models.FileName(name), Accuracy: d.Accuracy, SizeBytes: size, Published: true,
		Source: "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-" + name + ".bin"}
}

// tick advances the fake clock so that every record gets a distinct time.
func (f *fakeBackend) tick() time.Time {
	f.clock = f.clock.Add(7 * time.Minute)
	return f.clock
}

func (f *fakeBackend) deps() Deps {
	return Deps{Practice: f, Planner: f, Questions: f, History: f, Rulebook: f, Preferences: f, Data: f, Models: f, Mic: f}
}

func (f *fakeBackend) session(id int64) (*fakeSession, error) {
	for _, s := range f.sessions {
		if s.s.ID == id {
			return s, nil
		}
	}
	return nil, fmt.Errorf("session %d: %w", id, rehearse.ErrNotFound)
}

func (f *fakeBackend) rulebook() *feedback.Rulebook {
	rb, err := feedback.DefaultRulebook().With(f.overrides)
	if err != nil {
		return feedback.DefaultRulebook()
	}
	return rb
}

func (f *fakeBackend) analyze(s *fakeSession, a *rehearse.Attempt) *feedback.Result {
	in := feedback.InputFor(a, feedback.ExtractJobTerms(s.s.JobDescription))
	in.NoFluency = !f.settings.FluencyMetrics
	res := feedback.Analyze(in, f.rulebook())
	a.Analysis = res.JSON()
	a.RulebookVersion = res.RulebookVersion
	a.Status = rehearse.StatusAnalyzed
	return res
}

// --- Practice ---

func (f *fakeBackend) Questions(context.Context) ([]rehearse.Question, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append(f.bank.All(), f.custom...), nil
}

func (f *fakeBackend) SaveQuestion(_ context.Context, q rehearse.Question) (rehearse.Question, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := questions.ValidateCustom(q); err != nil {
		return q, err
	}
	q.Custom = true
	if q.ID == "" {
		f.nextID++
		q.ID = fmt.Sprintf("custom-%d", f.nextID)
		f.custom = append(f.custom, q)
		return q, nil
	}
	for i := range f.custom {
		if f.custom[i].ID == q.ID {
			f.custom[i] = q
			return q, nil
		}
	}
	return q, rehearse.ErrNotFound
}

func (f *fakeBackend) DeleteQuestion(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.custom {
		if f.custom[i].ID == id {
			f.custom = append(f.custom[:i], f.custom[i+1:]...)
			return nil
		}
	}
	return rehearse.ErrNotFound
}

func (f *fakeBackend) Roles(context.Context) ([]string, error) { return f.bank.Roles(), nil }

func (f *fakeBackend) PickQuestions(_ context.Context, s questions.Selection) ([]questions.Picked, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastPick = s
	s.Seed = 1
	return f.bank.With(f.custom).Pick(s), nil
}

func (f *fakeBackend) StartSession(_ context.Context, p Plan) (rehearse.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	now := f.tick()
	s := rehearse.Session{ID: f.nextID, Title: p.Title, JobDescription: p.JobDescription, Settings: p.Settings, CreatedAt: now, UpdatedAt: now}
	f.sessions = append(f.sessions, &fakeSession{s: s, qs: p.Questions})
	return s, nil
}

func (f *fakeBackend) Resume(_ context.Context, id int64) (Resumed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return Resumed{}, err
	}
	return Resumed{Session: s.s, Questions: s.qs, Results: append([]Result(nil), s.results...)}, nil
}

func (f *fakeBackend) newAttempt(s *fakeSession, q rehearse.Question) rehearse.Attempt {
	n := 1
	for _, r := range s.results {
		if r.Attempt.QuestionID == q.ID && r.Attempt.QuestionText == q.Text {
			n++
		}
	}
	f.nextID++
	now := f.tick()
	return rehearse.Attempt{ID: f.nextID, SessionID: s.s.ID, QuestionID: q.ID, QuestionText: q.Text, QuestionType: q.Type,
		Number: n, StartedAt: now, CreatedAt: now}
}

func (f *fakeBackend) SubmitTyped(_ context.Context, sessionID int64, q rehearse.Question, text string, d time.Duration) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(sessionID)
	if err != nil {
		return Result{}, err
	}
	a := f.newAttempt(s, q)
	// as the practice service: a speaking time is kept with the text only
	// when given; otherwise the answer's length is estimated
	a.DurationS = d.Seconds()
	if d <= 0 {
		a.DurationS = feedback.EstimatedSpeakingS(len(strings.Fields(text)))
	}
	a.Transcript = rehearse.Transcript{Text: text, DurationS: max(d.Seconds(), 0), Source: "typed"}
	r := Result{Attempt: a}
	r.Feedback = f.analyze(s, &r.Attempt)
	s.results = append(s.results, r)
	return r, nil
}

func (f *fakeBackend) Record(_ context.Context, sessionID int64, q rehearse.Question) (Take, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.devices) == 0 {
		return nil, fmt.Errorf("open microphone: %w", rehearse.ErrNoInputDevice)
	}
	s, err := f.session(sessionID)
	if err != nil {
		return nil, err
	}
	t := &fakeTake{f: f, s: s, q: q, levels: make(chan rehearse.Level), partial: make(chan string), stop: make(chan struct{})}
	t.finished.Add(1)
	go t.run()
	return t, nil
}

// fakeTake simulates a recording: six level readings, a partial
// transcript, then (when the microphone is "lost") the end of readings.
type fakeTake struct {
	f        *fakeBackend
	s        *fakeSession
	q        rehearse.Question
	levels   chan rehearse.Level
	partial  chan string
	stop     chan struct{}
	once     sync.Once
	finished sync.WaitGroup
	sent     int
}

func (t *fakeTake) run() {
	defer t.finished.Done()
	defer close(t.levels)
	defer close(t.partial)
	lose := t.f.lost()
	for i := 0; i < 6; i++ {
		select {
		case t.levels <- rehearse.Level{RMS: 0.1, Peak: 0.2 + 0.1*float32(i), Elapsed: time.Duration(i+1) * time.Second}:
			t.sent++
		case <-t.stop:
			return
		}
		if i == 2 {
			select {
			case t.partial <- strings.Join(spokenWords[:8], " "):
			case <-t.stop:
				return
			}
		}
	}
	if lose {
		return
	}
	<-t.stop
}

func (f *fakeBackend) lost() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.loseMic
}

func (t *fakeTake) Levels() <-chan rehearse.Level { return t.levels }
func (t *fakeTake) Partial() <-chan string        { return t.partial }
func (t *fakeTake) Cancel() {
	t.once.Do(func() { close(t.stop) })
	t.finished.Wait()
}

func (t *fakeTake) Stop(context.Context) (Result, error) {
	t.Cancel()
	f := t.f
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.newAttempt(t.s, t.q)
	n := len(spokenWords)
	var lostErr error
	if f.loseMic {
		n = n / 2
		lostErr = fmt.Errorf("record: %w", rehearse.ErrDeviceLost)
	}
	words := make([]rehearse.Word, n)
	at := 0.8
	for i := range words {
		if i == 12 {
			at += 2.4 // a long pause
		}
		words[i] = rehearse.Word{Text: " " + spokenWords[i], Start: at, End: at + 0.3, P: 0.9}
		at += 0.4
	}
	var text []string
	for _, w := range words {
		text = append(text, strings.TrimSpace(w.Text))
	}
	a.DurationS = at + 0.5
	a.HasAudio = t.s.s.Settings.KeepRecordings
	a.LatencyKnown = true
	r := Result{Attempt: a}
	if f.noModel {
		a.Status = rehearse.StatusPendingTranscription
		r = Result{Attempt: a, Pending: true, Note: "No speech model is installed: the recording is saved and will be transcribed once you add one (Settings → Speech models)."}
	} else {
		r.Attempt.Transcript = rehearse.Transcript{Text: strings.Join(text, " "), Words: words, Timed: true, DurationS: a.DurationS, Source: "whisper:base.en"}
		r.Feedback = f.analyze(t.s, &r.Attempt)
	}
	t.s.results = append(t.s.results, r)
	return r, lostErr
}

func (f *fakeBackend) Reanalyze(_ context.Context, attemptID int64, text string) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.sessions {
		for i := range s.results {
			r := &s.results[i]
			if r.Attempt.ID != attemptID {
				continue
			}
			c := rehearse.Transcript{Text: text, DurationS: r.Attempt.DurationS, Source: "edited"}
			r.Attempt.Corrected = &c
			r.Pending = false
			r.Feedback = f.analyze(s, &r.Attempt)
			return *r, nil
		}
	}
	return Result{}, rehearse.ErrNotFound
}

func (f *fakeBackend) FinishSession(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return err
	}
	t := f.tick()
	s.s.FinishedAt = &t
	return nil
}

func (f *fakeBackend) Summary(_ context.Context, id int64) (Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.session(id)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Session: s.s}
	var answers []string
	for _, q := range s.qs {
		it := SummaryItem{Question: q}
		for _, r := range s.results {
			if r.Attempt.QuestionID == q.ID {
				it.Results = append(it.Results, r)
				answers = append(answers, r.Attempt.Effective().Text)
			}
		}
		if n := len(it.Results); n > 1 && it.Results[0].Feedback != nil && it.Results[n-1].Feedback != nil {
			a, b := it.Results[0].Feedback.Metrics, it.Results[n-1].Feedback.Metrics
			sum.Improvements = append(sum.Improvements, fmt.Sprintf("“%s”: %d → %d words, STAR %d/4 → %d/4 (attempt 1 → %d)",
				short(q.Text), a.WordCount, b.WordCount, a.Star.Components, b.Star.Components, n))
		}
		sum.Items = append(sum.Items, it)
	}
	if terms := feedback.ExtractJobTerms(s.s.JobDescription); len(terms) > 0 {
		cov := feedback.SessionCoverage(terms, answers)
		used := map[string]bool{}
		for _, c := range cov.Covered {
			used[c] = true
		}
		for _, t := range cov.Terms {
			sum.JobTerms = append(sum.JobTerms, TermUse{Term: t, Used: used[t]})
		}
	}
	return sum, nil
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (f *fakeBackend) matches(s *fakeSession, text string) bool {
	text = strings.ToLower(text)
	if strings.Contains(strings.ToLower(s.s.Title), text) {
		return true
	}
	for _, r := range s.results {
		if strings.Contains(strings.ToLower(r.Attempt.Effective().Text), text) || strings.Contains(strings.ToLower(r.Attempt.QuestionText), text) {
			return true
		}
	}
	return false
}

func (f *fakeBackend) Sessions(_ context.Context, flt rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []rehearse.SessionSummary
	for i := len(f.sessions) - 1; i >= 0; i-- {
		s := f.sessions[i]
		if flt.Text != "" && !f.matches(s, flt.Text) {
			continue
		}
		if !flt.Since.IsZero() && s.s.CreatedAt.Before(flt.Since) {
			continue
		}
		qs := map[string]bool{}
		var spoken float64
		for _, r := range s.results {
			qs[r.Attempt.QuestionText] = true
			spoken += r.Attempt.DurationS
		}
		out = append(out, rehearse.SessionSummary{Session: s.s, Attempts: len(s.results), Questions: len(qs), SpokenS: spoken})
		if flt.Limit > 0 && len(out) == flt.Limit {
			break
		}
	}
	return out, nil
}

func (f *fakeBackend) DeleteSession(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.sessions {
		if s.s.ID == id {
			f.sessions = append(f.sessions[:i], f.sessions[i+1:]...)
			return nil
		}
	}
	return rehearse.ErrNotFound
}

func (f *fakeBackend) Progress(context.Context) ([]ProgressPoint, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ProgressPoint
	for _, s := range f.sessions {
		var fill, hedge, pace, star, length []float64
		for _, r := range s.results {
			if r.Feedback == nil {
				continue
			}
			m := r.Feedback.Metrics
			if m.FillerRate != nil {
				fill = append(fill, *m.FillerRate)
			}
			hedge = append(hedge, m.HedgeRate)
			if m.SpeakingRateWPM != nil {
				pace = append(pace, *m.SpeakingRateWPM)
			}
			if feedback.StarApplies(r.Attempt.QuestionType, m.Star) {
				star = append(star, float64(m.Star.Components)/4)
			}
			band := questions.Band(r.Attempt.QuestionType)
			if mid := (band.Target[0] + band.Target[1]) / 2; mid > 0 {
				length = append(length, 100*r.Attempt.DurationS/mid)
			}
		}
		if len(hedge) == 0 {
			continue
		}
		out = append(out, ProgressPoint{At: s.s.CreatedAt, SessionID: s.s.ID, FillerRate: mean(fill), HedgeRate: mean(hedge),
			PaceWPM: mean(pace), STARShare: mean(star), LengthPct: mean(length)})
	}
	return out, nil
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func (f *fakeBackend) Rules(context.Context) ([]feedback.RuleInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rulebook().Rules(), nil
}

func (f *fakeBackend) RuleList(_ context.Context, id, list string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rulebook().List(id, list), nil
}

func (f *fakeBackend) Overrides(context.Context) (feedback.Overrides, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overrides, nil
}

func (f *fakeBackend) SetOverrides(_ context.Context, o feedback.Overrides) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := feedback.DefaultRulebook().With(o); err != nil {
		return err
	}
	f.overrides = o
	return nil
}

func (f *fakeBackend) Rescore(ctx context.Context, progress func(done, total int)) error {
	f.mu.Lock()
	total := 0
	for _, s := range f.sessions {
		total += len(s.results)
	}
	f.mu.Unlock()
	done := 0
	for _, s := range f.sessions {
		for i := range s.results {
			if err := ctx.Err(); err != nil {
				return err
			}
			f.mu.Lock()
			r := &s.results[i]
			if !r.Pending {
				r.Feedback = f.analyze(s, &r.Attempt)
			}
			f.mu.Unlock()
			done++
			progress(done, total)
		}
	}
	return nil
}

func (f *fakeBackend) Settings(context.Context) (Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings, nil
}

func (f *fakeBackend) SaveSettings(_ context.Context, s Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settings = s
	return nil
}

func (f *fakeBackend) Play(_ context.Context, _ int64, from float64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.played = append(f.played, from)
	return nil
}

// --- Data ---

func (f *fakeBackend) Stats(context.Context) (DataStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := DataStats{KeyLocation: "OS keyring (Secret Service), item “Rehearse store key”", ExpiryDays: f.settings.ExpiryDays,
		Paths: []NamedPath{{"Database", "/home/sam/.local/share/rehearse/rehearse.db"}, {"Models", "/home/sam/.cache/rehearse/models"},
			{"Settings", "/home/sam/.config/rehearse"}}}
	st.Store = rehearse.StoreStats{Sessions: len(f.sessions), CustomQuestion: len(f.custom), CipherVersion: "4.6.1 community", CipherProvider: "openssl", SchemaVersion: 1}
	for _, s := range f.sessions {
		for _, r := range s.results {
			st.Store.Attempts++
			if r.Attempt.HasAudio {
				st.Store.Recordings++
				st.Store.RecordingBytes += int64(r.Attempt.DurationS * 32000)
			}
			if st.Store.Oldest.IsZero() || r.Attempt.CreatedAt.Before(st.Store.Oldest) {
				st.Store.Oldest = r.Attempt.CreatedAt
			}
			if r.Attempt.CreatedAt.After(st.Store.Newest) {
				st.Store.Newest = r.Attempt.CreatedAt
			}
		}
	}
	st.Store.FileBytes = 98304 + int64(st.Store.Attempts)*4096 + st.Store.RecordingBytes
	for _, m := range f.models {
		if m.Installed {
			st.ModelBytes += m.SizeBytes
		}
	}
	return st, nil
}

func (f *fakeBackend) Export(_ context.Context, path, format string, recordings bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exportRec = recordings
	var recs []rehearse.SessionRecord
	for _, s := range f.sessions {
		rec := rehearse.SessionRecord{Session: s.s}
		for _, r := range s.results {
			rec.Attempts = append(rec.Attempts, r.Attempt)
		}
		recs = append(recs, rec)
	}
	var data []byte
	switch format {
	case "json":
		var err error
		if data, err = json.MarshalIndent(recs, "", "  "); err != nil {
			return err
		}
	case "markdown":
		var b strings.Builder
		for _, r := range recs {
			fmt.Fprintf(&b, "# %s\n\n", r.Session.Title)
			for _, a := range r.Attempts {
				fmt.Fprintf(&b, "## %s (attempt %d)\n\n%s\n\n", a.QuestionText, a.Number, a.Effective().Text)
			}
		}
		data = []byte(b.String())
	default:
		return &rehearse.InputError{Field: "format", Value: format, Reason: "want json or markdown"}
	}
	f.exportFormat = format
	return os.WriteFile(path, data, 0o600)
}

func (f *fakeBackend) WipeAll(_ context.Context, models bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wipes++
	f.sessions, f.custom, f.overrides = nil, nil, feedback.Overrides{}
	f.settings = Settings{FluencyMetrics: true, Theme: ThemeLight, AnswerSeconds: 120}
	if models {
		f.wipedModels = true
		for i := range f.models {
			f.models[i].Installed, f.models[i].Active, f.models[i].Trust = false, false, ""
		}
	}
	return nil
}

func (f *fakeBackend) Network(context.Context) ([]NetworkUse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]NetworkUse(nil), f.network...), nil
}

// --- Models ---

func (f *fakeBackend) Available() bool { return true }

func (f *fakeBackend) List(context.Context) ([]ModelInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]ModelInfo(nil), f.models...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Installed && !out[j].Installed })
	return out, nil
}

func (f *fakeBackend) Download(ctx context.Context, name string, progress func(done, total int64)) error {
	f.mu.Lock()
	err, hold := f.downloadErr, f.downloadHold
	var size, from int64
	for _, m := range f.models {
		if m.Name == name {
			size, from = m.SizeBytes, m.Partial
		}
	}
	f.mu.Unlock()
	keep := func(done int64) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i := range f.models {
			if f.models[i].Name == name {
				f.models[i].Partial = done
			}
		}
	}
	for i := int64(1); i <= 4; i++ {
		done := max(from, size*i/4)
		if ctx.Err() != nil {
			keep(done)
			return ctx.Err()
		}
		progress(done, size)
		if err != nil && i == 2 {
			keep(done)
			return fmt.Errorf("download %s: %w", name, err)
		}
		if hold != nil && i == 2 {
			select {
			case <-hold:
			case <-ctx.Done():
				keep(done)
				return ctx.Err()
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	active := false
	for _, m := range f.models {
		active = active || m.Active
	}
	for i := range f.models {
		if f.models[i].Name == name {
			f.models[i].Installed, f.models[i].Trust, f.models[i].Partial = true, "verified", 0
			f.models[i].Active = !active // the first model installed is the one used
		}
	}
	f.network = append(f.network, NetworkUse{What: "model download: " + name, Bytes: size - from, At: f.tick()})
	f.noModel = false
	return nil
}

// Recommend is a measured advice as the self-test gives it on a middling
// laptop: base.en keeps up with speech, small.en does not.
func (f *fakeBackend) Recommend(ctx context.Context, progress func(string)) (ModelAdvice, error) {
	f.mu.Lock()
	f.recommends++
	delay := f.adviceDelay
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		f.mu.Lock()
		f.stopped++
		f.mu.Unlock()
		return ModelAdvice{}, ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.adviceErr != nil {
		return ModelAdvice{}, f.adviceErr
	}
	measured := []ModelSpeed{{"tiny.en", 0.12, true}, {"base.en", 0.31, true}, {"small.en", 0.87, false}}
	for _, m := range measured {
		if progress != nil {
			progress(m.Name)
		}
	}
	adv := ModelAdvice{RTF: 0.31, Streams: true, Measured: measured, Threads: 2, Free: 12 << 30}
	for _, m := range f.models {
		if m.Name == "base.en" {
			adv.Model = m
		}
	}
	return adv, nil
}

func (f *fakeBackend) Import(_ context.Context, path string) (ModelInfo, error) {
	if !strings.HasSuffix(path, ".bin") {
		return ModelInfo{}, fmt.Errorf("import %q: %w", path, rehearse.ErrBadModel)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".bin")
	m := ModelInfo{Name: name, Title: name, File: name, Accuracy: "A model you imported", Installed: true, Trust: "checked"}
	f.mu.Lock()
	f.models = append(f.models, m)
	f.mu.Unlock()
	return m, nil
}

func (f *fakeBackend) Remove(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.models {
		if f.models[i].Name == name {
			f.models[i].Installed, f.models[i].Active = false, false
		}
	}
	return nil
}

func (f *fakeBackend) Use(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.models {
		f.models[i].Active = f.models[i].Name == name
	}
	return nil
}

func (f *fakeBackend) Threads() int         { return 2 }
func (f *fakeBackend) SetThreads(int) error { return nil }

// --- Mic ---

func (f *fakeBackend) Devices(context.Context) ([]rehearse.InputDevice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]rehearse.InputDevice(nil), f.devices...), nil
}

func (f *fakeBackend) Test(_ context.Context, device string, _ time.Duration, level func(rehearse.Level)) (float32, error) {
	if len(f.devices) == 0 {
		return 0, rehearse.ErrNoInputDevice
	}
	var peak float32
	for i := 1; i <= 5; i++ {
		l := rehearse.Level{Peak: 0.1 * float32(i), RMS: 0.05 * float32(i), Elapsed: time.Duration(i) * 600 * time.Millisecond}
		peak = max(peak, l.Peak)
		level(l)
	}
	return peak, nil
}

// unlock is the fake passphrase check.
func (f *fakeBackend) unlock(_ context.Context, pass string) error {
	if pass != f.unlockPass {
		return fmt.Errorf("open store: %w", rehearse.ErrCannotUnlock)
	}
	return nil
}
