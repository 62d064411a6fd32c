package feedback

import "strings"

// clause is a span of tokens analysed together by the STAR and
// quantified-result rules.
type clause struct {
	first, last int
	subj        string // "i", "we", "other", ""
	subordinate bool   // starts with when/while/after...
	sentence    int
	inherit     bool // a coordinated verb phrase ("and shipped it"): subject of the clause before
}

const starRule = "star"

// splitClauses cuts the token stream at sentence ends, and at commas,
// conjunctions and subordinators that introduce a new subject.
func splitClauses(ts []tok, rb *Rulebook) []clause {
	lx := &lexer{rb: rb, ts: ts}
	var cs []clause
	if len(ts) == 0 {
		return cs
	}
	cur := clause{first: 0}
	sent := 0
	for i := 1; i < len(ts); i++ {
		p := &ts[i-1]
		w := ts[i].norm
		nx := ""
		if i+1 < len(ts) {
			nx = ts[i+1].norm
		}
		cut := false
		switch {
		case p.sentEnd:
			cut = true
		case p.comma && i-cur.first >= 2 && rb.hasRef(refStarSubordinators, ts[cur.first].norm):
			cut = true // the main clause after a leading subordinate clause
		case rb.hasRef(refResultReasonWords, w) && i+1 < len(ts):
			cut = true
		case rb.hasRef(refStarSubordinators, w) && w != "as" && w != "once" && w != "if" && (rb.hasRef(refTextNormaliseSubjectPronouns, nx) || nx == "the" || nx == "our" || nx == "my"):
			cut = true
		case (w == "and" || w == "but" || w == "so" || w == "then" && !(p.norm == "since" || p.norm == "and" || p.norm == "but" || p.norm == "so" || p.norm == "until" || p.norm == "by") || w == "which") && (rb.hasRef(refTextNormaliseSubjectPronouns, nx) || isIForm(nx) || nx == "our" || nx == "the" || nx == "my" || nx == "that" || nx == "this" || nx == "then"):
			cut = true
		case (w == "and" || w == "then") && i+1 < len(ts) && isPastForm(lx, i+1) && !rb.hasRef(refStarStativeVerbs, nx):
			cur.last = i - 1
			cur.sentence = sent
			cs = append(cs, cur)
			cur = clause{first: i, inherit: true}
			continue
		case (p.comma || p.ellipsis || ts[i].breakPrev) && (rb.hasRef(refTextNormaliseSubjectPronouns, w) || isIForm(w) || w == "our" || w == "my" || w == "the" || w == "which" || w == "and" || w == "but"):
			cut = true
		}
		if cut {
			cur.last = i - 1
			cur.sentence = sent
			cs = append(cs, cur)
			if p.sentEnd {
				sent++
			}
			cur = clause{first: i}
		}
	}
	cur.last = len(ts) - 1
	cur.sentence = sent
	cs = append(cs, cur)
	for k := range cs {
		c := &cs[k]
		j := c.first
		for ; j <= c.last; j++ {
			w := ts[j].norm
			if ts[j].filler || w == "and" || w == "but" || w == "so" || w == "then" || w == "which" || w == "that" && j == c.first || rb.hasRef(refStarAdverbs, w) || ts[j].used == 2 {
				continue
			}
			if rb.hasRef(refStarSubordinators, w) {
				if j+1 <= c.last {
					nx := ts[j+1].norm
					if rb.hasRef(refTextNormaliseSubjectPronouns, nx) || isIForm(nx) || nx == "the" || nx == "our" || nx == "my" || nx == "their" || nx == "his" || nx == "her" {
						c.subordinate = true
					}
				}
				continue
			}
			break
		}
		if c.inherit && k > 0 {
			c.subj = cs[k-1].subj
			continue
		}
		if si := lx.subjectAfterPhrase(*c); si >= 0 {
			if isIForm(ts[si].norm) {
				c.subj = "i"
			} else {
				c.subj = "we"
			}
			continue
		}
		if j > c.last {
			continue
		}
		w := ts[j].norm
		switch {
		case isIForm(w):
			c.subj = "i"
		case rb.hasRef(refOwnershipWeForms, w):
			c.subj = "we"
		case (w == "our" || w == "my") && j+1 <= c.last && (ts[j+1].norm == "team" || ts[j+1].norm == "group" || ts[j+1].norm == "squad"):
			c.subj = "we"
		default:
			c.subj = "other"
		}
	}
	return cs
}

// phraseAt reports whether phrase (space-separated) starts at token i.
func phraseAt(ts []tok, i, last int, words []string) bool {
	if i+len(words)-1 > last {
		return false
	}
	for k, w := range words {
		if ts[i+k].norm != w {
			return false
		}
	}
	return true
}

// findPhrase returns the index of the first phrase of list found in the
// clause, or -1.
func (lx *lexer) findPhrase(c clause, ref int) int {
	ts := lx.ts
	var phrases [][]string
	for i := c.first; i <= c.last; i++ {
		if !lx.hasRef(ref, i) {
			continue
		}
		if phrases == nil {
			phrases = lx.rb.phrasesOf(ref)
		}
		for _, p := range phrases {
			if ts[i].norm == p[0] && phraseAt(ts, i, c.last, p) {
				return i
			}
		}
	}
	return -1
}

