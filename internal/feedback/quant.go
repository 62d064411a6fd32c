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
	if len(ts) == 0 {
		return nil
	}
	out := make([][2]int, 0, len(ts)/8+1)
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

// quantAt is one candidate quantity with its neighbours, fillers skipped
// ("for, like, three hours").
type quantAt struct {
	i, a, b, pi, ni int
	w, raw          string
	prev, next      string
}

func (lx *lexer) quantAt(i, a, b int) quantAt {
	q := quantAt{i: i, a: a, b: b, pi: i - 1, ni: i + 1, w: lx.ts[i].norm, raw: lx.ts[i].raw}
	for q.pi >= a && lx.ts[q.pi].filler {
		q.pi--
	}
	for q.ni <= b && lx.ts[q.ni].filler {
		q.ni++
	}
	if q.pi >= a {
		q.prev = lx.ts[q.pi].norm
	}
	if q.ni <= b {
		q.next = lx.ts[q.ni].norm
	}
	return q
}

// validQuantity reports whether token i is a numeric quantity that can
// measure an outcome in clause [a,b]: a number, and not a time of day, a
// date, a code, a vague amount, a partitive, a scope, a label or an action
// parameter; a duration only when framed against a plan or baseline.
func (lx *lexer) validQuantity(i, a, b int, planFramed bool) bool {
	q := lx.quantAt(i, a, b)
	num, sure := lx.numberKind(q)
	switch {
	case !num:
		return false
	case sure:
		return true
	case lx.timeOfDay(q):
		return false
	case lx.rb.hasRef(refQuantifiedMultipliers, q.w) || q.w == "half" && (q.prev == "in" || q.prev == "by"):
		return true
	case lx.notAnAmount(q) || lx.dateOrCode(q) || lx.namesWho(q) || lx.hasRef(refQuantifiedParamPrev, q.pi) && q.pi >= a:
		return false
	}
	return lx.durationCounts(q, planFramed)
}

// numberKind: the token is a number (digits with a unit suffix, a number
// word, "forty-two", "a week"); sure means it counts whatever its
// neighbours ("once a month").
func (lx *lexer) numberKind(q quantAt) (num, sure bool) {
	w := q.w
	switch {
	case hasDigit(w):
		if !hasLetter(w) {
			return true, false
		}
		// 2x, 10k, 5m, 3.5x are quantities; ordinals, versions and codes are not
		suf := strings.TrimLeft(w, "0123456789.,")
		if !lx.rb.hasRef(refQuantifiedNumberSuffixes, suf) || suf == "s" && len(w)-len(suf) > 2 {
			return false, false // "3rd", "v2"; "1099s", "1990s": forms and decades, not seconds
		}
		return true, false
	case lx.hasRef(refQuantifiedNumberWords, q.i):
		return true, false
	case strings.Contains(w, "-") && lx.numberCompound(w):
		return true, false
	case lx.hasRef(refQuantifiedArticles, q.i) && (lx.rb.hasRef(refQuantifiedArticleUnits, q.next) ||
		lx.rb.hasRef(refQuantifiedOrdinalTimeUnits, q.next) && q.pi >= q.a && lx.hasRef(refQuantifiedBelowWords, q.pi)): // "under a second", not "a second engineer"
		return !(q.prev == "in" && q.next == "week" || q.prev == "within"), false
	case w == "once" && q.next == "a":
		return true, true
	}
	return false, false
}

// timeOfDay: "9:30", "7 a.m." are times, not quantities.
func (lx *lexer) timeOfDay(q quantAt) bool {
	return strings.Contains(q.raw, ":") && !strings.HasSuffix(q.raw, ":") || q.ni <= q.b && lx.hasRef(refQuantifiedClockWords, q.ni)
}

// notAnAmount: "one" as a pronoun, an ordinal fraction ("the third
// release"), or a vague amount ("a few", "a couple of hundred", "a few
// thousand").
func (lx *lexer) notAnAmount(q quantAt) bool {
	w, prev, next := q.w, q.prev, q.next
	switch {
	case w == "one" && !lx.rb.hasRef(refQuantifiedTimeUnits, next) && prev != "to" && prev != "from" && !hasDigit(next):
		return true
	case lx.rb.hasRef(refQuantifiedFractions, w) && !lx.rb.hasRef(refQuantifiedArticles, next) && !lx.rb.hasRef(refQuantifiedFractionPrev, prev):
		return true // "the third release", "last quarter"
	case lx.rb.hasRef(refQuantifiedVague, next) && lx.hasRef(refQuantifiedArticles, q.i):
		return true
	case prev == "of" && lx.hasRef(refQuantifiedVague, q.i-2):
		return true
	case q.pi >= q.a && lx.hasRef(refQuantifiedVague, q.pi) && lx.hasRef(refQuantifiedVagueMagnitudes, q.i):
		return true // "a few thousand", "several hundred": how many is not said
	}
	return false
}

