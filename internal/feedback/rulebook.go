package feedback

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rehearse-app/rehearse/assets"
)

// Rule is one entry of the rulebook: a measurement or feedback rule with its
// thresholds and word lists. Every flag the engine raises names its rule id.
type Rule struct {
	ID          string                       `json:"id"`
	Title       string                       `json:"title"`
	Group       string                       `json:"group"` // fluency, language, content, transcript
	Description string                       `json:"description"`
	Grade       string                       `json:"grade,omitempty"`
	Enabled     bool                         `json:"enabled"`
	Thresholds  map[string]float64           `json:"thresholds,omitempty"`
	Lists       map[string][]string          `json:"lists,omitempty"`
	Maps        map[string]map[string]string `json:"maps,omitempty"`

	sets    map[string]map[string]struct{}
	phrases map[string][][]string
}

// Rulebook is the data the engine runs on: word lists, context-rule trigger
// lists, thresholds and bands. The default is embedded in the binary
// (assets/rulebook.json); users edit it through Overrides.
type Rulebook struct {
	Version string
	// OverridesHash identifies the overrides applied with With ("" when none).
	OverridesHash string
	// Fluency is false when the user switched off the fluency metrics
	// (fillers, pauses, pace, latency) as a group.
	Fluency bool

	// followUps are the interview's follow-up rules (followups.go).
	followUps     []*FollowUpRule
	followUpIntro string

	rules []*Rule
	byID  map[string]*Rule
	index map[string]*wordMask
	// phrases holds each registered phrase list by its ref, so a clause
	// search does not look the rule and list up again
	phrases [][][]string
}

type rulebookFile struct {
	Version string  `json:"version"`
	Fluency *bool   `json:"fluency,omitempty"`
	Rules   []*Rule `json:"rules"`
	// FollowUps is the interview's follow-up section (followups.go).
	FollowUps *followUpSection `json:"followups,omitempty"`
}

var (
	defaultOnce sync.Once
	defaultRB   *Rulebook
	defaultErr  error
)

// DefaultRulebook returns the rulebook shipped with Rehearse. It panics only
// if the embedded file is broken, which the package tests rule out.
func DefaultRulebook() *Rulebook {
	defaultOnce.Do(func() {
		data, err := assets.Read("rulebook.json")
		if err != nil {
			defaultErr = err
			return
		}
		defaultRB, defaultErr = ParseRulebook(data)
	})
	if defaultErr != nil {
		panic(fmt.Sprintf("feedback: embedded rulebook: %v", defaultErr))
	}
	return defaultRB
}

// ParseRulebook reads a complete rulebook in the format of
// assets/rulebook.json.
func ParseRulebook(data []byte) (*Rulebook, error) {
	var f rulebookFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse rulebook: %w", err)
	}
	if f.Version == "" {
		return nil, fmt.Errorf("parse rulebook: version: missing")
	}
	rb := &Rulebook{Version: f.Version, Fluency: true, byID: map[string]*Rule{}}
	if f.Fluency != nil {
		rb.Fluency = *f.Fluency
	}
	for i, r := range f.Rules {
		if r == nil || r.ID == "" {
			return nil, fmt.Errorf("parse rulebook: rules[%d].id: missing", i)
		}
		if _, dup := rb.byID[r.ID]; dup {
			return nil, fmt.Errorf("parse rulebook: rules[%d].id: duplicate %q", i, r.ID)
		}
		r.compile()
		rb.rules = append(rb.rules, r)
		rb.byID[r.ID] = r
	}
	if err := rb.validate(); err != nil {
		return nil, fmt.Errorf("parse rulebook: %w", err)
	}
	for _, id := range requiredRules {
		if rb.byID[id] == nil {
			return nil, fmt.Errorf("parse rulebook: rule %q: missing", id)
		}
	}
	var err error
	if rb.followUpIntro, rb.followUps, err = parseFollowUps(f.FollowUps); err != nil {
		return nil, err
	}
	rb.buildIndex()
	return rb, nil
}

