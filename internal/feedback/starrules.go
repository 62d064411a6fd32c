package feedback

import (
	"sort"
	"strings"
)

// starState is the STAR analysis of an answer.
type starState struct {
	star       Star
	sIdx       int // first clause of each component, -1 when absent
	tIdx       int
	aIdx       int
	rIdx       int
	weAction   bool // an action told with we
	clauses    []clause
	info       []clauseInfo
	marks      []starMark // every component decision, in clause order
	quantSpans [][2]int
	quantWhy   []string
	// noEpisodeWhy says what the answer told instead of an episode.
	noEpisodeWhy string
}

// starMark is one decision: clause k carries component comp by rule.
type starMark struct {
	clause int
	comp   string // situation, task, action, result
	rule   string
	why    string
}

// starRun carries one STAR analysis through its rules.
type starRun struct {
	lx     *lexer
	cs     []clause
	info   []clauseInfo
	st     *starState
	qstems map[string]bool
	task   []bool
	action []bool
	result []bool
	weakR  []bool // a result found only by its position after an action
	sit    []bool
	others []bool          // someone else's need: part of the situation
	restat []bool          // a restatement of the competency asked about
	qcomp  map[string]bool // stems of the competency nouns in the question (leadership)
	firstW int             // first clause of work: an action or task, or a step told with we
	// chronologyOnly: the answer would have an episode but is mostly career
	// history with a single event in it
	chronologyOnly bool
}

// analyzeStar classifies the clauses: episode first, then Task and
// Action, then quantified outcome clauses, then Result and Situation.
func (lx *lexer) analyzeStar(question string) starState {
	st := starState{sIdx: -1, tIdx: -1, aIdx: -1, rIdx: -1}
	cs := splitClauses(lx.ts, lx.rb)
	st.clauses = cs
	r := &starRun{lx: lx, cs: cs, st: &st, qstems: lx.questionStems(question), qcomp: lx.competencyStems(question)}
	r.info = lx.describeClauses(cs)
	st.info = r.info
	n := len(cs)
	flags := make([]bool, 7*n) // one allocation for the seven per-clause flags
	r.task, r.action, r.result, r.weakR = flags[:n:n], flags[n:2*n:2*n], flags[2*n:3*n:3*n], flags[3*n:4*n:4*n]
	r.sit, r.others, r.restat = flags[4*n:5*n:5*n], flags[5*n:6*n:6*n], flags[6*n:]
	r.detectEpisode()
	r.reflections()
	r.tasksAndActions()
	r.loneClaim()
	quant, why := lx.findQuantified(r.firstWorkToken(), r.info, cs, r.midStoryNumber)
	st.quantSpans, st.quantWhy = quant, why
	r.lateTasks()
	r.resultsAndSituations(quant)
	r.demoteMidStory()
	r.finish(len(quant) > 0)
	return st
}

// competencyStems are the stems of the competency nouns in the question
// ("leadership" in "a time you showed leadership").
func (lx *lexer) competencyStems(question string) map[string]bool {
	q := map[string]bool{}
	fieldsEach(strings.ToLower(question), func(f string) {
		f = strings.Trim(f, ".,?!;:\"'()")
		if lx.rb.hasRef(refActionCompetencyNouns, f) {
			q[stem(lx.rb, f)] = true
		}
	})
	return q
}

// questionStems are the content words of the question, stemmed, used to
// recognise a restatement of the competency asked about.
func (lx *lexer) questionStems(question string) map[string]bool {
	q := map[string]bool{}
	fieldsEach(strings.ToLower(question), func(f string) {
		f = strings.Trim(f, ".,?!;:\"'()")
		if f != "" && !lx.rb.hasRef(refRepetitionOverusedStopwords, f) && !lx.rb.hasRef(refActionQuestionFrame, f) {
			q[stem(lx.rb, f)] = true
		}
	})
	return q
}

func (r *starRun) mark(k int, comp, rule, why string) {
	r.st.marks = append(r.st.marks, starMark{clause: k, comp: comp, rule: rule, why: why})
}

// reflections: a lesson ("I learned that…") is reported as reflection and
// is never a component.
func (r *starRun) reflections() {
	for k, c := range r.cs {
		if r.info[k].inScope && r.lx.findPhrase(c, prefStarReflectionPhrases) >= 0 {
			r.st.star.Reflection = true
			r.info[k].inScope = false
		}
	}
}

