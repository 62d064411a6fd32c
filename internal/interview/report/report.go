// Package report builds the end-of-interview report of a mock interview
// from its stored session and answers: every exchange (main answer, the
// follow-up asked and its answer, analysed together) with its transcripts,
// flags, checklist and time against the target, what changed since the
// previous interview, and the one or two changes with the biggest expected
// effect, each with its evidence. It reads records only (no store), so the
// interview flow, the exports and the window share it.
package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Report is the end-of-interview report. It describes the answers, never
// the person, and has no overall score.
type Report struct {
	SessionID       int64      `json:"session_id"`
	Title           string     `json:"title"`
	StartedAt       time.Time  `json:"started_at"`
	FinishedAt      *time.Time `json:"finished_at,omitempty"`
	RulebookVersion string     `json:"rulebook_version"`
	OverridesHash   string     `json:"overrides_hash,omitempty"`
	Exchanges       []Exchange `json:"exchanges"`
	Totals          Totals     `json:"totals"`
	// SinceLast compares this interview with the previous one; nil for the
	// first interview.
	SinceLast *Comparison `json:"since_last,omitempty"`
	// TopChanges are the one or two changes with the biggest expected
	// effect, each with its evidence.
	TopChanges []TopChange `json:"top_changes"`
	Caveats    []string    `json:"caveats"`
}

// Exchange states.
const (
	StatusAnswered   = "answered"   // analysed
	StatusPending    = "pending"    // waits for transcription
	StatusUnanswered = "unanswered" // the interview ended before this question
)

// Exchange is one question of the interview: the main answer, the follow-up
// asked (if any) and its answer, analysed together.
type Exchange struct {
	Number     int                   `json:"number"` // 1-based
	QuestionID string                `json:"question_id"`
	Question   string                `json:"question"`
	Type       rehearse.QuestionType `json:"type"`
	Status     string                `json:"status"`
	Main       *AnswerPart           `json:"main,omitempty"`
	FollowUp   *FollowUpPart         `json:"follow_up,omitempty"`
	Time       TimeUse               `json:"time"`
	// Star is the STAR structure of the exchange (main and follow-up
	// answers together).
	Star *feedback.Star `json:"star,omitempty"`
	// QuantifiedResults counts the outcome clauses with a number.
	QuantifiedResults int `json:"quantified_results"`
	// Flags are the suggestions of the combined analysis, each with the
	// words it is based on.
	Flags []Flag `json:"flags"`
	// Checks is the checklist of the combined analysis; Checklist sums it
	// up ("meets 5 of 7 checks").
	Checks    []Check `json:"checks"`
	Checklist string  `json:"checklist"`
	// Result is the full combined analysis, for screens that show more.
	Result *feedback.Result `json:"-"`
}

// AnswerPart is one saved answer of an exchange.
type AnswerPart struct {
	AttemptID  int64   `json:"attempt_id"`
	Transcript string  `json:"transcript"`
	DurationS  float64 `json:"duration_s"`
	Status     string  `json:"status"` // analyzed or pending_transcription
	Source     string  `json:"source,omitempty"`
}

// FollowUpPart is the follow-up question asked and its answer (nil when it
// stayed unanswered).
type FollowUpPart struct {
	Rule     string      `json:"rule"`
	Reason   string      `json:"reason"`
	Question string      `json:"question"`
	Answer   *AnswerPart `json:"answer,omitempty"`
}

// TimeUse is the time an exchange took against its question type's target.
type TimeUse struct {
	MainS       float64 `json:"main_s"`
	FollowUpS   float64 `json:"follow_up_s"`
	UsedS       float64 `json:"used_s"`
	TargetLowS  float64 `json:"target_low_s"`
	TargetHighS float64 `json:"target_high_s"`
	// Band is where UsedS falls: short, below_target, target,
	// above_target or long.
	Band string `json:"band"`
	// LimitS is the interview's answer timer (0: none); OverLimit says the
	// main answer ran past it.
	LimitS    int  `json:"limit_s,omitempty"`
	OverLimit bool `json:"over_limit,omitempty"`
}

