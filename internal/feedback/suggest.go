package feedback

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// candidate is a suggestion before the top three are chosen.
type candidate struct {
	group int // priority order: star, quantification, ownership, length, fillers, hedges, pace, pauses, other
	s     Suggestion
}

const (
	gStar = iota
	gQuant
	gOwnership
	gLength
	gNegative
	gFillers
	gHedges
	gPace
	gPauses
	gLatency
	gOther
)

func (a *analysis) quote(refs []int, max int) string {
	var parts []string
	seen := map[string]bool{}
	for _, r := range refs {
		if r < 0 || r >= len(a.res.Evidence) {
			continue
		}
		t := a.res.Evidence[r].Text
		if t == "" || strings.Contains(t, "…") || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		parts = append(parts, "“"+t+"”")
		if len(parts) == max {
			break
		}
	}
	return strings.Join(parts, ", ")
}

func firstN(refs []int, n int) []int {
	if len(refs) > n {
		refs = refs[:n]
	}
	out := make([]int, len(refs))
	copy(out, refs)
	return out
}

func (a *analysis) starApplies() bool {
	t := a.in.Type
	return t == rehearse.Behavioral || (t == rehearse.Situational && a.st.star.Episode)
}

func (a *analysis) ownershipFlag() (bool, string) {
	m := &a.res.Metrics
	minWe, share := a.rb.th("ownership", "min_we"), a.rb.th("ownership", "we_share")
	if float64(m.WeCount) >= minWe && m.WeShare >= share {
		return true, fmt.Sprintf("we_count ≥ %g and we_share ≥ %.2f", minWe, share)
	}
	if a.st.star.Episode && !a.st.star.Action && a.st.weAction {
		return true, "STAR action = false while an action is told with “we”"
	}
	return false, ""
}

// suggestRules are the suggestion rules in the priority order of the
// feedback guidance; each adds candidates or mentions, and suggest keeps
// the top three by group.
var suggestRules = []func(a *analysis){
	(*analysis).suggestStar,
	(*analysis).suggestQuantified,
	(*analysis).suggestOwnership,
	(*analysis).suggestMinimiser,
	(*analysis).suggestLength,
	(*analysis).suggestNegative,
	(*analysis).suggestFillers,
	(*analysis).suggestFillerKeys,
	(*analysis).suggestHedges,
	(*analysis).suggestPace,
	(*analysis).suggestPauses,
	(*analysis).suggestLatency,
	(*analysis).suggestOverused,
	(*analysis).mentionPhrases,
}

func (a *analysis) suggest() {
	if a.res.Metrics.WordCount == 0 {
		return
	}
	for _, rule := range suggestRules {
		rule(a)
	}
	cands := a.cands
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].group < cands[j].group })
	for i, c := range cands {
		if i == 3 {
			break
		}
		c.s.Priority = i + 1
		a.res.Suggestions = append(a.res.Suggestions, c.s)
	}
}

// add records a suggestion candidate.
func (a *analysis) add(g int, id, rule, threshold, text string, refs []int) {
	if refs == nil {
		refs = []int{}
	}
	a.cands = append(a.cands, candidate{g, Suggestion{ID: id, Text: text, EvidenceRefs: refs, Rule: rule, Threshold: threshold}})
}

// mention records an observation below a suggestion threshold.
func (a *analysis) mention(id, rule, threshold, text string) {
	a.res.Mentions = append(a.res.Mentions, Mention{ID: id, Text: text, Rule: rule, Threshold: threshold})
}

// suggestStar: no episode, or the first missing component in the order
// Result, Action, Task, Situation.
func (a *analysis) suggestStar() {
	st := a.st.star
	if !a.rb.on(starRule) {
		return
	}
	switch {
	case a.in.Type == rehearse.Situational && !st.Episode:
		a.add(gStar, "star.example.missing", starRule, "situational answer without a specific past example",
			"If you have one, back your approach with a real example: “At my last job, when…”, what you did and how it turned out.", nil)
	case a.in.Type == rehearse.Behavioral && !st.Episode:
		var ref []int
		if i, ok := a.starEv["episode"]; ok {
			ref = []int{i}
		}
		a.add(gStar, "star.episode.missing", episodeRule, "behavioural answer without a specific past episode",
			"Consider telling one specific time it happened: what was going on, what you did, and what changed. The answer reads as general statements (habits, hypotheticals or history), not one episode, so STAR was not scored.", ref)
	case a.starApplies():
		a.suggestMissingComponent()
	}
}

