// Package feedback is Rehearse's feedback engine: it measures one spoken or
// typed interview answer by the transparent rules of the rulebook (fillers,
// hedges, pace and pauses, length, STAR structure, quantified results, I/we
// ownership, repetition, job-description terms) and returns metrics, the
// evidence behind every number, at most three suggestions, strengths,
// caveats and a checklist. It never judges accent, voice, dialect, grammar
// or the person. The package is pure Go and does no I/O.
package feedback

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Input is one answer to analyse.
type Input struct {
	Question  string
	Type      rehearse.QuestionType
	Words     []rehearse.Word // timed mode
	Timed     bool
	Text      string  // text mode transcript (used when !Timed or Words empty)
	DurationS float64 // text mode speech span
	// LatencyKnown: word times are measured from t0 = 0 (the end of the
	// question), so the first word's start is the response latency.
	LatencyKnown bool
	JobTerms     []string
	// NoFluency switches off the fluency metrics (fillers, pauses, pace,
	// latency) for this answer, as the rulebook's fluency switch does.
	NoFluency bool
	// ExcludeFluencyChecks keeps the fluency metrics but leaves the fluency
	// checks out of the checklist total.
	ExcludeFluencyChecks bool
}

// InputFor builds the input for a stored attempt from its effective
// transcript (the user's correction when there is one). Re-scoring a stored
// answer with the current rulebook is Analyze(InputFor(a, terms), rb).
func InputFor(a *rehearse.Attempt, jobTerms []string) Input {
	tr := a.Effective()
	in := Input{
		Question:     a.QuestionText,
		Type:         a.QuestionType,
		Words:        tr.Words,
		Timed:        tr.Timed && len(tr.Words) > 0,
		Text:         tr.Text,
		DurationS:    tr.DurationS,
		LatencyKnown: a.LatencyKnown,
		JobTerms:     jobTerms,
	}
	if in.DurationS == 0 {
		in.DurationS = a.DurationS
	}
	return in
}

// Caveat texts.
const (
	caveatFillerLowerBound = "Filler counts are a lower bound: the transcriber omits some fillers."
	caveatTranscript       = "The transcript may miss filler words or mishear names; you can correct it and analyse again."
)

// analysis carries the intermediate state of one run.
type analysis struct {
	in  Input
	rb  *Rulebook
	tk  tokenized
	lx  lexer
	res *Result
	st  starState
	// evidence index of the first item per metric prefix
	fillerEv, hedgeEv, minimiserEv []int
	starEv                         map[string]int
	quantEv                        []int
	pauseEv                        []int
	negEv                          []int
	fluency                        bool
	span                           float64
	spanOK                         bool
	paceBand                       string
	filler                         struct{ total, fp, df int }
	minimiserWords                 []string
	times                          []float64 // backing store for evidence times
	cands                          []candidate
}

// Analyze measures one answer with the rulebook (DefaultRulebook when nil).
// It never panics on bad input: what cannot be computed is null and
// explained in a caveat.
func Analyze(in Input, rb *Rulebook) *Result {
	if rb == nil {
		rb = DefaultRulebook()
	}
	if !in.Type.Valid() {
		in.Type = rehearse.Behavioral
	}
	a := &analysis{in: in, rb: rb, starEv: map[string]int{}}
	a.fluency = rb.Fluency && !in.NoFluency
	a.res = &Result{}
	*a.res = Result{
		QuestionType:    string(in.Type),
		RulebookVersion: rb.Version,
		OverridesHash:   rb.OverridesHash,
		Evidence:        []Evidence{},
		Suggestions:     []Suggestion{},
		Mentions:        []Mention{},
		Strengths:       []string{},
		Caveats:         []string{},
		Checks:          []Check{},
		Scores:          []Score{},
	}
	a.tk = tokenize(in, rb)
	if a.tk.timed {
		a.res.Mode = "timed"
	} else {
		a.res.Mode = "text"
	}
	markClauseStarts(a.tk.toks, rb)
	a.lx = lexer{rb: rb, ts: a.tk.toks}
	a.lx.run()
	sort.SliceStable(a.lx.hits, func(i, j int) bool { return a.lx.hits[i].first < a.lx.hits[j].first })
	a.counts()
	a.timing()
	a.length()
	a.st = a.lx.analyzeStar(in.Question)
	m := &a.res.Metrics
	m.Star = a.st.star
	m.QuantifiedResults = len(a.st.quantSpans)
	a.repetition()
	a.negative()
	a.evidence()
	a.jobCoverage()
	a.caveats()
	a.suggest()
	a.checks()
	a.strengths()
	return a.res
}

