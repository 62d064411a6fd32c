package feedback

import "strings"

// FillerKeys are the filler keys in report order: the six filled pauses
// (um … mm), then the discourse fillers.
var FillerKeys = []string{"um", "uh", "er", "ah", "hmm", "mm", "like", "you know", "i mean", "so", "okay", "right", "well", "actually", "basically", "literally"}

// HedgeKeys are the hedge keys, a closed list, in report order: opinion
// phrases, single words, degree modifiers, then the minimisers just and try to.
var HedgeKeys = []string{"i think", "i guess", "i believe", "i suppose", "i feel like", "i would say", "i'm not sure", "maybe", "perhaps", "probably", "possibly", "hopefully", "somewhat", "kind of", "sort of", "a little bit", "just", "try to"}

// hit is one counted filler or hedge occurrence.
type hit struct {
	key   string
	rule  string
	first int // token indexes, inclusive
	last  int
	hedge bool
}

// lexer finds fillers and hedges by their context rules (a discourse word is
// a filler only in a filler position, a hedge phrase only in its hedging use);
// a token belongs to at most one of them.
type lexer struct {
	rb   *Rulebook
	ts   []tok
	hits []hit
}

func (lx *lexer) n(i int) string {
	if i < 0 || i >= len(lx.ts) {
		return ""
	}
	return lx.ts[i].norm
}

// free reports whether tokens i..j are unclaimed, confident and contiguous
// (no sentence break between them).
func (lx *lexer) free(i, j int) bool {
	if i < 0 || j >= len(lx.ts) {
		return false
	}
	for k := i; k <= j; k++ {
		if lx.ts[k].used != 0 || lx.ts[k].low {
			return false
		}
		if k < j && lx.ts[k].sentEnd {
			return false
		}
	}
	return true
}

func (lx *lexer) claim(key, rule string, i, j int, hedge bool) {
	for k := i; k <= j; k++ {
		if hedge {
			lx.ts[k].used = 2
		} else {
			lx.ts[k].used = 1
			lx.ts[k].filler = true
		}
	}
	lx.hits = append(lx.hits, hit{key: key, rule: rule, first: i, last: j, hedge: hedge})
}

// hasRef reports whether token i is in registered word list ref.
func (lx *lexer) hasRef(ref, i int) bool {
	if i < 0 || i >= len(lx.ts) {
		return false
	}
	m := lx.ts[i].mask
	return m != nil && m[ref/64]&(1<<(ref%64)) != 0
}

func isDForm(s string) bool { return strings.HasSuffix(s, "'d") }