func (r *starRun) tasksAndActions() {
	firstContent := true
	for k := range r.cs {
		if !r.info[k].inScope {
			continue
		}
		r.task[k] = r.ruleTask(k)
		if !r.task[k] {
			r.action[k] = r.ruleAction(k, firstContent)
		}
		if r.action[k] && r.restat[k] {
			r.action[k] = false
		}
		if r.task[k] || r.action[k] || r.restat[k] {
			firstContent = false
		}
		if r.cs[k].subj == "we" && !r.cs[k].subordinate && r.info[k].vi >= 0 && isPastForm(r.lx, r.info[k].vi) && !r.lx.hasRef(refStarStativeVerbs, r.info[k].vi) {
			r.st.weAction = true
		}
	}
}

// ruleTask: an explicit goal, duty or request of the speaker or the
// speaker's team; someone else's need is part of the situation.
func (r *starRun) ruleTask(k int) bool {
	lx, c := r.lx, r.cs[k]
	if !lx.rb.on(taskRule) {
		return false
	}
	if ti := lx.findPhrase(c, prefStarTaskPhrases); ti >= 0 && !(lx.hasRef(refOwnershipIForms, ti) && ti > lx.firstWord(c) && !lx.ts[ti-1].pauseAfter()) {
		// an I-phrase ("I owned", "I took on") must open the clause: in "a
		// broken import I owned" it names whose import, not a duty
		switch {
		case !lx.hasRef(refTaskNeedsSubject, ti) || c.subj == "i" || c.subj == "we":
			r.mark(k, "task", taskRule, "goal or assignment: “"+lx.ts[ti].norm+"…”")
			return true
		case ti > 0 && (lx.hasRef(refOwnershipIForms, ti-1) || lx.hasRef(refOwnershipWeForms, ti-1)):
			r.mark(k, "task", taskRule, "goal or assignment of the speaker")
			return true
		case lx.teamBefore(c, ti):
			r.mark(k, "task", taskRule, "goal or assignment of the speaker's team")
			return true // "our design team had to", "our team of accountants had to"
		default:
			r.others[k] = true
		}
	}
	if lx.quotedRequest(c) {
		r.mark(k, "task", taskRule, "a request to the speaker reported directly")
		return true
	}
	if di := lx.dutyPhrase(c); di >= 0 {
		r.mark(k, "task", taskRule, "a duty of the speaker: “"+lx.n(di)+" "+lx.n(di+1)+" … was to”")
		return true
	}
	return false
}

// dutyPhrase finds "my/our job … was" with a few words between the duty
// and its verb ("my job that night was to", "my role on the project was
// coordination"), like "my job was" told without them; it returns the
// possessive's index or -1.
func (lx *lexer) dutyPhrase(c clause) int {
	gap := int(lx.rb.th(taskRule, "duty_max_gap"))
	for i := c.first; i+1 < c.last; i++ {
		if !lx.hasRef(refTaskDutyOwners, i) || !lx.hasRef(refTaskDutyNouns, i+1) {
			continue
		}
		for j := i + 2; j <= i+2+gap && j < c.last; j++ {
			if lx.ts[j-1].pauseAfter() {
				break
			}
			if lx.hasRef(refTaskDutyVerbs, j) {
				return i
			}
		}
	}
	return -1
}

// ruleAction: I + a dynamic past verb (or "decided to", "tried to" + a
// dynamic verb) in a main clause; not a restatement of the competency.
func (r *starRun) ruleAction(k int, firstContent bool) bool {
	lx, c, in := r.lx, r.cs[k], r.info[k]
	ts := lx.ts
	if !lx.rb.on(actionRule) || in.reason {
		return false
	}
	if ci := lx.findPhrase(c, prefActionCleftPhrases); ci >= 0 && ci <= c.first+2 {
		r.mark(k, "action", actionRule, "a step told as “what I did was…”")
		return true
	}
	if c.subj != "i" || c.subordinate || in.vi < 0 {
		return false
	}
	vi, verb := in.vi, in.verb
	if vi == c.last && in.si > lx.firstWord(c) && !lx.ts[in.si-1].pauseAfter() && !lx.hasRef(refStarAnchorWords, in.si-1) {
		// "on a site I ran, …", "for a client I managed, …": the verb's
		// object is the noun before I, so the clause names the place or
		// thing, not a step
		return false
	}
	ok, why := false, ""
	switch {
	case lx.hasRef(refStarDecisionVerbs, vi) && vi+2 <= c.last && ts[vi+1].norm == "to":
		ok, why = true, "a decision carried out: “"+verb+" to”"
	case lx.hasRef(refHedgesTryToForms, vi) && isPastForm(lx, vi) && vi+2 <= c.last && (ts[vi+1].norm == "to" || ts[vi+1].norm == "and"):
		ok = !lx.hasRef(refStarStativeVerbs, vi+2) && !lx.hasRef(refActionCognitiveAfterTry, vi+2)
		why = "“tried to” + a dynamic verb"
	case lx.careerVerbWithObject(c, vi, in):
		ok, why = true, "I + a dynamic past verb with an object: “"+verb+"”"
	case lx.spentOnStep(c, vi):
		ok, why = true, "time spent on a step: “"+verb+" … "+lx.n(lx.spentGerund(c, vi))+"”"
	case isPastForm(lx, vi) && !lx.hasRef(refStarStativeVerbs, vi):
		ok, why = true, "I + a dynamic past verb: “"+verb+"”"
	case lx.hasRef(refActionLightVerbs, vi) && vi+1 <= c.last && !lx.hasRef(refTextNormaliseEnglishFunctionWords, vi+1) && ts[vi+1].norm != "not":
		ok = verb == "did" || lx.hasRef(refActionLightObjects, vi+1)
		why = "I + “" + verb + "”"
	}
	if !ok {
		return false
	}
	if r.restatement(k, firstContent) {
		r.restat[k] = true
		return false
	}
	r.mark(k, "action", actionRule, why)
	return true
}

