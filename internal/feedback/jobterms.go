package feedback

import (
	"sort"
	"strings"
	"unicode"
)

// AnswerCoverage says which job terms one answer used.
type AnswerCoverage struct {
	Terms   []string `json:"terms"`
	Covered []string `json:"covered"`
	Missing []string `json:"missing"`
}

// Coverage is job-term coverage over a whole session: per answer, and the
// union.
type Coverage struct {
	Terms   []string         `json:"terms"`
	Covered []string         `json:"covered"`
	Missing []string         `json:"missing"`
	Answers []AnswerCoverage `json:"answers"`
}

// ExtractJobTerms pulls terms from a job description by rule (no model):
// runs of capitalised words ("Google Cloud Platform"), tools and
// technologies written with capitals inside, digits or symbols
// ("PostgreSQL", "CI/CD", "Node.js", "C++"), capitalised words not at a
// sentence start, and words or two-word phrases repeated at least
// min_repeat times, minus the rulebook's stop lists. Terms come back in
// order of first appearance, at most max_terms.
func ExtractJobTerms(jd string) []string {
	return DefaultRulebook().ExtractJobTerms(jd)
}

type jdTok struct {
	raw       string // edge punctuation stripped, case kept
	low       string
	sentStart bool
	breakAft  bool // comma, sentence end or bullet after
}

// ExtractJobTerms is ExtractJobTerms with this rulebook's lists.
func (rb *Rulebook) ExtractJobTerms(jd string) []string {
	const r = "job_terms"
	var toks []jdTok
	start := true
	for _, line := range strings.Split(jd, "\n") {
		start = true
		fieldsEach(line, func(f string) {
			core := strings.TrimFunc(f, func(c rune) bool {
				return !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '+' || c == '#')
			})
			// keep a trailing "+" / "#" only for C++ / C# style names
			if core == "" {
				start = true
				if len(toks) > 0 {
					toks[len(toks)-1].breakAft = true
				}
				return
			}
			if lead := f[:strings.Index(f, core)]; lead != "" && len(toks) > 0 {
				toks[len(toks)-1].breakAft = true // "AWS (EKS)": a bracket separates terms
			}
			t := jdTok{raw: core, low: strings.ToLower(core), sentStart: start}
			trail := f[strings.LastIndex(f, core)+len(core):]
			t.breakAft = strings.ContainsAny(trail, ",.;:!?()/")
			start = strings.ContainsAny(trail, ".!?:;")
			toks = append(toks, t)
		})
		if len(toks) > 0 {
			toks[len(toks)-1].breakAft = true
		}
	}
	type term struct {
		text  string
		first int
	}
	found := map[string]*term{}
	order := 0
	addTerm := func(s string) {
		k := strings.ToLower(s)
		if _, ok := found[k]; ok {
			return
		}
		found[k] = &term{s, order}
		order++
	}
	isTech := func(s string) bool {
		upperInside, digit, sym := false, false, false
		for i, c := range s {
			switch {
			case i > 0 && unicode.IsUpper(c):
				upperInside = true
			case unicode.IsDigit(c):
				digit = true
			case c == '/' || c == '+' || c == '#' || c == '.' || c == '-':
				sym = true
			}
		}
		return (upperInside || digit || sym) && strings.IndexFunc(s, unicode.IsLetter) >= 0
	}
	capital := func(t jdTok) bool {
		r0 := []rune(t.raw)[0]
		return unicode.IsUpper(r0) && !rb.has(r, "stop_caps", t.low) && !rb.has(r, "stop", t.low)
	}
	tech := func(t jdTok) bool { return isTech(t.raw) && !rb.has(r, "stop_caps", t.low) }
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !capital(t) && !tech(t) {
			continue
		}
		// a run of capitalised words or tool names ("Google Cloud Platform", "GitHub Actions")
		j := i
		for j+1 < len(toks) && !toks[j].breakAft && (capital(toks[j+1]) || tech(toks[j+1])) && !toks[j+1].sentStart {
			j++
		}
		if j == i && tech(t) {
			addTerm(t.raw)
			continue
		}
		if j > i {
			parts := make([]string, 0, j-i+1)
			for k := i; k <= j; k++ {
				parts = append(parts, toks[k].raw)
			}
			addTerm(strings.Join(parts, " "))
			i = j
			continue
		}
		if !t.sentStart || isAllCaps(t.raw) {
			addTerm(t.raw)
		}
	}
	// repeated words and two-word phrases
	minRep := int(rb.th(r, "min_repeat"))
	if minRep < 1 {
		minRep = 2
	}
	counts := map[string]int{}
	firstAt := map[string]int{}
	content := func(t jdTok) bool {
		return len(t.low) > 3 && !rb.has(r, "stop", t.low) && !rb.has("repetition.overused", "stopwords", t.low) && strings.IndexFunc(t.low, unicode.IsLetter) >= 0
	}
	for i, t := range toks {
		if !content(t) {
			continue
		}
		counts[t.low]++
		if _, ok := firstAt[t.low]; !ok {
			firstAt[t.low] = i
		}
		if i+1 < len(toks) && !t.breakAft && content(toks[i+1]) {
			bg := t.low + " " + toks[i+1].low
			counts[bg]++
			if _, ok := firstAt[bg]; !ok {
				firstAt[bg] = i
			}
		}
	}
	var reps []string
	for k, c := range counts {
		if c >= minRep {
			reps = append(reps, k)
		}
	}
	sort.Slice(reps, func(i, j int) bool {
		if firstAt[reps[i]] != firstAt[reps[j]] {
			return firstAt[reps[i]] < firstAt[reps[j]]
		}
		return len(reps[i]) > len(reps[j])
	})
	for _, k := range reps {
		// a repeated word already inside a repeated bigram or a named term adds nothing
		covered := false
		for f := range found {
			if f == k || (strings.Contains(" "+f+" ", " "+k+" ") && !strings.Contains(k, " ")) {
				covered = true
				break
			}
		}
		if !covered {
			addTerm(k)
		}
	}
	list := make([]*term, 0, len(found))
	for _, t := range found {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].first < list[j].first })
	max := int(rb.th(r, "max_terms"))
	out := make([]string, 0, len(list))
	for _, t := range list {
		if max > 0 && len(out) == max {
			break
		}
		out = append(out, t.text)
	}
	return out
}