func (a *analysis) ev(metric, rule string, first, last int) int {
	ts := a.tk.toks
	e := Evidence{Metric: metric, Rule: rule, WordIndex: ts[first].word, LastIndex: ts[last].word}
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool { return !isWordRune(r) && r != '$' && r != '%' })
	}
	switch {
	case first == last && !ts[first].low:
		e.Text = trim(ts[first].raw) // a substring: no copy
	default:
		var b strings.Builder
		for k := first; k <= last; k++ {
			if k > first {
				b.WriteByte(' ')
			}
			if ts[k].low {
				b.WriteString("…")
				continue
			}
			b.WriteString(trim(ts[k].raw))
		}
		e.Text = b.String()
	}
	if a.tk.timesOK && ts[first].timed && ts[last].timed {
		if len(a.times) == cap(a.times) {
			a.times = make([]float64, 0, 64)
		}
		a.times = append(a.times, round(ts[first].start, 2), round(ts[last].end, 2))
		e.Start = &a.times[len(a.times)-2]
		e.End = &a.times[len(a.times)-1]
	}
	a.res.Evidence = append(a.res.Evidence, e)
	return len(a.res.Evidence) - 1
}

func (a *analysis) counts() {
	m := &a.res.Metrics
	ts := a.tk.toks
	m.WordCount = len(ts)
	m.LowConfidenceWords = a.tk.lowCount
	fillers := make(map[string]int, len(FillerKeys))
	for _, k := range FillerKeys {
		fillers[k] = 0
	}
	hedges := make(map[string]int, len(HedgeKeys))
	for _, k := range HedgeKeys {
		hedges[k] = 0
	}
	for _, h := range a.lx.hits {
		if h.hedge {
			hedges[h.key]++
			m.HedgeTotal++
			continue
		}
		fillers[h.key]++
		a.filler.total++
		if a.rb.filledPause(h.key) {
			a.filler.fp++
		} else {
			a.filler.df++
		}
	}
	m.LexicalWords = m.WordCount - a.filler.fp
	m.Hedges = hedges
	if m.WordCount > 0 {
		m.HedgeRate = round(100*float64(m.HedgeTotal)/float64(m.WordCount), 2)
	}
	if a.fluency {
		m.Fillers = fillers
		m.FillerTotal = ip(a.filler.total)
		m.FilledPauses = ip(a.filler.fp)
		m.DiscourseFillers = ip(a.filler.df)
		rate := 0.0
		if m.WordCount > 0 {
			rate = 100 * float64(a.filler.total) / float64(m.WordCount)
		}
		m.FillerRate = fp(rate)
	}
	for i := range ts {
		if a.lx.hasRef(refOwnershipIForms, i) {
			m.ICount++
		} else if a.lx.hasRef(refOwnershipWeForms, i) {
			m.WeCount++
		}
	}
	m.WeShare = round(float64(m.WeCount)/math.Max(1, float64(m.ICount+m.WeCount)), 2)
}

