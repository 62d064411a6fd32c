// Package questions serves Rehearse's interview question bank: the questions
// embedded in the binary (assets/questions.json), merged with the ones the
// user writes, filtered and picked for a practice session, optionally ranked
// against a job description. It also holds the answer-length bands of each
// question type as data, so every part of Rehearse reads them from one
// place.
package questions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rehearse-app/rehearse/assets"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// MaxTextLen is the longest question text, in characters, that Rehearse
// accepts (built-in or written by the user).
const MaxTextLen = 500

// Tag prefixes used in the bank. A tag is "prefix:value", for example
// "role:software" or "topic:conflict".
const (
	RolePrefix  = "role:"
	TopicPrefix = "topic:"
	LevelPrefix = "level:"
)

// Levels are the values a "level:" tag may take, from easiest to hardest.
var Levels = []string{"entry", "mid", "senior"}

// LengthBand is the answer-length guidance for one question type, in seconds
// of speech. Its JSON form is the one used in
// questions.json: {"target_s":[lo,hi],"short_s":x,"long_s":y}.
type LengthBand struct {
	Target [2]float64 `json:"target_s"` // the target range, lower and upper bound
	Short  float64    `json:"short_s"`  // below this, a "short" suggestion is made
	Long   float64    `json:"long_s"`   // above this, a "long" suggestion is made
}

// Length classes, returned by LengthBand.Classify.
const (
	LengthShort       = "short"
	LengthBelowTarget = "below_target"
	LengthTarget      = "target"
	LengthAboveTarget = "above_target"
	LengthLong        = "long"
)

// Classify places a speech span (seconds) in the band; the boundaries:
// short < Short ≤ below_target < Target[0] ≤ target ≤
// Target[1] < above_target ≤ Long < long.
func (b LengthBand) Classify(spanS float64) string {
	switch {
	case spanS < b.Short:
		return LengthShort
	case spanS < b.Target[0]:
		return LengthBelowTarget
	case spanS <= b.Target[1]:
		return LengthTarget
	case spanS <= b.Long:
		return LengthAboveTarget
	default:
		return LengthLong
	}
}

// bands are the answer-length bands of each question type.
var bands = map[rehearse.QuestionType]LengthBand{
	rehearse.Behavioral:  {Target: [2]float64{60, 150}, Short: 45, Long: 180},
	rehearse.Situational: {Target: [2]float64{60, 150}, Short: 45, Long: 180},
	rehearse.Intro:       {Target: [2]float64{60, 120}, Short: 30, Long: 150},
	rehearse.Motivation:  {Target: [2]float64{30, 90}, Short: 20, Long: 120},
	rehearse.Technical:   {Target: [2]float64{45, 180}, Short: 20, Long: 240},
}

// Band returns the answer-length band for a question type.
// An unknown type gets the zero LengthBand.
func Band(t rehearse.QuestionType) LengthBand { return bands[t] }

// Bank is an immutable set of questions. Methods return copies, so callers
// may modify what they get without affecting the bank.
type Bank struct {
	qs   []rehearse.Question
	byID map[string]int
}

// entry is one element of questions.json.
type entry struct {
	ID     string                `json:"id"`
	Text   string                `json:"text"`
	Type   rehearse.QuestionType `json:"type"`
	Tags   []string              `json:"tags"`
	Tip    string                `json:"tip"`
	Length *struct {
		Target []float64 `json:"target_s"`
		Short  float64   `json:"short_s"`
		Long   float64   `json:"long_s"`
	} `json:"length"`
}

var loadOnce = sync.OnceValues(func() (*Bank, error) {
	data, err := assets.Read("questions.json")
	if err != nil {
		return nil, fmt.Errorf("read question bank: %w", err)
	}
	b, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("question bank: %w", err)
	}
	return b, nil
})

