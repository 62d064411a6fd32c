package feedback

import (
	"fmt"
	"strings"
)

// STAR is scored on one specific, bounded past event told in the answer.
// Each clause is first described by its tense, aspect and mood; clauses
// that tell habits, plans, hypotheticals, career history or standing
// responsibilities cannot belong to the episode, and an answer whose
// remaining clauses tell fewer than the rulebook's number of past events
// has no episode at all.

const (
	episodeRule   = "star.episode"
	situationRule = "star.situation"
	taskRule      = "star.task"
	actionRule    = "star.action"
	resultRule    = "star.result"
)

// noEpisodeText is the evidence shown when an answer tells no episode.
const noEpisodeText = "no specific past event found, so STAR was not scored"

// clauseInfo is what the STAR rules read from one clause.
type clauseInfo struct {
	si, vi   int // subject and verb token, -1 when absent
	verb     string
	past     bool // a past-tense verb form
	hyp      bool // hypothetical, future or conditional
	habitual bool // a habit: usually, always, every morning
	career   bool // career history: joined X as, studied at
	perfect  bool // present perfect: experience, not one event
	role     bool // a standing responsibility: I was responsible for, part of the job
	present  bool // a present-tense verb and no past form
	reason   bool // a reason clause: because, since
	stative  bool // the main verb is a state or a thought
	event    bool // a bounded past event: a dynamic verb in the past
	inScope  bool // the clause can belong to the episode
	nowWord  bool // a present-tense clause that reports a lasting outcome (now, still)
}

// describeClauses computes the clause features.
func (lx *lexer) describeClauses(cs []clause) []clauseInfo {
	out := make([]clauseInfo, len(cs))
	// verbs such as let, set, cost read as past only when the answer tells
	// something unambiguously in the past
	docPast := lx.tellsPast()
	for k := range cs {
		in := lx.describe(cs[k], docPast)
		if cs[k].inherit && k > 0 {
			// a coordinated verb phrase shares the mood of the clause it continues
			p := &out[k-1]
			in.hyp = in.hyp || p.hyp
			in.habitual = in.habitual || p.habitual
			in.role = in.role || p.role
			in.perfect = in.perfect || p.perfect // "I've introduced X, cut Y and mentored Z"
			in.reason = p.reason
		}
		out[k] = in
	}
	lx.shareMood(cs, out)
	for k := range cs {
		in := out[k]
		in.inScope = !(in.hyp || in.career || in.perfect && !in.nowWord || in.habitual && (cs[k].subj == "i" || !in.past) || in.present && !in.nowWord)
		in.event = in.inScope && in.past && !in.role && !in.reason && !in.habitual && !lx.hasRef(refEpisodeListenerWords, lx.firstWord(cs[k])) && (lx.findPhrase(cs[k], prefActionCleftPhrases) >= 0 || !in.stative || lx.hasRef(refStarCareerVerbs, in.vi) && !cs[k].subordinate || lx.hasRef(refStarMishapWords, in.vi))
		out[k] = in
	}
	return out
}