// timing computes speech span, pace, pauses and latency.
func (a *analysis) timing() {
	m := &a.res.Metrics
	in := a.in
	ts := a.tk.toks
	if a.tk.timed {
		if a.tk.timesOK && len(ts) > 0 {
			a.span = ts[len(ts)-1].end - ts[0].start
			a.spanOK = a.span >= 0
		}
	} else if in.DurationS > 0 && !bad(in.DurationS) {
		a.span = in.DurationS
		a.spanOK = true
	}
	if a.spanOK {
		m.SpeechSpanS = fp(a.span)
	}
	if !a.fluency {
		return
	}
	const pr = "pace"
	if a.tk.timed && a.spanOK && a.rb.on(pr) && a.span >= a.rb.th(pr, "min_span_s") && float64(m.LexicalWords) >= a.rb.th(pr, "min_words") && a.span > 0 {
		wpm := 60 * float64(m.LexicalWords) / a.span
		m.SpeakingRateWPM = fp(wpm)
		switch {
		case wpm < a.rb.th(pr, "slow_wpm"):
			a.paceBand = "slow"
		case wpm < a.rb.th(pr, "comfortable_low_wpm"):
			a.paceBand = "borderline_slow"
		case wpm <= a.rb.th(pr, "comfortable_high_wpm"):
			a.paceBand = "comfortable"
		case wpm <= a.rb.th(pr, "fast_wpm"):
			a.paceBand = "borderline_fast"
		default:
			a.paceBand = "fast"
		}
		m.PaceBand = a.paceBand
	}
	if !a.tk.timed || !a.tk.timesOK || len(a.in.Words) == 0 {
		return
	}
	// gaps between consecutive input words
	ws := a.in.Words
	p := &Pauses{}
	gapSum := 0.0
	longS, vlongS := a.rb.th("pauses", "long_s"), a.rb.th("pauses", "very_long_s")
	lastTok := make(map[int]int, len(ts)) // word index → its last token
	for k := range ts {
		lastTok[ts[k].word] = k
	}
	for i := 0; i+1 < len(ws); i++ {
		g := ws[i+1].Start - ws[i].End
		if g < 0 {
			g = 0
		}
		if g >= a.rb.th(pr, "gap_s") {
			gapSum += g
		}
		if g > p.MaxS {
			p.MaxS = g
		}
		if g >= longS {
			p.Long++
			if g >= vlongS {
				p.VeryLong++
			}
			mid := true
			if k, ok := lastTok[i]; ok && ts[k].sentEnd && !ts[k].ellipsis {
				mid = false
			}
			if mid {
				p.MidSentenceLong++
			}
			if k, ok := lastTok[i]; ok && a.rb.on("pauses") {
				e := a.ev("pauses.long", "pauses", k, k)
				a.res.Evidence[e].Start = fp(ws[i].End)
				a.res.Evidence[e].End = fp(ws[i+1].Start)
				a.res.Evidence[e].Text = fmt.Sprintf("%.1f s pause or untranscribed hesitation after “%s”", g, a.res.Evidence[e].Text)
				a.pauseEv = append(a.pauseEv, e)
			}
		}
	}
	p.MaxS = round(p.MaxS, 2)
	m.Pauses = p
	if m.SpeakingRateWPM != nil && a.span-gapSum > 0 {
		m.ArticulationRateWPM = fp(60 * float64(m.LexicalWords) / (a.span - gapSum))
	}
	if a.in.LatencyKnown && len(ts) > 0 && a.rb.on("latency") {
		m.LatencyS = fp(ts[0].start)
	}
}

// length places the speech span in the question type's band: short <
// short threshold ≤ below_target < target low ≤ target ≤ target high <
// above_target ≤ long threshold < long.
func (a *analysis) length() {
	m := &a.res.Metrics
	if !a.spanOK {
		m.LengthBand = "unknown"
		return
	}
	t := string(a.in.Type)
	short := a.rb.th("length", t+"_short_s")
	lo := a.rb.th("length", t+"_target_low_s")
	hi := a.rb.th("length", t+"_target_high_s")
	long := a.rb.th("length", t+"_long_s")
	s := a.span
	switch {
	case s < short:
		m.LengthBand = "short"
	case s < lo:
		m.LengthBand = "below_target"
	case s <= hi:
		m.LengthBand = "target"
	case s <= long:
		m.LengthBand = "above_target"
	default:
		m.LengthBand = "long"
	}
}