func (lx *lexer) clauseHas(c clause, ref int) int {
	for i := c.first; i <= c.last; i++ {
		if lx.hasRef(ref, i) {
			return i
		}
	}
	return -1
}

// verbAfter returns the index of the verb after the subject at the clause
// start (skipping adverbs, fillers and hedges), or -1.
func (lx *lexer) verbAfter(c clause, from int) int {
	for j := from; j <= c.last; j++ {
		t := &lx.ts[j]
		if t.filler || lx.hasRef(refStarAdverbs, j) {
			continue
		}
		if t.used == 2 && !lx.hasRef(refHedgesTryToForms, j) && !(t.norm == "to" && lx.hasRef(refHedgesTryToForms, j-1)) {
			continue
		}
		return j
	}
	return -1
}

func (lx *lexer) subjIndex(c clause) int {
	if c.inherit {
		return c.first // the conjunction stands in for the shared subject
	}
	if j := lx.subjectAfterPhrase(c); j >= 0 {
		return j
	}
	for j := c.first; j <= c.last; j++ {
		w := lx.ts[j].norm
		if isIForm(w) || lx.hasRef(refOwnershipWeForms, j) {
			return j
		}
		if lx.ts[j].filler || w == "and" || w == "but" || w == "so" || w == "then" || lx.hasRef(refStarAdverbs, j) || lx.hasRef(refStarSubordinators, j) || lx.ts[j].used == 2 {
			continue
		}
		return -1
	}
	return -1
}

// stem reduces a word to a crude stem for comparing the answer with the
// question: irregular forms from the rulebook, then common suffixes.
func stem(rb *Rulebook, w string) string {
	if s, ok := rb.rule(actionRule).Maps["stems"][w]; ok {
		return s
	}
	for _, suf := range []string{"ing", "ed", "es", "s", "e"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// complication reports a clause that reads as part of the problem rather
// than an outcome: a bad state ("the QA team was blocked") or a negation
// ("they kept saying no").
func (lx *lexer) complication(c clause) bool {
	for i := c.first; i <= c.last; i++ {
		w := lx.ts[i].norm
		if lx.hasRef(refStarBadState, i) || w == "no" || w == "not" || w == "never" || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

// quotedRequest finds a request reported directly to the speaker after a
// quotative ("my manager was like, fix this today"; "she was like, could
// you take this on").
func (lx *lexer) quotedRequest(c clause) bool {
	ts := lx.ts
	for i := c.first + 1; i+1 <= c.last; i++ {
		if ts[i].norm != "like" || !ts[i].comma || ts[i].filler || ts[i-1].pauseAfter() || !lx.hasRef(refFillersLikeBeForms, i-1) {
			continue
		}
		if i-2 >= 0 && isIForm(ts[i-2].norm) || isIForm(ts[i-1].norm) {
			continue // the speaker's own reaction
		}
		nx := ts[i+1].norm
		switch nx {
		case "could", "can", "would", "will", "please":
			return true
		}
		if lx.hasRef(refTextNormaliseSubjectPronouns, i+1) || lx.hasRef(refTextNormaliseResponseTokens, i+1) || ts[i+1].filler ||
			nx == "the" || nx == "a" || nx == "an" || nx == "what" || nx == "why" || nx == "how" || nx == "oh" || nx == "no" || nx == "this" || nx == "that" {
			return false
		}
		return true
	}
	return false
}

// leadingPreps open a scene-setting phrase before the subject ("At my
// current company I rebuilt...", "Last summer we...").
var leadingPreps = map[string]bool{"at": true, "in": true, "on": true, "during": true, "after": true, "before": true, "last": true,
	"for": true, "over": true, "with": true, "by": true, "from": true, "within": true, "this": true, "that": true, "one": true, "early": true, "later": true, "back": true, "around": true, "about": true}

// subjectAfterPhrase returns the I/we subject that follows a leading
// prepositional or time phrase, or -1.
func (lx *lexer) subjectAfterPhrase(c clause) int {
	ts := lx.ts
	j := c.first
	for j <= c.last && (ts[j].filler || ts[j].norm == "and" || ts[j].norm == "but" || ts[j].norm == "so" || ts[j].norm == "then") {
		j++
	}
	if j > c.last || !leadingPreps[ts[j].norm] {
		return -1
	}
	for k := j + 1; k <= c.last && k <= j+8; k++ {
		w := ts[k].norm
		if isIForm(w) || lx.hasRef(refOwnershipWeForms, k) {
			return k
		}
		if lx.hasRef(refStarPlaceAdverbs, k) {
			continue // "after three years there I moved"
		}
		if isPastForm(lx, k) || lx.hasRef(refTextNormaliseSubjectPronouns, k) {
			return -1
		}
	}
	return -1
}

// phraseAtRef returns the length of the phrase of list ref that starts at
// token i and ends by last, or 0.
func (lx *lexer) phraseAtRef(i, last, ref int) int {
	if !lx.hasRef(ref, i) {
		return 0
	}
	for _, p := range lx.rb.phrasesOf(ref) {
		if phraseAt(lx.ts, i, last, p) {
			return len(p)
		}
	}
	return 0
}
