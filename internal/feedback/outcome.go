package feedback

import "strings"

// Quantified results count outcome clauses, not numbers: a clause that
// states a change or achievement caused by the speaker's or the team's
// actions and holds at least one quantity measuring it counts once,
// however many numbers it holds. Numbers told before the speaker's first
// step are the situation (team sizes, baselines); a clause that restates an
// outcome already counted does not count again.

// outcomeScan is what one candidate clause holds.
type outcomeScan struct {
	skip, outcome, plan bool
	why                 string
	nums                []int // token indexes of the valid quantities
}

// findQuantified returns the outcome clauses with a numeric quantity and,
// for each, why it counts. firstWork is the first token of the first Task
// or Action clause (-1 when none); midStory tells a candidate that is part
// of the problem told in the middle of the story, unless it reports a
// change that is not a problem (changeReported).
func (lx *lexer) findQuantified(firstWork int, info []clauseInfo, cs []clause, midStory func([2]int) bool) ([][2]int, []string) {
	var out [][2]int
	var whys []string
	if !lx.rb.on(quantRule) {
		return out, whys
	}
	ts := lx.ts
	speakerSeen, baseline := false, false
	var dims []string
	keys := map[string]bool{}
	for _, c := range quantClauses(lx) {
		a, b := c[0], c[1]
		if lx.hasSpeaker(a, b) {
			speakerSeen = true
		}
		if firstWork >= 0 && b < firstWork || firstWork < 0 && !speakerSeen {
			baseline = baseline || firstWork >= 0 && lx.durationTold(a, b)
			continue // numbers before the speaker's first step are the situation
		}
		if lx.hasRef(refResultReasonWords, a) || lx.outOfEpisode(a, info, cs) || lx.baselineOnly(a, b) {
			continue
		}
		sc := lx.scanOutcome(a, b, baseline && lx.durationTold(a, b) && !lx.speakerStep(a, b))
		if sc.skip || !sc.outcome || len(sc.nums) == 0 || !lx.changeReported(c, sc.why) && midStory(c) {
			continue
		}
		dim := lx.dimension(sc.nums)
		key := lx.numberKey(sc.nums)
		if lx.restated(a, b, sc.nums, dim, dims) || keys[key] {
			continue
		}
		dims = append(dims, dim)
		keys[key] = true
		out = append(out, c)
		words := make([]string, len(sc.nums))
		for k, i := range sc.nums {
			words[k] = strings.TrimRight(ts[i].raw, ".,;:!?")
		}
		whys = append(whys, sc.why+"; quantity: "+strings.Join(words, ", "))
	}
	return out, whys
}

// outOfEpisode: the clause starts inside a hypothetical, habitual or
// general-statement clause of the STAR analysis.
func (lx *lexer) outOfEpisode(a int, info []clauseInfo, cs []clause) bool {
	for k, c := range cs {
		if a >= c.first && a <= c.last {
			in := info[k]
			return in.hyp
		}
	}
	return false
}

func (lx *lexer) hasSpeaker(a, b int) bool {
	for i := a; i <= b; i++ {
		if lx.hasRef(refOwnershipIForms, i) || lx.hasRef(refOwnershipWeForms, i) || lx.hasRef(refQuantifiedSpeakerWords, i) || lx.hasRef(refTaskDutyOwners, i) && i+1 <= b && lx.hasRef(refQuantifiedTeamNouns, i+1) {
			return true
		}
	}
	return false
}