func (a *analysis) suggestMissingComponent() {
	st := a.st.star
	ev := func(n string) []int {
		if i, ok := a.starEv[n]; ok {
			return []int{i}
		}
		return nil
	}
	switch {
	case !st.Result:
		ref := ev("action")
		txt := "Consider adding the result: what changed because of what you did?"
		if q := a.quote(ref, 1); q != "" {
			txt += " You describe the step " + q + " but not its outcome."
		}
		a.add(gStar, "star.result.missing", resultRule, "STAR result = false", txt, ref)
	case !st.Action:
		a.add(gStar, "star.action.missing", actionRule, "STAR action = false",
			"Consider saying what you did yourself, step by step, with “I” and an action verb (I called, I rewrote, I scheduled).", ev("result"))
	case !st.Task:
		a.add(gStar, "star.task.missing", taskRule, "STAR task = false",
			"You might state your goal or what you were asked to do (“My job was to…”, “I needed to…”), so the actions have a clear purpose.", ev("situation"))
	case !st.Situation:
		a.add(gStar, "star.situation.missing", situationRule, "STAR situation = false",
			"You might open with one or two sentences on what was going on: where, when, and what the problem was.", ev("task"))
	}
}

// suggestQuantified: a behavioural result without a number: add one if you can.
func (a *analysis) suggestQuantified() {
	m := &a.res.Metrics
	rb := a.rb
	st := a.st.star
	if rb.on(quantRule) && a.in.Type == rehearse.Behavioral && st.Result && m.QuantifiedResults == 0 {
		ref := []int{}
		if i, ok := a.starEv["result"]; ok {
			ref = []int{i}
		}
		txt := "If you can, add a number: time saved, %, $, or a count."
		if q := a.quote(ref, 1); q != "" {
			txt += " Your result " + q + " has none."
		}
		a.add(gQuant, "quantified.missing", quantRule, "result = true and quantified_results = 0", txt, ref)
	}
}

// suggestOwnership: many “we” and few “I”, or actions told only with “we”.
func (a *analysis) suggestOwnership() {
	m := &a.res.Metrics
	rb := a.rb
	if rb.on("ownership") && a.starApplies() {
		if flag, th := a.ownershipFlag(); flag {
			var refs []int
			for i := range a.tk.toks {
				if len(refs) == 5 {
					break
				}
				if a.lx.hasRef(refOwnershipWeForms, i) && !a.tk.toks[i].low {
					refs = append(refs, a.ev("ownership.we", "ownership", i, i))
				}
			}
			a.add(gOwnership, "ownership.we", "ownership", th,
				fmt.Sprintf("Make your own part clear: say what you did, while still crediting the team (“we” %d times, “I” %d times).", m.WeCount, m.ICount), refs)
		}
	}
}

// suggestMinimiser: “just” or “tried to” about your own part.
func (a *analysis) suggestMinimiser() {
	rb := a.rb
	if rb.on("hedges.ownership_minimiser") && a.in.Type == rehearse.Behavioral && len(a.minimiserEv) > 0 {
		word := "just"
		for _, w := range a.minimiserWords {
			if w == "try to" {
				word = "tried to"
			}
		}
		a.add(gOwnership, "hedges.ownership_minimiser", "hedges.ownership_minimiser", "“just” or “try to” with I as the subject",
			fmt.Sprintf("You described your own contribution as %s (“%s”); if you did it, say so plainly.", a.quote(firstN(a.minimiserEv, 2), 2), word), firstN(a.minimiserEv, 3))
	}
}

