package feedback

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Follow-up questions are what an interviewer asks after a main answer when
// its analysis found something missing. Like every other rule they are data:
// the rulebook's "followups" section names, for each rule, the trigger (one
// of the conditions below), the question types it applies to, the words
// asked and its place in the order. The first rule in order that is switched
// on, applies to the question type and whose trigger fires is asked; at most
// one per question.

// Follow-up triggers: the conditions a follow-up rule can name.
const (
	// TriggerNoExample fires when the episode rule found no specific past
	// event in the answer.
	TriggerNoExample = "no_example"
	// TriggerNoResult fires when the answer tells an episode but STAR found
	// no Result.
	TriggerNoResult = "no_result"
	// TriggerNoNumber fires when the answer has a Result but no quantified
	// result.
	TriggerNoNumber = "no_number"
	// TriggerWeOnly fires when the ownership rule flags the answer (actions
	// told only with "we", or "we" far outnumbering "I").
	TriggerWeOnly = "we_only"
	// TriggerFarTooShort fires when the answer is in the length rule's
	// "short" band.
	TriggerFarTooShort = "far_too_short"
)

// triggers are the known trigger names, each with the reason shown when it
// fires.
var triggers = map[string]string{
	TriggerNoExample:   "no specific past event was found in the answer",
	TriggerNoResult:    "the answer tells what happened but not the outcome",
	TriggerNoNumber:    "the result has no number",
	TriggerWeOnly:      "the ownership rule flagged the answer: the actions are told with “we”",
	TriggerFarTooShort: "the answer is far shorter than its type's band",
}

// termPlaceholder in a follow-up question is replaced by the answer's key
// term.
const termPlaceholder = "{term}"

// followUpSection is the "followups" section of the rulebook file.
type followUpSection struct {
	Description string          `json:"description"`
	Rules       []*FollowUpRule `json:"rules"`
}

// FollowUpRule is one follow-up rule of the rulebook.
type FollowUpRule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Trigger     string   `json:"trigger"`
	Types       []string `json:"types"`
	// Question is what the interviewer asks; {term} is replaced by the
	// answer's key term, and Fallback is asked when the answer has none.
	Question string  `json:"question"`
	Fallback string  `json:"fallback,omitempty"`
	Enabled  bool    `json:"enabled"`
	Order    float64 `json:"order"`
	// NotTerms are words that are never taken as the key term.
	NotTerms []string `json:"not_terms,omitempty"`
	// VerbCues mark the word after them (adverbs in between skipped) as a
	// verb, never the key term: "I listen", "to build", "we'd ship".
	VerbCues []string `json:"verb_cues,omitempty"`
}

// FollowUp is the follow-up question chosen for an answer.
type FollowUp struct {
	Rule    string `json:"rule"`    // the follow-up rule's id
	Trigger string `json:"trigger"` // the trigger that fired
	Text    string `json:"text"`    // the question to ask
	Reason  string `json:"reason"`  // why, in words: what the analysis found missing
	Term    string `json:"term,omitempty"`
}

// parseFollowUps checks the "followups" section. A rulebook without one
// asks no follow-ups.
func parseFollowUps(sec *followUpSection) (string, []*FollowUpRule, error) {
	if sec == nil {
		return "", nil, nil
	}
	seen := map[string]bool{}
	for i, r := range sec.Rules {
		at := fmt.Sprintf("parse rulebook: followups.rules[%d]", i)
		switch {
		case r == nil || r.ID == "":
			return "", nil, fmt.Errorf("%s.id: missing", at)
		case seen[r.ID]:
			return "", nil, fmt.Errorf("%s.id: duplicate %q", at, r.ID)
		case triggers[r.Trigger] == "":
			return "", nil, fmt.Errorf("%s.trigger: %q is not one of %s", at, r.Trigger, strings.Join(sortedKeys(triggers), ", "))
		case strings.TrimSpace(r.Question) == "":
			return "", nil, fmt.Errorf("%s.question: missing", at)
		case r.Order < 0 || r.Order != r.Order:
			return "", nil, fmt.Errorf("%s.order: must be a number ≥ 0", at)
		}
		for _, t := range r.Types {
			if !rehearse.QuestionType(t).Valid() {
				return "", nil, fmt.Errorf("%s.types: %q is not a question type", at, t)
			}
		}
		seen[r.ID] = true
	}
	return sec.Description, sec.Rules, nil
}

func cloneFollowUps(rs []*FollowUpRule) []*FollowUpRule {
	out := make([]*FollowUpRule, len(rs))
	for i, r := range rs {
		c := *r
		c.Types = append([]string(nil), r.Types...)
		c.NotTerms = append([]string(nil), r.NotTerms...)
		c.VerbCues = append([]string(nil), r.VerbCues...)
		out[i] = &c
	}
	return out
}

