package feedback

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Result is the outcome of analysing one answer (metrics, evidence, tips,
// strengths, caveats, the checklist, scores, mentions and job-term coverage). It describes the answer,
// never the person.
type Result struct {
	Metrics     Metrics      `json:"metrics"`
	Evidence    []Evidence   `json:"evidence"`
	Suggestions []Suggestion `json:"suggestions"`
	// Mentions are observations below a suggestion threshold (a filler rate, pace or length near its limit).
	Mentions  []Mention `json:"mentions"`
	Strengths []string  `json:"strengths"`
	Caveats   []string  `json:"caveats"`
	// Checks is the checklist; Checklist summarises it ("meets 5 of 7 checks").
	Checks    []Check         `json:"checks"`
	Checklist string          `json:"checklist"`
	Scores    []Score         `json:"scores"`
	JobCover  *AnswerCoverage `json:"job_coverage,omitempty"`

	QuestionType    string `json:"question_type"`
	Mode            string `json:"mode"` // "timed" or "text"
	RulebookVersion string `json:"rulebook_version"`
	OverridesHash   string `json:"overrides_hash,omitempty"`
}

// Metrics are the answer's numbers. Pointers are null when a metric cannot be
// computed (no timings, not enough speech, fluency metrics switched off).
type Metrics struct {
	WordCount           int            `json:"word_count"`
	LexicalWords        int            `json:"lexical_words"`
	SpeechSpanS         *float64       `json:"speech_span_s"`
	Fillers             map[string]int `json:"fillers"`
	FillerTotal         *int           `json:"filler_total"`
	FilledPauses        *int           `json:"filled_pauses"`
	DiscourseFillers    *int           `json:"discourse_fillers"`
	FillerRate          *float64       `json:"filler_rate"`
	Hedges              map[string]int `json:"hedges"`
	HedgeTotal          int            `json:"hedge_total"`
	HedgeRate           float64        `json:"hedge_rate"`
	SpeakingRateWPM     *float64       `json:"speaking_rate_wpm"`
	ArticulationRateWPM *float64       `json:"articulation_rate_wpm"`
	PaceBand            string         `json:"pace_band,omitempty"`
	Pauses              *Pauses        `json:"pauses"`
	LatencyS            *float64       `json:"latency_s"`
	LengthBand          string         `json:"length_band"`
	Star                Star           `json:"star"`
	QuantifiedResults   int            `json:"quantified_results"`
	ICount              int            `json:"i_count"`
	WeCount             int            `json:"we_count"`
	WeShare             float64        `json:"we_share"`
	OverusedWords       []WordCount    `json:"overused_words"`
	RepeatedPhrases     []PhraseCount  `json:"repeated_phrases"`
	ImmediateRepeats    int            `json:"immediate_repetitions"`
	NegativeEmployer    int            `json:"negative_employer_sentences"`
	LowConfidenceWords  int            `json:"low_confidence_words"`
}

// AnswerSeconds is how long the answer lasted: its speech span (first word
// to last) when known, otherwise recordedS, the length of the recording or
// the time given for a typed answer. Headers, suggestions and charts all
// use this one figure.
func (m Metrics) AnswerSeconds(recordedS float64) float64 {
	if m.SpeechSpanS != nil {
		return *m.SpeechSpanS
	}
	return recordedS
}

// TypedWPM is the ordinary speaking pace used to estimate how long a typed
// answer takes to say when no speaking time is given.
const TypedWPM = 150

// EstimatedSpeakingS is how long a typed answer of words words takes to
// say at TypedWPM.
func EstimatedSpeakingS(words int) float64 { return float64(words) * 60 / TypedWPM }

// Pauses summarises the gaps between words: long, very long and long inside a sentence.
type Pauses struct {
	Long            int     `json:"long"`
	VeryLong        int     `json:"very_long"`
	MidSentenceLong int     `json:"mid_sentence_long"`
	MaxS            float64 `json:"max_s"`
}

// Star is the STAR structure (Situation, Task, Action, Result) of the answer's main episode.
type Star struct {
	Situation  bool  `json:"situation"`
	Task       bool  `json:"task"`
	Action     bool  `json:"action"`
	Result     bool  `json:"result"`
	OrderOK    *bool `json:"order_ok"`
	Reflection bool  `json:"reflection"`
	Episode    bool  `json:"episode"`
	Components int   `json:"components"`
}

// StarApplies says whether an answer of type t is scored for STAR: every
// behavioural answer, and a situational one that tells a past episode.
// Suggestions, checks and the progress charts all use this one rule.
func StarApplies(t rehearse.QuestionType, s Star) bool {
	return t == rehearse.Behavioral || (t == rehearse.Situational && s.Episode)
}

// WordCount is an overused word.
type WordCount struct {
	Word  string `json:"word"`
	Count int    `json:"count"`
}

// PhraseCount is a repeated phrase.
type PhraseCount struct {
	Phrase string `json:"phrase"`
	Count  int    `json:"count"`
}

// Kind says what a piece of evidence is, so that a view can draw and
// explain it without knowing metric names.
type Kind string

// The kinds of evidence.
const (
	KindFiller           Kind = "filler"            // a filler word or phrase
	KindHedge            Kind = "hedge"             // a hedge that softens a statement
	KindPause            Kind = "pause"             // a long silent gap after the span's last word
	KindStarComponent    Kind = "star_component"    // a clause counted as situation, task, action or result
	KindNoEpisode        Kind = "no_episode"        // the whole answer: no specific past event was told
	KindQuantifiedResult Kind = "quantified_result" // an outcome backed by a number
	KindOwnership        Kind = "ownership"         // "we" where the speaker's own part could be told
	KindNegativeTalk     Kind = "negative_talk"     // a sentence speaking badly of an employer
	KindRepetition       Kind = "repetition"        // a use of a word the answer leans on
)

// Span is where evidence sits in the answer: its first and last word
// (inclusive) as indexes into Words of the analysed transcript and, when
// the answer was timed, their start and end in seconds.
type Span struct {
	First int      `json:"word_index"`
	Last  int      `json:"last_index"`
	Start *float64 `json:"start"`
	End   *float64 `json:"end"`
}

// Evidence is one counted item: what kind it is, the metric it counts
// towards, where it is and the words it quotes.
type Evidence struct {
	Kind   Kind   `json:"kind"`
	Metric string `json:"metric"`
	Span
	Text string `json:"text"`
	Rule string `json:"rule"`
	// Reason says which cue of the rule decided (STAR and quantified results).
	Reason string `json:"reason,omitempty"`
}

// Words are the words of a transcript that evidence spans index: the timed
// words of a spoken answer, otherwise the whitespace-separated words of the
// text. An empty timed word keeps its place as "".
func Words(t rehearse.Transcript) []string {
	if t.Timed && len(t.Words) > 0 {
		out := make([]string, len(t.Words))
		for i, w := range t.Words {
			out[i] = strings.TrimSpace(w.Text)
		}
		return out
	}
	return strings.Fields(t.Text)
}

// Why says in words why the evidence's words were marked.
func (e Evidence) Why() string {
	with := func(s string) string {
		if e.Reason != "" {
			return s + " (" + e.Reason + ")."
		}
		return s + "."
	}
	switch e.Kind {
	case KindFiller:
		return "“" + e.Text + "” is counted as a filler here: it fills a gap rather than carrying meaning."
	case KindHedge:
		return "“" + e.Text + "” is counted as a hedge: it softens what you say."
	case KindPause:
		return "A " + e.Text + "."
	case KindStarComponent:
		return with("Counted as the " + strings.TrimPrefix(e.Metric, "star.") + " of your story")
	case KindNoEpisode:
		return with("The whole answer: " + e.Text)
	case KindQuantifiedResult:
		return with("An outcome backed by a number")
	case KindOwnership:
		return "“" + e.Text + "” tells a step as the team's where your own part could be said with “I”."
	case KindRepetition:
		return "“" + e.Text + "” is one of the many uses of this word in the answer."
	case KindNegativeTalk:
		return "A sentence with a word for an employer and a negative word: it may sound like criticism of them."
	}
	return ""
}

// Suggestion is one tip, worded as a suggestion: at most three per answer, each naming the
// rule and threshold it crossed and citing its evidence.
type Suggestion struct {
	ID           string `json:"id"`
	Priority     int    `json:"priority"`
	Text         string `json:"text"`
	EvidenceRefs []int  `json:"evidence_refs"`
	// EvidenceNote says why the words EvidenceRefs mark are the evidence.
	EvidenceNote string `json:"evidence_note,omitempty"`
	Rule         string `json:"rule"`
	Threshold    string `json:"threshold"`
}

// Mention is an observation that did not reach a suggestion threshold.
type Mention struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Rule      string `json:"rule"`
	Threshold string `json:"threshold"`
}