// scanOutcome reads one clause: an outcome verb or a comparison next to a
// quantity makes it an outcome; a plan, goal, modal or obligation before
// the outcome word makes it none. againstBaseline says the situation told
// how long the same thing took, so a duration here is its new value. Each rule below is one function; the
// first that finds the outcome word gives the reason.
func (lx *lexer) scanOutcome(a, b int, againstBaseline bool) outcomeScan {
	var sc outcomeScan
	c := clause{first: a, last: b}
	var from int
	sc.plan, from = lx.planFrame(a, b)
	sc.plan = sc.plan || againstBaseline
	for i := a; i <= b; i++ {
		if lx.validQuantity(i, a, b, sc.plan) {
			sc.nums = append(sc.nums, i)
		}
	}
	first, why, skip := lx.outcomeWord(a, b, from, sc.nums)
	if skip {
		sc.skip = true
		return sc
	}
	if first < 0 {
		first, why = lx.outcomeByQuantity(c, sc.nums)
	}
	if first < 0 && againstBaseline && len(sc.nums) > 0 && lx.dimension(sc.nums) == "time" {
		first, why = sc.nums[0], "a duration against the baseline told before the work"
	}
	if first >= 0 && lx.planChanged(first, b) {
		sc.skip = true // "my manager cut our response target from four hours to one"
		return sc
	}
	if first < 0 || len(sc.nums) == 0 {
		var n int
		n, first, why = lx.achievedOutcome(c, sc.nums, first, why)
		if n >= 0 {
			sc.nums = appendIndex(sc.nums, n)
		}
	}
	if first >= 0 {
		sc.nums = lx.dropReporters(c, sc.nums, first)
	}
	if first < 0 && len(sc.nums) > 0 {
		first, why = lx.outcomeWithoutVerb(c, sc.nums)
	}
	if first >= 0 && lx.stepParameter(c, sc.nums, first, why) {
		first = -1
	}
	sc.outcome, sc.why = first >= 0, why
	return sc
}

// planFrame: the clause frames its numbers against a plan or baseline
// (early, saved, from … to, in half): durations in it can count. It also
// returns the first "from", or -1.
func (lx *lexer) planFrame(a, b int) (bool, int) {
	plan, from := false, -1
	for i := a; i <= b; i++ {
		w := lx.n(i)
		if lx.hasRef(refQuantifiedPlanWords, i) || w == "half" && i > a && lx.n(i-1) == "in" {
			plan = true
		}
		if w == "from" && from < 0 {
			from = i
		}
		if w == "to" && from >= 0 {
			plan = true
		}
	}
	return plan, from
}

// outcomeWord finds the first outcome word of the clause: an outcome verb,
// a comparison next to a quantity, a multiplier, or the "to" of a change
// from one value to another. An obligation or plan before it (skip) means
// the clause is no outcome.
func (lx *lexer) outcomeWord(a, b, from int, nums []int) (int, string, bool) {
	for i := a; i <= b; i++ {
		w := lx.n(i)
		switch {
		case lx.hasRef(refQuantifiedObligations, i) && lx.n(i+1) == "to":
			return -1, "", true // an obligation or plan, not an outcome
		case lx.hasRef(refQuantifiedNotOutcome, i):
			return -1, "", true // a plan, goal, habit or hypothetical comes first
		case lx.hasRef(refQuantifiedOutcomeWords, i) && !lx.hasRef(refQuantifiedWeakOutcome, i) && !lx.hasRef(refEpisodeDeterminers, i-1) && lx.phraseAtRef(i, b, prefStarAnchorPhrases) == 0:
			return i, "outcome verb “" + w + "”", false
		case lx.hasRef(refQuantifiedWeakOutcome, i) && lx.comparisonAt(i, a, b, nums):
			return i, "comparison “" + w + "” next to a quantity", false
		case lx.hasRef(refQuantifiedTimesWords, i) && i > a && (hasDigit(lx.n(i-1)) || lx.hasRef(refQuantifiedNumberWords, i-1)) && !lx.speakerStep(a, b) && !lx.frequencyAfter(i):
			return i, "multiplier “" + lx.n(i-1) + " " + w + "”", false
		case lx.hasRef(refQuantifiedMultipliers, i) && (!lx.hasRef(refQuantifiedFrequencyMultipliers, i) || lx.hasRef(refQuantifiedComparisonWords, i+1) || lx.n(i+1) == "as") || w == "half" && i > a && lx.n(i-1) == "in":
			return i, "multiplier “" + w + "”", false
		case w == "to" && from >= 0 && i > from && len(nums) > 0 && nums[len(nums)-1] > from:
			return i, "a change from one value to another", false
		}
	}
	return -1, "", false
}

// outcomeByQuantity: without an outcome word, a quantity can still say how
// far the outcome spread ("two other teams reused it", "to four more
// sites") or measure a duration against the plan ("two weeks early").
func (lx *lexer) outcomeByQuantity(c clause, nums []int) (int, string) {
	for _, n := range nums {
		if lx.hasRef(refQuantifiedSpreadNext, n+1) && lx.adoptedAfter(n, c.last) {
			return n, "how far the outcome spread: others took it up"
		}
		if lx.hasRef(refQuantifiedSpreadPrev, n-1) && lx.hasRef(refQuantifiedSpreadNext, n+1) {
			return n, "how far the outcome spread"
		}
		if lx.hasRef(refQuantifiedTimeUnits, n+1) && lx.hasRef(refQuantifiedAheadWords, n+2) && lx.clauseHas(c, refEpisodeEveryWords) < 0 {
			return n, "a duration against the plan: “" + lx.n(n+2) + "”"
		}
	}
	return -1, ""
}

