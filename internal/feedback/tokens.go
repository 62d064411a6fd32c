package feedback

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok is one word of the answer after normalisation: curly apostrophes
// straightened, lowercased, edge punctuation stripped (and kept as features),
// variant spellings mapped to one key ("umm" → "um").
type tok struct {
	raw   string // the whitespace token as written
	norm  string // lowercased, edge punctuation stripped, variant mapped
	word  int    // index into Input.Words (timed) or strings.Fields(Input.Text)
	start float64
	end   float64
	timed bool // start/end are usable
	low   bool // recogniser probability below the rulebook threshold
	caps  bool // first letter upper case as written

	sentEnd   bool // followed by . ? ! (or the end of the answer)
	question  bool // followed by ?
	comma     bool // followed by , ; : — or a dash
	ellipsis  bool // followed by ... or …
	breakPrev bool // preceded by a standalone dash/ellipsis or leading punctuation that marks a break
	gapAfter  bool // timed mode: a silent gap of at least the pause threshold follows

	mask        *wordMask // registered word lists this word is in (nil: none)
	clauseStart bool
	used        int8 // 0 free; 1 filler; 2 hedge
	filler      bool
}

// pauseAfter: followed by a comma, an ellipsis, a dash or the end of a
// sentence, which stand for a pause in text, or by a silent gap in timed words.
func (t *tok) pauseAfter() bool { return t.comma || t.ellipsis || t.sentEnd || t.gapAfter }

// tokenizer state shared by text and timed mode.
type tokenizer struct {
	rb       *Rulebook
	variants map[string]string
	toks     []tok
	minP     float64
	pending  bool // a standalone break token was seen before the next word
	lowCount int
}