// dateOrCode: dates and years, versions ("Java 17") and codes ("a 503").
func (lx *lexer) dateOrCode(q quantAt) bool {
	w, prev, next, i := q.w, q.prev, q.next, q.i
	money := strings.ContainsAny(q.raw, "$%£€")
	switch {
	case lx.rb.hasRef(refQuantifiedMonths, prev) || lx.rb.hasRef(refQuantifiedMonths, next):
		return true
	case len(w) == 4 && !hasLetter(w) && (w[:2] == "19" || w[:2] == "20") && !strings.ContainsAny(q.raw, "$%,") && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next):
		return true
	case i-1 >= q.a && i-1 != q.a && lx.ts[i-1].caps && hasLetter(prev) && !lx.hasRef(refOwnershipIForms, i-1) && hasDigit(w) && !money:
		return true // "Java 17"
	case (prev == "a" || prev == "the") && hasDigit(w) && len(w) == 3 && !lx.rb.hasRef(refQuantifiedTimeUnits, next) && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next) && !money:
		return true // "a 503"
	}
	return false
}

// namesWho: a partitive ("two of my engineers") or a team or organisation
// size names who or what, not how much; a label after its noun ("on day
// three", "line two", "sprint 4") is an ordinal. "twelve of them came
// back", opening the clause, counts what was achieved.
func (lx *lexer) namesWho(q quantAt) bool {
	w, prev, next, i := q.w, q.prev, q.next, q.i
	if next == "of" && !lx.rb.hasRef(refQuantifiedFractions, w) && !strings.ContainsAny(q.raw, "%$£€") && !lx.rb.hasRef(refQuantifiedWholeWords, prev) &&
		!(i == lx.firstWordAt(q.a) && lx.hasRef(refQuantifiedPartitivePron, q.ni+1)) && !lx.wonCount(q) {
		return true
	}
	if lx.rb.hasRef(refQuantifiedScopeNouns, strings.TrimSuffix(next, "'s")) || lx.scopeCompound(w) || lx.rb.hasRef(refQuantifiedTeamNouns, prev) && lx.n(i-2) == "a" ||
		prev == "of" && lx.hasRef(refQuantifiedTeamNouns, i-2) {
		return true
	}
	pi := q.pi
	return pi >= q.a && lx.hasRef(refQuantifiedLabelNouns, pi) && !(pi-1 >= q.a && (hasDigit(lx.n(pi-1)) || lx.hasRef(refQuantifiedNumberWords, pi-1) || lx.hasRef(refQuantifiedArticles, pi-1)))
}

// durationCounts: a duration is context or the time the work took unless
// it is the size of a change ("went up by thirty seconds"), set against
// the plan ("three weeks early") or a measured state ("under a day");
// other quantities count.
func (lx *lexer) durationCounts(q quantAt, planFramed bool) bool {
	w, prev, next := q.w, q.prev, q.next
	unitNext := lx.rb.hasRef(refQuantifiedTimeUnits, next)
	if !unitNext && lx.rb.hasRef(refQuantifiedDurationModifiers, next) && q.ni+1 <= q.b {
		unitNext = lx.hasRef(refQuantifiedTimeUnits, q.ni+1) // "two more years"
	}
	if strings.Contains(w, "-") {
		parts := strings.Split(w, "-")
		if lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]) || lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]+"s") {
			return false // "a six-month project"
		}
	}
	if !unitNext && !(lx.hasRef(refQuantifiedArticles, q.i) && lx.rb.hasRef(refQuantifiedTimeUnits, next)) {
		return true
	}
	switch {
	case lx.changeBy(q.pi, q.a) && !lx.ownStep(q.a, q.b):
		return true // "handling time went up by about thirty seconds": the size of a change
	case q.ni+1 <= q.b && lx.hasRef(refQuantifiedAheadWords, q.ni+1) && lx.hasRef(refQuantifiedTimeUnits, q.ni) && !lx.hasRef(refQuantifiedContextNext, q.ni+1):
		return true // "handed it over three weeks early": against the plan, whatever comes before
	case lx.rb.hasRef(refQuantifiedContextPrev, prev) || lx.hasRef(refQuantifiedContextNext, q.i+2) || prev == "in" && !planFramed:
		return false
	case lx.rb.hasRef(refQuantifiedBelowWords, prev) && lx.n(q.i-2) != "in":
		return true // a measured state: "reply time was under a day"
	}
	return planFramed
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

// wonCount: the partitive is the object of a verb that wins or gains
// something ("we won back six of the accounts we'd lost", "signed three of
// the five"): it counts what was achieved, not who did it.
func (lx *lexer) wonCount(q quantAt) bool {
	return q.pi >= q.a && lx.hasRef(refQuantifiedCountOutcomeVerbs, q.pi) ||
		q.pi-1 >= q.a && lx.hasRef(refQuantifiedCountOutcomeVerbs, q.pi-1)
}