// run detects everything in precedence order: multi-word hedges claim their
// tokens first, then multi-word fillers, then single tokens.
func (lx *lexer) run() {
	ts := lx.ts
	rb := lx.rb
	// 1. multi-word hedges that claim their tokens first
	for i := range ts {
		w := ts[i].norm
		switch {
		case w == "i" && lx.n(i+1) == "feel" && lx.n(i+2) == "like" && rb.on("hedges.i_feel_like") && lx.free(i, i+2):
			nx := lx.n(i + 3)
			if lx.hasRef(refHedgesIFeelLikeNextExclude, i+3) && !(nx == "it" && !ts[i+2].pauseAfter() && i+4 < len(ts) && !ts[i+3].pauseAfter()) {
				continue
			}
			if strings.HasSuffix(nx, "ing") && !lx.hasRef(refHedgesIFeelLikeIngNouns, i+3) {
				continue
			}
			lx.claim("i feel like", "hedges.i_feel_like", i, i+2, true)
		case (w == "kind" || w == "sort") && lx.n(i+1) == "of" && rb.on("hedges.kind_of") && lx.free(i, i+1):
			if lx.hasRef(refHedgesKindOfDeterminers, i-1) && !(i > 0 && ts[i-1].pauseAfter()) {
				continue
			}
			if w == "kind" && lx.hasRef(refHedgesKindOfKindNextExclude, i+2) {
				continue
			}
			lx.claim(w+" of", "hedges.kind_of", i, i+1, true)
		case (w == "kinda" || w == "sorta") && rb.on("hedges.kind_of") && lx.free(i, i):
			if lx.hasRef(refHedgesKindOfDeterminers, i-1) && !(i > 0 && ts[i-1].pauseAfter()) {
				continue
			}
			key := "kind of"
			if w == "sorta" {
				key = "sort of"
			}
			lx.claim(key, "hedges.kind_of", i, i, true)
		case (w == "i'm" || w == "im" || w == "i") && lx.notSure(i) > 0 && rb.on("hedges.not_sure"):
			j := lx.notSure(i)
			lx.claim("i'm not sure", "hedges.not_sure", i, j, true)
		case w == "a" && lx.n(i+1) == "little" && lx.n(i+2) == "bit" && rb.on("hedges.a_little_bit") && lx.free(i, i+2):
			lx.claim("a little bit", "hedges.a_little_bit", i, i+2, true)
		case (w == "i" && lx.n(i+1) == "would" && lx.n(i+2) == "say" && lx.free(i, i+2) || w == "i'd" && lx.n(i+1) == "say" && lx.free(i, i+1)) && rb.on("hedges.i_would_say"):
			j := i + 2
			if w == "i'd" {
				j = i + 1
			}
			if lx.hasRef(refHedgesIWouldSayNextExclude, j+1) && !ts[j].pauseAfter() {
				continue
			}
			if lx.n(i-1) == "what" {
				continue
			}
			lx.claim("i would say", "hedges.i_would_say", i, j, true)
		}
	}
	// 2. multi-word fillers
	for i := range ts {
		w := ts[i].norm
		switch {
		case w == "you" && lx.n(i+1) == "know" && rb.on("fillers.you_know") && lx.free(i, i+1):
			if lx.youKnow(i) {
				lx.claim("you know", "fillers.you_know", i, i+1, false)
				if lx.n(i+2) == "what" && (lx.n(i+3) == "i" || lx.n(i+3) == "you") && lx.n(i+4) == "mean" {
					// the tag "you know what I mean" counts once, as you know
					for k := i + 2; k <= i+4; k++ {
						ts[k].used = 1
					}
				}
			}
		case w == "i" && lx.n(i+1) == "mean" && rb.on("fillers.i_mean") && lx.free(i, i+1):
			if lx.hasRef(refFillersIMeanPrevExclude, i-1) && !ts[i-1].pauseAfter() {
				continue
			}
			if !ts[i+1].pauseAfter() && lx.hasRef(refFillersIMeanNextExclude, i+2) {
				continue
			}
			lx.claim("i mean", "fillers.i_mean", i, i+1, false)
		}
	}
	// 3. other multi-word hedges: I think/guess/believe/suppose, try to
	for i := range ts {
		w := ts[i].norm
		if w == "i" && i+1 < len(ts) && rb.on("hedges.i_think") && lx.free(i, i+1) {
			v := ts[i+1].norm
			if lx.hasRef(refHedgesIThinkVerbs, i+1) {
				if lx.hasRef(refHedgesIThinkPrevExclude, i-1) && !ts[i-1].pauseAfter() {
					continue
				}
				if !ts[i+1].pauseAfter() {
					if v == "think" && lx.hasRef(refHedgesIThinkThinkNextExclude, i+2) {
						continue
					}
					if v == "believe" && lx.hasRef(refHedgesIThinkBelieveNextExclude, i+2) {
						continue
					}
				}
				lx.claim("i "+v, "hedges.i_think", i, i+1, true)
			}
		}
		if lx.hasRef(refHedgesTryToForms, i) && (lx.n(i+1) == "to" || lx.n(i+1) == "and") && rb.on("hedges.try_to") && lx.free(i, i+1) && lx.trySubjectI(i) {
			lx.claim("try to", "hedges.try_to", i, i+1, true)
		}
	}
	// 4. single tokens, left to right (answer-initial state for so)
	initial := true
	for i := range ts {
		t := &ts[i]
		w := t.norm
		if t.used == 0 && !t.low {
			lx.single(i, initial)
		}
		if initial {
			resp := rb.hasRef(refTextNormaliseResponseTokens, w) || (w == "all" && lx.n(i+1) == "right") || (w == "right" && lx.n(i-1) == "all")
			if !(t.filler || resp) {
				initial = false
			}
		}
	}
}

// notSure returns the last token index of "I'm not sure" starting at i, or 0.
func (lx *lexer) notSure(i int) int {
	j := i + 1
	if lx.n(i) == "i" {
		if lx.n(j) != "am" {
			return 0
		}
		j++
	}
	if lx.n(j) != "not" {
		return 0
	}
	if lx.n(j+1) == "sure" && lx.free(i, j+1) {
		return j + 1
	}
	if lx.n(j+2) == "sure" && lx.free(i, j+2) {
		return j + 2
	}
	return 0
}