// repetition finds overused words, repeated phrases and immediate
// repetitions.
func (a *analysis) repetition() {
	m := &a.res.Metrics
	ts := a.tk.toks
	rb := a.rb
	m.OverusedWords = []WordCount{}
	m.RepeatedPhrases = []PhraseCount{}
	// stream without fillers
	stream := make([]string, 0, len(ts))
	streamTok := make([]int, 0, len(ts))
	for i := range ts {
		if ts[i].filler {
			continue
		}
		stream = append(stream, ts[i].norm)
		streamTok = append(streamTok, i)
	}
	if rb.on("repetition.immediate") {
		for i := 1; i < len(stream); i++ {
			if stream[i] == stream[i-1] {
				m.ImmediateRepeats++
			}
		}
	}
	if rb.on("repetition.overused") && m.WordCount > 0 {
		q := map[string]bool{}
		fieldsEach(strings.ToLower(a.in.Question), func(f string) {
			q[strings.Trim(f, ".,?!;:\"'()")] = true
		})
		counts := map[string]int{}
		for i := range ts {
			t := &ts[i]
			w := t.norm
			if t.used != 0 || a.lx.hasRef(refRepetitionOverusedStopwords, i) || hasDigit(w) || q[w] || a.lx.hasRef(refQuantifiedNumberWords, i) || len(w) < 2 {
				continue
			}
			counts[w]++
		}
		var list []WordCount
		minC, minS := rb.th("repetition.overused", "min_count"), rb.th("repetition.overused", "min_share")
		for w, c := range counts {
			if float64(c) >= minC && float64(c)/float64(m.WordCount) >= minS {
				list = append(list, WordCount{w, c})
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Word < list[j].Word
		})
		if top := int(rb.th("repetition.overused", "top")); len(list) > top {
			list = list[:top]
		}
		if list != nil {
			m.OverusedWords = list
		}
	}
	if rb.on("repetition.phrases") && len(stream) >= 6 && len(stream) <= 5000 {
		a.repeatedPhrases(stream, streamTok)
	}
}

// repeatedPhrases finds n-grams (n = min_n…max_n) over the filler-free
// stream that repeat often enough, keeping only maximal ones.
func (a *analysis) repeatedPhrases(stream []string, streamTok []int) {
	const r = "repetition.phrases"
	rb := a.rb
	m := &a.res.Metrics
	minN, maxN := int(rb.th(r, "min_n")), int(rb.th(r, "max_n"))
	longN, longMin, shortMin := int(rb.th(r, "long_n")), int(rb.th(r, "long_min")), int(rb.th(r, "short_min"))
	if maxN > 8 {
		maxN = 8
	}
	if minN < 1 {
		minN = 1
	}
	ids := make([]int32, len(stream))
	stop := make([]bool, len(stream))
	intern := make(map[string]int32, len(stream))
	for i, w := range stream {
		id, ok := intern[w]
		if !ok {
			id = int32(len(intern))
			intern[w] = id
		}
		ids[i] = id
		stop[i] = a.lx.hasRef(refRepetitionOverusedStopwords, streamTok[i])
	}
	type cand struct {
		at, n, c int
	}
	var found []cand
	// n-grams keyed by a 64-bit mix of their word ids (ids are < 2^20 for any
	// input that reaches here, and the key includes n); each distinct n-gram
	// is counted once in order of first appearance
	type gram struct{ at, c int32 }
	tab := newGramTable(len(stream))
	grams := make([]gram, 0, len(stream))
	for n := maxN; n >= minN; n-- {
		tab.reset()
		grams = grams[:0]
		for i := 0; i+n <= len(stream); i++ {
			all := true
			key := uint64(n)
			for k := 0; k < n; k++ {
				key = key*1000003 ^ uint64(ids[i+k]+1)
				if !stop[i+k] {
					all = false
				}
			}
			if all {
				continue
			}
			if g, added := tab.index(key, int32(len(grams))); !added {
				grams[g].c++
			} else {
				grams = append(grams, gram{int32(i), 1})
			}
		}
		need := shortMin
		if n >= longN {
			need = longMin
		}
		for _, g := range grams {
			c := g.c
			if int(c) < need {
				continue
			}
			at := int(g.at)
			p := strings.Join(stream[at:at+n], " ")
			inside := false
			for _, f := range found {
				if strings.Contains(" "+strings.Join(stream[f.at:f.at+f.n], " ")+" ", " "+p+" ") {
					inside = true
					break
				}
			}
			if !inside {
				found = append(found, cand{at, n, int(c)})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].c != found[j].c {
			return found[i].c > found[j].c
		}
		if found[i].at != found[j].at {
			return found[i].at < found[j].at
		}
		return found[i].n > found[j].n
	})
	for k, f := range found {
		if k == 5 {
			break
		}
		m.RepeatedPhrases = append(m.RepeatedPhrases, PhraseCount{strings.Join(stream[f.at:f.at+f.n], " "), f.c})
	}
}

