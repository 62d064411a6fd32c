package feedback

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// internalName matches what only the code should see: identifiers such as
// filler_rate or pause_as_comma_s, and comparisons such as "STAR task = false".
var internalName = regexp.MustCompile(`[a-z]+_[a-z_]+|= (true|false)|[≥≤<>] ?[0-9]`)

// wordingAnswers make every suggestion and mention of the rulebook appear.
var wordingAnswers = []Input{
	{Type: rehearse.Behavioral, DurationS: 12, Text: "Um, so, like, we, um, basically fixed the checkout, um, problem. I guess we, uh, kind of moved the payment calls to a queue, you know, and it was, um, better. I think it was, like, fine in the end, I guess."},
	{Type: rehearse.Behavioral, DurationS: 400, Text: "Last year our team was late. My job was to plan the release. We moved fast, we fixed bugs, we shipped, we tested, we met, we planned, and the launch went well. We were happy."},
	{Type: rehearse.Behavioral, DurationS: 75, Text: "Last spring our checkout API was timing out. My job was to find the cause. I pulled the traces and I added an index. The page loaded faster after that and the team was relieved."},
	{Type: rehearse.Situational, DurationS: 40, Text: "I would talk to the customer first and then I would, I guess, check the logs and maybe escalate. I think that is probably right, I think."},
	{Type: rehearse.Intro, Timed: true, LatencyKnown: true, Words: timedWords("Um, so I'm a backend engineer. I've spent five years on payments, and we, um, we built the ledger that now handles most of our volume. I'm looking for a team that cares about reliability and, um, reliability.", 0.5, 0.3, map[int]float64{3: 4.2, 9: 2.5, 14: 2.4})},
	{Type: rehearse.Motivation, DurationS: 30, Text: "My old manager was terrible and the company was awful, so I left. I want a better place. Better better better place place place."},
}

// TestWordingHasNoInternalNames: what the answer's feedback says, its
// suggestions and their thresholds, mentions, checks and strengths, is in
// words: no variable names and no "x = false".
func TestWordingHasNoInternalNames(t *testing.T) {
	seen := 0
	for i, in := range wordingAnswers {
		r := Analyze(in, nil)
		var texts []string
		for _, s := range r.Suggestions {
			texts = append(texts, s.Text, s.Threshold)
		}
		for _, m := range r.Mentions {
			texts = append(texts, m.Text, m.Threshold)
		}
		for _, c := range r.Checks {
			texts = append(texts, c.Label, c.Reason)
		}
		texts = append(texts, r.Strengths...)
		texts = append(texts, r.Caveats...)
		for _, e := range r.Evidence {
			texts = append(texts, e.Why())
		}
		for _, s := range texts {
			seen++
			if m := internalName.FindString(s); m != "" {
				t.Errorf("answer %d: %q shows %q", i, s, m)
			}
		}
	}
	if seen < 40 {
		t.Fatalf("only %d texts checked", seen)
	}
}

// TestTypedAnswerCaveats: the transcriber's limits are told only about
// spoken answers.
func TestTypedAnswerCaveats(t *testing.T) {
	typed := Analyze(Input{Type: rehearse.Behavioral, DurationS: 60, Text: "Um, so I fixed the build, like, last week."}, nil)
	spoken := Analyze(Input{Type: rehearse.Behavioral, Timed: true, Words: timedWords("Um, so I fixed the build, like, last week.", 0.3, 0.1, nil)}, nil)
	if c := strings.Join(typed.Caveats, "\n"); strings.Contains(c, "transcriber") {
		t.Errorf("a typed answer is told about the transcriber: %q", c)
	}
	if c := strings.Join(spoken.Caveats, "\n"); !strings.Contains(c, "transcriber omits some fillers") {
		t.Errorf("a spoken answer is not told that fillers may be missed: %q", c)
	}
}

// TestStrengthQuoteCutAtWord: a long quote in a strength ends at a whole
// word with an ellipsis.
func TestStrengthQuoteCutAtWord(t *testing.T) {
	r := Analyze(Input{Type: rehearse.Behavioral, DurationS: 80, Text: "Last spring our checkout API was timing out. My job was to find the cause. " +
		"I pulled the traces and I added an index, which cut the p99 latency of the checkout service for every customer in every region from four seconds to two hundred milliseconds within a week."}, nil)
	var got string
	for _, s := range r.Strengths {
		if strings.HasPrefix(s, "Clear result with a number: ") {
			got = s
		}
	}
	if got == "" {
		t.Fatalf("no quantified strength in %q", r.Strengths)
	}
	q := strings.TrimSuffix(strings.TrimPrefix(got, "Clear result with a number: "), ".")
	if !strings.HasSuffix(q, "…”") {
		t.Fatalf("long quote not cut with an ellipsis: %q", got)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(q, "“"), "…”")
	if n := len(strings.Fields(body)); n != strengthQuoteWords {
		t.Errorf("quote has %d words, want %d: %q", n, strengthQuoteWords, q)
	}
	text := "which cut the p99 latency of the checkout service for every customer in every region from four seconds to two hundred milliseconds within a week"
	if !strings.Contains(text, body) || !strings.HasPrefix(text[strings.Index(text, body)+len(body):], " ") {
		t.Errorf("quote %q is not cut at a word boundary of the answer", body)
	}
}

// TestTypedPaceFromStatedTime: a typed answer with a speaking time given
// by the speaker gets a pace; one whose time is only estimated does not.
func TestTypedPaceFromStatedTime(t *testing.T) {
	text := strings.Repeat("I rewrote the deploy script and the release took less time than before. ", 4)
	stated := &rehearse.Attempt{QuestionType: rehearse.Technical, DurationS: 30,
		Transcript: rehearse.Transcript{Text: text, DurationS: 30, Source: "typed"}}
	r := Analyze(InputFor(stated, nil), nil)
	if r.Metrics.SpeakingRateWPM == nil || *r.Metrics.SpeakingRateWPM != 104 {
		t.Fatalf("pace of 52 words in 30 s = %v, want 104", r.Metrics.SpeakingRateWPM)
	}
	estimated := &rehearse.Attempt{QuestionType: rehearse.Technical, DurationS: EstimatedSpeakingS(52),
		Transcript: rehearse.Transcript{Text: text, Source: "typed"}}
	r = Analyze(InputFor(estimated, nil), nil)
	if r.Metrics.SpeakingRateWPM != nil {
		t.Errorf("an estimated speaking time gave a pace of %v", *r.Metrics.SpeakingRateWPM)
	}
	if r.Metrics.SpeechSpanS == nil || *r.Metrics.SpeechSpanS != 20.8 {
		t.Errorf("length of an estimated typed answer = %v, want 20.8 s", r.Metrics.SpeechSpanS)
	}
}

// TestTextSaysRuleInWords: the command line's feedback gives each
// suggestion's rule in words, its id, and why its quotes are its evidence.
func TestTextSaysRuleInWords(t *testing.T) {
	var b strings.Builder
	if err := WriteText(&b, Analyze(wordingAnswers[0], nil)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"suggested when: no step told with “I” and an action verb was found (rule star.action)",
		"evidence: The result you tell:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the text does not say %q:\n%s", want, out)
		}
	}
}