// Flag is one suggestion of an exchange.
type Flag struct {
	ID       string   `json:"id"`
	Rule     string   `json:"rule"`
	Text     string   `json:"text"`
	Evidence []string `json:"evidence,omitempty"`
}

// Check is one line of an exchange's checklist.
type Check struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Pass   bool   `json:"pass"`
	Reason string `json:"reason"`
}

// Totals sum up the interview.
type Totals struct {
	Questions         int `json:"questions"`
	Answered          int `json:"answered"`
	Pending           int `json:"pending"`
	FollowUpsAsked    int `json:"follow_ups_asked"`
	FollowUpsAnswered int `json:"follow_ups_answered"`
	WithinTarget      int `json:"within_target"`
	// StoryAnswers are the analysed behavioural and situational exchanges;
	// StarParts sums their STAR components and Quantified counts those with
	// a number in the result.
	StoryAnswers  int `json:"story_answers"`
	StarParts     int `json:"star_parts"`
	Quantified    int `json:"quantified"`
	ChecksMet     int `json:"checks_met"`
	ChecksCounted int `json:"checks_counted"`
	// FillerRate and HedgeRate average the analysed exchanges (per 100
	// words); FillerRate is nil when no exchange has fluency metrics.
	FillerRate *float64 `json:"filler_rate"`
	HedgeRate  float64  `json:"hedge_rate"`
}

// Comparison is what changed since the previous interview.
type Comparison struct {
	PreviousSessionID int64     `json:"previous_session_id"`
	PreviousTitle     string    `json:"previous_title"`
	PreviousAt        time.Time `json:"previous_at"`
	Changes           []Change  `json:"changes"`
}

// Change is one measure of the interview against the previous one.
type Change struct {
	What   string  `json:"what"`
	Unit   string  `json:"unit"`
	Before float64 `json:"before"`
	Now    float64 `json:"now"`
	// Direction is "better", "worse" or "same", by the direction the rule
	// favours.
	Direction string `json:"direction"`
}

// TopChange is one of the changes with the biggest expected effect: the
// suggestion that would change the most answers (the feedback priority
// order breaks ties), with the answers and words it is based on.
type TopChange struct {
	ID       string        `json:"id"`
	Rule     string        `json:"rule"`
	Advice   string        `json:"advice"`
	Why      string        `json:"why"`
	Answers  []int         `json:"answers"`
	Evidence []EvidenceRef `json:"evidence"`
}

// EvidenceRef points to an exchange and the words behind a flag in it.
type EvidenceRef struct {
	Exchange int    `json:"exchange"`
	Quote    string `json:"quote,omitempty"`
	Flag     string `json:"flag"`
}

// Layout is an interview's record arranged by question: for each main
// question (in the order asked), its main answer, the follow-up asked and
// the answer to it, each nil when there is none.
type Layout struct {
	Session   rehearse.Session
	Questions []rehearse.Question
	Main      []*rehearse.Attempt
	Follow    []*rehearse.Attempt
	Asked     []*rehearse.FollowUpAsked
}

// IsInterview reports whether a session was run as an interview.
func IsInterview(s *rehearse.Session) bool {
	return s != nil && s.Settings.Mode == rehearse.ModeInterview
}

