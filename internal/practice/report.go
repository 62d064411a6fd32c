package practice

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Metrics are the figures of one answer that summaries and charts use, read
// from the stored analysis (the names of its JSON fields).
type Metrics struct {
	WordCount         int      `json:"word_count"`
	SpeechSpanS       float64  `json:"speech_span_s"`
	FillerTotal       int      `json:"filler_total"`
	FillerRate        float64  `json:"filler_rate"`
	HedgeTotal        int      `json:"hedge_total"`
	HedgeRate         float64  `json:"hedge_rate"`
	SpeakingRateWPM   *float64 `json:"speaking_rate_wpm"`
	LengthBand        string   `json:"length_band"`
	QuantifiedResults int      `json:"quantified_results"`
	Star              struct {
		Situation bool `json:"situation"`
		Task      bool `json:"task"`
		Action    bool `json:"action"`
		Result    bool `json:"result"`
	} `json:"star"`
}

// StarComponents counts the STAR parts present (0–4).
func (m Metrics) StarComponents() int {
	n := 0
	for _, b := range []bool{m.Star.Situation, m.Star.Task, m.Star.Action, m.Star.Result} {
		if b {
			n++
		}
	}
	return n
}

// MetricsOf reads the metrics of an analysed attempt; ok is false when it
// has no analysis.
func MetricsOf(a *rehearse.Attempt) (Metrics, bool) {
	var doc struct {
		Metrics Metrics `json:"metrics"`
	}
	if len(a.Analysis) == 0 || json.Unmarshal(a.Analysis, &doc) != nil {
		return Metrics{}, false
	}
	return doc.Metrics, true
}

// QuestionResult is one question of a session summary: every attempt, in
// order, with its metrics.
type QuestionResult struct {
	QuestionText string
	QuestionType rehearse.QuestionType
	Attempts     []rehearse.Attempt
	Metrics      []Metrics // parallel to Attempts; zero for pending ones
	Changes      []Change  // latest attempt against the first
}

// Change is one measured difference between two attempts of a question.
type Change struct {
	What     string  // "filler rate", "hedge rate", "STAR parts", "numbers in results", "length"
	From, To float64 // the two values
	Better   bool    // the change is in the direction the rule favours
}

// Summary is the end-of-session report.
type Summary struct {
	Session   rehearse.Session
	Questions []QuestionResult
	JobTerms  []string
	Coverage  feedback.Coverage
	Pending   int // answers waiting for transcription
}

// Summary builds the session summary: per-question results, job-term
// coverage across the session, and what changed between retakes.
func (s *Service) Summary(ctx context.Context, sessionID int64) (*Summary, error) {
	sess, err := s.cfg.Store.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	atts, err := s.cfg.Store.Attempts(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Session: *sess}
	idx := map[string]int{}
	var texts []string
	for _, a := range atts {
		key := a.QuestionID + "\x00" + a.QuestionText
		i, ok := idx[key]
		if !ok {
			i = len(sum.Questions)
			idx[key] = i
			sum.Questions = append(sum.Questions, QuestionResult{QuestionText: a.QuestionText, QuestionType: a.QuestionType})
		}
		m, _ := MetricsOf(&a)
		q := &sum.Questions[i]
		q.Attempts = append(q.Attempts, a)
		q.Metrics = append(q.Metrics, m)
		if a.Status != rehearse.StatusAnalyzed {
			sum.Pending++
			continue
		}
		texts = append(texts, a.Effective().Text)
	}
	for i := range sum.Questions {
		sum.Questions[i].Changes = changes(sum.Questions[i])
	}
	if sess.JobDescription != "" {
		sum.JobTerms = feedback.ExtractJobTerms(sess.JobDescription)
		sum.Coverage = feedback.SessionCoverage(sum.JobTerms, texts)
	}
	return sum, nil
}