// Load returns the question bank embedded in Rehearse, parsed and validated
// once per process.
func Load() (*Bank, error) { return loadOnce() }

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	tagPattern = regexp.MustCompile(`^(role|topic|level):[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Parse reads a question bank in the questions.json format: a JSON array of
// {"id","text","type","tags","tip","length"} objects. It rejects unknown
// fields, duplicate or malformed ids, unknown types, empty texts or tips,
// malformed tags, entries without a "role:" tag, and length bands that differ
// from Band's. Errors name the entry (index and id) and the field.
func Parse(data []byte) (*Bank, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("line %d: %w", lineOf(data, se.Offset), err)
		}
		return nil, fmt.Errorf("want a JSON array of questions: %w", err)
	}
	b := &Bank{byID: make(map[string]int, len(raws))}
	for i, raw := range raws {
		var e entry
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("entry %d (%q): %w", i, e.ID, err)
		}
		if j, dup := b.byID[e.ID]; dup {
			return nil, fmt.Errorf("entry %d (%q): %w", i, e.ID, &rehearse.InputError{Field: "id", Value: e.ID, Reason: fmt.Sprintf("duplicate of entry %d", j)})
		}
		b.byID[e.ID] = len(b.qs)
		b.qs = append(b.qs, rehearse.Question{ID: e.ID, Text: e.Text, Type: e.Type, Tags: e.Tags, Tip: e.Tip})
	}
	if len(b.qs) == 0 {
		return nil, errors.New("the question bank is empty")
	}
	return b, nil
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

func (e *entry) validate() error {
	switch {
	case e.ID == "":
		return &rehearse.InputError{Field: "id", Reason: "missing"}
	case !idPattern.MatchString(e.ID):
		return &rehearse.InputError{Field: "id", Value: e.ID, Reason: "want lower-case words joined by hyphens"}
	}
	if err := validateText(e.Text); err != nil {
		return err
	}
	if !e.Type.Valid() {
		return &rehearse.InputError{Field: "type", Value: string(e.Type), Reason: "want one of behavioral, situational, intro, motivation, technical"}
	}
	switch {
	case strings.TrimSpace(e.Tip) == "":
		return &rehearse.InputError{Field: "tip", Reason: "missing"}
	case strings.ContainsAny(e.Tip, "\r\n"):
		return &rehearse.InputError{Field: "tip", Value: e.Tip, Reason: "must be one line"}
	}
	hasRole := false
	for _, t := range e.Tags {
		if !tagPattern.MatchString(t) {
			return &rehearse.InputError{Field: "tags", Value: t, Reason: "want role:, topic: or level: followed by lower-case words joined by hyphens"}
		}
		if v, ok := strings.CutPrefix(t, LevelPrefix); ok && !slices.Contains(Levels, v) {
			return &rehearse.InputError{Field: "tags", Value: t, Reason: "level must be entry, mid or senior"}
		}
		hasRole = hasRole || strings.HasPrefix(t, RolePrefix)
	}
	if !hasRole {
		return &rehearse.InputError{Field: "tags", Reason: "needs at least one role: tag"}
	}
	if e.Length == nil {
		return &rehearse.InputError{Field: "length", Reason: "missing"}
	}
	if len(e.Length.Target) != 2 {
		return &rehearse.InputError{Field: "length.target_s", Value: fmt.Sprint(e.Length.Target), Reason: "want [lower, upper]"}
	}
	got := LengthBand{Target: [2]float64{e.Length.Target[0], e.Length.Target[1]}, Short: e.Length.Short, Long: e.Length.Long}
	if want := Band(e.Type); got != want {
		return &rehearse.InputError{Field: "length", Value: bandString(got),
			Reason: fmt.Sprintf("want %s, the band of every %s question", bandString(want), e.Type)}
	}
	return nil
}

func bandString(b LengthBand) string {
	return fmt.Sprintf("target %g–%g s, short < %g s, long > %g s", b.Target[0], b.Target[1], b.Short, b.Long)
}

func validateText(text string) error {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return &rehearse.InputError{Field: "text", Reason: "the question is empty"}
	case utf8.RuneCountInString(t) > MaxTextLen:
		return &rehearse.InputError{Field: "text", Reason: fmt.Sprintf("the question is %d characters long; keep it to %d", utf8.RuneCountInString(t), MaxTextLen)}
	}
	return nil
}

// ValidateCustom checks a question the user wrote (the add/edit form): the
// text must not be empty and at most MaxTextLen characters, and the type must
// be one of rehearse.QuestionTypes. Errors are *rehearse.InputError naming
// the field.
func ValidateCustom(q rehearse.Question) error {
	if err := validateText(q.Text); err != nil {
		return err
	}
	if !q.Type.Valid() {
		return &rehearse.InputError{Field: "type", Value: string(q.Type), Reason: "choose behavioral, situational, intro, motivation or technical"}
	}
	return nil
}

// Len is the number of questions in the bank.
func (b *Bank) Len() int { return len(b.qs) }

// All returns every question in bank order (built-in ones in file order,
// then the user's own).
func (b *Bank) All() []rehearse.Question {
	out := make([]rehearse.Question, len(b.qs))
	for i, q := range b.qs {
		out[i] = clone(q)
	}
	return out
}

// Get returns the question with the given id.
func (b *Bank) Get(id string) (rehearse.Question, bool) {
	i, ok := b.byID[id]
	if !ok {
		return rehearse.Question{}, false
	}
	return clone(b.qs[i]), true
}

// Roles lists the values of every "role:" tag in the bank, sorted.
func (b *Bank) Roles() []string { return b.tagValues(RolePrefix) }

// Topics lists the values of every "topic:" tag in the bank, sorted.
func (b *Bank) Topics() []string { return b.tagValues(TopicPrefix) }

func (b *Bank) tagValues(prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range b.qs {
		for _, t := range q.Tags {
			if v, ok := strings.CutPrefix(t, prefix); ok && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sort.Strings(out)
	return out
}

// With returns a new bank holding b's questions and the user's own, each
// marked Custom. A custom question whose id is already in the bank replaces
// that question in place; one without an id gets "custom-" and a hash of its
// text. The receiver is not changed.
func (b *Bank) With(custom []rehearse.Question) *Bank {
	nb := &Bank{qs: make([]rehearse.Question, len(b.qs), len(b.qs)+len(custom)), byID: make(map[string]int, len(b.qs)+len(custom))}
	copy(nb.qs, b.qs)
	for id, i := range b.byID {
		nb.byID[id] = i
	}
	for _, q := range custom {
		q = clone(q)
		q.Custom = true
		if q.ID == "" {
			h := fnv.New64a()
			h.Write([]byte(q.Text))
			q.ID = fmt.Sprintf("custom-%016x", h.Sum64())
		}
		if i, ok := nb.byID[q.ID]; ok {
			nb.qs[i] = q
			continue
		}
		nb.byID[q.ID] = len(nb.qs)
		nb.qs = append(nb.qs, q)
	}
	return nb
}

func clone(q rehearse.Question) rehearse.Question {
	if q.Tags != nil {
		q.Tags = append([]string(nil), q.Tags...)
	}
	return q
}

// Tag returns the values of q's tags with the given prefix, e.g.
// Tag(q, RolePrefix) → ["software"].
func Tag(q rehearse.Question, prefix string) []string {
	var out []string
	for _, t := range q.Tags {
		if v, ok := strings.CutPrefix(t, prefix); ok {
			out = append(out, v)
		}
	}
	return out
}