func (lx *lexer) describe(c clause, docPast bool) clauseInfo {
	ts := lx.ts
	rb := lx.rb
	in := clauseInfo{si: lx.subjIndex(c), vi: -1}
	if in.si >= 0 && ts[in.si].used == 2 {
		in.si = -1 // the I of a hedge ("I'd say my biggest mistake was…")
	}
	if in.si < 0 {
		in.si = lx.laterSubject(c) // "Day to day I advise…"
	}
	if in.si >= 0 {
		from := in.si + 1
		if lx.hasRef(refTaskDutyOwners, in.si) && lx.hasRef(refQuantifiedTeamNouns, in.si+1) {
			from++ // "our restaurant had to…"
			if lx.n(from) == "of" && from+1 < c.last {
				from += 2 // "our team of accountants had to…"
			}
		}
		for from <= c.last && lx.hasRef(refEpisodeSubjectQuantifiers, from) {
			from++ // "we all presented", "they both agreed"
		}
		in.vi = lx.verbAfter(c, from)
		for in.vi >= 0 && in.vi < c.last && (lx.hasRef(refStarAnchorWords, in.vi) || strings.HasSuffix(lx.n(in.vi), "ly") && !isPastForm(lx, in.vi)) {
			in.vi++ // "I once recommended", "I honestly don't know"
		}
	}
	if in.vi >= 0 {
		in.verb = ts[in.vi].norm
	}
	in.past = lx.pastClause(c, in.vi, docPast) && !(in.si >= 0 && lx.hasRef(refEpisodePresentForms, in.si))
	in.hyp = lx.hypothetical(c, in.si)
	in.habitual = lx.habitual(c) && !lx.habitOfComplement(c, in)
	in.career = lx.careerClause(c, in) || lx.careerSpan(c, in)
	in.perfect = lx.presentPerfect(c, in)
	in.role = lx.findPhrase(c, prefEpisodeRoleFrames) >= 0
	in.reason = lx.hasRef(refResultReasonWords, c.first) || c.first+1 <= c.last && lx.ts[c.first].filler && lx.hasRef(refResultReasonWords, c.first+1)
	if !in.past && in.vi >= 0 && lx.presentVerb(in.vi) {
		in.present = true
	}
	if !in.past && in.vi < 0 {
		for i := c.first; i <= c.last; i++ {
			if lx.hasRef(refEpisodePresentForms, i) {
				in.present = true
				break
			}
		}
	}
	in.nowWord = (in.present || in.perfect || !in.past) && (lx.clauseHas(c, refResultLastingWords) >= 0 || lx.findPhrase(c, prefStarResultMarkers) >= 0 || lx.findPhrase(c, prefStarResultPhrases) >= 0) ||
		in.perfect && c.subj == "other" && lx.clauseHas(c, refResultResolvedVerbs) >= 0 // "they've stopped asking for the PDF"
	in.stative = lx.stativeClause(c, in)
	_ = rb
	return in
}

// hypothetical: a modal or future right after the subject ("I would",
// "we'll", "it could"), a conditional ("if we had"), or a counterfactual
// ("would have").
func (lx *lexer) hypothetical(c clause, si int) bool {
	ts := lx.ts
	from, to := c.first, c.first+5
	if si >= 0 {
		from, to = si, si+2
	}
	if to > c.last {
		to = c.last
	}
	for i := from; i <= to; i++ {
		if !lx.hasRef(refStarHypothetical, i) || ts[i].used == 2 {
			continue // "I'd say" is a hedge, not a hypothetical
		}
		w := ts[i].norm
		if lx.hasRef(refEpisodeRequestModals, i) && lx.n(i+1) == "you" {
			continue // a request reported directly: "could you take this on"
		}
		if isDForm(w) && i+1 <= c.last && (isPastForm(lx, i+1) && !lx.hasRef(refEpisodeBaseForms, i+1) && !lx.hasRef(refEpisodeAmbiguousPast, i+1) || lx.hasRef(refEpisodeParticiples, i+1) && !lx.hasRef(refEpisodeAmbiguousPast, i+1) && !lx.hasRef(refEpisodeBaseForms, i+1)) {
			continue // "I'd already written", "I'd been there a month": past perfect; "I'd put a cache in front" is would
		}
		return true
	}
	for i := c.first; i <= c.last; i++ {
		if lx.hasRef(refEpisodeConditionals, i) && i <= c.first+3 && (si < 0 || i < si) {
			return true // "for example, if sign-ups dropped", "whether anything changed"
		}
		if (lx.hasRef(refEpisodeCounterfactualModals, i) || isDForm(ts[i].norm)) && lx.n(i+1) == "have" {
			return true
		}
	}
	return false
}

// habitual: a habit word, or "every" before a time noun without a number;
// "every" after a preposition is a setting of one step ("two days before
// each release"), and a repetition closed by a span is bounded
// ("every Monday", not "every five seconds").
func (lx *lexer) habitual(c clause) bool {
	if lx.clauseHas(c, refStarHabitual) >= 0 || lx.findPhrase(c, prefEpisodeHabitPhrases) >= 0 {
		return true
	}
	for i := c.first; i < c.last; i++ {
		if lx.hasRef(refEpisodeEveryWords, i) && lx.hasRef(refEpisodeHabitNouns, i+1) {
			if i > c.first && lx.hasRef(refEpisodeSettingPreps, i-1) || lx.boundedSpan(c) {
				continue // "a freeze two days before each release", "every Monday for six weeks"
			}
			return true
		}
	}
	return false
}

