package feedback

import (
	"strings"
	"unicode"
)

const quantRule = "quantified"

// quantClauses splits the answer into outcome-clause candidates (§8):
// at sentence ends, semicolons, relative "which", and coordinators that
// start a new verb phrase ("and saved 8 hours"). Commas alone do not split
// (an apposition stays in its clause).
func quantClauses(lx *lexer) [][2]int {
	ts := lx.ts
	var out [][2]int
	if len(ts) == 0 {
		return out
	}
	start := 0
	for i := 1; i < len(ts); i++ {
		p := &ts[i-1]
		w := ts[i].norm
		nx := lx.n(i + 1)
		cut := p.sentEnd || strings.HasSuffix(p.raw, ";") || strings.HasSuffix(p.raw, ":")
		if !cut && lx.hasRef(refQuantifiedClauseSplit, i) {
			switch w {
			case "which":
				cut = true
			default:
				cut = isPastForm(lx, i+1) || lx.rb.hasRef(refQuantifiedOutcomeWords, nx) && nx != "more" && nx != "less" && nx != "up" && nx != "down" ||
					lx.rb.hasRef(refTextNormaliseSubjectPronouns, nx) || isIForm(nx) || nx == "that" || nx == "this" || nx == "it" || nx == "then" ||
					(w == "and" || w == "so" || w == "but") && (nx == "the" || nx == "our" || nx == "my" || nx == "their")
			}
		}
		if cut {
			out = append(out, [2]int{start, i - 1})
			start = i
		}
	}
	return append(out, [2]int{start, len(ts) - 1})
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
			lw := strings.TrimLeft(w, "0123456789.,")
			switch lw {
			case "x", "k", "m", "bn", "b", "pc", "pct", "percent", "ms", "s", "h", "hrs", "mins", "min", "gb", "tb", "mb":
				isNum = true
			default:
				return false
			}
		} else {
			isNum = true
		}
	case lx.rb.hasRef(refQuantifiedNumberWords, w):
		isNum = true
	case (w == "a" || w == "an") && lx.rb.hasRef(refQuantifiedArticleUnits, next):
		if prev == "in" && next == "week" || prev == "within" {
			return false
		}
		isNum = true
	case w == "once" && next == "a":
		return true
	}
	if !isNum {
		return false
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
	if w == "third" || w == "quarter" || w == "half" {
		if prev != "a" && prev != "one" && prev != "by" && prev != "in" && prev != "two" && prev != "three" {
			return false // "the third release", "last quarter"
		}
	}
	// vague or implicit: "a few", "a couple of"
	if lx.rb.hasRef(refQuantifiedVague, next) && (w == "a" || w == "an") {
		return false
	}
	// dates and years
	if lx.rb.hasRef(refQuantifiedMonths, prev) || lx.rb.hasRef(refQuantifiedMonths, next) {
		return false
	}
	if len(w) == 4 && !hasLetter(w) && (w[:2] == "19" || w[:2] == "20") && !strings.ContainsAny(t.raw, "$%,") && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next) {
		return false
	}
	// ordinals written with digits are filtered above; versions and codes
	if i-1 >= a && ts[i-1].caps && hasLetter(prev) && !isIForm(prev) && hasDigit(w) && !strings.ContainsAny(t.raw, "$%") && i-1 != a {
		return false // "Java 17"
	}
	if prev == "version" || prev == "v" {
		return false
	}
	if (prev == "a" || prev == "the") && hasDigit(w) && len(w) == 3 && !lx.rb.hasRef(refQuantifiedTimeUnits, next) && !lx.rb.hasRef(refQuantifiedPeopleOutcome, next) && !strings.ContainsAny(t.raw, "$%") {
		return false // "a 503"
	}
	// a partitive count ("two of my engineers") names who or what, not how much
	if next == "of" && w != "half" && w != "third" && w != "quarter" && !strings.ContainsAny(t.raw, "%$") {
		return false
	}
	// team or organisation size
	if lx.rb.hasRef(refQuantifiedScopeNouns, next) || strings.HasSuffix(w, "-person") || strings.HasSuffix(w, "-people") || prev == "team" && lx.n(i-2) == "a" {
		return false
	}
	// action parameters
	if lx.rb.hasRef(refQuantifiedParamPrev, prev) {
		return false
	}
	// durations: context unless framed against a plan or baseline
	unitNext := lx.rb.hasRef(refQuantifiedTimeUnits, next)
	if !unitNext && (next == "more" || next == "extra" || next == "additional" || next == "full" || next == "whole" || next == "straight") && ni+1 <= b {
		unitNext = lx.hasRef(refQuantifiedTimeUnits, ni+1) // "two more years"
	}
	if strings.Contains(w, "-") {
		parts := strings.Split(w, "-")
		if lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]) || lx.rb.hasRef(refQuantifiedTimeUnits, parts[len(parts)-1]+"s") {
			return false // "a six-month project"
		}
	}
	if unitNext || ((w == "a" || w == "an") && lx.rb.hasRef(refQuantifiedTimeUnits, next)) {
		if lx.rb.hasRef(refQuantifiedContextPrev, prev) || lx.n(i+2) == "ago" || prev == "in" && !planFramed {
			return false
		}
		return planFramed
	}
	return true
}