func (lx *lexer) youKnow(i int) bool {
	ts := lx.ts
	if i > 0 && lx.hasRef(refFillersYouKnowPrevExclude, i-1) && !ts[i-1].pauseAfter() {
		return false
	}
	if ts[i+1].pauseAfter() {
		return true
	}
	if i+2 >= len(ts) {
		return true
	}
	nx := lx.n(i + 2)
	if nx == "what" && (lx.n(i+3) == "i" || lx.n(i+3) == "you") && lx.n(i+4) == "mean" {
		return true
	}
	return !lx.hasRef(refFillersYouKnowNextExclude, i+2)
}

// trySubjectI reports whether the subject of try/tried/trying at i is I.
func (lx *lexer) trySubjectI(i int) bool {
	k := i - 1
	// gerund straight after a preposition: "instead of trying to"
	if k >= 0 && lx.hasRef(refHedgesTryToPrepositions, k) {
		return false
	}
	for steps := 0; k >= 0 && steps < 12; steps++ {
		t := &lx.ts[k]
		w := t.norm
		if t.sentEnd && k < i-1 {
			return false
		}
		switch {
		case lx.hasRef(refHedgesTryToIForms, k):
			return true
		case lx.hasRef(refHedgesTryToOtherSubjects, k):
			return false
		case w == "to":
			// infinitive: the word before must be a control verb ("planned to try")
			if !lx.hasRef(refHedgesTryToControlVerbs, k-1) && !lx.hasRef(refHedgesTryToSkip, k-1) {
				return false
			}
		case w == "and" || w == "then" || w == "or" || w == "but":
			// coordinated verb phrase: look further back for the subject
			return lx.subjectBefore(k) == 1
		case lx.hasRef(refHedgesTryToSkip, k) || lx.hasRef(refHedgesTryToControlVerbs, k) || t.filler || t.used == 2:
		default:
			return false
		}
		k--
	}
	return false
}

// subjectBefore finds the nearest subject pronoun before k in the same
// sentence: 1 for I, 2 for another pronoun, 0 for none.
func (lx *lexer) subjectBefore(k int) int {
	for j := k - 1; j >= 0; j-- {
		if lx.ts[j].sentEnd {
			return 0
		}
		if lx.hasRef(refOwnershipIForms, j) {
			return 1
		}
		if lx.hasRef(refHedgesTryToOtherSubjects, j) {
			return 2
		}
	}
	return 0
}

func (lx *lexer) single(i int, initial bool) {
	ts := lx.ts
	t := &ts[i]
	w := t.norm
	rb := lx.rb
	switch {
	case lx.hasRef(refFillersFilledPauseKeys, i):
		if rb.on("fillers.filled_pause") {
			lx.claim(w, "fillers.filled_pause", i, i, false)
		}
	case lx.hasRef(refFillersLexicalKeys, i):
		if rb.on("fillers.lexical") {
			lx.claim(w, "fillers.lexical", i, i, false)
		}
	case lx.hasRef(refHedgesLexicalKeys, i):
		if rb.on("hedges.lexical") {
			lx.claim(w, "hedges.lexical", i, i, true)
		}
	case w == "like":
		if rb.on("fillers.like") && lx.likeFiller(i) {
			lx.claim("like", "fillers.like", i, i, false)
		}
	case w == "so":
		if rb.on("fillers.so") && lx.soFiller(i, initial) {
			lx.claim("so", "fillers.so", i, i, false)
		}
	case w == "okay":
		if rb.on("fillers.okay") && t.clauseStart && !(i > 0 && lx.hasRef(refFillersOkayPrevExclude, i-1) && !ts[i-1].sentEnd) && lx.n(i+1) != "with" {
			lx.claim("okay", "fillers.okay", i, i, false)
		}
	case w == "right":
		if rb.on("fillers.right") && lx.rightFiller(i) {
			lx.claim("right", "fillers.right", i, i, false)
		}
	case w == "well":
		if rb.on("fillers.well") && t.clauseStart && lx.pauseAfter(i, rb.th("fillers.well", "pause_s")) && !(i > 0 && lx.hasRef(refFillersWellPrevExclude, i-1) && !ts[i-1].pauseAfter()) {
			lx.claim("well", "fillers.well", i, i, false)
		}
	case w == "just":
		if rb.on("hedges.just") && lx.justMinimiser(i) {
			lx.claim("just", "hedges.just", i, i, true)
		}
	}
}