// boundedSpan: the clause closes its repetition with a span ("for six
// weeks", "over a month"), so it tells one bounded stretch of the story.
func (lx *lexer) boundedSpan(c clause) bool {
	for i := c.first; i+2 <= c.last; i++ {
		if lx.hasRef(refEpisodeBoundedSpanPrev, i) && (hasDigit(lx.n(i+1)) || lx.hasRef(refQuantifiedNumberWords, i+1) || lx.n(i+1) == "a") && lx.hasRef(refQuantifiedTimeUnits, i+2) {
			return true
		}
	}
	return false
}

// careerClause: a career-history phrase, or I + a career verb + at/for/as
// ("I joined Deloitte as an analyst", "I moved to Monzo").
func (lx *lexer) careerClause(c clause, in clauseInfo) bool {
	if lx.findPhrase(c, prefStarCareerPhrases) >= 0 {
		return true
	}
	if c.subordinate {
		return false
	}
	vi := in.vi
	if c.inherit {
		vi = lx.verbAfter(c, c.first+1)
	}
	if vi < 0 || !(c.subj == "i" || c.inherit) || !lx.hasRef(refStarCareerVerbs, vi) {
		return false
	}
	if lx.hasRef(refEpisodeCareerNext, vi+1) {
		return true // "I moved to Monzo", "I worked at a bank"
	}
	for j := vi + 1; j <= c.last && j <= vi+4; j++ {
		if lx.hasRef(refActionCareerObjects, j) {
			return true // "I started a new job in logistics", "joined the Leeds office"
		}
	}
	for j := vi + 1; j+1 <= c.last && j <= vi+8; j++ {
		if lx.hasRef(refEpisodeRoleLinks, j) && lx.hasRef(refEpisodeRoleArticles, j+1) {
			return true // "moved in-house to a logistics group as a financial controller"
		}
	}
	// "I studied economics at Leeds", "joined Deloitte as an analyst", "I
	// studied supply chain management at Michigan State": a career
	// preposition and a proper name close after the verb
	prep, name := false, false
	for j := vi + 1; j <= c.last && j <= vi+6; j++ {
		prep = prep || lx.hasRef(refEpisodeCareerNext, j)
		name = name || lx.properName(j)
	}
	return prep && name
}

// presentPerfect: "I've built", "we have shipped", "the product has
// stopped": experience or a state up to now, not one bounded event.
func (lx *lexer) presentPerfect(c clause, in clauseInfo) bool {
	for i := c.first; i <= c.last; i++ {
		if !lx.hasRef(refEpisodePerfectAux, i) {
			continue
		}
		j := i + 1
		for j <= c.last && (lx.hasRef(refStarAdverbs, j) || lx.ts[j].filler || lx.hasRef(refStarNegations, j)) {
			j++
		}
		if j <= c.last && (isPastForm(lx, j) || lx.hasRef(refEpisodeParticiples, j)) {
			return true
		}
	}
	return false
}

// presentVerb: the finite verb is in the present tense.
func (lx *lexer) presentVerb(vi int) bool {
	if lx.hasRef(refEpisodePresentForms, vi) {
		return true
	}
	w := lx.n(vi)
	if isPastForm(lx, vi) || lx.hasRef(refStarHypothetical, vi) || lx.hasRef(refTextNormaliseEnglishFunctionWords, vi) {
		return false
	}
	// "I own", "she keeps": a bare or -s verb right after the subject
	return len(w) > 2 && !hasDigit(w) && !lx.hasRef(refStarAdverbs, vi)
}

// stativeClause: the main verb is a state, a thought or a perception
// ("I was", "I felt", "they knew"); a passive of a dynamic verb ("was
// postponed") is an event.
func (lx *lexer) stativeClause(c clause, in clauseInfo) bool {
	vi := in.vi
	if c.inherit {
		vi = lx.verbAfter(c, c.first+1)
	}
	if vi < 0 {
		// no subject found: the first past form decides
		for i := c.first; i <= c.last; i++ {
			if isPastForm(lx, i) {
				vi = i
				break
			}
		}
		if vi < 0 {
			return true
		}
	}
	if !lx.hasRef(refStarStativeVerbs, vi) || lx.spentOnStep(c, vi) {
		return false
	}
	// passive or progressive of a dynamic verb: "was postponed", "were rejected"
	if lx.hasRef(refFillersLikeBeForms, vi) && vi+1 <= c.last {
		j := vi + 1
		for j <= c.last && lx.hasRef(refStarAdverbs, j) {
			j++
		}
		if j <= c.last && isPastForm(lx, j) && !lx.hasRef(refStarStativeVerbs, j) {
			return false
		}
	}
	return true
}

