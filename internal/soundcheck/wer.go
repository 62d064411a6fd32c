// Package soundcheck measures how well the user's own set-up hears them: the
// word error rate of a transcript against the sentence that was read aloud,
// whether a filler in that sentence survived transcription, and the input
// level of the recording, with plain advice on what to change.
package soundcheck

import (
	"strings"
	"unicode"
)

// Normalize splits text into comparable words: lower case, punctuation
// dropped, hyphenated words split ("follow-up" = "follow up"), typographic
// apostrophes made plain. An apostrophe inside a word is kept ("don't").
func Normalize(text string) []string {
	text = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u2010", "-", "\u2011", "-", "\u2013", "-", "\u2014", "-").Replace(text)
	var words []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '/' }) {
		var b strings.Builder
		for _, r := range strings.ToLower(f) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
				b.WriteRune(r)
			}
		}
		if w := strings.Trim(b.String(), "'"); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// OpKind is one step of an alignment.
type OpKind int

// Alignment steps: a word heard right, heard as another word, missed, or
// heard but never said.
const (
	Match OpKind = iota
	Substitution
	Deletion
	Insertion
)

func (k OpKind) String() string {
	return [...]string{"match", "substitution", "deletion", "insertion"}[k]
}

// Op pairs a reference word with a heard word. Ref is empty for an
// insertion, Hyp for a deletion.
type Op struct {
	Kind OpKind
	Ref  string
	Hyp  string
}

// WERResult is the word error rate of a hypothesis against a reference.
type WERResult struct {
	Substitutions, Deletions, Insertions int
	RefWords, HypWords                   int
	// Rate is (S+D+I)/RefWords. With an empty reference it is 0 when
	// nothing was heard either and 1 otherwise: every heard word is wrong.
	Rate      float64
	Alignment []Op // in reference order
}

// Errors is S+D+I.
func (r WERResult) Errors() int { return r.Substitutions + r.Deletions + r.Insertions }

// WER aligns the normalised words hyp against ref with the fewest edits
// (Levenshtein over words, each edit costing 1). Among equally short
// alignments it pairs words up as early as it can (a substitution before an
// insertion or deletion, read from the start), so "checklist" heard as
// "check list" reads as "checklist" heard as "check", "list" added.
func WER(ref, hyp []string) WERResult {
	n, m := len(ref), len(hyp)
	// The table is built over the reversed words, so that tracing it back
	// from its far corner walks the sentence from its first word.
	rr, rh := reversed(ref), reversed(hyp)
	// d[i][j] = edits turning rr[:i] into rh[:j]
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sub := d[i-1][j-1]
			if rr[i-1] != rh[j-1] {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	r := WERResult{RefWords: n, HypWords: m}
	for i, j := n, m; i > 0 || j > 0; {
		switch {
		case i > 0 && j > 0 && rr[i-1] == rh[j-1] && d[i][j] == d[i-1][j-1]:
			r.Alignment = append(r.Alignment, Op{Match, rr[i-1], rh[j-1]})
			i, j = i-1, j-1
		case i > 0 && j > 0 && d[i][j] == d[i-1][j-1]+1:
			r.Alignment = append(r.Alignment, Op{Substitution, rr[i-1], rh[j-1]})
			r.Substitutions++
			i, j = i-1, j-1
		case i > 0 && d[i][j] == d[i-1][j]+1:
			r.Alignment = append(r.Alignment, Op{Kind: Deletion, Ref: rr[i-1]})
			r.Deletions++
			i--
		default:
			r.Alignment = append(r.Alignment, Op{Kind: Insertion, Hyp: rh[j-1]})
			r.Insertions++
			j--
		}
	}
	switch {
	case n > 0:
		r.Rate = float64(r.Errors()) / float64(n)
	case m > 0:
		r.Rate = 1
	}
	return r
}

func reversed(w []string) []string {
	out := make([]string, len(w))
	for i, s := range w {
		out[len(w)-1-i] = s
	}
	return out
}
