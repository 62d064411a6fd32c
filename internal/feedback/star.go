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

// starState is the STAR analysis of an answer.
type starState struct {
	star       Star
	sIdx       int // first clause of each component, -1 when absent
	tIdx       int
	aIdx       int
	rIdx       int
	weAction   bool // an action told with we
	clauses    []clause
	quantSpans [][2]int
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

func stem(w string) string {
	switch w {
	case "led":
		return "lead"
	case "ran":
		return "run"
	case "dealt":
		return "deal"
	case "made":
		return "make"
	case "took":
		return "take"
	case "gave":
		return "give"
	case "built":
		return "build"
	case "taught":
		return "teach"
	case "brought":
		return "bring"
	}
	for _, suf := range []string{"ing", "ed", "es", "s", "e"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// analyzeStar classifies the clauses (§7, §16a).
func (lx *lexer) analyzeStar(question string, quantIdx []int) starState {
	rb := lx.rb
	ts := lx.ts
	st := starState{sIdx: -1, tIdx: -1, aIdx: -1, rIdx: -1}
	cs := splitClauses(ts, rb)
	st.clauses = cs
	taskP, resP, unkP := prefStarTaskPhrases, prefStarResultPhrases, prefStarUnknownPhrases
	refP, anchorP, careerP := prefStarReflectionPhrases, prefStarAnchorPhrases, prefStarCareerPhrases

	qstems := map[string]bool{}
	fieldsEach(strings.ToLower(question), func(f string) {
		f = strings.Trim(f, ".,?!;:\"'()")
		if f != "" && !rb.hasRef(refRepetitionOverusedStopwords, f) && f != "tell" && f != "time" && f != "describe" && f != "example" && f != "give" && f != "when" {
			qstems[stem(f)] = true
		}
	})

	anyPast := false
	quantClause := map[int]bool{}
	for _, qi := range quantIdx {
		for k, c := range cs {
			if qi >= c.first && qi <= c.last {
				quantClause[k] = true
			}
		}
	}
	firstContent := true
	for k, c := range cs {
		hyp := false
		si := lx.subjIndex(c)
		hypFrom, hypTo := c.first, c.first+3
		if si >= 0 {
			hypFrom, hypTo = si, si+2
		}
		if hypTo > c.last {
			hypTo = c.last
		}
		for i := hypFrom; i <= hypTo; i++ {
			w := ts[i].norm
			if lx.hasRef(refStarHypothetical, i) {
				if (w == "could" || w == "would" || w == "can" || w == "will") && i+1 <= c.last && ts[i+1].norm == "you" {
					continue // a request reported directly: "could you take this on"
				}
				if isDForm(w) && i+1 <= c.last && isPastForm(lx, i+1) && ts[i+1].norm != "say" {
					continue // "I'd already written": past perfect
				}
				hyp = true
				break
			}
		}
		past := false
		for i := c.first; i <= c.last; i++ {
			if isPastForm(lx, i) {
				past = true
				break
			}
		}
		habitual := lx.clauseHas(c, refStarHabitual) >= 0 && (c.subj == "i" || !past)
		if past && !habitual && !hyp {
			anyPast = true
		}
		career := lx.findPhrase(c, careerP) >= 0
		vi := -1
		if si >= 0 {
			vi = lx.verbAfter(c, si+1)
		}
		verb := ""
		if vi >= 0 {
			verb = ts[vi].norm
		}
		if c.subj == "i" && vi >= 0 && rb.hasRef(refStarCareerVerbs, verb) && !c.subordinate {
			nx := ""
			if vi+1 <= c.last {
				nx = ts[vi+1].norm
			}
			if rb.hasRef(refStarCareerNext, nx) && nx != "with" && nx != "on" && nx != "in" && nx != "from" {
				career = true
			}
		}
		if habitual || hyp || career {
			continue
		}
		unknown := lx.findPhrase(c, unkP) >= 0
		if lx.findPhrase(c, refP) >= 0 {
			st.star.Reflection = true
			continue
		}
		isTask, isAction, isResult, isSit := false, false, false, false
		othersNeed := false

		// Task: an explicit goal, duty or request of the speaker or team
		if ti := lx.findPhrase(c, taskP); ti >= 0 {
			w := ts[ti].norm
			needsSubj := w == "needed" || w == "had" || w == "wanted" || w == "was" || w == "were" || w == "volunteered" || w == "offered"
			switch {
			case !needsSubj || c.subj == "i" || c.subj == "we":
				isTask = true
			case ti > 0 && (isIForm(ts[ti-1].norm) || rb.hasRef(refOwnershipWeForms, ts[ti-1].norm)):
				isTask = true
			default:
				othersNeed = true // someone else's need is part of the situation
			}
		}

		if !isTask && lx.quotedRequest(c) {
			isTask = true
		}

		// Action: I + dynamic past verb (or decided to / tried to + verb)
		if c.subj == "i" && !c.subordinate && vi >= 0 && !isTask {
			switch {
			case rb.hasRef(refStarDecisionVerbs, verb) && vi+2 <= c.last && ts[vi+1].norm == "to":
				isAction = true
			case verb == "tried" && vi+2 <= c.last && (ts[vi+1].norm == "to" || ts[vi+1].norm == "and"):
				isAction = !rb.hasRef(refStarStativeVerbs, ts[vi+2].norm) && ts[vi+2].norm != "understand" && ts[vi+2].norm != "figure" && ts[vi+2].norm != "think"
			case isPastForm(lx, vi) && !rb.hasRef(refStarStativeVerbs, verb):
				isAction = true
			case (verb == "got" || verb == "did") && vi+1 <= c.last && !rb.hasRef(refTextNormaliseEnglishFunctionWords, ts[vi+1].norm) && ts[vi+1].norm != "not":
				isAction = verb == "did" || ts[vi+1].norm == "together" || ts[vi+1].norm == "everyone"
			}
			if isAction && firstContent && len(qstems) > 0 {
				// a restatement of the competency asked about is not an action
				overlap := 0
				for j := vi; j <= c.last; j++ {
					if qstems[stem(ts[j].norm)] {
						overlap++
					}
				}
				if overlap > 0 && qstems[stem(verb)] {
					isAction = false
					firstContent = false
					if !quantClause[k] {
						continue
					}
				}
			}
		}
		if (c.subj == "we") && !c.subordinate && vi >= 0 && isPastForm(lx, vi) && !rb.hasRef(refStarStativeVerbs, verb) {
			st.weAction = true
		}

		// Result
		resCue := lx.findPhrase(c, resP) >= 0
		marker := lx.findPhrase(c, prefStarResultMarkers) >= 0
		rv := -1
		for i := c.first; i <= c.last; i++ {
			if lx.hasRef(refStarResultVerbs, i) {
				rv = i
				break
			}
		}
		afterWork := st.aIdx >= 0 || st.tIdx >= 0 || (st.sIdx >= 0 && k > st.sIdx) || isAction
		if !unknown {
			switch {
			case quantClause[k] || marker:
				isResult = true
			case resCue && (afterWork || k > 0):
				isResult = true
			case c.subj == "i" && isAction && rb.hasRef(refStarStrongResultVerbs, verb) && st.aIdx >= 0:
				isResult = true
			case c.subj != "i" && rv >= 0 && afterWork && (past || resCue) && (resCue || !lx.complication(c) || ts[rv].norm == "stopped" || ts[rv].norm == "fixed" || ts[rv].norm == "resolved"):
				isResult = true
			case (c.subj == "other" || c.subj == "we") && past && st.aIdx >= 0 && !isTask && !c.subordinate && !lx.complication(c):
				isResult = true // what happened after your action: an outcome
			case c.subj == "i" && !isAction && rv >= 0 && afterWork && past && ts[rv].norm != "was":
				isResult = rb.hasRef(refStarStrongResultVerbs, ts[rv].norm)
			}
		}

		// A mishap told with "I" ("I deleted a production table by
		// accident") is what was going wrong, whatever else it carries.
		if !isResult && isAction && c.subj == "i" && lx.clauseHas(c, refStarMishapWords) >= 0 {
			isSit = true
		}
		// Situation: what was going on
		if !isResult && !isAction {
			switch {
			case c.subordinate && c.subj == "i" && past:
				isSit = true
			case lx.clauseHas(c, refStarProblemWords) >= 0 && !isTask:
				isSit = true
			case (c.subj == "other" || c.subj == "we") && past && !isTask:
				isSit = true
			case c.subj == "i" && rb.hasRef(refStarSituationVerbs, verb) && !isTask:
				isSit = true
			case lx.findPhrase(c, anchorP) >= 0 && c.subj != "i" && past:
				isSit = true
			case othersNeed:
				isSit = true
			}
		}
		if isTask || isAction || isResult || isSit {
			firstContent = false
		}
		if isSit && st.sIdx < 0 {
			st.sIdx = k
		}
		if isTask && st.tIdx < 0 {
			st.tIdx = k
		}
		if isAction && st.aIdx < 0 {
			st.aIdx = k
		}
		if isResult && st.rIdx < 0 {
			st.rIdx = k
		}
	}
	s := &st.star
	s.Situation, s.Task, s.Action, s.Result = st.sIdx >= 0, st.tIdx >= 0, st.aIdx >= 0, st.rIdx >= 0
	if len(quantIdx) > 0 {
		s.Result = true
		if st.rIdx < 0 {
			for k := range cs {
				if quantClause[k] {
					st.rIdx = k
					break
				}
			}
		}
	}
	if s.Action && !(s.Situation || s.Task || s.Result) {
		s.Action = false
		st.aIdx = -1
	}
	s.Episode = (anyPast || len(quantIdx) > 0) && (s.Action || s.Result || s.Task)
	if !s.Episode {
		s.Situation, s.Task, s.Action, s.Result = false, false, false, false
		st.sIdx, st.tIdx, st.aIdx, st.rIdx = -1, -1, -1, -1
	}
	for _, b := range []bool{s.Situation, s.Task, s.Action, s.Result} {
		if b {
			s.Components++
		}
	}
	present := 0
	for _, x := range []int{st.sIdx, st.aIdx, st.rIdx} {
		if x >= 0 {
			present++
		}
	}
	if present >= 2 {
		ok := true
		prev := -1
		for _, x := range []int{st.sIdx, st.aIdx, st.rIdx} {
			if x < 0 {
				continue
			}
			if x < prev {
				ok = false
			}
			prev = x
		}
		s.OrderOK = bp(ok)
	}
	return st
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
		if isPastForm(lx, k) || lx.hasRef(refTextNormaliseSubjectPronouns, k) {
			return -1
		}
	}
	return -1
}
