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
	// lists is the union of the word lists of the clause's tokens, so a
	// search for a list the clause has no word of stops at once; set is
	// false for spans made on the fly, which are searched word by word
	lists wordMask
	set   bool
}

// lacks reports that the clause has no word of list ref.
func (c *clause) lacks(ref int) bool {
	return c.set && c.lists[ref/64]&(1<<(ref%64)) == 0
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
		cut := lx.clauseCut(cur, i)
		if cut == cutNone {
			continue
		}
		cur.last = i - 1
		cur.sentence = sent
		cs = append(cs, cur)
		if cut == cutVerbPhrase {
			cur = clause{first: i, inherit: true}
			continue
		}
		if ts[i-1].sentEnd {
			sent++
		}
		cur = clause{first: i}
	}
	cur.last = len(ts) - 1
	cur.sentence = sent
	cs = append(cs, cur)
	for k := range cs {
		lx.clauseSubject(cs, k)
		lx.clauseLists(&cs[k])
	}
	return cs
}

// clauseLists records the union of the word lists of the clause's tokens.
func (lx *lexer) clauseLists(c *clause) {
	for i := c.first; i <= c.last; i++ {
		if m := lx.ts[i].mask; m != nil {
			for w := range m {
				c.lists[w] |= m[w]
			}
		}
	}
	c.set = true
}

// how a clause boundary falls before a token
const (
	cutNone       = iota
	cutClause     // a new clause with a subject of its own
	cutVerbPhrase // a coordinated verb phrase that shares the subject ("and shipped it")
)

// clauseCut decides whether a new clause starts at token i of the clause
// cur: after sentence ends, colons and semicolons; after a leading
// subordinate clause; at a reason word or relative; at a subordinator or
// conjunction followed by a subject; at "and" + a dynamic past verb; and
// after a pause before a subject, a relative or a partitive ("…, one of
// the foremen kept…").
func (lx *lexer) clauseCut(cur clause, i int) int {
	ts := lx.ts
	p := &ts[i-1]
	w := ts[i].norm
	nx := lx.n(i + 1)
	subjNext := lx.hasRef(refTextNormaliseSubjectPronouns, i+1) || lx.hasRef(refStarNPOpeners, i+1)
	paused := p.comma || p.ellipsis || ts[i].breakPrev
	switch {
	case p.sentEnd || strings.HasSuffix(p.raw, ":") || strings.HasSuffix(p.raw, ";"):
		return cutClause
	case p.comma && i-cur.first >= 2 && lx.hasRef(refStarSubordinators, cur.first):
		return cutClause // the main clause after a leading subordinate clause
	case (lx.hasRef(refResultReasonWords, i) || lx.hasRef(refStarRelativeCut, i)) && i+1 < len(ts) && i > cur.first:
		return cutClause
	case lx.hasRef(refStarSubordinators, i) && !lx.hasRef(refStarWeakSubordinators, i) && subjNext:
		return cutClause
	case (lx.hasRef(refStarClauseConjunctions, i) && !(w == "then" && lx.hasRef(refStarThenPrevExclude, i-1)) || lx.hasRef(refStarRelatives, i)) &&
		(subjNext || lx.hasRef(refOwnershipIForms, i+1) || lx.hasRef(refStarDemonstratives, i+1)):
		return cutClause
	case lx.hasRef(refStarVerbPhraseConjunctions, i) && i+1 < len(ts) && isPastForm(lx, i+1) && !lx.hasRef(refStarStativeVerbs, i+1):
		return cutVerbPhrase
	case paused && lx.hasRef(refStarPartitiveOpeners, i) && nx == "of":
		return cutClause // "on a site I supervised, one of the foremen…"
	case paused && (lx.hasRef(refTextNormaliseSubjectPronouns, i) || lx.hasRef(refOwnershipIForms, i) || lx.hasRef(refStarNPOpeners, i) || lx.hasRef(refStarRelatives, i) || lx.hasRef(refStarCommaConjunctions, i)):
		return cutClause
	}
	return cutNone
}

