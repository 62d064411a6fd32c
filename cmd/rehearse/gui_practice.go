package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/ui"
)

// guiPractice presents the practice service to the window.
type guiPractice struct {
	// service returns the practice service open now: it changes after an
	// unlock or a wipe.
	service func() (*practice.Service, error)
	player  rehearse.Player
}

var _ ui.Practice = (*guiPractice)(nil)

func (g *guiPractice) bank(ctx context.Context) (*questions.Bank, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	return svc.Questions(ctx)
}

func (g *guiPractice) Questions(ctx context.Context) ([]rehearse.Question, error) {
	b, err := g.bank(ctx)
	if err != nil {
		return nil, err
	}
	return b.All(), nil
}

func (g *guiPractice) SaveQuestion(ctx context.Context, q rehearse.Question) (rehearse.Question, error) {
	svc, err := g.service()
	if err != nil {
		return rehearse.Question{}, err
	}
	err = svc.SaveQuestion(ctx, &q)
	return q, err
}

func (g *guiPractice) DeleteQuestion(ctx context.Context, id string) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	return svc.Store().DeleteQuestion(ctx, id)
}

func (g *guiPractice) Roles(ctx context.Context) ([]string, error) {
	b, err := g.bank(ctx)
	if err != nil {
		return nil, err
	}
	return b.Roles(), nil
}

func (g *guiPractice) PickQuestions(ctx context.Context, s questions.Selection) ([]questions.Picked, error) {
	b, err := g.bank(ctx)
	if err != nil {
		return nil, err
	}
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	recent, err := svc.RecentQuestionIDs(ctx, practice.RecentQuestionWindow)
	if err != nil {
		return nil, err
	}
	s.Recent = append(s.Recent, recent...)
	return b.Pick(s), nil
}

func (g *guiPractice) StartSession(ctx context.Context, p ui.Plan) (rehearse.Session, error) {
	svc, err := g.service()
	if err != nil {
		return rehearse.Session{}, err
	}
	set := p.Settings
	set.QuestionIDs = set.QuestionIDs[:0]
	for _, q := range p.Questions {
		set.QuestionIDs = append(set.QuestionIDs, q.ID)
	}
	s, err := svc.StartSession(ctx, p.Title, p.JobDescription, set)
	if err != nil {
		return rehearse.Session{}, err
	}
	return *s, nil
}

func (g *guiPractice) result(ctx context.Context, a rehearse.Attempt) ui.Result {
	r := ui.Result{Attempt: a, Pending: a.Status != rehearse.StatusAnalyzed}
	if r.Pending {
		r.Note = "Saved. It will be transcribed when a speech model is available."
		return r
	}
	if svc, err := g.service(); err == nil {
		if fb, err := svc.Result(ctx, &a); err == nil {
			r.Feedback = fb
		}
	}
	return r
}

func (g *guiPractice) answer(ctx context.Context, ans *practice.Answer) ui.Result {
	r := g.result(ctx, *ans.Attempt)
	if ans.Result != nil {
		r.Feedback = ans.Result
	}
	if ans.Warning != "" {
		// A pending answer keeps saying when it will be transcribed.
		r.Note = strings.TrimSpace(r.Note + " " + ans.Warning)
	}
	return r
}

func (g *guiPractice) Resume(ctx context.Context, sessionID int64) (ui.Resumed, error) {
	svc, err := g.service()
	if err != nil {
		return ui.Resumed{}, err
	}
	s, err := svc.Store().Session(ctx, sessionID)
	if err != nil {
		return ui.Resumed{}, err
	}
	b, err := g.bank(ctx)
	if err != nil {
		return ui.Resumed{}, err
	}
	res := ui.Resumed{Session: *s}
	for _, id := range s.Settings.QuestionIDs {
		if q, ok := b.Get(id); ok {
			res.Questions = append(res.Questions, q)
		}
	}
	atts, err := svc.Store().Attempts(ctx, sessionID)
	if err != nil {
		return ui.Resumed{}, err
	}
	for _, a := range atts {
		res.Results = append(res.Results, g.result(ctx, a))
	}
	return res, nil
}

func (g *guiPractice) SubmitTyped(ctx context.Context, sessionID int64, q rehearse.Question, text string, d time.Duration) (ui.Result, error) {
	svc, err := g.service()
	if err != nil {
		return ui.Result{}, err
	}
	ans, err := svc.SubmitText(ctx, sessionID, q, text, d.Seconds())
	if err != nil {
		return ui.Result{}, err
	}
	return g.answer(ctx, ans), nil
}