// restatement: a clause that restates the competency asked about ("I
// showed leadership", "I led the team through it") or claims a vague
// step ("I made sure everyone was aligned") instead of telling one.
func (r *starRun) restatement(k int, firstContent bool) bool {
	lx, c, in := r.lx, r.cs[k], r.info[k]
	if len(r.qstems) > 0 && firstContent && r.qstems[stem(lx.rb, in.verb)] {
		// the first step names the competency and its object too ("I
		// demonstrated teamwork on the billing project")
		for j := in.vi + 1; j <= c.last; j++ {
			if r.qstems[stem(lx.rb, lx.n(j))] {
				return true
			}
		}
	}
	from := in.vi + 1
	vague := false
	if p := lx.phraseAtRef(in.vi, c.last, prefActionVagueSteps); p > 0 {
		from, vague = in.vi+p, true
	}
	if vague && r.namesCompetency(from, c.last) {
		return true // "I showed a lot of leadership on the Harbour project"
	}
	content := 0
	for j := from; j <= c.last; j++ {
		if !lx.hasRef(refRepetitionOverusedStopwords, j) && !lx.ts[j].filler {
			content++
		}
	}
	if float64(content) > lx.rb.th(actionRule, "restatement_max_content") {
		return false
	}
	if vague {
		return true
	}

	vs := stem(lx.rb, in.verb)
	for q := range r.qstems {
		if len(vs) >= 4 && len(q) >= 4 && (strings.HasPrefix(q, vs) || strings.HasPrefix(vs, q)) {
			return true
		}
	}
	return false
}

// firstWorkToken is the first token of the first Task or Action clause
// (-1 when there is none): numbers before it belong to the situation.
func (r *starRun) firstWorkToken() int {
	for k := range r.cs {
		if r.task[k] || r.action[k] || r.restat[k] {
			return r.cs[k].first // a claimed step also starts the work
		}
	}
	return -1
}

// lateTasks: an assignment told after the speaker's last step ("I was
// asked to stay on as acting lead") is what followed from the work, a
// Result, not the Task of the episode.
func (r *starRun) lateTasks() {
	lastA := -1
	for k := range r.cs {
		if r.action[k] {
			lastA = k
		}
	}
	if lastA < 0 {
		return
	}
	for k := lastA + 1; k < len(r.cs); k++ {
		if r.task[k] && r.info[k].past {
			r.task[k] = false
			r.unmark(k, "task")
			r.result[k] = true
			r.mark(k, "result", resultRule, "an assignment that followed from the work")
		}
	}
}

func (r *starRun) resultsAndSituations(quant [][2]int) {
	quantClause := make([]bool, len(r.cs))
	for _, q := range quant {
		for k, c := range r.cs {
			if q[0] <= c.last && q[1] >= c.first {
				quantClause[k] = true
			}
		}
	}
	firstA, firstT, firstS, lastA := -1, -1, -1, -1
	r.firstW = -1
	for k := range r.cs {
		c, in := r.cs[k], r.info[k]
		if r.firstW < 0 && (r.action[k] || r.task[k] || c.subj == "we" && !c.subordinate && in.event && !in.stative) {
			r.firstW = k
		}
		if r.action[k] {
			lastA = k
		}
		if (r.action[k] || r.restat[k]) && firstA < 0 {
			firstA = k // a claim followed by an outcome is still an episode
		}
		if r.task[k] && firstT < 0 {
			firstT = k
		}
	}
	for k := range r.cs {
		if !r.info[k].inScope {
			continue
		}
		afterWork := firstA >= 0 && firstA <= k || firstT >= 0 && firstT < k || firstS >= 0 && k > firstS
		if !r.task[k] && !r.result[k] {
			r.result[k] = r.ruleResult(k, quantClause[k], afterWork, firstA)
		}
		if !r.result[k] {
			r.sit[k] = r.ruleSituation(k, firstA, lastA)
		}
		if r.sit[k] && firstS < 0 {
			firstS = k
		}
	}
}