// pauseAfter: punctuation pause, or in timed mode a gap of at least minGap.
func (lx *lexer) pauseAfter(i int, minGap float64) bool {
	t := &lx.ts[i]
	if t.pauseAfter() {
		return true
	}
	if i+1 < len(lx.ts) && t.timed && lx.ts[i+1].timed && lx.ts[i+1].word != t.word {
		return lx.ts[i+1].start-t.end >= minGap
	}
	return false
}

func (lx *lexer) isNumberish(i int) bool {
	w := lx.n(i)
	if w == "" {
		return false
	}
	if lx.hasRef(refFillersLikeApproximators, i) {
		// "like around twenty", "like within a few percent"
		return i+1 < len(lx.ts) && lx.n(i+1) != w && lx.isNumberish(i+1)
	}
	if c := w[0]; c >= '0' && c <= '9' {
		return true
	}
	if strings.HasPrefix(lx.ts[i].raw, "$") || strings.HasPrefix(lx.ts[i].raw, "~") {
		return true
	}
	if lx.hasRef(refFillersLikeNumberWords, i) {
		return true
	}
	if (w == "a" || w == "an") && (lx.hasRef(refFillersLikeUnits, i+1) || lx.hasRef(refFillersLikeAmountNouns, i+1)) {
		return true
	}
	return false
}

func (lx *lexer) likeFiller(i int) bool {
	ts := lx.ts
	t := &ts[i]
	prev, next := lx.n(i-1), lx.n(i+1)
	commaBefore := i == 0 || ts[i-1].pauseAfter() || t.breakPrev
	commaAfter := t.pauseAfter() && i+1 < len(ts)
	// before a past-tense verb it governs nothing: "I like stared", "I just like went in"
	if !commaAfter && isPastForm(lx, i+1) && !lx.hasRef(refFillersLikeBeForms, i-1) && i > 0 && !lx.hasRef(refFillersLikeComparisonPrev, i-1) || !commaAfter && prev == "just" && isPastForm(lx, i+1) {
		return true
	}
	// "I feel like" belongs to the hedge; "felt like", "looks like", "more like",
	// "just like", "kind of like" are comparisons or conjunctions.
	if !commaBefore && lx.hasRef(refFillersLikeComparisonPrev, i-1) {
		return false
	}
	if !commaBefore && (prev == "of" && (lx.n(i-2) == "kind" || lx.n(i-2) == "sort")) {
		return false
	}
	// would like / 'd like
	if !commaBefore && (prev == "would" || isDForm(prev) || (prev == "just" && isDForm(lx.n(i-2)))) {
		return false
	}
	// quotative or comparative after be: "she was like, could you", "it was like a waiting room"
	if !commaBefore && lx.hasRef(refFillersLikeBeForms, i-1) {
		if !commaAfter && (lx.hasRef(refFillersLikeAdverbNext, i+1) || lx.isNumberish(i+1)) {
			return true
		}
		return false
	}
	// approximative: before a number or time expression
	if lx.isNumberish(i + 1) {
		if next == "one" && !lx.hasRef(refFillersLikeUnits, i+2) {
			return commaBefore && commaAfter
		}
		return true
	}
	if commaAfter {
		// "for, like, the entire weekend"; "was fun, like, everyone brought snacks"
		if lx.hasRef(refFillersLikeVerbContextPrev, i-1) && !commaBefore {
			return true // "I like, stared" is rare; the comma marks the filler
		}
		return true
	}
	// main verb: "I like Python", "nobody likes", "to like"
	if !commaBefore && lx.hasRef(refFillersLikeVerbContextPrev, i-1) {
		// "I like stared at the dashboard": followed by a past-tense verb or an adverb
		if lx.hasRef(refFillersLikeAdverbNext, i+1) || isPastForm(lx, i+1) {
			return true
		}
		return false
	}
	// after "and then", "because", "when": a clause follows
	if !t.clauseStart && !commaBefore && lx.hasRef(refFillersLikeClausePrev, i-1) {
		return (lx.hasRef(refFillersLikeClauseNext, i+1) || lx.hasRef(refFillersLikeAdverbNext, i+1)) && !lx.hasRef(refFillersLikeSaidVerbs, i+2)
	}
	// after a past-tense verb, before what it does not govern: "we spent like a week", "we had like no idea"
	if !t.clauseStart && !commaBefore && isPastForm(lx, i-1) && !lx.hasRef(refFillersLikeBeForms, i-1) && !lx.hasRef(refFillersLikeObjectNext, i+1) &&
		(lx.hasRef(refFillersLikeDeterminerNext, i+1) || lx.hasRef(refFillersLikeAdverbNext, i+1)) {
		return true
	}
	if !t.clauseStart {
		// mid-clause without commas: a filler only before an adverb ("it was
		// taking like forever" is rare); otherwise "such as" or a comparison
		return false
	}
	// clause-initial like without a following comma
	if (lx.hasRef(refTextNormaliseSubjectPronouns, i+1) || next == "you") && lx.hasRef(refFillersLikeSaidVerbs, i+2) {
		return false // "like I said"
	}
	if lx.hasRef(refFillersLikePrepNext, i+1) {
		return false // "like a phone book, it stays sorted"
	}
	sentenceStart := i == 0 || ts[i-1].sentEnd || t.breakPrev || (i > 0 && ts[i-1].clauseStart && lx.hasRef(refTextNormaliseCoordinators, i-1)) || (i > 0 && ts[i-1].filler)
	if sentenceStart {
		return true
	}
	// after a comma mid-sentence: a clause or adverb follows → filler; a noun → "such as"
	return lx.hasRef(refFillersLikeClauseNext, i+1) || lx.hasRef(refFillersLikeAdverbNext, i+1) || (i+1 < len(ts) && lx.rb.filledPause(next))
}