func (g *guiPractice) Record(ctx context.Context, sessionID int64, q rehearse.Question) (ui.Take, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	t, err := svc.Record(ctx, sessionID, q, "", false)
	if err != nil {
		return nil, err
	}
	gt := &guiTake{g: g, t: t, levels: make(chan rehearse.Level, 8), partial: make(chan string, 1), done: make(chan struct{})}
	gt.wg.Add(2)
	go gt.forwardLevels()
	go gt.forwardPartial()
	return gt, nil
}

// guiTake adapts a practice.Take to the window's contract: its channels
// close when the recording ends.
type guiTake struct {
	g       *guiPractice
	t       *practice.Take
	levels  chan rehearse.Level
	partial chan string
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

func (t *guiTake) forwardLevels() {
	defer t.wg.Done()
	defer close(t.levels)
	in := t.t.Levels()
	for {
		select {
		case <-t.done:
			return
		case l, ok := <-in:
			if !ok {
				<-t.done
				return
			}
			select {
			case t.levels <- l:
			default:
			}
		}
	}
}

func (t *guiTake) forwardPartial() {
	defer t.wg.Done()
	defer close(t.partial)
	for {
		select {
		case <-t.done:
			return
		case s := <-t.t.Partial():
			select {
			case <-t.partial:
			default:
			}
			t.partial <- s
		}
	}
}

func (t *guiTake) end() {
	t.once.Do(func() { close(t.done) })
	t.wg.Wait()
}

func (t *guiTake) Levels() <-chan rehearse.Level { return t.levels }
func (t *guiTake) Partial() <-chan string        { return t.partial }

func (t *guiTake) Stop(ctx context.Context) (ui.Result, error) {
	ans, err := t.t.Stop(ctx)
	t.end()
	if ans == nil {
		return ui.Result{}, err
	}
	// With a lost microphone the answer is saved and err says so.
	return t.g.answer(ctx, ans), err
}

func (t *guiTake) Cancel() {
	t.t.Cancel()
	t.end()
}

func (g *guiPractice) Reanalyze(ctx context.Context, attemptID int64, text string) (ui.Result, error) {
	svc, err := g.service()
	if err != nil {
		return ui.Result{}, err
	}
	ans, err := svc.EditTranscript(ctx, attemptID, text)
	if err != nil {
		return ui.Result{}, err
	}
	return g.answer(ctx, ans), nil
}

func (g *guiPractice) FinishSession(ctx context.Context, id int64) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	return svc.FinishSession(ctx, id)
}

func (g *guiPractice) Summary(ctx context.Context, sessionID int64) (ui.Summary, error) {
	svc, err := g.service()
	if err != nil {
		return ui.Summary{}, err
	}
	s, err := svc.Summary(ctx, sessionID)
	if err != nil {
		return ui.Summary{}, err
	}
	b, _ := g.bank(ctx)
	out := ui.Summary{Session: s.Session}
	// The session's questions not answered yet follow the answered ones,
	// with no results, so the window can say "Not answered".
	answered := map[string]bool{}
	for _, q := range s.Questions {
		if len(q.Attempts) > 0 {
			answered[q.Attempts[0].QuestionID] = true
		}
	}
	var unanswered []ui.SummaryItem
	if b != nil {
		for _, id := range s.Session.Settings.QuestionIDs {
			if bq, ok := b.Get(id); ok && !answered[id] {
				answered[id] = true
				unanswered = append(unanswered, ui.SummaryItem{Question: bq})
			}
		}
	}
	for _, q := range s.Questions {
		item := ui.SummaryItem{Question: rehearse.Question{Text: q.QuestionText, Type: q.QuestionType}}
		if len(q.Attempts) > 0 && b != nil {
			if bq, ok := b.Get(q.Attempts[0].QuestionID); ok {
				item.Question = bq
			}
		}
		for _, a := range q.Attempts {
			item.Results = append(item.Results, g.result(ctx, a))
		}
		out.Items = append(out.Items, item)
		for _, c := range q.Changes {
			word := "changed"
			if c.Better {
				word = "improved"
			}
			out.Improvements = append(out.Improvements, fmt.Sprintf("%s — %s %s: %s → %s",
				short(q.QuestionText), c.What, word, num(c.From), num(c.To)))
		}
	}
	covered := map[string]bool{}
	for _, t := range s.Coverage.Covered {
		covered[t] = true
	}
	for _, t := range s.JobTerms {
		out.JobTerms = append(out.JobTerms, ui.TermUse{Term: t, Used: covered[t]})
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

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

func (g *guiPractice) Sessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	return svc.Store().ListSessions(ctx, f)
}

func (g *guiPractice) Search(ctx context.Context, text string, limit int) ([]rehearse.SearchHit, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	return svc.Store().Search(ctx, text, limit)
}

func (g *guiPractice) DeleteSession(ctx context.Context, id int64) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	return svc.Store().DeleteSession(ctx, id)
}