// detectEpisode decides whether the answer tells a specific past event:
// at least min_events bounded past events, among at least
// min_past_clauses past clauses that can belong to an episode or followed
// by a lasting outcome told in the present ("which is now used by…").
func (r *starRun) detectEpisode() {
	rb := r.lx.rb
	if !rb.on(episodeRule) {
		r.st.star.Episode = true
		return
	}
	events, past, lasting := 0, 0, false
	for _, in := range r.info {
		if in.inScope && in.nowWord && events > 0 {
			lasting = true // "which is now used by six teams": the event's lasting outcome
		}
		if !in.inScope || !in.past || in.role {
			continue
		}
		past++
		if in.event {
			events++
		}
	}
	minEvents := int(rb.th(episodeRule, "min_events"))
	minPast := int(rb.th(episodeRule, "min_past_clauses"))
	told := events >= minEvents && (past >= minPast || lasting) && r.speakerInStory() && !r.listOfInstances()
	r.chronologyOnly = told && r.careerChronology(events)
	r.st.star.Episode = told && !r.chronologyOnly
	if !r.st.star.Episode {
		r.st.noEpisodeWhy = r.episodeWhy(events)
	}
}

// episodeWhy lists the kinds of clause the answer told instead of past
// events, for the evidence shown to the user.
func (r *starRun) episodeWhy(events int) string {
	kinds := []struct {
		name string
		n    int
	}{{"hypothetical or future", 0}, {"habitual", 0}, {"career history", 0}, {"experience up to now", 0}, {"responsibilities", 0}, {"present-tense statements", 0}}
	for _, in := range r.info {
		switch {
		case in.hyp:
			kinds[0].n++
		case in.habitual:
			kinds[1].n++
		case in.career:
			kinds[2].n++
		case in.perfect:
			kinds[3].n++
		case in.role:
			kinds[4].n++
		case in.present:
			kinds[5].n++
		}
	}
	var parts []string
	for _, k := range kinds {
		if k.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k.name, k.n))
		}
	}
	why := fmt.Sprintf("%d past event clause(s), need %g", events, r.lx.rb.th(episodeRule, "min_events"))
	if len(parts) > 0 {
		why += "; clauses that cannot be an episode: " + strings.Join(parts, ", ")
	}
	return why
}

// pastClause: the clause's finite verb is in the past tense. With an I/we
// subject the verb after it decides; otherwise the first verb form does
// ("nobody is surprised" is present although "surprised" ends in -ed).
func (lx *lexer) pastClause(c clause, vi int, docPast bool) bool {
	if vi >= 0 {
		for vi < c.last && strings.HasSuffix(lx.n(vi), "ly") && !isPastForm(lx, vi) {
			vi++ // "I successfully migrated"
		}
		// with a subject, the verb after it decides: "we think we did" is present
		return lx.pastVerbAt(vi, docPast)
	}
	for i := c.first; i <= c.last; i++ {
		if lx.hasRef(refEpisodePresentForms, i) {
			return false
		}
		if lx.pastVerbAt(i, docPast) {
			// a clause that opens with a bare verb like "let" or "put" is
			// an imperative ("let me start with requirements")
			return !(i == lx.firstWord(c) && lx.hasRef(refEpisodeAmbiguousPast, i))
		}
	}
	return false
}

// tellsPast: the answer tells something unambiguously in the past: a past
// form right after a subject pronoun ("we shipped", "she said"), or
// was/were/had ("the backlog was cleared"). A past participle elsewhere
// ("a 301 gets cached", "nobody feels steamrolled") does not make the
// answer a story in the past.
func (lx *lexer) tellsPast() bool {
	for i := 1; i < len(lx.ts); i++ {
		if !lx.pastVerbAt(i, false) {
			continue
		}
		j := i - 1
		for j > 0 && (lx.hasRef(refStarAdverbs, j) || lx.ts[j].filler) {
			j--
		}
		if lx.hasRef(refTextNormaliseSubjectPronouns, j) || lx.hasRef(refOwnershipIForms, j) || lx.hasRef(refResultPastBe, i) || lx.hasRef(refResultBackgroundAux, i) {
			return true // "we shipped", "the backlog was cleared"
		}
	}
	return false
}