// ruleResult: an explicit outcome of the actions. Not a reason clause, not
// an outcome stated as unknown or only hoped for, not a lesson.
func (r *starRun) ruleResult(k int, quantified, afterWork bool, firstA int) bool {
	lx, c, in := r.lx, r.cs[k], r.info[k]
	ts := lx.ts
	if !lx.rb.on(resultRule) || in.reason || lx.pending(c) || r.scheduled(k) || r.speakerNow(k) {
		return false
	}
	if quantified {
		r.mark(k, "result", resultRule, "an outcome clause with a number")
		return true
	}
	if lx.findPhrase(c, prefStarResultMarkers) >= 0 {
		r.mark(k, "result", resultRule, "a result marker")
		return true
	}
	if in.present && !afterWork {
		return false
	}
	resCue := lx.findPhrase(c, prefStarResultPhrases) >= 0
	rv := lx.clauseHas(c, refStarResultVerbs)
	weak := func(why string) bool {
		r.weakR[k] = true
		r.mark(k, "result", resultRule, why)
		return true
	}
	switch {
	case resCue && (afterWork || k > 0 && !lx.complication(c)):
		r.mark(k, "result", resultRule, "an outcome phrase")
		return true
	case c.subj == "i" && r.action[k] && lx.hasRef(refStarStrongResultVerbs, in.vi) && firstA >= 0 && firstA < k:
		return weak("something you delivered: “" + in.verb + "”")
	case c.subj != "i" && rv >= 0 && r.firstW >= 0 && r.firstW < k && in.past && (!lx.complication(c) || lx.hasRef(refResultResolvedVerbs, rv) || r.lateDelivery(k, rv)):
		return weak("an outcome verb after your action: “" + ts[rv].norm + "”")
	case (c.subj == "other" || c.subj == "we") && in.past && firstA >= 0 && firstA < k && !c.subordinate && !lx.complication(c) && !(lx.backgroundAspect(c) && r.actionAfter(k)):
		return weak("what happened after your action") // not "which had been losing accounts. I called…"
	case c.subj == "i" && !r.action[k] && rv >= 0 && afterWork && in.past && lx.hasRef(refStarStrongResultVerbs, rv):
		r.mark(k, "result", resultRule, "an outcome verb: “"+ts[rv].norm+"”")
		return true
	case in.nowWord && firstA >= 0 && firstA < k && !lx.complication(c):
		r.mark(k, "result", resultRule, "a lasting outcome told in the present")
		return true
	case firstA >= 0 && firstA < k && in.past && lx.clauseHas(c, refResultResolvedNegators) >= 0 && lx.clauseHas(c, refResultRecurrenceWords) > lx.clauseHas(c, refResultResolvedNegators):
		r.mark(k, "result", resultRule, "the problem did not come back")
		return true // "we never ran out again"
	case firstA >= 0 && firstA < k && lx.clauseHas(c, refStarProblemWords) >= 0 && lx.clauseHas(c, refResultResolvedNegators) >= 0:
		r.mark(k, "result", resultRule, "the problem no longer happened")
		return true
	}
	return false
}

// ruleSituation: what was going on: circumstances, the people involved,
// what was going wrong. An anchor attached to the speaker's own action or
// to a restatement of the competency is not enough.
func (r *starRun) ruleSituation(k, firstA, lastA int) bool {
	lx, c, in := r.lx, r.cs[k], r.info[k]
	if !lx.rb.on(situationRule) || r.task[k] {
		return false
	}
	why := ""
	switch {
	case r.action[k]:
		// A mishap told with "I" ("I deleted a production table by
		// accident") is what was going wrong.
		if lx.clauseHas(c, refStarMishapWords) >= 0 {
			why = "a mishap: what went wrong"
		}
	case c.subj == "i" && in.past && in.vi >= 0 && lx.hasRef(refStarMishapWords, in.vi) && (lastA < 0 || k < lastA):
		why = "a mishap: what went wrong" // "I missed a handover detail on a night shift"
	case c.subordinate && c.subj == "i" && in.past:
		if k > 0 && r.restat[k-1] && r.cs[k-1].sentence == c.sentence {
			return false // "I showed leadership when I led…": the anchor of a claim
		}
		why = "a scene-setting clause with I"
	case lastA >= 0 && k > lastA && !in.reason:
		return false // after the last step the story tells what came of it
	case lx.clauseHas(c, refStarProblemWords) >= 0 && !(firstA >= 0 && firstA < k && lx.clauseHas(c, refResultResolvedNegators) >= 0):
		why = "a problem: “" + lx.ts[lx.clauseHas(c, refStarProblemWords)].norm + "”"
	case (c.subj == "other" || c.subj == "we") && in.past && !(c.subordinate && !in.reason && firstA >= 0 && firstA < k):
		why = "circumstances told in the past"
	case c.subj == "i" && lx.hasRef(refStarSituationVerbs, in.vi) && !r.restat[k]:
		why = "the speaker's circumstances: “" + in.verb + "”"
	case lx.findPhrase(c, prefStarAnchorPhrases) >= 0 && c.subj != "i" && in.past:
		why = "a time or place anchor with what was going on"
	case r.others[k]:
		why = "someone else's need"
	}
	if why == "" {
		return false
	}
	r.mark(k, "situation", situationRule, why)
	return true
}