// Progress averages the answers of each session into one point.
func (g *guiPractice) Progress(ctx context.Context) ([]ui.ProgressPoint, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	pts, err := svc.Progress(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	sessions := practice.BySession(pts)
	out := make([]ui.ProgressPoint, len(sessions))
	for i, p := range sessions {
		out[i] = ui.ProgressPoint(p)
	}
	return out, nil
}

func (g *guiPractice) Rules(ctx context.Context) ([]feedback.RuleInfo, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	rb, err := svc.Rulebook(ctx)
	if err != nil {
		return nil, err
	}
	return rb.Rules(), nil
}

func (g *guiPractice) RuleList(ctx context.Context, ruleID, list string) ([]string, error) {
	svc, err := g.service()
	if err != nil {
		return nil, err
	}
	rb, err := svc.Rulebook(ctx)
	if err != nil {
		return nil, err
	}
	return rb.List(ruleID, list), nil
}

func (g *guiPractice) Overrides(ctx context.Context) (feedback.Overrides, error) {
	svc, err := g.service()
	if err != nil {
		return feedback.Overrides{}, err
	}
	return svc.Overrides(ctx)
}

func (g *guiPractice) SetOverrides(ctx context.Context, o feedback.Overrides) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	if o.Fluency == nil && len(o.Rules) == 0 {
		return svc.ResetOverrides(ctx)
	}
	return svc.SetOverrides(ctx, o)
}

func (g *guiPractice) Rescore(ctx context.Context, progress func(done, total int)) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	_, err = svc.RescoreAll(ctx, progress)
	return err
}

func (g *guiPractice) Settings(ctx context.Context) (ui.Settings, error) {
	svc, err := g.service()
	if err != nil {
		return ui.Settings{}, err
	}
	o, err := svc.Overrides(ctx)
	if err != nil {
		return ui.Settings{}, err
	}
	theme, _, _ := svc.Store().Setting(ctx, practice.SettingTheme)
	if theme == "" {
		theme = ui.ThemeSystem
	}
	mic, _, _ := svc.Store().Setting(ctx, practice.SettingMicrophone)
	var last ui.SetupMemory
	if v, ok, _ := svc.Store().Setting(ctx, practice.SettingLastSetup); ok {
		// A setting that does not parse is forgotten, not an error: it only
		// pre-fills the setup screen.
		_ = json.Unmarshal([]byte(v), &last)
	}
	return ui.Settings{
		LastSetup:      last,
		FluencyMetrics: o.Fluency == nil || *o.Fluency,
		ExpiryDays:     svc.IntSetting(ctx, practice.SettingExpiryDays, 0),
		Theme:          theme,
		PrepSeconds:    svc.IntSetting(ctx, practice.SettingPrepSeconds, 30),
		AnswerSeconds:  svc.IntSetting(ctx, practice.SettingAnswerSeconds, 180),
		KeepRecordings: svc.BoolSetting(ctx, practice.SettingKeepRecordings, false),
		Microphone:     mic,
	}, nil
}

func (g *guiPractice) SaveSettings(ctx context.Context, s ui.Settings) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	st := svc.Store()
	last, err := json.Marshal(s.LastSetup)
	if err != nil {
		return err
	}
	for name, v := range map[string]string{
		practice.SettingLastSetup:      string(last),
		practice.SettingExpiryDays:     strconv.Itoa(s.ExpiryDays),
		practice.SettingTheme:          s.Theme,
		practice.SettingPrepSeconds:    strconv.Itoa(s.PrepSeconds),
		practice.SettingAnswerSeconds:  strconv.Itoa(s.AnswerSeconds),
		practice.SettingKeepRecordings: strconv.FormatBool(s.KeepRecordings),
		practice.SettingMicrophone:     s.Microphone,
	} {
		if err := st.SetSetting(ctx, name, v); err != nil {
			return err
		}
	}
	o, err := svc.Overrides(ctx)
	if err != nil {
		return err
	}
	if cur := o.Fluency == nil || *o.Fluency; cur != s.FluencyMetrics {
		f := s.FluencyMetrics
		o.Fluency = &f
		if err := svc.SetOverrides(ctx, o); err != nil {
			return err
		}
	}
	if s.ExpiryDays > 0 {
		if _, err := svc.ApplyExpiry(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (g *guiPractice) Play(ctx context.Context, attemptID int64, from float64) error {
	svc, err := g.service()
	if err != nil {
		return err
	}
	if g.player == nil {
		return rehearse.ErrNoInputDevice
	}
	a, err := svc.Store().AttemptAudio(ctx, attemptID)
	if err != nil {
		return fmt.Errorf("this answer has no kept recording: %w", err)
	}
	return g.player.Play(ctx, *a, from)
}