func isAllCaps(s string) bool {
	letters := 0
	for _, c := range s {
		if unicode.IsLetter(c) {
			letters++
			if !unicode.IsUpper(c) {
				return false
			}
		}
	}
	return letters >= 2
}

// termWords splits a term into lowercase words the way answers are
// tokenised.
func termWords(term string) []string {
	var out []string
	fieldsEach(strings.ToLower(term), func(f string) {
		f = strings.TrimFunc(f, func(c rune) bool { return !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '+' || c == '#') })
		if f != "" {
			out = append(out, f)
		}
	})
	return out
}

func coverTerms(terms []string, ts []tok) AnswerCoverage {
	cov := AnswerCoverage{Terms: append([]string{}, terms...), Covered: []string{}, Missing: []string{}}
	for _, term := range terms {
		ws := termWords(term)
		hit := false
		if len(ws) > 0 {
			for i := 0; i+len(ws) <= len(ts) && !hit; i++ {
				ok := true
				for k, w := range ws {
					n := ts[i+k].norm
					if n != w && strings.TrimRight(n, "s") != strings.TrimRight(w, "s") && strings.ToLower(strings.Trim(ts[i+k].raw, ".,;:!?()\"'")) != w {
						ok = false
						break
					}
				}
				hit = ok
			}
		}
		if hit {
			cov.Covered = append(cov.Covered, term)
		} else {
			cov.Missing = append(cov.Missing, term)
		}
	}
	return cov
}

// SessionCoverage reports which terms each answer covered and which the
// whole session covered.
func SessionCoverage(terms []string, answers []string) Coverage {
	rb := DefaultRulebook()
	c := Coverage{Terms: append([]string{}, terms...), Covered: []string{}, Missing: []string{}, Answers: []AnswerCoverage{}}
	any := map[string]bool{}
	for _, ans := range answers {
		tk := tokenize(Input{Text: ans}, rb)
		ac := coverTerms(terms, tk.toks)
		for _, t := range ac.Covered {
			any[t] = true
		}
		c.Answers = append(c.Answers, ac)
	}
	for _, t := range terms {
		if any[t] {
			c.Covered = append(c.Covered, t)
		} else {
			c.Missing = append(c.Missing, t)
		}
	}
	return c
}