// suggestLength: an answer far shorter or longer than its type's band.
func (a *analysis) suggestLength() {
	m := &a.res.Metrics
	rb := a.rb
	if rb.on("length") && m.LengthBand != "unknown" {
		t := string(a.in.Type)
		span := *m.SpeechSpanS
		switch m.LengthBand {
		case "short":
			a.add(gLength, "length.short", "length", fmt.Sprintf("speech span < %g s for %s", rb.th("length", t+"_short_s"), t),
				fmt.Sprintf("Consider saying more: the answer lasted %.0f s; %s answers usually run %g–%g s.", span, t, rb.th("length", t+"_target_low_s"), rb.th("length", t+"_target_high_s")), nil)
		case "long":
			txt := fmt.Sprintf("You might tighten the answer: it lasted %.0f s; %s answers usually run %g–%g s.", span, t, rb.th("length", t+"_target_low_s"), rb.th("length", t+"_target_high_s"))
			if a.in.Type == rehearse.Technical {
				txt = fmt.Sprintf("The answer lasted %.0f s. In a long technical answer, consider checking in with the interviewer (“Shall I go deeper on…?”) rather than cutting content.", span)
			}
			a.add(gLength, "length.long", "length", fmt.Sprintf("speech span > %g s for %s", rb.th("length", t+"_long_s"), t), txt, nil)
		case "below_target":
			a.mention("length.below_target", "length", fmt.Sprintf("speech span < %g s", rb.th("length", t+"_target_low_s")),
				fmt.Sprintf("The answer lasted %.0f s, a little under the usual %g–%g s.", span, rb.th("length", t+"_target_low_s"), rb.th("length", t+"_target_high_s")))
		case "above_target":
			a.mention("length.above_target", "length", fmt.Sprintf("speech span > %g s", rb.th("length", t+"_target_high_s")),
				fmt.Sprintf("The answer lasted %.0f s, a little over the usual %g–%g s.", span, rb.th("length", t+"_target_low_s"), rb.th("length", t+"_target_high_s")))
		}
	}
}

// suggestNegative: negative talk about an employer.
func (a *analysis) suggestNegative() {

	if len(a.negEv) > 0 {
		a.add(gNegative, "negative_talk", "negative_talk", "employer word and negative word in one sentence",
			"Consider framing your reason for leaving around what you're looking for next. For example: "+a.quote(a.negEv, 1), firstN(a.negEv, 3))
	}
}

// suggestFillers: unusually dense fillers.
func (a *analysis) suggestFillers() {
	m := &a.res.Metrics
	rb := a.rb
	if a.fluency && rb.on("fillers") && m.FillerRate != nil {
		const r = "fillers"
		rate := *m.FillerRate
		minT, sug, men := rb.th(r, "min_total"), rb.th(r, "suggest_rate"), rb.th(r, "mention_rate")
		how := fmt.Sprintf("at least %d filler(s) in %d words = %.1f per 100", a.filler.total, m.WordCount, rate)
		if float64(a.filler.total) >= minT && rate >= sug {
			a.add(gFillers, "fillers.dense", r, fmt.Sprintf("filler_total ≥ %g and filler_rate ≥ %.1f", minT, sug),
				fmt.Sprintf("Consider pausing silently instead of filling: %s (%s). Fillers are normal; this is only about unusually dense use.", how, a.quote(a.fillerEv, 3)), firstN(a.fillerEv, 5))
		} else if rate >= men {
			a.mention("fillers.rate", r, fmt.Sprintf("filler_rate ≥ %.1f", men), fmt.Sprintf("Fillers: %s.", how))
		}
	}
}

// suggestFillerKeys: one discourse filler used often.
func (a *analysis) suggestFillerKeys() {
	m := &a.res.Metrics
	rb := a.rb
	if a.fluency && rb.on("fillers") && m.FillerRate != nil && rb.on("fillers.per_key") {
		minK := rb.th("fillers.per_key", "min_count")
		for _, k := range FillerKeys {
			if rb.filledPause(k) || float64(m.Fillers[k]) < minK {
				continue
			}
			var refs []int
			for _, e := range a.fillerEv {
				if a.res.Evidence[e].Metric == "fillers."+k {
					refs = append(refs, e)
				}
			}
			a.add(gFillers, "fillers.per_key."+strings.ReplaceAll(k, " ", "_"), "fillers.per_key", fmt.Sprintf("one filler key ≥ %g times", minK),
				fmt.Sprintf("You might watch “%s”: at least %d times as a filler in this answer.", k, m.Fillers[k]), firstN(refs, 5))
		}
	}
}