// clauseSubject marks whether clause k is subordinate and who its subject
// is: I, we (also "our team", "my company"), someone else, or none.
func (lx *lexer) clauseSubject(cs []clause, k int) {
	ts := lx.ts
	c := &cs[k]
	j := c.first
	for ; j <= c.last; j++ {
		w := ts[j].norm
		if ts[j].filler || lx.hasRef(refStarClauseConjunctions, j) || lx.hasRef(refStarRelatives, j) || w == "that" && j == c.first || lx.hasRef(refStarAdverbs, j) || ts[j].used == 2 {
			continue
		}
		if lx.hasRef(refStarSubordinators, j) {
			if j+1 <= c.last && (lx.hasRef(refTextNormaliseSubjectPronouns, j+1) || lx.hasRef(refOwnershipIForms, j+1) || lx.hasRef(refStarNPOpeners, j+1) || lx.hasRef(refStarPossessives, j+1)) &&
				!lx.prepositionalUse(j, c.last) {
				c.subordinate = true
			}
			continue
		}
		break
	}
	if c.inherit && k > 0 {
		c.subj = cs[k-1].subj
		return
	}
	if si := lx.subjectAfterPhrase(*c); si >= 0 {
		if lx.hasRef(refOwnershipIForms, si) {
			c.subj = "i"
		} else {
			c.subj = "we"
		}
		return
	}
	if j > c.last {
		return
	}
	switch {
	case lx.hasRef(refOwnershipIForms, j):
		c.subj = "i"
	case lx.hasRef(refOwnershipWeForms, j):
		c.subj = "we"
	case lx.hasRef(refTaskDutyOwners, j) && j+1 <= c.last && lx.hasRef(refQuantifiedTeamNouns, j+1):
		c.subj = "we"
	default:
		c.subj = "other"
	}
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
	if c.lacks(ref) {
		return -1
	}
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
	if c.lacks(ref) {
		return -1
	}
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
		if t.filler || lx.hasRef(refStarAdverbs, j) || lx.hasRef(refStarVerbSkipNegations, j) {
			continue // "we never ran out again": the verb is "ran"
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
		if lx.hasRef(refOwnershipIForms, j) || lx.hasRef(refOwnershipWeForms, j) {
			return j
		}
		if lx.ts[j].filler || lx.hasRef(refStarClauseConjunctions, j) || lx.hasRef(refStarAdverbs, j) || lx.hasRef(refStarSubordinators, j) || lx.ts[j].used == 2 {
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
	for _, suf := range rb.list(actionRule, "stem_suffixes") {
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
		if lx.hasRef(refStarBadState, i) || lx.hasRef(refStarNegations, i) || strings.HasSuffix(w, "n't") {
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
		if lx.hasRef(refOwnershipIForms, i-2) || lx.hasRef(refOwnershipIForms, i-1) {
			continue // the speaker's own reaction
		}
		if lx.hasRef(refStarRequestOpeners, i+1) {
			return true
		}
		if lx.hasRef(refTextNormaliseSubjectPronouns, i+1) || lx.hasRef(refTextNormaliseResponseTokens, i+1) || ts[i+1].filler || lx.hasRef(refStarQuoteNotRequest, i+1) {
			return false
		}
		return true
	}
	return false
}

// subjectAfterPhrase returns the I/we subject that follows a leading
// prepositional or time phrase, or -1.
func (lx *lexer) subjectAfterPhrase(c clause) int {
	ts := lx.ts
	j := c.first
	for j <= c.last && (ts[j].filler || lx.hasRef(refStarClauseConjunctions, j)) {
		j++
	}
	// a scene-setting phrase before the subject: "At my current company I
	// rebuilt…", "Last summer we…"
	if j > c.last || !lx.hasRef(refStarLeadingPhraseWords, j) {
		return -1
	}
	for k := j + 1; k <= c.last && k <= j+8; k++ {
		if ts[k].used == 2 {
			continue // the I of a hedge: "for small assets I think the committee…"
		}
		if lx.hasRef(refOwnershipIForms, k) || lx.hasRef(refOwnershipWeForms, k) {
			return k
		}
		if lx.hasRef(refTaskDutyOwners, k) && lx.hasRef(refQuantifiedTeamNouns, k+1) && k+1 <= c.last {
			return k // "during the pandemic our restaurant had to…"
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

// prepositionalUse: the subordinator at j takes a short noun phrase and the
// clause's own subject follows ("After the fix the counts matched"): it is
// a preposition, and the clause is a main clause.
func (lx *lexer) prepositionalUse(j, last int) bool {
	return j+3 <= last && lx.hasRef(refEpisodeDeterminers, j+1) && !lx.ts[j+2].pauseAfter() &&
		(lx.hasRef(refEpisodeDeterminers, j+3) || lx.hasRef(refTextNormaliseSubjectPronouns, j+3) || lx.hasRef(refOwnershipIForms, j+3))
}
