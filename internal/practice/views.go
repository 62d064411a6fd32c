package practice

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// This file holds what the front ends show, as plain values: one answer's
// result, a resumed session, a session review and the progress charts.

// Result is one stored answer and its feedback.
type Result struct {
	Attempt  rehearse.Attempt
	Feedback *feedback.Result // nil when Pending
	// Pending means the answer is saved and will be transcribed later.
	Pending bool
	Note    string // shown with the answer, e.g. why it is pending
}

// pendingNote is what a front end says about an answer saved for later.
const pendingNote = "Saved. It will be transcribed when a speech model is available."

// resultOf is the result of a stored attempt: its stored analysis, or a
// fresh one when that cannot be read.
func (s *Service) resultOf(ctx context.Context, a rehearse.Attempt) Result {
	r := Result{Attempt: a, Pending: a.Status != rehearse.StatusAnalyzed}
	if r.Pending {
		r.Note = pendingNote
		return r
	}
	if fb, err := s.Result(ctx, &a); err == nil {
		r.Feedback = fb
	}
	return r
}

// View is the answer as a front end shows it; the feedback just computed
// is used as it is.
func (ans *Answer) View() Result {
	r := Result{Attempt: *ans.Attempt, Feedback: ans.Result, Pending: ans.Attempt.Status != rehearse.StatusAnalyzed}
	if r.Pending {
		r.Note = pendingNote
	}
	if ans.Warning != "" {
		// A pending answer keeps saying when it will be transcribed.
		r.Note = strings.TrimSpace(r.Note + " " + ans.Warning)
	}
	return r
}

// Resumed is an unfinished session, ready to continue.
type Resumed struct {
	Session   rehearse.Session
	Questions []rehearse.Question
	Results   []Result // answers given so far, oldest first
}

// Resume returns an unfinished session with its questions and answers.
func (s *Service) Resume(ctx context.Context, sessionID int64) (Resumed, error) {
	sess, err := s.cfg.Store.Session(ctx, sessionID)
	if err != nil {
		return Resumed{}, err
	}
	b, err := s.Questions(ctx)
	if err != nil {
		return Resumed{}, err
	}
	res := Resumed{Session: *sess}
	for _, id := range sess.Settings.QuestionIDs {
		if q, ok := b.Get(id); ok {
			res.Questions = append(res.Questions, q)
		}
	}
	atts, err := s.cfg.Store.Attempts(ctx, sessionID)
	if err != nil {
		return Resumed{}, err
	}
	for _, a := range atts {
		res.Results = append(res.Results, s.resultOf(ctx, a))
	}
	return res, nil
}

// Review is a finished (or paused) session as the window shows it.
type Review struct {
	Session      rehearse.Session
	Items        []ReviewItem
	JobTerms     []TermUse
	Improvements []string // plain sentences, e.g. "Fillers per 100 words: 6.1 → 3.2"
}

// ReviewItem is one question and every attempt at it, oldest first.
type ReviewItem struct {
	Question rehearse.Question
	Results  []Result
}

// TermUse says whether a term from the job description came up in the answers.
type TermUse struct {
	Term string
	Used bool
}

// Review is a session's results: per question (the questions not answered
// yet follow, with no results), job-term coverage and what changed between
// retakes. It also serves the history's detail.
func (s *Service) Review(ctx context.Context, sessionID int64) (Review, error) {
	sum, err := s.Summary(ctx, sessionID)
	if err != nil {
		return Review{}, err
	}
	b, _ := s.Questions(ctx)
	out := Review{Session: sum.Session}
	answered := map[string]bool{}
	for _, q := range sum.Questions {
		if len(q.Attempts) > 0 {
			answered[q.Attempts[0].QuestionID] = true
		}
	}
	var unanswered []ReviewItem
	if b != nil {
		for _, id := range sum.Session.Settings.QuestionIDs {
			if bq, ok := b.Get(id); ok && !answered[id] {
				answered[id] = true
				unanswered = append(unanswered, ReviewItem{Question: bq})
			}
		}
	}
	for _, q := range sum.Questions {
		item := ReviewItem{Question: rehearse.Question{Text: q.QuestionText, Type: q.QuestionType}}
		if len(q.Attempts) > 0 && b != nil {
			if bq, ok := b.Get(q.Attempts[0].QuestionID); ok {
				item.Question = bq
			}
		}
		for _, a := range q.Attempts {
			item.Results = append(item.Results, s.resultOf(ctx, a))
		}
		out.Items = append(out.Items, item)
		for _, c := range q.Changes {
			word := "changed"
			if c.Better {
				word = "improved"
			}
			out.Improvements = append(out.Improvements, fmt.Sprintf("%s — %s %s: %s → %s",
				short(q.QuestionText), c.What, word, oneDecimal(c.From), oneDecimal(c.To)))
		}
	}
	covered := map[string]bool{}
	for _, t := range sum.Coverage.Covered {
		covered[t] = true
	}
	for _, t := range sum.JobTerms {
		out.JobTerms = append(out.JobTerms, TermUse{Term: t, Used: covered[t]})
	}
	out.Items = append(out.Items, unanswered...)
	return out, nil
}