// pastVerbAt: token i is a past-tense verb: a past form that is not a
// noun or adjective after a determiner ("the cost", "the updated page"),
// and, for forms that are the same in the present (let, set, cost), only
// when the answer tells something else in the past (docPast).
func (lx *lexer) pastVerbAt(i int, docPast bool) bool {
	if !isPastForm(lx, i) || lx.hasRef(refEpisodeDeterminers, i-1) {
		return false
	}
	return docPast || !lx.hasRef(refEpisodeAmbiguousPast, i)
}

// shareMood: a subordinate clause belongs to the mood of the main clause of
// its sentence ("Once I knew the cause, I'd propose one change").
func (lx *lexer) shareMood(cs []clause, info []clauseInfo) {
	for k := range cs {
		if !cs[k].subordinate {
			continue
		}
		main := -1
		for j := k - 1; j >= 0 && cs[j].sentence == cs[k].sentence; j-- {
			if !cs[j].subordinate {
				main = j
				break
			}
		}
		for j := k + 1; main < 0 && j < len(cs) && cs[j].sentence == cs[k].sentence; j++ {
			if !cs[j].subordinate {
				main = j
			}
		}
		if main < 0 {
			continue
		}
		m := info[main]
		info[k].hyp = info[k].hyp || m.hyp
		info[k].habitual = info[k].habitual || m.habitual && !m.past
		info[k].career = info[k].career || m.career
	}
}

// laterSubject finds an I/we subject after a short opening phrase that
// has no verb ("Day to day I advise…", "Right now we…"), or -1.
func (lx *lexer) laterSubject(c clause) int {
	for j := c.first; j <= c.last && j <= c.first+5; j++ {
		if (lx.hasRef(refOwnershipIForms, j) || lx.hasRef(refOwnershipWeForms, j)) && lx.ts[j].used != 2 {
			return j // not the I of a hedge ("I'd say", "I think")
		}
		if isPastForm(lx, j) || lx.hasRef(refEpisodePresentForms, j) || lx.ts[j].pauseAfter() && j > c.first+2 {
			return -1
		}
	}
	return -1
}

// careerSpan: a role held for a span of time ("I was a recruiter for five
// years", "I worked there for two years", "I spent five years in
// banking") is career history.
func (lx *lexer) careerSpan(c clause, in clauseInfo) bool {
	if in.si < 0 || !lx.hasRef(refOwnershipIForms, in.si) || in.vi < 0 || !lx.hasRef(refStarCareerVerbs, in.vi) && !(lx.hasRef(refFillersLikeBeForms, in.vi) && lx.hasRef(refEpisodeRoleArticles, in.vi+1)) {
		return false
	}
	// "I spent five years in retail banking": the span right after the verb,
	// then a career preposition
	if lx.hasRef(refStarCareerVerbs, in.vi) && (hasDigit(lx.n(in.vi+1)) || lx.hasRef(refQuantifiedNumberWords, in.vi+1)) &&
		lx.hasRef(refEpisodeCareerUnits, in.vi+2) && lx.hasRef(refEpisodeCareerNext, in.vi+3) {
		return true
	}
	for j := in.vi + 1; j+2 <= c.last; j++ {
		if lx.n(j) == "for" && (hasDigit(lx.n(j+1)) || lx.hasRef(refQuantifiedNumberWords, j+1) || lx.n(j+1) == "a") && lx.hasRef(refEpisodeCareerUnits, j+2) {
			return true
		}
	}
	return false
}

// speakerInStory: the episode is the speaker's own: some past clause that
// can belong to it has I or we, or my/our, in it. Past facts about the
// world ("GraphQL was released in 2015") are not an episode.
func (r *starRun) speakerInStory() bool {
	for k, in := range r.info {
		if !in.inScope || !in.past {
			continue
		}
		c := r.cs[k]
		if c.subj == "i" || c.subj == "we" {
			return true
		}
		if r.speakerIn(c) {
			return true // not the I of a hedge: "I think the board talked about…"
		}
	}
	return false
}