// LayoutOf arranges an interview's session and answers by question. The
// questions come from the session's settings; each takes its text and type
// from its saved answer, else from bank (may be nil), else it has only its
// id. A main answer is the last one saved under the question's id; a
// follow-up answer is saved under rehearse.FollowUpQuestionID of it.
func LayoutOf(rec rehearse.SessionRecord, bank *questions.Bank) Layout {
	sess := rec.Session
	n := len(sess.Settings.QuestionIDs)
	l := Layout{Session: sess, Questions: make([]rehearse.Question, n),
		Main: make([]*rehearse.Attempt, n), Follow: make([]*rehearse.Attempt, n), Asked: make([]*rehearse.FollowUpAsked, n)}
	index := map[string]int{}
	for i, id := range sess.Settings.QuestionIDs {
		index[id] = i
		l.Questions[i] = rehearse.Question{ID: id}
		if bank != nil {
			if q, ok := bank.Get(id); ok {
				l.Questions[i] = q
			}
		}
	}
	for k := range rec.Attempts {
		a := &rec.Attempts[k]
		if mainID, ok := rehearse.IsFollowUpQuestionID(a.QuestionID); ok {
			if i, ok := index[mainID]; ok {
				l.Follow[i] = a
			}
			continue
		}
		if i, ok := index[a.QuestionID]; ok {
			l.Main[i] = a
			// The saved answer knows the question as it was asked.
			l.Questions[i].Text, l.Questions[i].Type = a.QuestionText, a.QuestionType
		}
	}
	for k := range sess.Settings.FollowUps {
		f := sess.Settings.FollowUps[k]
		if i, ok := index[f.QuestionID]; ok {
			l.Asked[i] = &f
		}
	}
	return l
}

// ForRecords reports on the interview recs[i] (as read for an export) with
// rulebook rb, comparing it with the latest interview in recs that started
// before it. ok is false when recs[i] is not an interview.
func ForRecords(recs []rehearse.SessionRecord, i int, rb *feedback.Rulebook) (r *Report, ok bool) {
	if i < 0 || i >= len(recs) || !IsInterview(&recs[i].Session) {
		return nil, false
	}
	bank, _ := questions.Load() // only for the text of unanswered questions
	cur := recs[i].Session
	prev := -1
	for k := range recs {
		s := &recs[k].Session
		if k == i || !IsInterview(s) || s.CreatedAt.After(cur.CreatedAt) || s.CreatedAt.Equal(cur.CreatedAt) && k > i {
			continue
		}
		if prev < 0 || s.CreatedAt.After(recs[prev].Session.CreatedAt) || s.CreatedAt.Equal(recs[prev].Session.CreatedAt) && k > prev {
			prev = k
		}
	}
	var before *Layout
	if prev >= 0 {
		b := LayoutOf(recs[prev], bank)
		before = &b
	}
	return Build(LayoutOf(recs[i], bank), before, rb), true
}

// Build reports on the interview cur with rulebook rb, compared with the
// interview before it when before is not nil.
func Build(cur Layout, before *Layout, rb *feedback.Rulebook) *Report {
	sess := cur.Session
	r := &Report{SessionID: sess.ID, Title: sess.Title, StartedAt: sess.CreatedAt.UTC(), RulebookVersion: rb.Version,
		OverridesHash: rb.OverridesHash, TopChanges: []TopChange{}, Caveats: []string{}}
	if sess.FinishedAt != nil {
		t := sess.FinishedAt.UTC()
		r.FinishedAt = &t
	}
	r.Exchanges = exchanges(cur, rb)
	r.Totals = totals(r.Exchanges)
	r.TopChanges = topChanges(r.Exchanges)
	if before != nil {
		ps := before.Session
		r.SinceLast = &Comparison{PreviousSessionID: ps.ID, PreviousTitle: ps.Title, PreviousAt: ps.CreatedAt.UTC(),
			Changes: compare(totals(exchanges(*before, rb)), r.Totals)}
	}
	if r.Totals.Pending > 0 {
		r.Caveats = append(r.Caveats, fmt.Sprintf("%d answers wait for transcription; they are reported once they are transcribed ('rehearse transcribe --pending').", r.Totals.Pending))
	}
	if r.Totals.Answered > 0 {
		r.Caveats = append(r.Caveats, "The transcript may miss filler words or mishear names; you can correct it and analyse again.")
	}
	return r
}