func isPastForm(lx *lexer, i int) bool {
	w := lx.n(i)
	if w == "" {
		return false
	}
	if lx.hasRef(refStarPastIrregular, i) {
		return true
	}
	return strings.HasSuffix(w, "ed") && len(w) > 3 && !lx.hasRef(refStarNotPastEd, i)
}

func (lx *lexer) soFiller(i int, initial bool) bool {
	ts := lx.ts
	if initial {
		return true
	}
	if i > 0 && ts[i-1].norm == "okay" && ts[i-1].filler {
		return true
	}
	// closing "so yeah" (filled pauses and punctuation may intervene)
	for k := i + 1; k < len(ts) && k <= i+4; k++ {
		w := ts[k].norm
		if lx.rb.hasRef(refFillersSoClosing, w) {
			return true
		}
		if !lx.rb.filledPause(w) {
			break
		}
	}
	return false
}

func (lx *lexer) rightFiller(i int) bool {
	ts := lx.ts
	t := &ts[i]
	prev := lx.n(i - 1)
	if prev == "all" && !(i > 0 && ts[i-1].pauseAfter()) {
		return false
	}
	// tag question: "older iPhones, right?"
	if t.question {
		return !(lx.hasRef(refFillersRightAdjPrev, i-1) && !ts[i-1].pauseAfter())
	}
	if i > 0 && ts[i-1].comma && (t.sentEnd || t.comma) && !lx.hasRef(refFillersRightAdjPrev, i-1) {
		return true
	}
	// clause-initial resume: "Right, so then I opened a ticket"
	if t.clauseStart {
		if t.comma || t.ellipsis || (t.sentEnd && i+1 < len(ts)) {
			return true
		}
		nx := lx.n(i + 1)
		if nx == "so" || nx == "okay" || lx.rb.filledPause(nx) {
			return true
		}
	}
	return false
}

func (lx *lexer) justMinimiser(i int) bool {
	ts := lx.ts
	if !ts[i].pauseAfter() {
		if lx.n(i+1) == "like" && i > 0 && (isDForm(lx.n(i-1)) || lx.n(i-1) == "would") {
			return true // "I'd just like to help": like is the verb
		}
		if lx.n(i+1) == "like" && isPastForm(lx, i+2) {
			return true // "I just like went in": like is a filler
		}
		if lx.hasRef(refHedgesJustNextExclude, i+1) || lx.hasRef(refHedgesJustEmphaticNext, i+1) || lx.hasRef(refHedgesJustTemporalNext, i+1) {
			return false
		}
		if lx.hasRef(refHedgesJustBarelyNext, i+1) && lx.n(i+2) == "it" {
			return false
		}
	}
	if i > 0 && !ts[i-1].pauseAfter() {
		if lx.hasRef(refHedgesJustPerfectPrev, i-1) {
			return false
		}
		if (isDForm(lx.n(i-1)) || strings.HasSuffix(lx.n(i-1), "'s")) && isPastForm(lx, i+1) {
			return false // "I'd just started" (had), "she's just joined" (has)
		}
	}
	return true
}
