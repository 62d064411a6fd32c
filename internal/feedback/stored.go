package feedback

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Analyses are stored as JSON with each answer. The readers here take what
// earlier versions stored and bring it to the current form, so old sessions
// show the way new ones do.

// UnmarshalJSON reads evidence stored in any earlier format. Analyses saved
// before evidence carried its kind get it from the metric's name.
func (e *Evidence) UnmarshalJSON(b []byte) error {
	type plain Evidence
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.Kind == "" {
		p.Kind = storedKind(p.Metric)
	}
	*e = Evidence(p)
	return nil
}

// storedKind is the kind of evidence saved without one.
func storedKind(metric string) Kind {
	prefix, _, _ := strings.Cut(metric, ".")
	switch {
	case prefix == "fillers":
		return KindFiller
	case prefix == "hedges":
		return KindHedge
	case prefix == "pauses":
		return KindPause
	case metric == "star.episode":
		return KindNoEpisode
	case prefix == "star":
		return KindStarComponent
	case metric == "quantified_results":
		return KindQuantifiedResult
	case prefix == "ownership":
		return KindOwnership
	case metric == "negative_talk":
		return KindNegativeTalk
	case prefix == "repetition":
		return KindRepetition
	}
	return ""
}

// storedThresholds turn the thresholds earlier versions wrote with the
// metrics' names into the words used now; the first match wins.
var storedThresholds = []struct {
	old *regexp.Regexp
	now string
}{
	{regexp.MustCompile(`^STAR action = false while an action is told with “we”$`), "no step of yours is told with “I”, while steps are told with “we”"},
	{regexp.MustCompile(`^STAR result = false$`), "no outcome of your actions was found"},
	{regexp.MustCompile(`^STAR action = false$`), "no step told with “I” and an action verb was found"},
	{regexp.MustCompile(`^STAR task = false$`), "no goal or assignment was found in the story"},
	{regexp.MustCompile(`^STAR situation = false$`), "no description of what was going on was found"},
	{regexp.MustCompile(`^result = true and quantified_results = 0$`), "a result is stated, but no outcome has a number"},
	{regexp.MustCompile(`^we_count ≥ (\S+) and we_share ≥ (\S+)$`), "“we” at least ${1} times and in at least ${2} of “I” and “we”"},
	{regexp.MustCompile(`^speech span < (\S+) s for (\S+)$`), "shorter than ${1} s, the least for ${2} answers"},
	{regexp.MustCompile(`^speech span > (\S+) s for (\S+)$`), "longer than ${1} s, the most for ${2} answers"},
	{regexp.MustCompile(`^speech span < (\S+) s$`), "shorter than ${1} s"},
	{regexp.MustCompile(`^speech span > (\S+) s$`), "longer than ${1} s"},
	{regexp.MustCompile(`^filler_total ≥ (\S+) and filler_rate ≥ (\S+)$`), "at least ${1} fillers and at least ${2} per 100 words"},
	{regexp.MustCompile(`^filler_rate ≥ (\S+)$`), "at least ${1} fillers per 100 words"},
	{regexp.MustCompile(`^one filler key ≥ (\S+) times$`), "one filler word used at least ${1} times"},
	{regexp.MustCompile(`^hedge_total ≥ (\S+) and hedge_rate ≥ (\S+)$`), "at least ${1} hedges and at least ${2} per 100 words"},
	{regexp.MustCompile(`^hedge_rate ≥ (\S+)$`), "at least ${1} hedges per 100 words"},
	{regexp.MustCompile(`^speaking rate < (\S+) wpm$`), "slower than ${1} words per minute"},
	{regexp.MustCompile(`^speaking rate > (\S+) wpm$`), "faster than ${1} words per minute"},
	{regexp.MustCompile(`^mid-sentence pauses ≥ (\S+) s: ≥ (\S+), or any pause ≥ (\S+) s$`), "at least ${2} pauses of ${1} s or more in mid-sentence, or one pause of ${3} s or more"},
	{regexp.MustCompile(`^latency > (\S+) s$`), "more than ${1} s before the first word"},
	{regexp.MustCompile(`^one word ≥ (\S+) of words$`), "one word makes up at least ${1} of the answer"},
	{regexp.MustCompile(`^count ≥ (\S+) and ≥ (\S+) of words$`), "a word used at least ${1} times, making up at least ${2} of the answer"},
	{regexp.MustCompile(`^phrase of ≥ 4 words twice, or 3 words three times$`), "a phrase of 4 or more words said twice, or of 3 words said three times"},
}

// typeNames spell question types in words, as typeWords does.
var typeNames = strings.NewReplacer("for behavioral answers", "for behavioural answers", "for intro answers", "for introduction answers")

// storedThreshold is a threshold in words, whatever version wrote it.
func storedThreshold(th string) string {
	for _, t := range storedThresholds {
		if t.old.MatchString(th) {
			return typeNames.Replace(t.old.ReplaceAllString(th, t.now))
		}
	}
	return th
}

// UnmarshalJSON reads a suggestion stored in any earlier format.
func (s *Suggestion) UnmarshalJSON(b []byte) error {
	type plain Suggestion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	p.Threshold = storedThreshold(p.Threshold)
	*s = Suggestion(p)
	return nil
}

// UnmarshalJSON reads a mention stored in any earlier format.
func (m *Mention) UnmarshalJSON(b []byte) error {
	type plain Mention
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	p.Threshold = storedThreshold(p.Threshold)
	*m = Mention(p)
	return nil
}

// UnmarshalJSON reads an analysis stored in any earlier format: a typed
// answer loses the caveat about the transcriber, which earlier versions
// gave every answer, and a number quoted in Strengths is cut as new
// analyses cut it.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.Mode == "text" {
		kept := p.Caveats[:0]
		for _, c := range p.Caveats {
			if c != caveatFillerLowerBound {
				kept = append(kept, c)
			}
		}
		p.Caveats = kept
	}
	for i, s := range p.Strengths {
		if q, ok := strings.CutPrefix(s, strengthNumber); ok {
			p.Strengths[i] = strengthNumber + cutQuote(strings.TrimSuffix(q, "."), strengthQuoteWords) + "."
		}
	}
	*r = Result(p)
	return nil
}