// listOfInstances: the answer opens a plural frame ("I've led several
// projects", "a lot of stakeholders") or sums up a stretch of its career
// ("over my four years at Brightline") and never picks one instance out with
// a time anchor or an instance marker ("one was", "for example", "last
// year"): its past clauses are a list of accomplishments, not an episode.
func (r *starRun) listOfInstances() bool {
	lx := r.lx
	frame, spanK := false, -1
	for k, c := range r.cs {
		if (r.info[k].perfect || r.info[k].present) && lx.findPhrase(c, prefEpisodePluralFrames) >= 0 {
			frame = true
			break
		}
		if lx.spanFrame(c) {
			frame, spanK = true, k
			break
		}
	}
	if !frame {
		return false
	}
	for k, c := range r.cs {
		if k == spanK {
			continue // "during my four years" is the frame, not an anchor of one event
		}
		if lx.findPhrase(c, prefStarAnchorPhrases) >= 0 || lx.findPhrase(c, prefEpisodeInstanceMarkers) >= 0 || lx.clauseHas(c, refStarAnchorWords) >= 0 {
			return false
		}
	}
	return true
}

// spanFrame: the clause sums up a stretch of the speaker's career ("over
// my four years at Brightline", "during my time there"): what follows is
// a list of what happened in it, not one event.
func (lx *lexer) spanFrame(c clause) bool {
	i := lx.findPhrase(c, prefEpisodeSpanOpeners)
	if i < 0 {
		return false
	}
	for j := i + 2; j <= c.last && j <= i+4; j++ {
		if lx.hasRef(refEpisodeSpanNouns, j) {
			return true
		}
	}
	return false
}

// firstWord is the first token of a clause after fillers and conjunctions.
func (lx *lexer) firstWord(c clause) int {
	j := c.first
	for j < c.last && (lx.ts[j].filler || lx.hasRef(refStarClauseConjunctions, j) || lx.hasRef(refStarSubordinators, j)) {
		j++
	}
	return j
}

// habitOfComplement: "I noticed our queue was always the longest": the
// habit belongs to what the speaker noticed (a state of others, the
// situation), not to the speaker. True when I + a perception verb is
// followed by a clause whose be-verb comes before every habit word.
func (lx *lexer) habitOfComplement(c clause, in clauseInfo) bool {
	if c.subj != "i" || in.vi < 0 || !lx.hasRef(refStarSituationVerbs, in.vi) || !in.past {
		return false
	}
	be := -1
	for j := in.vi + 2; j <= c.last; j++ {
		if lx.hasRef(refFillersLikeBeForms, j) {
			be = j
			break
		}
	}
	if be < 0 {
		return false
	}
	for j := c.first; j <= be; j++ {
		if lx.hasRef(refStarHabitual, j) || lx.hasRef(refEpisodeEveryWords, j) {
			return false
		}
	}
	return true
}

// careerChronology: the answer is mostly career history (at least
// chronology_min_career career clauses, at most chronology_max_events
// events) and no clause outside it picks one instance out ("one time",
// "for example"): the single past step is part of the career summary ("I
// built a lot of the reporting the sales team still uses", "we moved to a
// new ERP last year"), not an episode.
func (r *starRun) careerChronology(events int) bool {
	rb, lx := r.lx.rb, r.lx
	careers := 0
	for _, in := range r.info {
		if in.career {
			careers++
		}
	}
	if float64(careers) < rb.th(episodeRule, "chronology_min_career") || float64(events) > rb.th(episodeRule, "chronology_max_events") {
		return false
	}
	for k, c := range r.cs {
		if !r.info[k].career && lx.findPhrase(c, prefEpisodeInstanceMarkers) >= 0 {
			return false
		}
	}
	return true
}

// properName: token j is capitalised and names an organisation or place,
// not I, a month or a day ("to Sunday night" is not a career move).
func (lx *lexer) properName(j int) bool {
	return lx.ts[j].caps && !lx.hasRef(refOwnershipIForms, j) && !lx.hasRef(refQuantifiedMonths, j) && !lx.hasRef(refEpisodeHabitNouns, j)
}