// negative flags sentences with negative talk about an employer.
func (a *analysis) negative() {
	if !a.rb.on("negative_talk") {
		return
	}
	ts := a.tk.toks
	start := 0
	for i := range ts {
		if !ts[i].sentEnd {
			continue
		}
		c := clause{first: start, last: i}
		emp, neg := -1, -1
		for k := start; k <= i; k++ {
			if a.lx.hasRef(refNegativeTalkEmployer, k) && emp < 0 {
				emp = k
			}
		}
		neg = a.lx.findPhrase(c, prefNegativeTalkNegative)
		if emp >= 0 && neg >= 0 {
			a.res.Metrics.NegativeEmployer++
			a.negEv = append(a.negEv, a.ev("negative_talk", "negative_talk", start, i))
		}
		start = i + 1
	}
}

// evidence records every counted filler and hedge, and the STAR and
// quantified-result spans.
func (a *analysis) evidence() {
	for _, h := range a.lx.hits {
		if h.hedge {
			a.hedgeEv = append(a.hedgeEv, a.ev("hedges."+h.key, h.rule, h.first, h.last))
			if (h.key == "just" || h.key == "try to") && a.subjectI(h.first) {
				a.minimiserEv = append(a.minimiserEv, len(a.res.Evidence)-1)
				a.minimiserWords = append(a.minimiserWords, h.key)
			}
			continue
		}
		if a.fluency && a.rb.on("fillers") {
			a.fillerEv = append(a.fillerEv, a.ev("fillers."+h.key, h.rule, h.first, h.last))
		}
	}
	a.starEvidence()
	for k, q := range a.st.quantSpans {
		e := a.ev("quantified_results", quantRule, q[0], q[1])
		a.res.Evidence[e].Reason = a.st.quantWhy[k]
		a.quantEv = append(a.quantEv, e)
	}
}

// starEvidence records the episode decision and every STAR component
// decision with the rule that made it; the first clause of each component
// is what suggestions quote.
func (a *analysis) starEvidence() {
	if len(a.tk.toks) == 0 || !a.rb.on(starRule) {
		return
	}
	if !a.st.star.Episode {
		e := a.ev("star.episode", episodeRule, 0, len(a.tk.toks)-1)
		a.res.Evidence[e].Text = noEpisodeText
		a.res.Evidence[e].Reason = a.st.noEpisodeWhy
		a.starEv["episode"] = e
		return
	}
	cs := a.st.clauses
	for _, m := range a.st.marks {
		c := cs[m.clause]
		e := a.ev("star."+m.comp, m.rule, c.first, c.last)
		a.res.Evidence[e].Reason = m.why
		if _, ok := a.starEv[m.comp]; !ok {
			a.starEv[m.comp] = e
		}
	}
}

