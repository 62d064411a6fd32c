package feedback

import (
	"strings"
	"unicode"
)

const quantRule = "quantified"

// quantClauses splits the answer into outcome-clause candidates: at
// sentence ends, semicolons and colons, a relative "which", a reason
// clause ("because…"), a coordinator after a comma, and a coordinator that
// starts a new verb phrase ("and saved 8 hours") or a new subject and verb
// ("and first replies came…"). A comma alone does not split: an
// apposition stays in its clause.
func quantClauses(lx *lexer) [][2]int {
	ts := lx.ts
	var out [][2]int
	if len(ts) == 0 {
		return out
	}
	start := 0
	for i := 1; i < len(ts); i++ {
		p := &ts[i-1]
		cut := p.sentEnd || strings.HasSuffix(p.raw, ";") || strings.HasSuffix(p.raw, ":") || lx.hasRef(refResultReasonWords, i) ||
			p.comma && isPastForm(lx, i) // a list of steps: "I cut the test, combined two rounds"
		if !cut && lx.hasRef(refQuantifiedClauseSplit, i) {
			cut = ts[i].norm == "which" || p.comma || lx.newVerbPhrase(i)
		}
		if cut {
			out = append(out, [2]int{start, i - 1})
			start = i
		}
	}
	return append(out, [2]int{start, len(ts) - 1})
}