// followUp returns the follow-up rule with id, or nil.
func (rb *Rulebook) followUp(id string) *FollowUpRule {
	for _, r := range rb.followUps {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// overrideFollowUp applies a rule override to the follow-up rule id; ok is
// false when there is no such follow-up rule. A follow-up rule can be
// switched on or off, moved (thresholds.order) and reworded (text.question,
// text.fallback).
func (rb *Rulebook) overrideFollowUp(id string, ro RuleOverride) (ok bool, err error) {
	r := rb.followUp(id)
	if r == nil {
		return false, nil
	}
	if len(ro.Lists)+len(ro.Add)+len(ro.Remove)+len(ro.Maps) > 0 {
		return true, fmt.Errorf("overrides: rules.%s: a follow-up rule has no word lists; it takes enabled, thresholds.order and text", id)
	}
	if ro.Enabled != nil {
		r.Enabled = *ro.Enabled
	}
	for _, k := range sortedKeys(ro.Thresholds) {
		v := ro.Thresholds[k]
		if k != "order" {
			return true, fmt.Errorf("overrides: rules.%s.thresholds.%s: rule has no such threshold (has order)", id, k)
		}
		if v != v || v < 0 {
			return true, fmt.Errorf("overrides: rules.%s.thresholds.%s: must be a number ≥ 0", id, k)
		}
		r.Order = v
	}
	for _, k := range sortedKeys(ro.Text) {
		v := strings.TrimSpace(ro.Text[k])
		switch k {
		case "question":
			if v == "" {
				return true, fmt.Errorf("overrides: rules.%s.text.question: must not be empty", id)
			}
			r.Question = v
		case "fallback":
			r.Fallback = v
		default:
			return true, fmt.Errorf("overrides: rules.%s.text.%s: rule has no such text (has fallback, question)", id, k)
		}
	}
	return true, nil
}

// followUpInfos lists the follow-up rules for the rule listing, in the order
// they are tried.
func (rb *Rulebook) followUpInfos() []RuleInfo {
	var out []RuleInfo
	for i, r := range rb.orderedFollowUps() {
		desc := r.Description + " Asks: “" + r.Question + "”"
		if r.Fallback != "" {
			desc += " (or “" + r.Fallback + "”)"
		}
		desc += " Question types: " + strings.Join(r.Types, ", ") + "."
		if i == 0 && rb.followUpIntro != "" {
			// how follow-ups are chosen, once, before the first of them
			desc = rb.followUpIntro + " " + desc
		}
		out = append(out, RuleInfo{ID: r.ID, Title: r.Title, Group: "interview", Description: desc, Enabled: r.Enabled,
			Thresholds: []Threshold{{Name: "order", Value: r.Order}}})
	}
	return out
}

// orderedFollowUps returns the follow-up rules sorted by order (rulebook
// order among equals).
func (rb *Rulebook) orderedFollowUps() []*FollowUpRule {
	rs := append([]*FollowUpRule(nil), rb.followUps...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Order < rs[j].Order })
	return rs
}

// FollowUpRules returns a copy of the follow-up rules in the order they are
// tried.
func (rb *Rulebook) FollowUpRules() []FollowUpRule {
	var out []FollowUpRule
	for _, r := range rb.orderedFollowUps() {
		c := *r
		c.Types = append([]string(nil), r.Types...)
		out = append(out, c)
	}
	return out
}

// FollowUpIntro is the rulebook's explanation of how follow-ups are chosen.
func (rb *Rulebook) FollowUpIntro() string { return rb.followUpIntro }

// ChooseFollowUp picks the follow-up question for an analysed answer: the
// first follow-up rule, in order, that is switched on, applies to the
// answer's question type and whose trigger fires on res. answer is the
// answer's text (for the key term) and question the question asked (its
// words are never the key term). ok is false when no rule fires.
func (rb *Rulebook) ChooseFollowUp(res *Result, answer, question string) (FollowUp, bool) {
	if res == nil || res.Metrics.WordCount == 0 {
		return FollowUp{}, false
	}
	for _, r := range rb.orderedFollowUps() {
		if !r.Enabled || !contains(r.Types, res.QuestionType) || !fires(r.Trigger, res) {
			continue
		}
		fu := FollowUp{Rule: r.ID, Trigger: r.Trigger, Text: r.Question, Reason: triggers[r.Trigger]}
		if strings.Contains(r.Question, termPlaceholder) {
			fu.Term = rb.KeyTerm(answer, question)
			if fu.Term == "" {
				fu.Text = r.Fallback
				if fu.Text == "" {
					fu.Text = strings.ReplaceAll(r.Question, termPlaceholder, "that")
				}
			} else {
				fu.Text = strings.ReplaceAll(r.Question, termPlaceholder, fu.Term)
			}
		}
		return fu, true
	}
	return FollowUp{}, false
}

// FiredTriggers lists the triggers that fire on an analysed answer, in the
// order of the trigger names' declaration, whatever rules use them and
// whichever question types they apply to.
func FiredTriggers(res *Result) []string {
	var out []string
	if res == nil || res.Metrics.WordCount == 0 {
		return out
	}
	for _, t := range []string{TriggerNoExample, TriggerNoResult, TriggerNoNumber, TriggerWeOnly, TriggerFarTooShort} {
		if fires(t, res) {
			out = append(out, t)
		}
	}
	return out
}

// fires evaluates one trigger on an analysis.
func fires(trigger string, res *Result) bool {
	m := &res.Metrics
	switch trigger {
	case TriggerNoExample:
		return !m.Star.Episode
	case TriggerNoResult:
		return m.Star.Episode && !m.Star.Result
	case TriggerNoNumber:
		return m.Star.Result && m.QuantifiedResults == 0
	case TriggerWeOnly:
		for _, c := range res.Checks {
			if c.ID == "ownership" {
				return !c.Pass
			}
		}
		return false
	case TriggerFarTooShort:
		return m.LengthBand == "short"
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// KeyTerm returns the answer's own key term, for "Could you say more about
// …": its most frequent word (the earliest among equals) of more than three
// letters that is not a common word, filler or hedge of the rulebook, not a
// word of the question, not one of the follow-up rules' not_terms (time
// words such as "last" or "year"), not a past form in -ed or an adverb in
// -ly, and not a verb after one of the rules' verb_cues ("I listen", "to
// build"). A plural counts with its singular. The word is given as first
// said, with "the" when "the" came right before it (never a possessive: the
// interviewer's "your" is not the candidate's). It is "" when the
// answer has no such word.
func (rb *Rulebook) KeyTerm(answer, question string) string {
	skip := map[string]bool{}
	for _, w := range strings.Fields(question) {
		skip[keyTermStem(keyTermWord(w))] = true
	}
	cues := map[string]bool{}
	for _, r := range rb.followUps {
		for _, w := range r.NotTerms {
			skip[keyTermStem(strings.ToLower(w))] = true
		}
		for _, w := range r.VerbCues {
			cues[strings.ToLower(w)] = true
		}
	}
	// afterCue reports whether the word at i follows a verb cue, with only
	// adverbs (-ly, or not_terms such as "always") in between.
	afterCue := func(fields []string, i int) bool {
		for j := i - 1; j >= 0; j-- {
			if strings.ContainsAny(fields[j], ".,;:!?") {
				return false
			}
			p := keyTermWord(fields[j])
			if cues[p] {
				return true
			}
			if !strings.HasSuffix(p, "ly") && !skip[keyTermStem(p)] {
				return false
			}
		}
		return false
	}
	type cand struct {
		n     int
		first string
	}
	count := map[string]*cand{}
	var order []string
	fields := strings.Fields(answer)
	for i, f := range fields {
		w := keyTermWord(f)
		stem := keyTermStem(w)
		if len([]rune(w)) <= 3 || strings.IndexFunc(w, unicode.IsLetter) < 0 || skip[stem] ||
			strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") || afterCue(fields, i) ||
			rb.has("repetition.overused", "stopwords", w) || rb.has("fillers.lexical", "keys", w) ||
			rb.has("fillers", "keys", w) || rb.has("hedges.lexical", "keys", w) {
			continue
		}
		c := count[stem]
		if c == nil {
			// as said: "Kubernetes" keeps its capital
			c = &cand{first: strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })}
			if i > 0 && !strings.ContainsAny(fields[i-1], ".,;:!?") && keyTermWord(fields[i-1]) == "the" {
				c.first = "the " + c.first
			}
			count[stem] = c
			order = append(order, stem)
		}
		c.n++
	}
	best := ""
	for _, w := range order {
		if best == "" || count[w].n > count[best].n {
			best = w
		}
	}
	if best == "" {
		return ""
	}
	return count[best].first
}

// keyTermStem folds a plural onto its singular ("deploys" → "deploy").
func keyTermStem(w string) string {
	if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return strings.TrimSuffix(w, "s")
	}
	return w
}

// keyTermWord lowercases a token and strips the punctuation around it.
func keyTermWord(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "’", "'"))
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TriggerReason says in words what a follow-up trigger found missing ("" for
// an unknown trigger).
func TriggerReason(trigger string) string { return triggers[trigger] }