// demoteMidStory: a clause found as a result only by coming after an
// action is a step in the middle of the story when the speaker acts again
// right after it ("they found an expired certificate, so I renewed it").
func (r *starRun) demoteMidStory() {
	win := int(r.lx.rb.th(resultRule, "mid_story_window"))
	for k := range r.cs {
		if !r.result[k] || !r.weakR[k] || r.action[k] || r.lx.clauseHas(r.cs[k], refResultReactionVerbs) >= 0 {
			continue // a reaction to the speaker's work is an outcome even if the story goes on
		}
		for j, seen := k+1, 0; j < len(r.cs) && seen < win; j++ {
			if !r.info[j].inScope {
				continue
			}
			seen++
			if r.action[j] {
				r.result[k] = false
				r.unmark(k, "result")
				if (r.cs[k].subj == "other" || r.cs[k].subj == "we") && r.info[k].past {
					r.sit[k] = true
					r.mark(k, "situation", situationRule, "a step in the middle of the story, before your next action")
				}
				break
			}
		}
	}
	// an outcome of your own step that is then said to be pending is not a
	// result; a problem that stopped or a reaction to the work ("duplicate
	// charges stopped", "the client renewed") has happened, and a later
	// pending clause is about another outcome
	for k := range r.cs {
		if !r.result[k] || !r.weakR[k] || r.lx.clauseHas(r.cs[k], refResultResolvedVerbs) >= 0 || r.lx.clauseHas(r.cs[k], refResultReactionVerbs) >= 0 {
			continue
		}
		for j := k + 1; j < len(r.cs); j++ {
			if r.lx.pending(r.cs[j]) {
				r.result[k] = false
				r.unmark(k, "result")
				break
			}
		}
	}
}

func (r *starRun) unmark(k int, comp string) {
	ms := r.st.marks[:0]
	for _, m := range r.st.marks {
		if !(m.clause == k && m.comp == comp) {
			ms = append(ms, m)
		}
	}
	r.st.marks = ms
}

// finish sets the components, applies the episode gate and the order.
func (r *starRun) finish(quantified bool) {
	st := r.st
	s := &st.star
	sort.SliceStable(st.marks, func(i, j int) bool { return st.marks[i].clause < st.marks[j].clause })
	first := func(b []bool) int {
		for k, v := range b {
			if v {
				return k
			}
		}
		return -1
	}
	st.sIdx, st.tIdx, st.aIdx, st.rIdx = first(r.sit), first(r.task), first(r.action), first(r.result)
	if quantified && st.rIdx < 0 {
		for _, m := range st.marks {
			if m.comp == "result" {
				st.rIdx = m.clause
				break
			}
		}
		if st.rIdx < 0 && len(st.quantSpans) > 0 {
			for k, c := range r.cs {
				if st.quantSpans[0][0] >= c.first && st.quantSpans[0][0] <= c.last {
					st.rIdx = k
					r.mark(k, "result", resultRule, "an outcome clause with a number")
					break
				}
			}
		}
	}
	if st.aIdx >= 0 && st.sIdx < 0 && st.tIdx < 0 && st.rIdx < 0 {
		st.aIdx = -1 // an action needs a situation, task or result linked to it
		r.dropMarks("action")
	}
	if !s.Episode && r.chronologyOnly && r.measuredOutcome() {
		// a step in a career chronology followed by a measured outcome is
		// a claim with its result: an episode
		s.Episode, st.noEpisodeWhy = true, ""
	}
	if !s.Episode {
		st.sIdx, st.tIdx, st.aIdx, st.rIdx = -1, -1, -1, -1
		st.marks = st.marks[:0]
		r.dropUnboundedOutcomes()
	}
	s.Situation, s.Task, s.Action, s.Result = st.sIdx >= 0, st.tIdx >= 0, st.aIdx >= 0, st.rIdx >= 0
	for _, b := range []bool{s.Situation, s.Task, s.Action, s.Result} {
		if b {
			s.Components++
		}
	}
	present, ok, prev := 0, true, -1
	for _, x := range []int{st.sIdx, st.aIdx, st.rIdx} {
		if x < 0 {
			continue
		}
		present++
		if x < prev {
			ok = false
		}
		prev = x
	}
	if present >= 2 {
		s.OrderOK = bp(ok)
	}
}

