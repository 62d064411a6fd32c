package questions

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// MaxTerms is the most terms ExtractTerms returns.
const MaxTerms = 30

// ExtractTerms picks the words and phrases of a job description that are
// worth matching questions against. It is deliberately simple, so that every
// term it returns can be explained:
//
//   - technology-shaped tokens: with a digit, one of + # . / & -, or a capital
//     letter after the first ("C++", "Node.js", "CI/CD", "on-call", "AWS",
//     "PostgreSQL", "SLOs");
//   - capitalised words inside a sentence ("experience with Kubernetes"); a
//     word capitalised only at the start of sentences or bullets ("Reduce
//     alert noise") does not count;
//   - two-word phrases that occur at least twice ("incident response");
//   - words of four or more letters that occur at least three times, unless
//     every occurrence is inside one such phrase;
//
// all minus a stop list of common English words and job-advert boilerplate
// ("experience", "team", "requirements", ...). Terms are returned most
// frequent first (then in order of first appearance), at most MaxTerms of
// them, each spelled as it first appeared.
func ExtractTerms(jd string) []string {
	toks := tokenize(strings.ReplaceAll(jd, "’", "'"))
	type cand struct {
		text  string
		count int
		first int
		ok    bool // qualifies as a term
	}
	cands := map[string]*cand{}
	var keys []string
	add := func(key, text string, pos int, ok bool) {
		c := cands[key]
		if c == nil {
			c = &cand{text: text, first: pos}
			cands[key] = c
			keys = append(keys, key)
		}
		c.count++
		c.ok = c.ok || ok
	}
	for i, t := range toks {
		lw := strings.ToLower(t.raw)
		ws := words(t.raw)
		if len(ws) == 0 || allStop(ws) || stopWords[lw] || !hasLetter(t.raw) || utf8.RuneCountInString(t.raw) < 2 {
			continue
		}
		key := strings.Join(ws, " ")
		first, _ := utf8.DecodeRuneInString(t.raw)
		switch {
		case techShaped(t.raw):
			add(key, t.raw, i, true)
		case unicode.IsUpper(first) && utf8.RuneCountInString(t.raw) > 1:
			add(key, t.raw, i, !t.start)
		case isLetters(t.raw) && utf8.RuneCountInString(t.raw) >= 4:
			add(key, t.raw, i, false) // becomes a term at 3 occurrences
		}
		// Two-word phrases within a sentence.
		if i+1 < len(toks) && !toks[i+1].start && phraseWord(t.raw) && phraseWord(toks[i+1].raw) {
			next := strings.ToLower(toks[i+1].raw)
			if !stopWords[next] {
				add(key+" "+strings.Join(words(next), " "), lw+" "+next, i, false)
			}
		}
	}
	// inPhrase counts, per word, the occurrences inside repeated phrases.
	inPhrase := map[string]int{}
	for _, k := range keys {
		if c := cands[k]; strings.Contains(k, " ") && c.count >= 2 {
			for _, w := range strings.Fields(k) {
				inPhrase[w] += c.count
			}
		}
	}
	var out []*cand
	for _, k := range keys {
		c := cands[k]
		phrase := strings.Contains(k, " ")
		if c.ok || (phrase && c.count >= 2) || (!phrase && c.count >= 3 && inPhrase[k] < c.count) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].first < out[j].first
	})
	if len(out) > MaxTerms {
		out = out[:MaxTerms]
	}
	terms := make([]string, len(out))
	for i, c := range out {
		terms[i] = c.text
	}
	return terms
}

type token struct {
	raw   string
	start bool // first token of a sentence, line or bullet
}

// tokenize splits text into tokens made of letters, digits, + and #, with
// . / & ' - allowed between them ("Node.js", "CI/CD", "on-call").
func tokenize(s string) []token {
	var toks []token
	rs := []rune(s)
	start := true
	for i := 0; i < len(rs); {
		r := rs[i]
		if !isTokenRune(r) {
			if strings.ContainsRune(".!?:;\n•*·|", r) {
				start = true
			}
			i++
			continue
		}
		j := i
		for j < len(rs) {
			if isTokenRune(rs[j]) {
				j++
				continue
			}
			if strings.ContainsRune("./&'-", rs[j]) && j+1 < len(rs) && isWordRune(rs[j+1]) && j > i && isTokenRune(rs[j-1]) {
				j++
				continue
			}
			break
		}
		toks = append(toks, token{raw: string(rs[i:j]), start: start})
		start = false
		i = j
	}
	return toks
}

func isWordRune(r rune) bool  { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func isTokenRune(r rune) bool { return isWordRune(r) || r == '+' || r == '#' }

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func phraseWord(s string) bool { return isLetters(s) && utf8.RuneCountInString(s) >= 3 }

func techShaped(s string) bool {
	for i, r := range []rune(s) {
		switch {
		case unicode.IsDigit(r), strings.ContainsRune("+#./&-", r):
			return true
		case i > 0 && unicode.IsUpper(r):
			return true
		}
	}
	return false
}

// words lower-cases s and splits it into comparable words: runs of letters,
// digits, + and #, with a plural s removed ("SLOs" → "slo", "incidents" →
// "incident", "processes" → "process", "policies" → "policy").
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isTokenRune(r) })
	for i, w := range f {
		f[i] = singular(w)
	}
	return f
}