// suggestHedges: dense hedges.
func (a *analysis) suggestHedges() {
	m := &a.res.Metrics
	rb := a.rb
	if rb.on("hedges") && m.WordCount > 0 {
		const r = "hedges"
		minT, sug, men := rb.th(r, "min_total"), rb.th(r, "suggest_rate"), rb.th(r, "mention_rate")
		how := fmt.Sprintf("%d hedge(s) in %d words = %.1f per 100", m.HedgeTotal, m.WordCount, m.HedgeRate)
		if float64(m.HedgeTotal) >= minT && m.HedgeRate >= sug {
			txt := fmt.Sprintf("Consider stating your points more directly: %s (%s).", how, a.quote(a.hedgeEv, 3))
			if a.in.Type == rehearse.Technical {
				txt = fmt.Sprintf("If you're confident, you can state this more directly; if you're unsure, saying so once is fine. (%s: %s.)", how, a.quote(a.hedgeEv, 3))
			}
			a.add(gHedges, "hedges.dense", r, fmt.Sprintf("hedge_total ≥ %g and hedge_rate ≥ %.1f", minT, sug), txt, firstN(a.hedgeEv, 5))
		} else if m.HedgeRate >= men && m.HedgeTotal > 0 {
			a.mention("hedges.rate", r, fmt.Sprintf("hedge_rate ≥ %.1f", men), fmt.Sprintf("Hedges: %s.", how))
		}
	}
}

// suggestPace: pace outside the comfortable range.
func (a *analysis) suggestPace() {
	m := &a.res.Metrics
	rb := a.rb
	if a.fluency && m.SpeakingRateWPM != nil {
		const r = "pace"
		wpm := *m.SpeakingRateWPM
		switch a.paceBand {
		case "slow":
			a.add(gPace, "pace.slow", r, fmt.Sprintf("speaking rate < %g wpm", rb.th(r, "slow_wpm")),
				fmt.Sprintf("You might pick up the pace a little: %.0f words per minute (words without um/uh ÷ speech span); %g–%g is the comfortable range.", wpm, rb.th(r, "comfortable_low_wpm"), rb.th(r, "comfortable_high_wpm")), nil)
		case "fast":
			a.add(gPace, "pace.fast", r, fmt.Sprintf("speaking rate > %g wpm", rb.th(r, "fast_wpm")),
				fmt.Sprintf("You might slow down a little: %.0f words per minute (words without um/uh ÷ speech span); %g–%g is the comfortable range.", wpm, rb.th(r, "comfortable_low_wpm"), rb.th(r, "comfortable_high_wpm")), nil)
		case "borderline_slow", "borderline_fast":
			a.mention("pace."+a.paceBand, r, "outside the comfortable range", fmt.Sprintf("Pace: %.0f words per minute, near the edge of the comfortable %g–%g.", wpm, rb.th(r, "comfortable_low_wpm"), rb.th(r, "comfortable_high_wpm")))
		}
	}
}

// suggestPauses: long pauses mid-sentence.
func (a *analysis) suggestPauses() {
	m := &a.res.Metrics
	rb := a.rb
	if a.fluency && m.Pauses != nil && rb.on("pauses") {
		const r = "pauses"
		p := m.Pauses
		if float64(p.MidSentenceLong) >= rb.th(r, "mid_sentence_count") || p.MaxS >= rb.th(r, "any_pause_s") {
			a.add(gPauses, "pauses.long", r, fmt.Sprintf("mid-sentence pauses ≥ %g s: ≥ %g, or any pause ≥ %g s", rb.th(r, "long_s"), rb.th(r, "mid_sentence_count"), rb.th(r, "any_pause_s")),
				fmt.Sprintf("You might finish a sentence before pausing to think: %d long pause(s) mid-sentence, longest %.1f s (each is a pause or an untranscribed hesitation).", p.MidSentenceLong, p.MaxS), firstN(a.pauseEv, 5))
		}
	}
}

// suggestLatency: a long wait before the first word.
func (a *analysis) suggestLatency() {
	m := &a.res.Metrics
	rb := a.rb
	if a.fluency && m.LatencyS != nil {
		const r = "latency"
		l := *m.LatencyS
		if l > rb.th(r, "suggest_s") {
			a.add(gLatency, "latency.long", r, fmt.Sprintf("latency > %g s", rb.th(r, "suggest_s")),
				fmt.Sprintf("You took %.1f s before the first word. A short bridging phrase (“Let me think of a good example”) tells the interviewer you're working on it.", l), nil)
		} else if l > rb.th(r, "mention_s") {
			a.mention("latency", r, fmt.Sprintf("latency > %g s", rb.th(r, "mention_s")), fmt.Sprintf("You took %.1f s before the first word.", l))
		}
	}
}