// findQuantified returns, for each outcome clause with a numeric quantity,
// the clause span.
func (lx *lexer) findQuantified() [][2]int {
	ts := lx.ts
	var out [][2]int
	speakerSeen := false
	var seen []string
	for _, c := range quantClauses(lx) {
		a, b := c[0], c[1]
		hasSpeaker := false
		for i := a; i <= b; i++ {
			w := ts[i].norm
			if isIForm(w) || lx.hasRef(refOwnershipWeForms, i) || w == "my" || w == "me" || w == "our" && i+1 <= b && ts[i+1].norm == "team" {
				hasSpeaker = true
				break
			}
		}
		if hasSpeaker {
			speakerSeen = true
		}
		if !speakerSeen && !hasSpeaker {
			continue // numbers before the speaker enters the story are the situation
		}
		skip, outcome, plan, from := false, false, false, false
		weak, strong := false, false
		for i := a; i <= b; i++ {
			w := ts[i].norm
			if lx.hasRef(refQuantifiedNotOutcome, i) {
				skip = true
				break
			}
			if lx.hasRef(refQuantifiedOutcomeWords, i) {
				if weakOutcome[w] {
					weak = true
				} else {
					outcome = true
				}
			}
			if strongContext[w] || strings.ContainsAny(ts[i].raw, "%$£€") || hasDigit(w) && strings.HasSuffix(w, "x") || lx.hasRef(refQuantifiedMultipliers, i) {
				strong = true
			}
			if (w == "had" || w == "have" || w == "has" || w == "going" || w == "plan" || w == "want") && i+1 <= b && ts[i+1].norm == "to" {
				skip = true // an obligation or plan, not an outcome
				break
			}
			if lx.hasRef(refQuantifiedPlanWords, i) {
				plan = true
			}
			if w == "half" && i > a && ts[i-1].norm == "in" {
				plan, outcome = true, true
			}
			if w == "from" {
				from = true
			}
			if w == "to" && from {
				outcome, plan = true, true
			}
		}
		if weak && strong {
			outcome = true // "two points higher", "went up 20%"
		}
		if skip || !outcome {
			continue
		}
		var nums []string
		for i := a; i <= b; i++ {
			if lx.validQuantity(i, a, b, plan) {
				nums = append(nums, ts[i].norm)
			}
		}
		if len(nums) == 0 {
			continue
		}
		key := strings.Join(nums, " ")
		dup := false
		for _, s := range seen {
			if s == key {
				dup = true // a restatement of the same outcome
			}
		}
		if dup {
			continue
		}
		seen = append(seen, key)
		out = append(out, c)
	}
	return out
}

// weakOutcome words ("up", "more", "faster") mark an outcome only next to a
// strong context: a percentage or money, a comparison, or a verb of change
// ("went up 20%", "two points higher"), not "I set up 3 dashboards".
var weakOutcome = map[string]bool{"up": true, "down": true, "more": true, "less": true, "fewer": true, "better": true,
	"higher": true, "lower": true, "faster": true, "slower": true}

var strongContext = map[string]bool{"percent": true, "points": true, "point": true, "than": true, "by": true, "from": true,
	"went": true, "got": true, "came": true, "ended": true, "was": true, "were": true, "is": true, "are": true, "became": true,
	"go": true, "goes": true, "times": true}