// exchanges analyses every exchange of the interview.
func exchanges(l Layout, rb *feedback.Rulebook) []Exchange {
	var terms []string
	if l.Session.JobDescription != "" {
		terms = feedback.ExtractJobTerms(l.Session.JobDescription)
	}
	reasons := map[string]string{}
	for _, f := range rb.FollowUpRules() {
		reasons[f.ID] = feedback.TriggerReason(f.Trigger)
	}
	out := make([]Exchange, len(l.Questions))
	for i, q := range l.Questions {
		band := questions.Band(q.Type)
		e := Exchange{Number: i + 1, QuestionID: q.ID, Question: q.Text, Type: q.Type, Status: StatusUnanswered,
			Flags: []Flag{}, Checks: []Check{},
			Time: TimeUse{TargetLowS: band.Target[0], TargetHighS: band.Target[1], LimitS: l.Session.Settings.AnswerSeconds}}
		main, follow := l.Main[i], l.Follow[i]
		if f := l.Asked[i]; f != nil {
			e.FollowUp = &FollowUpPart{Rule: f.Rule, Reason: reasons[f.Rule], Question: f.Text}
			if follow != nil {
				e.FollowUp.Answer = part(follow)
				e.Time.FollowUpS = round1(duration(follow))
			}
		}
		if main == nil {
			out[i] = e
			continue
		}
		e.Main = part(main)
		e.Time.MainS = round1(duration(main))
		e.Time.UsedS = round1(e.Time.MainS + e.Time.FollowUpS)
		e.Time.Band = band.Classify(e.Time.UsedS)
		e.Time.OverLimit = e.Time.LimitS > 0 && e.Time.MainS > float64(e.Time.LimitS)
		if main.Status != rehearse.StatusAnalyzed {
			e.Status = StatusPending
			out[i] = e
			continue
		}
		e.Status = StatusAnswered
		res := feedback.Analyze(combinedInput(main, follow, terms), rb)
		e.Result = res
		star := res.Metrics.Star
		e.Star = &star
		e.QuantifiedResults = res.Metrics.QuantifiedResults
		for _, s := range res.Suggestions {
			e.Flags = append(e.Flags, Flag{ID: s.ID, Rule: s.Rule, Text: s.Text, Evidence: evidenceTexts(res, s.EvidenceRefs)})
		}
		for _, c := range res.Checks {
			if c.Counted {
				e.Checks = append(e.Checks, Check{ID: c.ID, Label: c.Label, Pass: c.Pass, Reason: c.Reason})
			}
		}
		e.Checklist = res.Checklist
		out[i] = e
	}
	return out
}

// combinedInput is the main answer and, when it was answered and
// transcribed, the follow-up answer, as one answer to the main question.
func combinedInput(main, follow *rehearse.Attempt, terms []string) feedback.Input {
	in := feedback.InputFor(main, terms)
	if follow == nil || follow.Status != rehearse.StatusAnalyzed {
		return in
	}
	mt, ft := main.Effective(), follow.Effective()
	if in.Timed && ft.Timed && len(ft.Words) > 0 {
		// The follow-up's words continue the main answer's clock half a
		// second after its last word: the interviewer's question between
		// them is not a pause of the speaker.
		last := in.Words[len(in.Words)-1].End
		off := last + 0.5 - ft.Words[0].Start
		words := append([]rehearse.Word(nil), in.Words...)
		for _, w := range ft.Words {
			w.Start += off
			w.End += off
			words = append(words, w)
		}
		in.Words = words
		in.Text = joinAnswers(mt.Text, ft.Text)
		in.DurationS = duration(main) + duration(follow)
		return in
	}
	in.Timed, in.Words = false, nil
	in.Text = joinAnswers(mt.Text, ft.Text)
	in.DurationS = duration(main) + duration(follow)
	return in
}

// joinAnswers puts the follow-up answer after the main one as a new
// sentence.
func joinAnswers(a, b string) string {
	a = strings.TrimSpace(a)
	if a != "" && !strings.ContainsAny(a[len(a)-1:], ".!?") {
		a += "."
	}
	return a + "\n\n" + strings.TrimSpace(b)
}