// suggestOverused: overused words.
func (a *analysis) suggestOverused() {
	m := &a.res.Metrics
	rb := a.rb
	if rb.on("repetition.overused") && len(m.OverusedWords) > 0 {
		top := m.OverusedWords[0]
		share := float64(top.Count) / float64(m.WordCount)
		var ws []string
		for _, w := range m.OverusedWords {
			ws = append(ws, fmt.Sprintf("“%s” ×%d", w.Word, w.Count))
		}
		if share >= rb.th("repetition.overused", "suggest_share") {
			a.add(gOther, "repetition.overused", "repetition.overused", fmt.Sprintf("one word ≥ %.0f%% of words", 100*rb.th("repetition.overused", "suggest_share")),
				fmt.Sprintf("You might vary your wording: %s.", strings.Join(ws, ", ")), nil)
		} else {
			a.mention("repetition.overused", "repetition.overused", fmt.Sprintf("count ≥ %g and ≥ %.0f%% of words", rb.th("repetition.overused", "min_count"), 100*rb.th("repetition.overused", "min_share")),
				fmt.Sprintf("Often-used words: %s.", strings.Join(ws, ", ")))
		}
	}
}

// mentionPhrases: repeated phrases (a mention only).
func (a *analysis) mentionPhrases() {
	m := &a.res.Metrics
	rb := a.rb
	if rb.on("repetition.phrases") && len(m.RepeatedPhrases) > 0 {
		var ps []string
		for _, p := range m.RepeatedPhrases {
			ps = append(ps, fmt.Sprintf("“%s” ×%d", p.Phrase, p.Count))
		}
		a.mention("repetition.phrases", "repetition.phrases", "phrase of ≥ 4 words twice, or 3 words three times", "Repeated phrases: "+strings.Join(ps, ", ")+".")
	}
}