// requiredRules are the rule ids the engine looks up; a rulebook without
// them is rejected when loaded rather than failing during analysis.
var requiredRules = []string{
	"text.normalise", "asr.confidence", "fillers", "fillers.filled_pause", "fillers.like",
	"fillers.you_know", "fillers.i_mean", "fillers.so", "fillers.okay", "fillers.right",
	"fillers.well", "fillers.lexical", "fillers.per_key", "hedges", "hedges.lexical",
	"hedges.i_think", "hedges.i_feel_like", "hedges.i_would_say", "hedges.kind_of",
	"hedges.just", "hedges.try_to", "hedges.ownership_minimiser", "pace", "pauses", "latency",
	"length", "star", "star.episode", "star.situation", "star.task", "star.action", "star.result", "quantified", "ownership", "repetition.overused", "repetition.phrases",
	"repetition.immediate", "negative_talk", "job_terms",
}

func (r *Rule) compile() {
	r.sets = make(map[string]map[string]struct{}, len(r.Lists))
	r.phrases = make(map[string][][]string, len(r.Lists))
	for name, l := range r.Lists {
		s := make(map[string]struct{}, len(l))
		ps := make([][]string, 0, len(l))
		for _, w := range l {
			w = strings.ToLower(w)
			s[w] = struct{}{}
			if f := strings.Fields(w); len(f) > 0 {
				ps = append(ps, f)
			}
		}
		r.sets[name] = s
		r.phrases[name] = ps
	}
}

func (r *Rule) clone() *Rule {
	c := *r
	c.Thresholds = make(map[string]float64, len(r.Thresholds))
	for k, v := range r.Thresholds {
		c.Thresholds[k] = v
	}
	c.Lists = make(map[string][]string, len(r.Lists))
	for k, v := range r.Lists {
		c.Lists[k] = append([]string(nil), v...)
	}
	c.Maps = make(map[string]map[string]string, len(r.Maps))
	for k, m := range r.Maps {
		mm := make(map[string]string, len(m))
		for a, b := range m {
			mm[a] = b
		}
		c.Maps[k] = mm
	}
	return &c
}

// rule returns the rule with id; the ids used by the engine are checked at load.
func (rb *Rulebook) rule(id string) *Rule {
	if r := rb.byID[id]; r != nil {
		return r
	}
	return &Rule{ID: id}
}

// on reports whether a rule is enabled (and, for fluency rules, whether
// the fluency group is on).
func (rb *Rulebook) on(id string) bool {
	r := rb.byID[id]
	if r == nil || !r.Enabled {
		return false
	}
	if r.Group == "fluency" && !rb.Fluency {
		return false
	}
	return true
}

func (rb *Rulebook) th(id, name string) float64 { return rb.rule(id).Thresholds[name] }

func (rb *Rulebook) has(id, list, w string) bool {
	_, ok := rb.rule(id).sets[list][w]
	return ok
}

func (rb *Rulebook) list(id, list string) []string { return rb.rule(id).Lists[list] }

// RuleInfo describes one rule for `rehearse rules` and the "How feedback
// works" screen.
type RuleInfo struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Group       string      `json:"group"`
	Description string      `json:"description"`
	Grade       string      `json:"grade,omitempty"`
	Enabled     bool        `json:"enabled"`
	Thresholds  []Threshold `json:"thresholds,omitempty"`
	Lists       []string    `json:"lists,omitempty"` // names of the editable word lists
}

// Threshold is one named number of a rule.
type Threshold struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Rules lists every rule in rulebook order, with thresholds sorted by name.
func (rb *Rulebook) Rules() []RuleInfo {
	out := make([]RuleInfo, 0, len(rb.rules))
	for _, r := range rb.rules {
		ri := RuleInfo{ID: r.ID, Title: r.Title, Group: r.Group, Description: r.Description, Grade: r.Grade, Enabled: rb.on(r.ID)}
		for _, k := range sortedKeys(r.Thresholds) {
			ri.Thresholds = append(ri.Thresholds, Threshold{Name: k, Value: r.Thresholds[k]})
		}
		ri.Lists = append(ri.Lists, sortedKeys(r.Lists)...)
		out = append(out, ri)
	}
	return append(out, rb.followUpInfos()...)
}