// achievedOutcome: outside the speaker's own step, a count of things
// achieved ("all twelve patients got their visits on time") or a rating
// ("nine out of ten"). It returns the count's index to add (or -1) and the
// outcome word and reason, unchanged when neither applies.
func (lx *lexer) achievedOutcome(c clause, nums []int, first int, why string) (int, int, string) {
	if lx.speakerStep(c.first, c.last) {
		return -1, first, why
	}
	if n := lx.achievedCount(c); n >= 0 {
		return n, n, "a count of things achieved"
	}
	if ri := lx.findPhrase(c, prefQuantifiedRatingPhrases); first < 0 && ri > c.first && len(nums) > 0 && nums[0] == ri-1 {
		return -1, ri - 1, "a rating: “" + lx.n(ri-1) + " " + lx.n(ri) + " " + lx.n(ri+1) + "”"
	}
	return -1, first, why
}

// dropReporters: "three new starters told me it saved them days": a number
// before a reporting verb counts who reported, not the outcome.
func (lx *lexer) dropReporters(c clause, nums []int, first int) []int {
	rv := lx.clauseHas(c, refQuantifiedReportingVerbs)
	if rv < 0 || rv >= first {
		return nums
	}
	kept := nums[:0]
	for _, n := range nums {
		if n > rv {
			kept = append(kept, n)
		}
	}
	return kept
}

// outcomeWithoutVerb: a clause with quantities and no outcome word is
// still an outcome when it counts what the work has achieved since, has a
// result marker, or measures a percentage, amount, frequency or measure
// after the work.
func (lx *lexer) outcomeWithoutVerb(c clause, nums []int) (int, string) {
	a, b := c.first, c.last
	switch {
	case lx.achievedSince(c):
		return nums[0], "a count achieved since the work"
	case lx.findPhrase(c, prefStarResultMarkers) >= 0:
		return nums[0], "a result marker"
	}
	d := lx.dimension(nums)
	if !lx.speakerStep(a, b) && !lx.hasRef(refQuantifiedParamPrev, nums[0]-1) && !lx.hasRef(refQuantifiedThresholdPrev, nums[0]-1) &&
		(d == "percent" || d == "money" || d == "frequency") {
		return nums[0], "a percentage, amount or frequency measured after the work"
	}
	if lx.clauseHas(c, refQuantifiedChangeVerbs) >= 0 && (d == "percent" || d == "money" || d == "measure" || d == "frequency") {
		return nums[0], "a measured state after the work"
	}
	return -1, ""
}

// stepParameter: the quantities are how the speaker's own step was done,
// not the size of its outcome: a count the step touched ("I cut the deck
// from thirty slides to twelve"), a limit the speaker set ("I kept each
// video under ten minutes"), a step rescheduled ("I moved the data pull
// two days earlier"), a quantity inside the step's object with the
// outcome word after it ("I offered a 5% bonus for early delivery"), or a
// duration inside what the step lets others do ("a reminder that let
// patients order three days ahead").
func (lx *lexer) stepParameter(c clause, nums []int, first int, why string) bool {
	a, b := c.first, c.last
	if (strings.HasPrefix(why, "outcome verb") || strings.HasPrefix(why, "a change from")) &&
		lx.ownStep(a, b) && lx.plainCount(nums) && lx.clauseHas(c, refQuantifiedCountOutcomeVerbs) < 0 {
		return true
	}
	if lx.speakerStep(a, b) && lx.hasRef(refQuantifiedThresholdPrev, first) {
		return true
	}
	if lx.speakerStep(a, b) && lx.materialOnly(nums) {
		return true // "I cut forty hours of interviews down to a six-minute film"
	}
	if lx.speakerStep(a, b) && len(nums) > 0 && nums[len(nums)-1] < first-1 && !lx.hasRef(refQuantifiedTimeUnits, first-1) {
		return true // "I offered a 5% bonus for early delivery": the number is part of what the step offered
	}
	if (lx.speakerStep(a, b) || lx.speakerVerbPhrase(a)) && (strings.HasPrefix(why, "a duration against the plan") || lx.hasRef(refQuantifiedAheadWords, first)) {
		if sv := lx.clauseHas(c, refQuantifiedScheduleVerbs); sv >= 0 && sv < first {
			return true // "I moved the data pull two days earlier": when the step runs
		}
	}
	if len(nums) > 0 && lx.ownStep(a, b) && lx.dimension(nums) == "time" {
		if cv := lx.clauseHas(c, refQuantifiedCapabilityVerbs); cv >= 0 && cv < nums[0] && lx.clauseHas(c, refQuantifiedAheadWords) > cv {
			return true
		}
	}
	return false
}