func (a *analysis) checks() {
	m := &a.res.Metrics
	rb := a.rb
	st := a.st.star
	add := func(id, dim, label string, pass bool, reason, rule string, fluency bool) {
		a.res.Checks = append(a.res.Checks, Check{ID: id, Dimension: dim, Label: label, Pass: pass, Reason: reason, Rule: rule, Fluency: fluency, Counted: !fluency || a.fluency && !a.in.ExcludeFluencyChecks})
	}
	yes := func(b bool, y, n string) string {
		if b {
			return y
		}
		return n
	}
	if m.WordCount == 0 {
		a.res.Checklist = "No checks: the answer is empty."
		return
	}
	starType := a.in.Type == rehearse.Behavioral || a.in.Type == rehearse.Situational
	if starType && rb.on(starRule) {
		add("structure.result", "structure", "States a result", st.Result, yes(st.Result, "An outcome of the actions is stated.", "No outcome of the actions was found."), starRule, false)
		add("structure.action", "structure", "Says what you did with “I”", st.Action, yes(st.Action, "At least one step you took is told with “I” and an action verb.", "No step told with “I” and an action verb was found."), starRule, false)
		ctx := st.Situation || st.Task
		add("structure.context", "structure", "Sets the scene (situation or task)", ctx, yes(ctx, "The situation or your task is stated.", "Neither the situation nor your task was found."), starRule, false)
	}
	if starType && rb.on(quantRule) {
		q := m.QuantifiedResults > 0
		add("evidence.number", "evidence", "Backs the result with a number", q, yes(q, fmt.Sprintf("%d quantified outcome(s).", m.QuantifiedResults), "No outcome with a number (time, %, $, count) was found."), quantRule, false)
	}
	if a.starApplies() && rb.on("ownership") {
		flag, th := a.ownershipFlag()
		add("ownership", "ownership", "Makes your own part clear", !flag, yes(!flag, fmt.Sprintf("“I” %d, “we” %d.", m.ICount, m.WeCount), "Flagged: "+th+"."), "ownership", false)
	}
	if rb.on("length") && m.LengthBand != "unknown" {
		ok := m.LengthBand == "target"
		add("length", "length", "Length fits the question type", ok, fmt.Sprintf("%.0f s is %s for %s answers.", *m.SpeechSpanS, strings.ReplaceAll(m.LengthBand, "_", " "), a.in.Type), "length", false)
	}
	if rb.on("hedges") {
		flag := false
		for _, s := range a.res.Suggestions {
			if s.ID == "hedges.dense" {
				flag = true
			}
		}
		ok := !(float64(m.HedgeTotal) >= rb.th("hedges", "min_total") && m.HedgeRate >= rb.th("hedges", "suggest_rate")) && !flag
		add("language.hedges", "language", "States points directly", ok, fmt.Sprintf("%d hedge(s), %.1f per 100 words (threshold: ≥ %g and ≥ %.1f per 100).", m.HedgeTotal, m.HedgeRate, rb.th("hedges", "min_total"), rb.th("hedges", "suggest_rate")), "hedges", false)
	}
	if rb.on("fillers") && m.FillerRate != nil {
		ok := !(float64(a.filler.total) >= rb.th("fillers", "min_total") && *m.FillerRate >= rb.th("fillers", "suggest_rate"))
		add("fluency.fillers", "fluency", "Fillers not unusually dense", ok, fmt.Sprintf("At least %d filler(s), %.1f per 100 words (threshold: ≥ %g and ≥ %.1f per 100).", a.filler.total, *m.FillerRate, rb.th("fillers", "min_total"), rb.th("fillers", "suggest_rate")), "fillers", true)
	}
	if m.SpeakingRateWPM != nil {
		ok := a.paceBand != "slow" && a.paceBand != "fast"
		add("fluency.pace", "fluency", "Pace in a comfortable range", ok, fmt.Sprintf("%.0f words per minute (%s).", *m.SpeakingRateWPM, strings.ReplaceAll(a.paceBand, "_", " ")), "pace", true)
	}
	if m.Pauses != nil && rb.on("pauses") {
		p := m.Pauses
		ok := !(float64(p.MidSentenceLong) >= rb.th("pauses", "mid_sentence_count") || p.MaxS >= rb.th("pauses", "any_pause_s"))
		add("fluency.pauses", "fluency", "Few long mid-sentence pauses", ok, fmt.Sprintf("%d long mid-sentence pause(s), longest %.1f s.", p.MidSentenceLong, p.MaxS), "pauses", true)
	}
	if a.res.JobCover != nil {
		ok := len(a.res.JobCover.Covered) > 0
		add("job_terms", "job_terms", "Uses terms from the job description", ok, fmt.Sprintf("%d of %d terms used.", len(a.res.JobCover.Covered), len(a.res.JobCover.Terms)), "job_terms", false)
	}
	met, of := 0, 0
	dims := []string{"structure", "evidence", "ownership", "length", "language", "fluency", "job_terms"}
	per := map[string][2]int{}
	for _, c := range a.res.Checks {
		if !c.Counted {
			continue
		}
		of++
		x := per[c.Dimension]
		x[1]++
		if c.Pass {
			met++
			x[0]++
		}
		per[c.Dimension] = x
	}
	for _, d := range dims {
		x, ok := per[d]
		if !ok {
			continue
		}
		a.res.Scores = append(a.res.Scores, Score{Dimension: d, Met: x[0], Of: x[1], Summary: fmt.Sprintf("%s: meets %d of %d", d, x[0], x[1])})
	}
	a.res.Checklist = fmt.Sprintf("Meets %d of %d checks", met, of)
}

func (a *analysis) strengths() {
	m := &a.res.Metrics
	st := a.st.star
	add := func(s string) { a.res.Strengths = append(a.res.Strengths, s) }
	if m.QuantifiedResults > 0 {
		q := a.quote(a.quantEv, 1)
		add("Clear result with a number: " + q + ".")
	} else if st.Result {
		add("States the result of what was done.")
	}
	if st.Action {
		add("Describes your own actions with “I”.")
	}
	if st.Situation && st.Task && st.Action && st.Result {
		add("Covers situation, task, action and result.")
	}
	if st.Reflection {
		add("Reflects on what you learned.")
	}
	if m.LengthBand == "target" {
		add(fmt.Sprintf("Length fits a %s answer (%.0f s).", a.in.Type, *m.SpeechSpanS))
	}
	if a.res.JobCover != nil && len(a.res.JobCover.Covered) > 0 {
		add("Uses terms from the job description: " + strings.Join(a.res.JobCover.Covered, ", ") + ".")
	}
	if m.WordCount >= 40 && m.HedgeTotal == 0 {
		add("States points directly: no hedges detected.")
	}
	if len(a.res.Strengths) == 0 {
		if m.WordCount == 0 {
			add("You made an attempt: saying an answer out loud is how practice starts.")
		} else {
			add("You answered the question in your own words, which gives you something concrete to refine.")
		}
	}
}