func short(s string) string {
	r := []rune(s)
	if len(r) > 48 {
		return string(r[:47]) + "…"
	}
	return s
}

func oneDecimal(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// SessionProgress is one point per session with analysed answers, oldest
// first: what the progress charts show.
func (s *Service) SessionProgress(ctx context.Context) ([]SessionPoint, error) {
	pts, err := s.Progress(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	return BySession(pts), nil
}

// Settings are the user's preferences.
type Settings struct {
	FluencyMetrics bool // fillers, pauses and pace feedback
	ExpiryDays     int  // 0 = keep until deleted
	Theme          string
	PrepSeconds    int
	AnswerSeconds  int
	KeepRecordings bool
	Microphone     string // device name, "" = system default
	// Voice is the interviewer's voice (the speech engine's name for it,
	// "" = the system's default) and VoiceRate its speed, from -100
	// (slowest) through 0 (normal) to 100 (fastest).
	Voice     string
	VoiceRate int
	// LastSetup is what the setup screen was last started with.
	LastSetup SetupMemory
}

// SetupMemory is what the setup screen remembers between sessions (kept in
// the encrypted store like everything else).
type SetupMemory struct {
	Role           string   `json:"role,omitempty"`
	Field          string   `json:"field,omitempty"` // chosen under Field; "" = from the role
	JobDescription string   `json:"job_description,omitempty"`
	Types          []string `json:"types,omitempty"`
	Count          int      `json:"count,omitempty"`
}

// Theme names for Settings.Theme.
const (
	ThemeLight  = "light"
	ThemeDark   = "dark"
	ThemeSystem = "system"
)

// DefaultSettings are the preferences before the user changes any: the
// only defaults, shared by every front end.
func DefaultSettings() Settings {
	return Settings{FluencyMetrics: true, Theme: ThemeSystem, PrepSeconds: 30, AnswerSeconds: 180}
}

// Settings reads the user's preferences; a setting that is missing or does
// not parse keeps its default.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	o, err := s.Overrides(ctx)
	if err != nil {
		return Settings{}, err
	}
	out := DefaultSettings()
	if v, ok, _ := s.cfg.Store.Setting(ctx, SettingTheme); ok && v != "" {
		out.Theme = v
	}
	out.Microphone, _, _ = s.cfg.Store.Setting(ctx, SettingMicrophone)
	out.Voice, _, _ = s.cfg.Store.Setting(ctx, SettingVoice)
	out.VoiceRate = s.intSetting(ctx, SettingVoiceRate, out.VoiceRate)
	if v, ok, _ := s.cfg.Store.Setting(ctx, SettingLastSetup); ok {
		// A setting that does not parse is forgotten, not an error: it only
		// pre-fills the setup screen.
		_ = json.Unmarshal([]byte(v), &out.LastSetup)
	}
	out.FluencyMetrics = o.Fluency == nil || *o.Fluency
	out.ExpiryDays, _ = ExpiryDays(ctx, s.cfg.Store)
	out.PrepSeconds = s.intSetting(ctx, SettingPrepSeconds, out.PrepSeconds)
	out.AnswerSeconds = s.intSetting(ctx, SettingAnswerSeconds, out.AnswerSeconds)
	out.KeepRecordings = s.boolSetting(ctx, SettingKeepRecordings, out.KeepRecordings)
	return out, nil
}

// SaveSettings stores the user's preferences; a shorter expiry applies at
// once.
func (s *Service) SaveSettings(ctx context.Context, set Settings) error {
	last, err := json.Marshal(set.LastSetup)
	if err != nil {
		return err
	}
	if err := SetExpiryDays(ctx, s.cfg.Store, set.ExpiryDays); err != nil {
		return err
	}
	for name, v := range map[string]string{
		SettingLastSetup:      string(last),
		SettingTheme:          set.Theme,
		SettingPrepSeconds:    strconv.Itoa(set.PrepSeconds),
		SettingAnswerSeconds:  strconv.Itoa(set.AnswerSeconds),
		SettingKeepRecordings: strconv.FormatBool(set.KeepRecordings),
		SettingMicrophone:     set.Microphone,
		SettingVoice:          set.Voice,
		SettingVoiceRate:      strconv.Itoa(set.VoiceRate),
	} {
		if err := s.cfg.Store.SetSetting(ctx, name, v); err != nil {
			return err
		}
	}
	o, err := s.Overrides(ctx)
	if err != nil {
		return err
	}
	if cur := o.Fluency == nil || *o.Fluency; cur != set.FluencyMetrics {
		f := set.FluencyMetrics
		o.Fluency = &f
		if err := s.SetOverrides(ctx, o); err != nil {
			return err
		}
	}
	if set.ExpiryDays > 0 {
		if _, err := s.ApplyExpiry(ctx); err != nil {
			return err
		}
	}
	return nil
}

// FirstRunDone reports whether the welcome screen was completed.
func (s *Service) FirstRunDone(ctx context.Context) bool {
	return s.boolSetting(ctx, SettingFirstRunDone, false)
}

// SetFirstRunDone remembers that the welcome screen was completed.
func (s *Service) SetFirstRunDone(ctx context.Context) error {
	return s.cfg.Store.SetSetting(ctx, SettingFirstRunDone, "true")
}