// plainCount: every quantity is a plain count of things (not zero, a
// multiplier, a fraction of the outcome — "half of the elements" is a
// part of what the step touched, so it is a count — the size of a change after "by", money,
// percent, time or a measure).
func (lx *lexer) plainCount(nums []int) bool {
	if lx.dimension(nums) != "count" {
		return false
	}
	for _, i := range nums {
		if lx.n(i) == "zero" || lx.hasRef(refQuantifiedMultipliers, i) || lx.hasRef(refQuantifiedFractions, i) && lx.n(i+1) != "of" || lx.hasRef(refQuantifiedTimesWords, i+1) ||
			lx.hasRef(refQuantifiedArticles, i) && lx.hasRef(refQuantifiedArticleUnits, i+1) || lx.n(i-1) == "by" {
			return false // "by a fifth", "by 40 tickets": the size of a change
		}
	}
	return true
}

// ownStep: the clause is a step told with I or we after at most a
// conjunction.
func (lx *lexer) ownStep(a, b int) bool {
	for j := a; j <= b; j++ {
		if lx.ts[j].filler || lx.hasRef(refTextNormaliseCoordinators, j) {
			continue
		}
		return lx.hasRef(refOwnershipIForms, j) || lx.hasRef(refOwnershipWeForms, j)
	}
	return false
}

// comparisonAt: a comparative or particle (up, down, more, faster) at i
// measures an outcome only next to a quantity or a comparison word, and not
// as the particle of another verb ("shut down eleven servers", "set up 3
// dashboards").
func (lx *lexer) comparisonAt(i, a, b int, nums []int) bool {
	if i > a && isPastForm(lx, i-1) && !lx.hasRef(refQuantifiedChangeVerbs, i-1) {
		return false
	}
	if i > a && lx.hasRef(refQuantifiedChangeVerbs, i-1) {
		return true // "went up", "came down"
	}
	for _, n := range nums {
		if n == i-1 && lx.hasRef(refQuantifiedAdditive, i) && !lx.hasRef(refQuantifiedComparisonWords, i+1) && lx.dimension([]int{n}) != "percent" {
			continue // "three more tests": a count of things, not a change; "30% more tickets" is one
		}
		if n >= i-3 && n <= i+3 {
			return true
		}
	}
	for j := i - 2; j <= i+2; j++ {
		if j >= a && j <= b && j != i && lx.hasRef(refQuantifiedComparisonWords, j) {
			return true
		}
	}
	return false
}

// dimension names what the quantities measure: money, percent, a measure
// (MB, kilos), a frequency, time or count.
func (lx *lexer) dimension(nums []int) string {
	ts := lx.ts
	for _, i := range nums {
		raw := ts[i].raw
		switch {
		case strings.ContainsAny(raw, "$£€") || lx.hasRef(refQuantifiedMoneyWords, i+1) || lx.hasRef(refQuantifiedMoneyWords, i+2):
			return "money"
		case strings.Contains(raw, "%") || lx.hasRef(refQuantifiedPercentWords, i+1) || lx.ratioAt(i):
			return "percent"
		case lx.hasRef(refQuantifiedMeasureUnits, i+1):
			return "measure"
		case (lx.n(i) == "once" || lx.hasRef(refQuantifiedFrequencyMultipliers, i) || lx.hasRef(refQuantifiedTimesWords, i+1)) &&
			(lx.n(i+1) == "a" || lx.n(i+2) == "a") && (lx.hasRef(refQuantifiedFrequencyUnits, i+2) || lx.hasRef(refQuantifiedFrequencyUnits, i+3)):
			return "frequency" // "once a month", "three times a week"
		case lx.hasRef(refQuantifiedTimeUnits, i+1):
			return "time"
		}
	}
	return "count"
}