// List returns a copy of one word list of a rule (nil when absent).
func (rb *Rulebook) List(ruleID, list string) []string {
	return append([]string(nil), rb.list(ruleID, list)...)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Overrides are the user's edits to the rulebook, stored as JSON:
//
//	{"fluency": false,
//	 "rules": {"fillers": {"thresholds": {"min_total": 6}},
//	           "hedges.just": {"enabled": false},
//	           "fillers.lexical": {"add": {"keys": ["honestly"]}},
//	           "star.action": {"maps": {"stems": {"led": ""}}}}}
type Overrides struct {
	// Fluency switches the fluency metrics (fillers, pauses, pace,
	// latency) on or off as a group.
	Fluency *bool                   `json:"fluency,omitempty"`
	Rules   map[string]RuleOverride `json:"rules,omitempty"`
}

// RuleOverride edits one rule.
type RuleOverride struct {
	Enabled    *bool               `json:"enabled,omitempty"`
	Thresholds map[string]float64  `json:"thresholds,omitempty"`
	Lists      map[string][]string `json:"lists,omitempty"`  // replace a list
	Add        map[string][]string `json:"add,omitempty"`    // add words to a list
	Remove     map[string][]string `json:"remove,omitempty"` // remove words from a list
	// Maps sets entries of a rule's word maps (stems, variants); an empty
	// value removes the entry.
	Maps map[string]map[string]string `json:"maps,omitempty"`
	// Text rewords a follow-up rule ("question", "fallback").
	Text map[string]string `json:"text,omitempty"`
}

// ParseOverrides reads overrides JSON. Unknown fields are rejected and the
// error names the field.
func ParseOverrides(data []byte) (Overrides, error) {
	var o Overrides
	if len(bytes.TrimSpace(data)) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return Overrides{}, fmt.Errorf("parse overrides: %w", err)
	}
	if dec.More() {
		return Overrides{}, fmt.Errorf("parse overrides: trailing data after the JSON object")
	}
	return o, nil
}

