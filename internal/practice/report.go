package practice

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// MetricsOf reads the metrics of an analysed attempt from its stored
// analysis; ok is false when it has none.
func MetricsOf(a *rehearse.Attempt) (feedback.Metrics, bool) {
	return feedback.StoredMetrics(a.Analysis)
}

// QuestionResult is one question of a session summary: every attempt, in
// order, with its metrics.
type QuestionResult struct {
	QuestionText string
	QuestionType rehearse.QuestionType
	Attempts     []rehearse.Attempt
	Metrics      []feedback.Metrics // parallel to Attempts; zero for pending ones
	Changes      []Change           // latest attempt against the first
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
	add("filler rate (per 100 words)", deref(a.FillerRate), deref(b.FillerRate), true)
	add("hedge rate (per 100 words)", a.HedgeRate, b.HedgeRate, true)
	add("STAR parts", float64(a.Star.Components), float64(b.Star.Components), false)
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
	StarScored   bool    // STAR applies to the answer (feedback.StarApplies)
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
			FillerRate: deref(m.FillerRate), HedgeRate: m.HedgeRate, StarParts: m.Star.Components,
			StarScored: feedback.StarApplies(a.QuestionType, m.Star),
			LengthS:    m.AnswerSeconds(a.DurationS), TargetLo: band.Target[0], TargetHi: band.Target[1],
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
		if p.StarScored {
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

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