func newTokenizer(rb *Rulebook, capHint int) *tokenizer {
	return &tokenizer{
		rb:       rb,
		variants: rb.rule("text.normalise").Maps["variants"],
		toks:     make([]tok, 0, capHint),
		minP:     rb.th("asr.confidence", "min_probability"),
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// add splits one whitespace token into its word and punctuation features.
func (tz *tokenizer) add(raw string, word int, start, end float64, timed bool, p float64, hasP bool) {
	// leading and trailing punctuation
	lead, trail := 0, len(raw)
	for lead < len(raw) {
		r, n := utf8.DecodeRuneInString(raw[lead:])
		if isWordRune(r) {
			break
		}
		lead += n
	}
	if lead == len(raw) { // no letter or digit: a standalone punctuation token
		if len(tz.toks) > 0 {
			tz.markTrail(&tz.toks[len(tz.toks)-1], raw)
		}
		if strings.ContainsAny(raw, "-–—…;:") || strings.Contains(raw, "..") {
			tz.pending = true
		}
		return
	}
	for trail > lead {
		r, n := utf8.DecodeLastRuneInString(raw[:trail])
		if isWordRune(r) {
			break
		}
		trail -= n
	}
	core := raw[lead:trail]
	t := tok{raw: raw, word: word, start: start, end: end, timed: timed}
	r0, _ := utf8.DecodeRuneInString(core)
	t.caps = unicode.IsUpper(r0)
	t.norm = normWord(core, tz.variants, tz.rb)
	t.mask = tz.rb.index[t.norm]
	if hasP && p < tz.minP {
		t.low = true
		tz.lowCount++
	}
	if lead > 0 {
		lp := raw[:lead]
		if strings.ContainsAny(lp, "-–—…") || strings.Contains(lp, "..") {
			t.breakPrev = true
		}
	}
	if tz.pending {
		t.breakPrev = true
		tz.pending = false
	}
	if trail < len(raw) {
		tz.markTrail(&t, raw[trail:])
	}
	tz.toks = append(tz.toks, t)
}

func (tz *tokenizer) markTrail(t *tok, p string) {
	if strings.Contains(p, "...") || strings.Contains(p, "…") {
		t.ellipsis = true
		p = strings.ReplaceAll(strings.ReplaceAll(p, "...", ""), "…", "")
	}
	if strings.ContainsAny(p, ".!?") {
		t.sentEnd = true
	}
	if strings.ContainsRune(p, '?') {
		t.question = true
	}
	if strings.ContainsAny(p, ",;:-–—") {
		t.comma = true
	}
}

// normWord lowercases a token core, straightens apostrophes and maps
// spelling variants (umm → um, ok → okay).
func normWord(core string, variants map[string]string, rb *Rulebook) string {
	var b strings.Builder
	simple := true
	for i := 0; i < len(core); i++ {
		c := core[i]
		if c >= 0x80 || (c >= 'A' && c <= 'Z') {
			simple = false
			break
		}
	}
	s := core
	if !simple {
		b.Grow(len(core))
		for _, r := range core {
			switch r {
			case '\u2019', '\u2018', '\u02bc':
				r = '\''
			}
			b.WriteRune(unicode.ToLower(r))
		}
		s = b.String()
	}
	if v, ok := variants[s]; ok {
		return v
	}
	if c := collapseRuns(s); c != s {
		if v, ok := variants[c]; ok {
			return v
		}
		if rb.hasRef(refFillersFilledPauseKeys, c) {
			return c // "ummmm" → "um"
		}
	}
	return s
}

// collapseRuns squeezes repeated letters in short hesitation tokens
// ("ummmm" → "um", "hmmm" → "hm"); other words are returned unchanged.
func collapseRuns(s string) string {
	if len(s) < 3 || len(s) > 12 {
		return s
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'u', 'm', 'h', 'e', 'r', 'a':
		default:
			return s
		}
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// tokenize builds the token stream of an input. It reports whether
// the timings are usable and collects caveats about them.
type tokenized struct {
	toks       []tok
	fields     int // whitespace tokens in the input (the evidence index range)
	timed      bool
	timesOK    bool
	overlaps   int
	badTimes   int
	outOfOrder int
	lowCount   int
}

func tokenize(in Input, rb *Rulebook) tokenized {
	var out tokenized
	if in.Timed && len(in.Words) > 0 {
		tz := newTokenizer(rb, len(in.Words)+8)
		out.timed = true
		out.timesOK = true
		prevStart, prevEnd := math.Inf(-1), math.Inf(-1)
		for i, w := range in.Words {
			ok := !bad(w.Start) && !bad(w.End) && w.Start >= 0 && w.End >= w.Start
			if !ok {
				out.badTimes++
				out.timesOK = false
			} else {
				if w.Start < prevStart {
					out.outOfOrder++
					out.timesOK = false
				} else if w.Start < prevEnd-0.05 {
					out.overlaps++
				}
				prevStart, prevEnd = w.Start, w.End
			}
			hasP := !bad(w.P) && w.P > 0
			fieldsEach(w.Text, func(f string) {
				tz.add(f, i, w.Start, w.End, ok, w.P, hasP)
			})
		}
		// in timed mode a silent gap is a pause, like a comma in text
		minGap := rb.th("text.normalise", "pause_as_comma_s")
		for k := 0; k+1 < len(tz.toks); k++ {
			a, b := &tz.toks[k], &tz.toks[k+1]
			if a.word != b.word && a.timed && b.timed && b.start-a.end >= minGap {
				a.gapAfter = true
			}
		}
		out.toks = tz.toks
		out.fields = len(in.Words)
		out.lowCount = tz.lowCount
		return out
	}
	tz := newTokenizer(rb, len(in.Text)/5+8)
	n := 0
	fieldsEach(in.Text, func(f string) {
		tz.add(f, n, 0, 0, false, 0, false)
		n++
	})
	out.toks = tz.toks
	out.fields = n
	return out
}

func bad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

// fieldsEach calls fn for each whitespace-separated field of s, in order,
// without allocating a slice.
func fieldsEach(s string, fn func(string)) {
	i := 0
	for i < len(s) {
		if sp, n := spaceAt(s, i); sp {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			sp, n := spaceAt(s, j)
			if sp {
				break
			}
			j += n
		}
		fn(s[i:j])
		i = j
	}
}

// spaceAt reports whether s has white space at byte i, and the width of
// the character there; ASCII is decided without decoding.
func spaceAt(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f', 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), n
}

// markClauseStarts marks the words that start a clause: the first word, the
// word after sentence-final punctuation, a comma, semicolon, colon, dash or
// pause, and the word after a coordinating conjunction (and, but, or, so)
// that itself starts a clause. Filled pauses are transparent (a word after
// "and, um" still starts the clause).
func markClauseStarts(ts []tok, rb *Rulebook) {
	for i := range ts {
		t := &ts[i]
		if i == 0 || t.breakPrev {
			t.clauseStart = true
			continue
		}
		p := &ts[i-1]
		if p.sentEnd || p.comma || p.ellipsis || p.gapAfter {
			t.clauseStart = true
			continue
		}
		if p.clauseStart && (rb.hasRef(refTextNormaliseCoordinators, p.norm) || rb.hasRef(refFillersFilledPauseKeys, p.norm)) {
			t.clauseStart = true
		}
	}
	if n := len(ts); n > 0 {
		ts[n-1].sentEnd = true
	}
}