// subjectI: the sentence containing token i has I as a subject before it.
func (a *analysis) subjectI(i int) bool {
	ts := a.tk.toks
	for j := i - 1; j >= 0; j-- {
		if ts[j].sentEnd {
			return false
		}
		if a.lx.hasRef(refOwnershipIForms, j) {
			return true
		}
	}
	return false
}

func (a *analysis) jobCoverage() {
	if len(a.in.JobTerms) == 0 || !a.rb.on("job_terms") {
		return
	}
	cov := coverTerms(a.in.JobTerms, a.tk.toks)
	a.res.JobCover = &cov
}

func (a *analysis) caveats() {
	add := func(s string) { a.res.Caveats = append(a.res.Caveats, s) }
	m := &a.res.Metrics
	if m.WordCount == 0 {
		add("The answer is empty: there were no words to measure.")
	}
	if a.fluency {
		add(caveatFillerLowerBound)
	} else {
		add("Fluency metrics (fillers, pauses, pace, latency) are switched off.")
	}
	if a.tk.timed {
		add(caveatTranscript)
	}
	if a.tk.lowCount > 0 {
		add(fmt.Sprintf("%d word(s) were transcribed with low confidence (below %.2f); they are not quoted and not counted as fillers or hedges.", a.tk.lowCount, a.rb.th("asr.confidence", "min_probability")))
	}
	if !a.tk.timed {
		add("Typed or untimed answer: pace, pauses and response latency need word timings and were not computed.")
	}
	if a.tk.timed && !a.tk.timesOK {
		add(fmt.Sprintf("Some word timings are unusable (%d missing, negative or not a number, %d out of order): speech span, pace, pauses and latency were not computed.", a.tk.badTimes, a.tk.outOfOrder))
	}
	if a.tk.overlaps > 0 {
		add(fmt.Sprintf("%d word timing(s) overlap the previous word; those gaps were counted as zero.", a.tk.overlaps))
	}
	if !a.spanOK && !a.tk.timed {
		add("No speech duration was given, so answer length and pace were not computed.")
	}
	if a.fluency && a.tk.timed && a.spanOK && m.SpeakingRateWPM == nil && m.WordCount > 0 {
		add("Not enough speech to estimate pace.")
	}
	if a.fluency && a.tk.timed && !a.in.LatencyKnown {
		add("Response latency is not computed: the recording did not start at the end of the question.")
	}
	if m.WordCount >= 8 {
		fw := 0
		for i := range a.tk.toks {
			if a.lx.hasRef(refTextNormaliseEnglishFunctionWords, i) {
				fw++
			}
		}
		if float64(fw)/float64(m.WordCount) < 0.08 {
			add("This doesn't look like English; the rules are written for English answers, so these counts may not mean much.")
		}
	}
}

// gramTable maps n-gram keys to their index in order of first appearance:
// an open-addressing table sized for one answer, cheaper than a map for
// the few hundred keys of each n.
type gramTable struct {
	keys []uint64
	idx  []int32 // -1: empty
	mask uint64
}

func newGramTable(n int) *gramTable {
	size := 64
	for size < 2*n {
		size *= 2
	}
	return &gramTable{keys: make([]uint64, size), idx: make([]int32, size), mask: uint64(size - 1)}
}

func (t *gramTable) reset() {
	for i := range t.idx {
		t.idx[i] = -1
	}
}

// index returns the index stored for key, or stores next and reports that
// it was added.
func (t *gramTable) index(key uint64, next int32) (int32, bool) {
	h := (key * 0x9E3779B97F4A7C15) >> 32
	for p := h & t.mask; ; p = (p + 1) & t.mask {
		switch {
		case t.idx[p] < 0:
			t.keys[p], t.idx[p] = key, next
			return next, true
		case t.keys[p] == key:
			return t.idx[p], false
		}
	}
}