func changes(q QuestionResult) []Change {
	first, last := -1, -1
	for i, a := range q.Attempts {
		if a.Status != rehearse.StatusAnalyzed {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 || first == last {
		return nil
	}
	a, b := q.Metrics[first], q.Metrics[last]
	var out []Change
	add := func(what string, from, to float64, lowerIsBetter bool) {
		if from == to {
			return
		}
		out = append(out, Change{What: what, From: from, To: to, Better: (to < from) == lowerIsBetter})
	}
	add("filler rate (per 100 words)", a.FillerRate, b.FillerRate, true)
	add("hedge rate (per 100 words)", a.HedgeRate, b.HedgeRate, true)
	add("STAR parts", float64(a.StarComponents()), float64(b.StarComponents()), false)
	add("numbers in results", float64(a.QuantifiedResults), float64(b.QuantifiedResults), false)
	return out
}

// Point is one answer on the progress charts.
type Point struct {
	At           time.Time
	AttemptID    int64
	SessionID    int64
	QuestionType rehearse.QuestionType
	FillerRate   float64
	HedgeRate    float64
	PaceWPM      float64 // 0 when not enough speech to estimate
	StarParts    int     // 0–4
	LengthS      float64
	TargetLo     float64 // the question type's target band
	TargetHi     float64
}

// Progress returns every analysed answer since a time, oldest first.
func (s *Service) Progress(ctx context.Context, since time.Time) ([]Point, error) {
	atts, err := s.cfg.Store.AllAttempts(ctx, since)
	if err != nil {
		return nil, err
	}
	var pts []Point
	for i := range atts {
		a := &atts[i]
		m, ok := MetricsOf(a)
		if _, followUp := rehearse.IsFollowUpQuestionID(a.QuestionID); !ok || followUp {
			// an interview's follow-up answer is part of its exchange, not an answer of its own
			continue
		}
		band := questions.Band(a.QuestionType)
		p := Point{
			At: a.CreatedAt, AttemptID: a.ID, SessionID: a.SessionID, QuestionType: a.QuestionType,
			FillerRate: m.FillerRate, HedgeRate: m.HedgeRate, StarParts: m.StarComponents(),
			LengthS: m.SpeechSpanS, TargetLo: band.Target[0], TargetHi: band.Target[1],
		}
		if p.LengthS == 0 {
			p.LengthS = a.DurationS
		}
		if m.SpeakingRateWPM != nil {
			p.PaceWPM = *m.SpeakingRateWPM
		}
		pts = append(pts, p)
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].At.Before(pts[j].At) })
	return pts, nil
}

// SessionPoint is one session on the progress charts: the mean of its
// answers. NaN means unknown: no answer with a pace, or none that STAR
// applies to.
type SessionPoint struct {
	At         time.Time
	SessionID  int64
	FillerRate float64 // per 100 words
	HedgeRate  float64 // per 100 words
	PaceWPM    float64
	STARShare  float64 // 0..1: share of the four STAR parts in the answers STAR applies to
	LengthPct  float64 // answer length as % of the middle of its type's target band
}

// BySession averages answers into one point per session, in the order
// the sessions first appear.
func BySession(pts []Point) []SessionPoint {
	type acc struct {
		p                   SessionPoint
		n, paceN, starN     int
		filler, hedge, pace float64
		star, length        float64
	}
	var order []int64
	by := map[int64]*acc{}
	for _, p := range pts {
		a := by[p.SessionID]
		if a == nil {
			a = &acc{p: SessionPoint{At: p.At, SessionID: p.SessionID}}
			by[p.SessionID] = a
			order = append(order, p.SessionID)
		}
		a.n++
		a.filler += p.FillerRate
		a.hedge += p.HedgeRate
		if p.PaceWPM > 0 {
			a.pace += p.PaceWPM
			a.paceN++
		}
		if p.QuestionType == rehearse.Behavioral || p.QuestionType == rehearse.Situational {
			a.star += float64(p.StarParts) / 4
			a.starN++
		}
		if mid := (p.TargetLo + p.TargetHi) / 2; mid > 0 {
			a.length += 100 * p.LengthS / mid
		}
	}
	out := make([]SessionPoint, 0, len(order))
	for _, id := range order {
		a := by[id]
		n := float64(a.n)
		a.p.FillerRate, a.p.HedgeRate, a.p.LengthPct = a.filler/n, a.hedge/n, a.length/n
		a.p.PaceWPM, a.p.STARShare = math.NaN(), math.NaN()
		if a.paceN > 0 {
			a.p.PaceWPM = a.pace / float64(a.paceN)
		}
		if a.starN > 0 {
			a.p.STARShare = a.star / float64(a.starN)
		}
		out = append(out, a.p)
	}
	return out
}