// restated: the clause repeats an outcome already counted: it opens with a
// restatement ("that's", "in other words") and measures the same thing as
// an earlier outcome, or every quantity in it was already said and there
// are two of them or an opener.
func (lx *lexer) restated(a, b int, nums []int, dim string, dims []string) bool {
	j := a
	for j <= b && (lx.ts[j].filler || lx.hasRef(refTextNormaliseCoordinators, j)) {
		j++
	}
	if lx.findPhrase(clause{first: j, last: b}, prefQuantifiedRestateStrong) == j && len(dims) > 0 {
		return true // "in other words, a quarter fewer tickets"
	}
	opener := lx.findPhrase(clause{first: j, last: b}, prefQuantifiedRestatement) == j
	if opener && lx.clauseHas(clause{first: a, last: b}, refQuantifiedChangeNouns) >= 0 && len(dims) > 0 {
		return true // "that's a 15% improvement": the same outcome in other words
	}
	if opener {
		for _, d := range dims {
			if d == dim {
				return true
			}
		}
	}
	said := map[string]bool{}
	for i := 0; i < a; i++ {
		if hasDigit(lx.ts[i].norm) || lx.hasRef(refQuantifiedNumberWords, i) {
			said[lx.ts[i].norm] = true
		}
	}
	for _, i := range nums {
		if !said[lx.ts[i].norm] {
			return false
		}
	}
	return len(nums) >= 2 || opener
}

// numberKey joins a clause's quantities: the same quantities again are the
// same outcome restated.
func (lx *lexer) numberKey(nums []int) string {
	var b strings.Builder
	for _, i := range nums {
		b.WriteString(lx.ts[i].norm)
		b.WriteByte(' ')
	}
	return b.String()
}

// speakerStep: the clause is a step of the speaker ("I offered a 10%
// discount"), told with I after at most a conjunction.
func (lx *lexer) speakerStep(a, b int) bool {
	for j := a; j <= b; j++ {
		if lx.ts[j].filler || lx.hasRef(refTextNormaliseCoordinators, j) {
			continue
		}
		return lx.hasRef(refOwnershipIForms, j)
	}
	return false
}

// achievedCount finds a count of things achieved: a number after all,
// next or every, or opening the clause's subject, in a clause that says
// they succeeded ("all eleven trucks made their deliveries, nine of them
// on time", "our next three releases went out on schedule", "we moved
// all forty freezers without losing a sample"). It returns the number's
// index or -1.
func (lx *lexer) achievedCount(c clause) int {
	ap := lx.findPhrase(c, prefQuantifiedAchievement)
	if ap < 0 {
		return -1
	}
	for i := c.first; i < ap; i++ {
		if !hasDigit(lx.n(i)) && !lx.hasRef(refQuantifiedNumberWords, i) || lx.hasRef(refQuantifiedMultipliers, i) || lx.hasRef(refQuantifiedFractions, i) {
			continue
		}
		if lx.hasRef(refQuantifiedAchievementPrev, i-1) && i-1 >= c.first {
			return i
		}
		if i <= c.first+2 && !lx.hasRef(refOwnershipIForms, i+1) {
			return i // the subject: "twelve patients went home early"
		}
	}
	return -1
}

// appendIndex adds i to the sorted indexes once.
func appendIndex(nums []int, i int) []int {
	for k, n := range nums {
		if n == i {
			return nums
		}
		if n > i {
			return append(nums[:k], append([]int{i}, nums[k:]...)...)
		}
	}
	return append(nums, i)
}

// baselineOnly: the clause opens with a comparison to the baseline
// ("…was at 92%, compared with around 70% across the grade"): the baseline
// is part of the outcome clause before it, not an outcome of its own.
func (lx *lexer) baselineOnly(a, b int) bool {
	j := lx.firstWordAt(a)
	return j <= b && lx.findPhrase(clause{first: j, last: b}, prefQuantifiedBaselineOpeners) == j
}

// adoptedAfter: an adoption verb follows the quantity at n in the clause
// ending at b ("two other teams reused the pattern"): the number says how
// far the outcome spread.
func (lx *lexer) adoptedAfter(n, b int) bool {
	for j := n + 2; j <= b && j <= n+6; j++ {
		if lx.hasRef(refQuantifiedAdoption, j) {
			return true
		}
	}
	return false
}