// newVerbPhrase: the coordinator at i starts a verb phrase of its own
// ("and saved 8 hours", "and the bill fell", "and first replies came").
func (lx *lexer) newVerbPhrase(i int) bool {
	nx := lx.n(i + 1)
	if isPastForm(lx, i+1) || lx.hasRef(refQuantifiedOutcomeWords, i+1) && !lx.hasRef(refQuantifiedWeakOutcome, i+1) ||
		lx.hasRef(refTextNormaliseSubjectPronouns, i+1) || lx.hasRef(refQuantifiedClauseOpeners, i+1) {
		return true
	}
	_ = nx
	// a short noun phrase, then a verb: "and first replies came in…"
	for j := i + 2; j <= i+5 && j < len(lx.ts); j++ {
		if lx.ts[j-1].pauseAfter() {
			return false
		}
		if (isPastForm(lx, j) || lx.hasRef(refQuantifiedOutcomeWords, j) && !lx.hasRef(refQuantifiedWeakOutcome, j)) && !lx.hasRef(refHedgesTryToPrepositions, j-1) && lx.n(j-1) != "to" {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// validQuantity reports whether token i is a numeric quantity that can
// measure an outcome in clause [a,b].
func (lx *lexer) validQuantity(i, a, b int, planFramed bool) bool {
	ts := lx.ts
	t := &ts[i]
	w := t.norm
	// neighbours, skipping fillers ("for, like, three hours")
	pi := i - 1
	for pi >= a && ts[pi].filler {
		pi--
	}
	ni := i + 1
	for ni <= b && ts[ni].filler {
		ni++
	}
	prev, next := "", ""
	if pi >= a {
		prev = ts[pi].norm
	}
	if ni <= b {
		next = ts[ni].norm
	}
	isNum := false
	switch {
	case hasDigit(w):
		if hasLetter(w) {
			// 2x, 10k, 5m, 40% (stripped), 3.5x are quantities; ordinals, versions and codes are not
			suf := strings.TrimLeft(w, "0123456789.,")
			if !lx.rb.hasRef(refQuantifiedNumberSuffixes, suf) {
				return false
			}
			if suf == "s" && len(w)-len(suf) > 2 {
				return false // "1099s", "1990s": forms and decades, not seconds
			}
			isNum = true
		} else {
			isNum = true
		}
	case lx.rb.hasRef(refQuantifiedNumberWords, w):
		isNum = true
	case strings.Contains(w, "-") && lx.numberCompound(w):
		isNum = true // "forty-two"
	case (w == "a" || w == "an") && lx.rb.hasRef(refQuantifiedArticleUnits, next):
		if prev == "in" && next == "week" || prev == "within" {
			return false
		}
		isNum = true
	case w == "once" && next == "a":
		return true
	}
	if !isNum || strings.Contains(t.raw, ":") && !strings.HasSuffix(t.raw, ":") {
		return false // "9:30" is a time of day
	}
	if ni <= b && lx.hasRef(refQuantifiedClockWords, ni) {
		return false // a time of day: "by 7 a.m."
	}
	if lx.rb.hasRef(refQuantifiedMultipliers, w) {
		return true
	}
	if w == "half" && (prev == "in" || prev == "by") {
		return true
	}
	if w == "one" && !lx.rb.hasRef(refQuantifiedTimeUnits, next) && prev != "to" && prev != "from" && !hasDigit(next) {
		return false
	}
	if lx.rb.hasRef(refQuantifiedFractions, w) && !(next == "a" || next == "an") {
		if !lx.rb.hasRef(refQuantifiedFractionPrev, prev) {
			return false // "the third release", "last quarter"
		}
	}
	// vague or implicit: "a few", "a couple of", "a couple of hundred"
	if lx.rb.hasRef(refQuantifiedVague, next) && (w == "a" || w == "an") {
		return false
	}
	if prev == "of" && lx.hasRef(refQuantifiedVague, i-2) {
		return false
	}
	if pi >= a && lx.hasRef(refQuantifiedVague, pi) && lx.hasRef(refQuantifiedVagueMagnitudes, i) {
		return false // "a few thousand", "several hundred": how many is not said
	}
	// dates and years
	if lx.rb.hasRef(refQuantifiedMonths, prev) || lx.rb.hasRef(refQuantifiedMonths, next) {
		return false
	}
	if len(w) == 4 && !hasLetter(w) && (w[:2] == "19" || w[:2] == "20") && !strings.ContainsAny(t.raw, "$%,") && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next) {
		return false
	}
	// ordinals written with digits are filtered above; versions and codes
	if i-1 >= a && ts[i-1].caps && hasLetter(prev) && !isIForm(prev) && hasDigit(w) && !strings.ContainsAny(t.raw, "$%£€") && i-1 != a {
		return false // "Java 17"
	}
	if (prev == "a" || prev == "the") && hasDigit(w) && len(w) == 3 && !lx.rb.hasRef(refQuantifiedTimeUnits, next) && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next) && !strings.ContainsAny(t.raw, "$%£€") {
		return false // "a 503"
	}
	// a partitive count ("two of my engineers") names who or what, not how much
	// but "twelve of them came back", opening the clause, counts what was achieved
	if next == "of" && !lx.rb.hasRef(refQuantifiedFractions, w) && !strings.ContainsAny(t.raw, "%$£€") && !lx.rb.hasRef(refQuantifiedWholeWords, prev) &&
		!(i == lx.firstWordAt(a) && lx.hasRef(refQuantifiedPartitivePron, ni+1)) {
		return false
	}
	// team or organisation size
	if lx.rb.hasRef(refQuantifiedScopeNouns, strings.TrimSuffix(next, "'s")) || lx.scopeCompound(w) || lx.rb.hasRef(refQuantifiedTeamNouns, prev) && lx.n(i-2) == "a" ||
		prev == "of" && lx.hasRef(refQuantifiedTeamNouns, i-2) {
		return false
	}
	// a label after its noun ("on day three", "line two", "sprint 4") is an
	// ordinal, not an amount
	if pi >= a && lx.hasRef(refQuantifiedLabelNouns, pi) && !(pi-1 >= a && (hasDigit(lx.n(pi-1)) || lx.hasRef(refQuantifiedNumberWords, pi-1) || lx.n(pi-1) == "a" || lx.n(pi-1) == "an")) {
		return false
	}
	// action parameters
	if lx.rb.hasRef(refQuantifiedParamPrev, prev) {
		return false
	}
	// durations: context unless framed against a plan or baseline
	unitNext := lx.rb.hasRef(refQuantifiedTimeUnits, next)
	if !unitNext && lx.rb.hasRef(refQuantifiedDurationModifiers, next) && ni+1 <= b {
		unitNext = lx.hasRef(refQuantifiedTimeUnits, ni+1) // "two more years"
	}
	if strings.Contains(w, "-") {
		parts := strings.Split(w, "-")
		if lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]) || lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]+"s") {
			return false // "a six-month project"
		}
	}
	if unitNext || ((w == "a" || w == "an") && lx.rb.hasRef(refQuantifiedTimeUnits, next)) {
		if lx.changeBy(pi, a) && !lx.ownStep(a, b) {
			return true // "handling time went up by about thirty seconds": the size of a change
		}
		if ni+1 <= b && lx.hasRef(refQuantifiedAheadWords, ni+1) && lx.hasRef(refQuantifiedTimeUnits, ni) && !lx.hasRef(refQuantifiedContextNext, ni+1) {
			return true // "handed it over three weeks early": against the plan, whatever comes before
		}
		if lx.rb.hasRef(refQuantifiedContextPrev, prev) || lx.hasRef(refQuantifiedContextNext, i+2) || prev == "in" && !planFramed {
			return false
		}
		if lx.rb.hasRef(refQuantifiedBelowWords, prev) && lx.n(i-2) != "in" {
			return true // a measured state: "reply time was under a day"
		}
		return planFramed
	}
	return true
}

// numberCompound: a hyphenated number written in words ("forty-two").
func (lx *lexer) numberCompound(w string) bool {
	parts := strings.Split(w, "-")
	for _, p := range parts {
		if !lx.rb.hasRef(refQuantifiedNumberWords, p) {
			return false
		}
	}
	return len(parts) > 1
}

// scopeCompound: a size written as one compound ("an eight-person team").
func (lx *lexer) scopeCompound(w string) bool {
	if k := strings.LastIndexByte(w, '-'); k > 0 {
		return lx.rb.hasRef(refQuantifiedScopeNouns, w[k+1:])
	}
	return false
}

// firstWordAt: the first token at or after a that is not a filler or a
// coordinator.
func (lx *lexer) firstWordAt(a int) int {
	j := a
	for j < len(lx.ts) && (lx.ts[j].filler || lx.hasRef(refTextNormaliseCoordinators, j)) {
		j++
	}
	return j
}

// changeBy: the word before a quantity, past approximators ("by about
// thirty seconds"), is "by": the quantity is the size of a change.
func (lx *lexer) changeBy(pi, a int) bool {
	for pi >= a && lx.hasRef(refQuantifiedApprox, pi) {
		pi--
	}
	return pi >= a && lx.n(pi) == "by"
}