// dropUnboundedOutcomes: in an answer that tells no episode, an outcome
// clause counts only when it could belong to one: a number in experience
// up to now ("I've cut turnaround from three weeks to one"), in a habit,
// a plan, career history, a standing responsibility or a general statement
// in the present ("teaching runs from 7:15 to 3") is not the outcome of a
// step told in the answer; a relative clause in the present ("which is
// worth $40,000") still measures the outcome it follows. The clause must
// also be told of the speaker's work: a step told before it, or the
// speaker in its sentence ("conversion went up 20% after my change");
// "I think the board talked about $5,000" is neither.
func (r *starRun) dropUnboundedOutcomes() {
	st := r.st
	var spans [][2]int
	var whys []string
	for q, sp := range st.quantSpans {
		if r.boundedOutcome(sp) {
			spans = append(spans, sp)
			whys = append(whys, st.quantWhy[q])
		}
	}
	st.quantSpans, st.quantWhy = spans, whys
}

// boundedOutcome: the outcome clause at sp could belong to an episode.
func (r *starRun) boundedOutcome(sp [2]int) bool {
	k := r.clauseOf(sp[0])
	if k < 0 {
		return false
	}
	c, in := r.cs[k], r.info[k]
	return !in.hyp && (!in.habitual || in.nowWord) && !in.career && !in.perfect && !in.role && (!in.present || in.nowWord || r.lx.hasRef(refStarRelatives, c.first)) &&
		(r.workBefore(k) || r.speakerInSentence(k)) && !r.continuesStatement(k)
}

func (r *starRun) dropMarks(comp string) {
	ms := r.st.marks[:0]
	for _, m := range r.st.marks {
		if m.comp != comp {
			ms = append(ms, m)
		}
	}
	r.st.marks = ms
}

// pending: the clause says the outcome is unknown, pending or only hoped
// for ("it's too early to say", "we don't have the numbers yet").
func (lx *lexer) pending(c clause) bool {
	if lx.findPhrase(c, prefResultPendingPhrases) >= 0 || lx.findPhrase(c, prefStarUnknownPhrases) >= 0 {
		return true
	}
	return lx.clauseHas(c, refResultYetWords) >= 0 && lx.complication(c)
}

// spentOnStep: "I spent an evening going through the forms", "spent two
// weekends writing a guide": time given to a concrete step is that step,
// not a state like "I spent five years in banking".
func (lx *lexer) spentOnStep(c clause, vi int) bool {
	return lx.spentGerund(c, vi) >= 0
}

// spentGerund returns the index of the step's -ing verb after a span verb
// and a span of time, or -1.
func (lx *lexer) spentGerund(c clause, vi int) int {
	if !lx.hasRef(refActionSpanVerbs, vi) {
		return -1
	}
	for j := vi + 1; j < c.last && j <= vi+4; j++ {
		if !lx.hasRef(refActionSpanUnits, j) {
			continue
		}
		g := j + 1
		if w := lx.n(g); len(w) > 4 && strings.HasSuffix(w, "ing") && !lx.hasRef(refActionSpanNotSteps, g) {
			return g
		}
		return -1
	}
	return -1
}

// teamBefore: the words before the task phrase at ti name the speaker's
// team ("our design team had to", "our team of accountants had to").
func (lx *lexer) teamBefore(c clause, ti int) bool {
	for j := ti - 1; j >= c.first && j >= ti-4; j-- {
		if lx.ts[j].pauseAfter() && j < ti-1 {
			return false
		}
		if lx.hasRef(refTaskDutyOwners, j) {
			return lx.hasRef(refQuantifiedTeamNouns, j+1) || j+2 < ti && lx.hasRef(refQuantifiedTeamNouns, j+2)
		}
	}
	return false
}

