package questions

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/rehearse-app/rehearse/assets"
)

// Role is what Rehearse understood of a free-text role such as "Senior
// backend engineer" or "primary school teacher".
type Role struct {
	// Text is the role as the user typed it.
	Text string `json:"text"`
	// Field is the bank's field the role belongs to ("software", "teaching",
	// ...), or "" when no job title or word of the table matched.
	Field string `json:"field,omitempty"`
	// FieldLabel is the field's name for people ("Teaching and education").
	FieldLabel string `json:"field_label,omitempty"`
	// Matched is the phrase of the role that decided the field.
	Matched string `json:"matched,omitempty"`
	// Level is "entry", "mid" or "senior"; "" when the role says nothing of it.
	Level string `json:"level,omitempty"`
}

// roleTable is assets/roles.json.
type roleTable struct {
	Fields map[string]struct {
		Label   string   `json:"label"`
		Phrases []string `json:"phrases"`
	} `json:"fields"`
	Levels map[string][]string `json:"levels"`
}

// phrase is one table entry, split into normalised words.
type phrase struct {
	words []string
	field string
}

type roleIndex struct {
	phrases []phrase
	labels  map[string]string
	levels  []phrase // field holds the level
}

var roleOnce = sync.OnceValues(func() (*roleIndex, error) {
	data, err := assets.Read("roles.json")
	if err != nil {
		return nil, fmt.Errorf("read role table: %w", err)
	}
	return parseRoles(data)
})

func parseRoles(data []byte) (*roleIndex, error) {
	var t roleTable
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("role table: %w", err)
	}
	ix := &roleIndex{labels: map[string]string{}}
	for field, f := range t.Fields {
		ix.labels[field] = f.Label
		for _, p := range f.Phrases {
			if w := roleWords(p); len(w) > 0 {
				ix.phrases = append(ix.phrases, phrase{w, field})
			}
		}
	}
	for level, ps := range t.Levels {
		for _, p := range ps {
			if w := roleWords(p); len(w) > 0 {
				ix.levels = append(ix.levels, phrase{w, level})
			}
		}
	}
	// A fixed order keeps ties deterministic.
	sortPhrases := func(ps []phrase) {
		sort.Slice(ps, func(i, j int) bool {
			a, b := strings.Join(ps[i].words, " "), strings.Join(ps[j].words, " ")
			if a != b {
				return a < b
			}
			return ps[i].field < ps[j].field
		})
	}
	sortPhrases(ix.phrases)
	sortPhrases(ix.levels)
	return ix, nil
}

// roleWords lower-cases s and splits it into words; "&" stays part of a word
// ("l&d"), every other non-letter, non-digit separates words. A plural "s" is
// dropped from words longer than three letters, so "nurses" matches "nurse".
func roleWords(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&'
	})
	for i, w := range f {
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			f[i] = strings.TrimSuffix(w, "s")
		}
	}
	return f
}

// matchAt reports whether p occurs in words at position i.
func matchAt(words []string, i int, p []string) bool {
	if i+len(p) > len(words) {
		return false
	}
	return slices.Equal(words[i:i+len(p)], p)
}

// ResolveRole places a free-text role in one of the bank's fields.
//
// The rule: every phrase of the table that occurs in the role, as whole
// words, votes for its field. The field of the longest matching phrase wins
// ("data engineer" is data, not software; "engineering manager" is
// management); between equally long phrases the field with more matched
// words wins, and a domain field wins over "management" (a "nurse manager"
// is asked nursing questions). A role that is itself a field name ("hr",
// "teaching") resolves to that field. The level comes from words such as
// "junior" or "senior"; none found leaves it empty.
func ResolveRole(text string) (Role, error) {
	ix, err := roleOnce()
	if err != nil {
		return Role{}, err
	}
	return ix.resolve(text), nil
}

func (ix *roleIndex) resolve(text string) Role {
	r := Role{Text: strings.TrimSpace(text)}
	words := roleWords(text)
	if len(words) == 0 {
		return r
	}
	type vote struct {
		longest int
		total   int
		first   int
		matched string
	}
	votes := map[string]*vote{}
	for i := range words {
		for _, p := range ix.phrases {
			if !matchAt(words, i, p.words) {
				continue
			}
			v := votes[p.field]
			if v == nil {
				v = &vote{first: i}
				votes[p.field] = v
			}
			v.total += len(p.words)
			if len(p.words) > v.longest {
				v.longest = len(p.words)
				v.matched = strings.Join(p.words, " ")
			}
		}
	}
	best := ""
	better := func(f, g string) bool { // is field f a better match than g?
		a, b := votes[f], votes[g]
		if a.longest != b.longest {
			return a.longest > b.longest
		}
		if (f == "management") != (g == "management") {
			return g == "management"
		}
		if a.total != b.total {
			return a.total > b.total
		}
		if a.first != b.first {
			return a.first < b.first
		}
		return f < g
	}
	for f := range votes {
		if best == "" || better(f, best) {
			best = f
		}
	}
	if best != "" {
		r.Field, r.FieldLabel, r.Matched = best, ix.labels[best], votes[best].matched
	}
	for i := range words {
		for _, p := range ix.levels {
			if matchAt(words, i, p.words) {
				if r.Level == "" || p.field == "senior" {
					r.Level = p.field
				}
			}
		}
	}
	return r
}

// FieldLabel returns the people's name of a field ("software" → "Software
// engineering"); an unknown field is returned as it is.
func FieldLabel(field string) string {
	if field == GeneralRole {
		return "General"
	}
	if ix, err := roleOnce(); err == nil {
		if l, ok := ix.labels[field]; ok {
			return l
		}
	}
	return field
}