// Check is one line of the checklist, with the reason it passed or failed.
type Check struct {
	ID        string `json:"id"`
	Dimension string `json:"dimension"`
	Label     string `json:"label"`
	Pass      bool   `json:"pass"`
	Reason    string `json:"reason"`
	Rule      string `json:"rule"`
	// Fluency checks can be left out of the total, for those who switch fluency metrics off.
	Fluency bool `json:"fluency"`
	Counted bool `json:"counted"`
}

// Score is one dimension of the answer: how many of its checks passed.
// There are no weights and no overall rating.
type Score struct {
	Dimension string `json:"dimension"`
	Met       int    `json:"met"`
	Of        int    `json:"of"`
	Summary   string `json:"summary"`
}

// JSON returns the result as deterministic, indented JSON.
func (r *Result) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		// only non-finite floats can fail; they are rounded away in Analyze
		return []byte(`{"error":` + jsonString(err.Error()) + "}\n")
	}
	return buf.Bytes()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func round(f float64, places int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}

func fp(f float64) *float64 { v := round(f, 2); return &v }
func ip(i int) *int         { return &i }
func bp(b bool) *bool       { return &b }

// StoredMetrics reads the metrics of a stored analysis (the JSON of a
// Result); ok is false when there is none or it cannot be read.
func StoredMetrics(analysis []byte) (m Metrics, ok bool) {
	var doc struct {
		Metrics Metrics `json:"metrics"`
	}
	if len(analysis) == 0 || json.Unmarshal(analysis, &doc) != nil {
		return Metrics{}, false
	}
	return doc.Metrics, true
}