// careerVerbWithObject: a verb that also tells career moves, used with an
// object that is not a place or team ("I moved approvals into the finance
// system", "I started a rota"), is a concrete step; "I moved to Leeds",
// "I joined Deloitte", "I joined the billing team" stay career history.
func (lx *lexer) careerVerbWithObject(c clause, vi int, in clauseInfo) bool {
	if !lx.hasRef(refActionTransitiveCareer, vi) || in.career || !isPastForm(lx, vi) || vi+1 > c.last {
		return false
	}
	nx := vi + 1
	if lx.hasRef(refTextNormaliseObjectPronouns, nx) && !lx.hasRef(refEpisodeSpeakerWords, nx) {
		return true // "I moved it to a static site": the thing moved is not the speaker
	}
	if lx.hasRef(refEpisodeCareerNext, nx) || lx.hasRef(refStarCareerNext, nx) || lx.properName(nx) {
		return false
	}
	for j := nx; j <= c.last && j <= nx+5; j++ {
		if lx.hasRef(refQuantifiedTeamNouns, j) || lx.hasRef(refActionCareerObjects, j) || lx.properName(j) {
			return false // "joined the billing team", "started a new job"
		}
	}
	return true
}

// midStoryNumber: a clause with a number that tells what was going on or
// what the speaker found, right before the speaker acts again, is part of
// the problem, not an outcome: "p99 latency had gone from 200 ms to eight
// seconds. I rolled back the deploy", "I found that seventy percent of the
// runtime was in one step. I rewrote that step". A clause with a result
// marker stays.
func (r *starRun) midStoryNumber(sp [2]int) bool {
	k := r.clauseOf(sp[0])
	return k >= 0 && r.midStoryBackground(sp, k)
}

// clauseOf returns the clause holding token i, or -1.
func (r *starRun) clauseOf(i int) int {
	for k, c := range r.cs {
		if i >= c.first && i <= c.last {
			return k
		}
	}
	return -1
}

// midStoryBackground: the outcome-clause candidate sp, in clause k, tells
// what the speaker found ("…and found that 40% were resets") or background
// (a past perfect, a past progressive, a problem), and the speaker's next
// action follows within the mid-story window.
func (r *starRun) midStoryBackground(sp [2]int, k int) bool {
	lx, c := r.lx, r.cs[k]
	if lx.findPhrase(c, prefStarResultMarkers) >= 0 || !r.actsAgainSoon(k) {
		return false
	}
	if lx.findingAt(sp) {
		return true
	}
	return !r.action[k] && (lx.backgroundAspect(c) || lx.complication(c))
}

// findingAt: the span opens with a finding of the speaker: "I found that…",
// "and noticed that…".
func (lx *lexer) findingAt(sp [2]int) bool {
	j := lx.firstWordAt(sp[0])
	if j <= sp[1] && lx.hasRef(refOwnershipIForms, j) {
		j++
	}
	for j <= sp[1] && lx.hasRef(refStarAdverbs, j) {
		j++
	}
	return j <= sp[1] && lx.hasRef(refResultFindingVerbs, j)
}

// actsAgainSoon: an Action of the speaker comes within the mid-story
// window of clauses after clause k.
func (r *starRun) actsAgainSoon(k int) bool {
	win := int(r.lx.rb.th(resultRule, "mid_story_window"))
	for j, seen := k+1, 0; j < len(r.cs) && seen < win; j++ {
		if !r.info[j].inScope {
			continue
		}
		seen++
		if r.action[j] {
			return true
		}
	}
	return false
}

// backgroundAspect: a past perfect ("latency had gone up"), a past
// progressive ("people were leaving", "conversion was sitting at 1.8%") or
// a bad state after was/were ("half the class was lost") describes the
// state of things, not a completed outcome.
func (lx *lexer) backgroundAspect(c clause) bool {
	for i := c.first; i < c.last; i++ {
		j := i + 1
		for j < c.last && (lx.hasRef(refStarAdverbs, j) || lx.ts[j].filler || strings.HasSuffix(lx.n(j), "ly") && !isPastForm(lx, j)) {
			j++ // "was completely lost", "had already gone"
		}
		if (lx.hasRef(refResultBackgroundAux, i) || isDForm(lx.n(i))) && (isPastForm(lx, j) || lx.hasRef(refEpisodeParticiples, j)) {
			return true
		}
		if lx.hasRef(refResultPastBe, i) && (len(lx.n(j)) > 4 && strings.HasSuffix(lx.n(j), "ing") || lx.hasRef(refResultBadAfterBe, j)) {
			return true // "were leaving", "half the class was completely lost"
		}
	}
	return false
}

// workBefore: a Task or Action clause, a claimed step or a step told with
// we comes at or before clause k.
func (r *starRun) workBefore(k int) bool {
	for j := 0; j <= k && j < len(r.cs); j++ {
		if r.task[j] || r.action[j] || r.restat[j] || r.cs[j].subj == "we" && r.info[j].event && !r.info[j].stative {
			return true
		}
	}
	return false
}

// speakerIn: the clause names the speaker or the speaker's team, not as
// the I of a hedge.
func (r *starRun) speakerIn(c clause) bool {
	for i := c.first; i <= c.last; i++ {
		if r.lx.hasRef(refEpisodeSpeakerWords, i) && r.lx.ts[i].used != 2 {
			return true
		}
	}
	return false
}