// duration is how long an answer took, by the one definition every screen
// uses: the speech span its analysis measured, else its transcript's
// duration, else the recording's.
func duration(a *rehearse.Attempt) float64 {
	recorded := a.DurationS
	if d := a.Effective().DurationS; d > 0 {
		recorded = d
	}
	if m, ok := feedback.StoredMetrics(a.Analysis); ok {
		return m.AnswerSeconds(recorded)
	}
	return recorded
}

func part(a *rehearse.Attempt) *AnswerPart {
	t := a.Effective()
	return &AnswerPart{AttemptID: a.ID, Transcript: t.Text, DurationS: round1(duration(a)), Status: string(a.Status), Source: t.Source}
}

func evidenceTexts(res *feedback.Result, refs []int) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range refs {
		if r < 0 || r >= len(res.Evidence) {
			continue
		}
		t := res.Evidence[r].Text
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// totals sums up exchanges.
func totals(ex []Exchange) Totals {
	t := Totals{Questions: len(ex)}
	var fillers, hedges float64
	nFill, nAll := 0, 0
	for _, e := range ex {
		if e.FollowUp != nil {
			t.FollowUpsAsked++
			if e.FollowUp.Answer != nil {
				t.FollowUpsAnswered++
			}
		}
		switch e.Status {
		case StatusPending:
			t.Pending++
			continue
		case StatusUnanswered:
			continue
		}
		t.Answered++
		if e.Time.Band == questions.LengthTarget {
			t.WithinTarget++
		}
		if e.Type == rehearse.Behavioral || e.Type == rehearse.Situational {
			t.StoryAnswers++
			t.StarParts += e.Star.Components
			if e.QuantifiedResults > 0 {
				t.Quantified++
			}
		}
		for _, c := range e.Checks {
			t.ChecksCounted++
			if c.Pass {
				t.ChecksMet++
			}
		}
		m := e.Result.Metrics
		if m.FillerRate != nil {
			fillers += *m.FillerRate
			nFill++
		}
		hedges += m.HedgeRate
		nAll++
	}
	if nFill > 0 {
		v := math.Round(fillers/float64(nFill)*100) / 100
		t.FillerRate = &v
	}
	if nAll > 0 {
		t.HedgeRate = math.Round(hedges/float64(nAll)*100) / 100
	}
	return t
}

// compare lists the measures both interviews have, previous first.
func compare(before, now Totals) []Change {
	var out []Change
	add := func(what, unit string, b, n float64, lowerIsBetter bool) {
		b, n = math.Round(b*10)/10, math.Round(n*10)/10
		c := Change{What: what, Unit: unit, Before: b, Now: n, Direction: "same"}
		if b != n {
			if (n < b) == lowerIsBetter {
				c.Direction = "better"
			} else {
				c.Direction = "worse"
			}
		}
		out = append(out, c)
	}
	share := func(k, of int) float64 { return 100 * float64(k) / float64(of) }
	if before.StoryAnswers > 0 && now.StoryAnswers > 0 {
		add("STAR parts per story answer", "of 4", float64(before.StarParts)/float64(before.StoryAnswers), float64(now.StarParts)/float64(now.StoryAnswers), false)
		add("story answers with a number in the result", "%", share(before.Quantified, before.StoryAnswers), share(now.Quantified, now.StoryAnswers), false)
	}
	if before.Answered > 0 && now.Answered > 0 {
		add("answers needing a follow-up", "%", share(before.FollowUpsAsked, before.Questions), share(now.FollowUpsAsked, now.Questions), true)
		add("answers within the target time", "%", share(before.WithinTarget, before.Answered), share(now.WithinTarget, now.Answered), false)
	}
	if before.ChecksCounted > 0 && now.ChecksCounted > 0 {
		add("checklist items met", "%", share(before.ChecksMet, before.ChecksCounted), share(now.ChecksMet, now.ChecksCounted), false)
	}
	if before.FillerRate != nil && now.FillerRate != nil {
		add("filler rate", "per 100 words", *before.FillerRate, *now.FillerRate, true)
	}
	if before.Answered > 0 && now.Answered > 0 {
		add("hedge rate", "per 100 words", before.HedgeRate, now.HedgeRate, true)
	}
	return out
}

// advice is the interview-wide wording of a suggestion, keyed by the
// suggestion id (the per-answer text quotes one answer).
var advice = map[string]string{
	"star.episode.missing":       "Answer with one specific time it happened: what was going on, what you did, and what changed.",
	"star.example.missing":       "Back your approach with a real example from your past work.",
	"star.result.missing":        "End each story with its outcome: what changed because of what you did.",
	"star.action.missing":        "Say what you did yourself, step by step, with “I” and an action verb.",
	"star.task.missing":          "State your goal or what you were asked to do before the steps.",
	"star.situation.missing":     "Open with a sentence or two on what was going on: where, when, and what the problem was.",
	"quantified.missing":         "Put a number on your results: time saved, %, money, or a count.",
	"ownership.we":               "Make your own part clear: say what you did, while still crediting the team.",
	"hedges.ownership_minimiser": "Describe your own contribution plainly, without “just” or “tried to”.",
	"length.short":               "Give your answers more room: aim for the target time of each question type.",
	"length.long":                "Keep answers within the target time; check in with the interviewer before going deeper.",
	"negative_talk":              "Frame reasons for leaving around what you are looking for next.",
	"fillers.dense":              "Pause silently where you would say a filler word.",
	"hedges.dense":               "State your points directly where you are sure of them.",
	"pace.fast":                  "Slow down a little and pause between ideas.",
	"pace.slow":                  "Keep a steadier pace between ideas.",
	"pauses.long":                "Bridge long pauses with a short phrase such as “let me think”.",
	"latency.long":               "Start with a short bridging phrase while you think of an example.",
}

// groupOrder ranks a suggestion's rule in the feedback priority order:
// story structure and result, numbers, own part, length, then the rest.
func groupOrder(rule string) int {
	for i, p := range []string{"star", "quantified", "ownership", "hedges.ownership_minimiser", "length", "negative_talk", "fillers", "hedges", "pace", "pauses", "latency"} {
		if rule == p || strings.HasPrefix(rule, p+".") {
			return i
		}
	}
	return 99
}

// topChanges picks the one or two suggestions that would change the most
// answers; the feedback priority order breaks ties.
func topChanges(ex []Exchange) []TopChange {
	type agg struct {
		tc    TopChange
		order int
		first int
	}
	byID := map[string]*agg{}
	var ids []string
	for _, e := range ex {
		for _, f := range e.Flags {
			a := byID[f.ID]
			if a == nil {
				a = &agg{tc: TopChange{ID: f.ID, Rule: f.Rule, Advice: advice[f.ID]}, order: groupOrder(f.Rule), first: e.Number}
				if a.tc.Advice == "" {
					a.tc.Advice = f.Text
				}
				byID[f.ID] = a
				ids = append(ids, f.ID)
			}
			a.tc.Answers = append(a.tc.Answers, e.Number)
			q := ""
			if len(f.Evidence) > 0 {
				q = "“" + strings.Join(f.Evidence[:min(2, len(f.Evidence))], "”, “") + "”"
			}
			a.tc.Evidence = append(a.tc.Evidence, EvidenceRef{Exchange: e.Number, Quote: q, Flag: f.Text})
		}
	}
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := byID[ids[i]], byID[ids[j]]
		if len(a.tc.Answers) != len(b.tc.Answers) {
			return len(a.tc.Answers) > len(b.tc.Answers)
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.first < b.first
	})
	answered := 0
	for _, e := range ex {
		if e.Status == StatusAnswered {
			answered++
		}
	}
	out := []TopChange{}
	for _, id := range ids[:min(2, len(ids))] {
		tc := byID[id].tc
		tc.Why = fmt.Sprintf("It would change %d of the %d analysed answers (%s).", len(tc.Answers), answered, answerList(tc.Answers))
		out = append(out, tc)
	}
	return out
}

func answerList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	if len(ns) == 1 {
		return "answer " + parts[0]
	}
	return "answers " + strings.Join(parts, ", ")
}