// Hash identifies a set of overrides: the first 16 hex digits of the
// SHA-256 of their canonical JSON, or "" when there are none.
func (o Overrides) Hash() string {
	if o.Fluency == nil && len(o.Rules) == 0 {
		return ""
	}
	b, _ := json.Marshal(o) // maps marshal with sorted keys: canonical
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// With returns a copy of the rulebook with the overrides applied. A rule id,
// threshold or list that does not exist is an error naming it.
func (rb *Rulebook) With(o Overrides) (*Rulebook, error) {
	out := &Rulebook{Version: rb.Version, Fluency: rb.Fluency, byID: make(map[string]*Rule, len(rb.rules)),
		followUps: cloneFollowUps(rb.followUps), followUpIntro: rb.followUpIntro}
	for _, r := range rb.rules {
		c := r.clone()
		out.rules = append(out.rules, c)
		out.byID[c.ID] = c
	}
	if o.Fluency != nil {
		out.Fluency = *o.Fluency
	}
	for _, id := range sortedKeys(o.Rules) {
		ro := o.Rules[id]
		r := out.byID[id]
		if ok, err := out.overrideFollowUp(id, ro); ok || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if r == nil {
			return nil, fmt.Errorf("overrides: rules.%s: no such rule", id)
		}
		if len(ro.Text) > 0 {
			return nil, fmt.Errorf("overrides: rules.%s.text: only follow-up rules have text", id)
		}
		if ro.Enabled != nil {
			r.Enabled = *ro.Enabled
		}
		for _, k := range sortedKeys(ro.Thresholds) {
			if _, ok := r.Thresholds[k]; !ok {
				return nil, fmt.Errorf("overrides: rules.%s.thresholds.%s: rule has no such threshold (has %s)", id, k, strings.Join(sortedKeys(r.Thresholds), ", "))
			}
			v := ro.Thresholds[k]
			if v != v || v < 0 {
				return nil, fmt.Errorf("overrides: rules.%s.thresholds.%s: must be a number ≥ 0", id, k)
			}
			r.Thresholds[k] = v
		}
		for _, part := range []struct {
			name string
			m    map[string][]string
		}{{"lists", ro.Lists}, {"add", ro.Add}, {"remove", ro.Remove}} {
			for _, k := range sortedKeys(part.m) {
				if _, ok := r.Lists[k]; !ok {
					return nil, fmt.Errorf("overrides: rules.%s.%s.%s: rule has no such list (has %s)", id, part.name, k, strings.Join(sortedKeys(r.Lists), ", "))
				}
				words := make([]string, 0, len(part.m[k]))
				for _, w := range part.m[k] {
					words = append(words, strings.ToLower(strings.TrimSpace(w)))
				}
				switch part.name {
				case "lists":
					r.Lists[k] = words
				case "add":
					r.Lists[k] = append(r.Lists[k], words...)
				case "remove":
					drop := map[string]bool{}
					for _, w := range words {
						drop[w] = true
					}
					kept := r.Lists[k][:0:0]
					for _, w := range r.Lists[k] {
						if !drop[w] {
							kept = append(kept, w)
						}
					}
					r.Lists[k] = kept
				}
			}
		}
		for _, k := range sortedKeys(ro.Maps) {
			m, ok := r.Maps[k]
			if !ok {
				return nil, fmt.Errorf("overrides: rules.%s.maps.%s: rule has no such map (has %s)", id, k, strings.Join(sortedKeys(r.Maps), ", "))
			}
			for from, to := range ro.Maps[k] {
				from, to = strings.ToLower(strings.TrimSpace(from)), strings.ToLower(strings.TrimSpace(to))
				if to == "" {
					delete(m, from)
				} else {
					m[from] = to
				}
			}
		}
		r.compile()
	}
	if err := out.validate(); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	out.OverridesHash = o.Hash()
	out.buildIndex()
	return out, nil
}

// listKey names one word list of one rule.
type listKey struct{ rule, list string }

// registered word lists (see refs.go) and phrase lists; bit i of a word's
// mask says it is in registered list i. Phrase lists set the bit of a
// phrase's first word, so a clause is only searched where one can start.
var (
	registered []listKey
	phraseRefs = map[listKey]int{}
)

const maxRefs = 256

type wordMask [maxRefs / 64]uint64

func listRef(rule, list string) int {
	registered = append(registered, listKey{rule, list})
	if len(registered) > maxRefs {
		panic("feedback: too many registered word lists")
	}
	return len(registered) - 1
}

// phraseRef registers a phrase list for prefiltering by first word.
func phraseRef(rule, list string) int {
	k := listKey{rule, "phrases:" + list}
	if id, ok := phraseRefs[k]; ok {
		return id
	}
	id := listRef(rule, "phrases:"+list)
	phraseRefs[k] = id
	return id
}

// buildIndex maps every word of the registered lists to its bit mask.
func (rb *Rulebook) buildIndex() {
	rb.index = make(map[string]*wordMask, 1024)
	rb.phrases = make([][][]string, len(registered))
	for id, k := range registered {
		r := rb.byID[k.rule]
		if r == nil {
			continue
		}
		var words []string
		if name, ok := strings.CutPrefix(k.list, "phrases:"); ok {
			rb.phrases[id] = r.phrases[name]
			for _, p := range r.phrases[name] {
				words = append(words, p[0])
			}
		} else {
			words = r.Lists[k.list]
		}
		for _, w := range words {
			w = strings.ToLower(w)
			m := rb.index[w]
			if m == nil {
				m = new(wordMask)
				rb.index[w] = m
			}
			m[id/64] |= 1 << (id % 64)
		}
	}
}

// hasRef reports whether w is in registered list ref.
func (rb *Rulebook) hasRef(ref int, w string) bool {
	m := rb.index[w]
	return m != nil && m[ref/64]&(1<<(ref%64)) != 0
}

// filledPause reports whether w is a filled pause (um, uh, er…).
func (rb *Rulebook) filledPause(w string) bool {
	return rb.hasRef(refFillersFilledPauseKeys, w)
}

// phrasesOf returns the phrases of a phrase ref.
func (rb *Rulebook) phrasesOf(ref int) [][]string {
	return rb.phrases[ref]
}