// speakerInSentence: some clause of clause k's sentence names the speaker.
func (r *starRun) speakerInSentence(k int) bool {
	for _, c := range r.cs {
		if c.sentence == r.cs[k].sentence && r.speakerIn(c) {
			return true
		}
	}
	return false
}

// continuesStatement: clause k has no verb of its own and continues a
// present-tense, habitual or career clause of its sentence ("I manage a
// team of six and our inbound freight, about $30 million a year"): it
// shares that clause's scope.
func (r *starRun) continuesStatement(k int) bool {
	in := r.info[k]
	if k == 0 || in.vi >= 0 || in.past || r.cs[k-1].sentence != r.cs[k].sentence {
		return false
	}
	p := r.info[k-1]
	return p.present || p.habitual || p.career || p.perfect
}

// actionAfter: the speaker takes a step after clause k.
func (r *starRun) actionAfter(k int) bool {
	for j := k + 1; j < len(r.cs); j++ {
		if r.action[j] {
			return true
		}
	}
	return false
}

// scheduled: a clause not told in the past with a future anchor ("the
// first issue goes out next Tuesday") is a plan, not an outcome.
func (r *starRun) scheduled(k int) bool {
	return !r.info[k].past && r.lx.findPhrase(r.cs[k], prefResultFutureAnchor) >= 0
}

// speakerNow: "I'm really strict about that now", "I'm more careful
// now": how the speaker is since the episode is a lesson, reported as
// reflection, not an outcome of the actions; "I'm now the go-to person
// for the tool" is something the work changed.
func (r *starRun) speakerNow(k int) bool {
	in := r.info[k]
	return r.cs[k].subj == "i" && in.present && in.nowWord && (in.si >= 0 && r.lx.hasRef(refEpisodePresentForms, in.si) || in.vi >= 0 && r.lx.hasRef(refFillersLikeBeForms, in.vi)) &&
		r.lx.clauseHas(r.cs[k], refResultLessonStates) >= 0
}

// namesCompetency: the object of a vague step names a competency ("a lot
// of leadership", "real initiative") or the competency the question asks
// about, before any preposition that adds where or when.
func (r *starRun) namesCompetency(from, last int) bool {
	lx := r.lx
	for j := from; j <= last && j <= from+4; j++ {
		if lx.hasRef(refActionCompetencyNouns, j) || len(r.qstems) > 0 && r.qstems[stem(lx.rb, lx.n(j))] && !lx.hasRef(refRepetitionOverusedStopwords, j) {
			return true
		}
	}
	return false
}

// loneClaim: when the answer opens with its only Action and its verb
// is the competency the question names as a noun ("Tell me about a time
// you showed leadership." "I led the migration of our rota to PagerDuty
// last year. It went smoothly…"), it is a one-line claim restating the
// competency: no Action, though the outcome after it is still a Result.
// A question that names a step by its verb ("a time you automated
// something") is answered by that step: "I automated the matching of
// invoices" stays an Action.
func (r *starRun) loneClaim() {
	only := -1
	for k := range r.cs {
		if r.action[k] {
			if only >= 0 {
				return
			}
			only = k
		}
	}
	if only < 0 || len(r.qcomp) == 0 {
		return
	}
	for k := 0; k < only; k++ {
		if r.task[k] || r.restat[k] || r.tellsSomething(k) {
			return // the claim opens the answer: nothing is told before it
		}
	}
	vs := stem(r.lx.rb, r.info[only].verb)
	for q := range r.qcomp {
		if len(vs) >= 3 && strings.HasPrefix(q, vs) {
			r.action[only] = false
			r.restat[only] = true
			r.unmark(only, "action")
			return
		}
	}
}

// tellsSomething: clause k has a word that is not a filler or a response
// token ("Um,", "Sure." tell nothing).
func (r *starRun) tellsSomething(k int) bool {
	c := r.cs[k]
	for j := c.first; j <= c.last; j++ {
		if !r.lx.ts[j].filler && !r.lx.hasRef(refTextNormaliseResponseTokens, j) {
			return true
		}
	}
	return false
}

// lateDelivery: after the speaker's last step, the work was delivered even
// if late ("we handed over only four days late"): a delivery verb is the
// outcome, good or bad.
func (r *starRun) lateDelivery(k, rv int) bool {
	return r.lx.hasRef(refStarDeliveryVerbs, rv) && !r.actionAfter(k)
}

// measuredOutcome: some outcome clause with a number could belong to an
// episode.
func (r *starRun) measuredOutcome() bool {
	for _, sp := range r.st.quantSpans {
		if r.boundedOutcome(sp) {
			return true
		}
	}
	return false
}