func singular(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

func allStop(ws []string) bool {
	for _, w := range ws {
		if !stopWords[w] {
			return false
		}
	}
	return true
}

// MatchTerms returns the job terms that q matches, in the order given. A term
// matches when its words (compared as by ExtractTerms: lower case, plural s
// removed, split at punctuation) appear consecutively in the question's text,
// in one of its topic or role tags, or in one of the words that name its role
// (RoleWords: a nursing question matches "nurse", "patient", "hospital").
// Terms made only of stop words never match, and a term that lies inside
// another matched term ("incident" inside "incident response") is not
// counted again. Select scores a question by the number of terms it matches.
func MatchTerms(q rehearse.Question, terms []string) []string {
	pt := prepareTerms(terms)
	var out []string
	for _, i := range matchPrepared(q, pt) {
		out = append(out, pt[i].text)
	}
	return out
}

type preparedTerm struct {
	text  string
	words []string
}

func prepareTerms(terms []string) []preparedTerm {
	var out []preparedTerm
	seen := map[string]bool{}
	for _, t := range terms {
		ws := words(t)
		key := strings.Join(ws, " ")
		if len(ws) == 0 || allStop(ws) || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, preparedTerm{text: t, words: ws})
	}
	return out
}

// matchPrepared returns the indexes of the terms q matches.
func matchPrepared(q rehearse.Question, terms []preparedTerm) []int {
	hay := [][]string{words(q.Text)}
	for _, t := range q.Tags {
		if v, ok := strings.CutPrefix(t, TopicPrefix); ok {
			hay = append(hay, words(v))
		}
		if v, ok := strings.CutPrefix(t, RolePrefix); ok {
			hay = append(hay, words(v))
			for _, w := range RoleWords[v] {
				hay = append(hay, words(w))
			}
		}
	}
	var hit []int
	for i, t := range terms {
		for _, h := range hay {
			if containsSeq(h, t.words) {
				hit = append(hit, i)
				break
			}
		}
	}
	var out []int
	for _, i := range hit {
		inside := false
		for _, j := range hit {
			if len(terms[j].words) > len(terms[i].words) && containsSeq(terms[j].words, terms[i].words) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, i)
		}
	}
	return out
}

// RoleWords are the words that name each role in job descriptions; a
// question tagged with the role matches them as if they were in its text.
var RoleWords = map[string][]string{
	"software":   {"software", "engineer", "engineering", "developer", "programmer", "sre", "devops", "backend", "frontend"},
	"data":       {"data", "analyst", "analytics", "scientist", "data science", "business intelligence"},
	"product":    {"product manager", "product management", "product owner", "roadmap"},
	"design":     {"design", "designer", "ux", "ui", "user experience", "interaction design"},
	"sales":      {"sales", "account executive", "business development", "quota", "seller"},
	"support":    {"customer support", "customer service", "customer success", "help desk", "helpdesk", "ticket"},
	"operations": {"operations", "logistics", "warehouse", "supply chain", "fulfilment", "fulfillment", "distribution"},
	"healthcare": {"nurse", "nursing", "clinical", "patient", "hospital", "healthcare", "medical", "clinic"},
	"teaching":   {"teacher", "teaching", "school", "student", "classroom", "education", "curriculum", "pupil"},
	"management": {"manager", "management", "leadership", "leader", "director", "head of"},
	"finance":    {"finance", "financial", "accounting", "accountant", "fp&a", "controller", "audit"},
	"marketing":  {"marketing", "marketer", "brand", "campaign", "seo", "growth marketing"},
	"hr":         {"hr", "human resources", "recruiter", "recruiting", "talent acquisition", "people operations"},
}

func containsSeq(h, n []string) bool {
	for i := 0; i+len(n) <= len(h); i++ {
		ok := true
		for j := range n {
			if h[i+j] != n[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// stopWords are common English words and job-advert boilerplate that say
// nothing about which questions fit. Entries are lower case; plural forms are
// covered by the singular rule in words only when listed in singular.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above across after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else etc even
ever every few for from further get gets getting give given go going good great had has have having
he her here hers herself him himself his how however i if in into is it its itself just keep know
less like make makes making many may me might more most much must my myself need needs new no nor
not now of off often on once one only or other others our ours ourselves out over own per plus
quite rather really same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up upon us use used using very via want
was we well were what when where whether which while who whom whose why will with within without
would yet you your yours yourself yourselves

ability able about across additional across apply applicant applicants applying approach areas
ambitious based benefit benefits best bonus bring build building candidate candidates career
careers collaborate collaborative company competitive create culture daily day deep deliver
demonstrated description desire develop develops drive driven duties dynamic effective
effectively employee employees employer encourage ensure environment equal excellent excited
exciting experience experienced expertise familiarity familiar flexible focus focused full fun
gender grow growing growth hands help helping highly hire hiring hours impact include includes
including individual inclusive job join joining key knowledge large lead leading learn learning
level life looking love manage member members minimum mission must nice offer offers opportunity
opportunities orientation ownership paced paid part partner passion passionate people perks
plus position preferred previous proficiency proficient proven qualification qualifications
race range related relevant religion remote required requirement requirements responsibilities
responsibility responsible results role salary senior junior principal intern seek seeking
sexual skill skills solid someone strong success successful support team teams thrive time
today together tools track understanding unique value values help week weeks work working
world year years ideal ideally bonus closely company's we're you'll you're we'll it's
cross-functional fast-paced full-time part-time well-being self-starter self-motivated
detail-oriented high-quality world-class results-driven hands-on top-notch
e.g i.e re ll ve don didn doesn isn aren won wouldn shouldn

own operate maintain improve write partner mentor define implement participate contribute
champion establish identify coordinate oversee provide communicate prepare review conduct
perform assist handle serve report execute utilize leverage act take set run shape
`) {
		m[w] = true
		m[singular(w)] = true
	}
	return m
}()