// planChanged: the outcome word at i changes a plan rather than a result
// ("cut our first-response target from four hours to one", "moved the
// deadline two weeks earlier"): a target, goal or deadline follows within
// three words, so the numbers measure the plan.
func (lx *lexer) planChanged(i, b int) bool {
	if lx.hasRef(refQuantifiedAttain, i) {
		return false // "we hit the target a month early": reaching a plan is an outcome
	}
	for j := i + 1; j <= b && j <= i+3; j++ {
		if lx.hasRef(refQuantifiedPlanNouns, j) {
			return true
		}
	}
	return false
}

// frequencyAfter: "times" at i is followed by a frequency unit ("six
// times a shift", "three times per week"): a frequency, not a multiplier.
func (lx *lexer) frequencyAfter(i int) bool {
	return lx.hasRef(refQuantifiedFrequencyLinks, i+1) && lx.hasRef(refQuantifiedFrequencyUnits, i+2)
}

// ratioAt: "N out of M" or "N orders out of M" at i is a share, like a
// percentage.
func (lx *lexer) ratioAt(i int) bool {
	return lx.n(i+1) == "out" && lx.n(i+2) == "of" || lx.n(i+2) == "out" && lx.n(i+3) == "of"
}

// achievedSince: a present perfect closed by "since" ("which has caught
// two bad pushes since", "we've signed three clients since"): a count of
// what the work has achieved since it was done.
func (lx *lexer) achievedSince(c clause) bool {
	s := lx.clauseHas(c, refResultSinceWords)
	if s < 0 || s < c.last-1 {
		return false
	}
	for i := c.first; i < s; i++ {
		if lx.hasRef(refEpisodePerfectAux, i) {
			return true
		}
	}
	return false
}

// speakerVerbPhrase: the clause at a is a verb phrase coordinated with a
// step of the speaker ("I built a checklist and moved the data pull…"):
// it opens with a past verb and the nearest subject before it in the
// sentence is I.
func (lx *lexer) speakerVerbPhrase(a int) bool {
	if !isPastForm(lx, lx.firstWordAt(a)) {
		return false
	}
	for j := a - 1; j >= 0 && !lx.ts[j].sentEnd; j-- {
		if lx.hasRef(refOwnershipIForms, j) {
			return lx.ts[j].used != 2
		}
		if lx.hasRef(refTextNormaliseSubjectPronouns, j) {
			return false
		}
	}
	return false
}

// materialOnly: every quantity is an amount of material told as a span of
// time ("forty hours of interviews", "two days of footage"): in the
// speaker's own step it is what the step worked on, not its outcome.
func (lx *lexer) materialOnly(nums []int) bool {
	for _, n := range nums {
		if !lx.hasRef(refQuantifiedTimeUnits, n+1) || lx.n(n+2) != "of" {
			return false
		}
	}
	return len(nums) > 0
}

// durationTold: the clause tells how long something took, the duration
// right after the verb ("planning used to take three full days", "the
// next planning took a day and a half"): before the work it is a baseline
// that a later duration of the same kind is measured against.
func (lx *lexer) durationTold(a, b int) bool {
	for v := a; v < b; v++ {
		if !lx.hasRef(refQuantifiedDurationVerbs, v) {
			continue
		}
		for i := v + 1; i <= b && i <= v+3; i++ {
			num := hasDigit(lx.n(i)) || lx.hasRef(refQuantifiedNumberWords, i) || lx.hasRef(refQuantifiedArticles, i) && !lx.hasRef(refQuantifiedVague, i+1)
			if num && (lx.hasRef(refQuantifiedTimeUnits, i+1) || i+2 <= b && lx.hasRef(refQuantifiedTimeUnits, i+2)) { // "three full days"
				return true
			}
		}
	}
	return false
}

// changeReported: an outcome verb says what changed, and nothing in the
// clause names a problem ("I checked and found that returns had dropped
// by 30%. So I rolled it out…", but not "error rates had climbed from 1%
// to 6%. I traced them…").
func (lx *lexer) changeReported(sp [2]int, why string) bool {
	c := clause{first: sp[0], last: sp[1]}
	return (strings.HasPrefix(why, "outcome verb") || strings.HasPrefix(why, "comparison")) && !lx.complication(c) && lx.clauseHas(c, refQuantifiedProblemNouns) < 0
}
