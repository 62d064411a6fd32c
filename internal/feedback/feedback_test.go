package feedback

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// timedWords turns text into words with steady timings: gap seconds after
// each word, longer after words listed in pauses.
func timedWords(text string, wordS, gapS float64, pauses map[int]float64) []rehearse.Word {
	var ws []rehearse.Word
	t := 0.8
	for i, f := range strings.Fields(text) {
		ws = append(ws, rehearse.Word{Text: f, Start: t, End: t + wordS, P: 0.9})
		t += wordS + gapS + pauses[i]
	}
	return ws
}

// TestLabelledItems checks every labelled item key by key, so a single
// regression names the rule it broke. The scorer test reports the
// aggregate figures.
func TestLabelledItems(t *testing.T) {
	for _, it := range loadLabelled(t) {
		t.Run(it.ID, func(t *testing.T) {
			r := analyzeItem(it)
			l := LabelsOf(r)
			if !sameCounts(l.Fillers, it.Labels.Fillers) && it.Labels.Fillers != nil {
				t.Errorf("fillers = %v, want %v in %q", l.Fillers, it.Labels.Fillers, it.Text)
			}
			if !sameCounts(l.Hedges, it.Labels.Hedges) && it.Labels.Hedges != nil {
				t.Errorf("hedges = %v, want %v in %q", l.Hedges, it.Labels.Hedges, it.Text)
			}
			if l.WordCount != it.Labels.WordCount || l.ICount != it.Labels.ICount || l.WeCount != it.Labels.WeCount {
				t.Errorf("words/i/we = %d/%d/%d, want %d/%d/%d", l.WordCount, l.ICount, l.WeCount, it.Labels.WordCount, it.Labels.ICount, it.Labels.WeCount)
			}
			if l.LengthBand != it.Labels.LengthBand {
				t.Errorf("length band = %s, want %s", l.LengthBand, it.Labels.LengthBand)
			}
		})
	}
}

func TestLengthBandBoundaries(t *testing.T) {
	for _, c := range []struct {
		typ  rehearse.QuestionType
		d    float64
		want string
	}{
		{rehearse.Behavioral, 44.9, "short"}, {rehearse.Behavioral, 45, "below_target"},
		{rehearse.Behavioral, 59.9, "below_target"}, {rehearse.Behavioral, 60, "target"},
		{rehearse.Behavioral, 150, "target"}, {rehearse.Behavioral, 150.1, "above_target"},
		{rehearse.Behavioral, 180, "above_target"}, {rehearse.Behavioral, 180.1, "long"},
		{rehearse.Intro, 29, "short"}, {rehearse.Intro, 121, "above_target"}, {rehearse.Intro, 151, "long"},
		{rehearse.Motivation, 19, "short"}, {rehearse.Motivation, 30, "target"}, {rehearse.Motivation, 91, "above_target"},
		{rehearse.Technical, 19.5, "short"}, {rehearse.Technical, 240, "above_target"}, {rehearse.Technical, 241, "long"},
		{rehearse.Situational, 0, "unknown"},
	} {
		r := Analyze(Input{Type: c.typ, Text: "I wrote the script.", DurationS: c.d}, nil)
		if r.Metrics.LengthBand != c.want {
			t.Errorf("%s %.1f s: band %s, want %s", c.typ, c.d, r.Metrics.LengthBand, c.want)
		}
	}
}

func TestBadInputNeverPanics(t *testing.T) {
	long := strings.Repeat("we shipped the fix and um the errors dropped by 20% ", 1000)
	nan := math.NaN()
	cases := []struct {
		name    string
		in      Input
		caveat  string // a caveat that must be present
		noPause bool
	}{
		{"empty", Input{Text: ""}, "empty", true},
		{"whitespace", Input{Text: " \n\t "}, "empty", true},
		{"only fillers", Input{Text: "um uh um, hmm... uh"}, "untimed", true},
		{"10000 words", Input{Text: long, DurationS: 3000}, "untimed", true},
		{"non-English", Input{Text: "Der Server ist gestern abgestürzt und wir haben ihn neu gestartet, danach lief alles wieder stabil."}, "English", true},
		{"punctuation only", Input{Text: "— ... , . !"}, "empty", true},
		{"timed no words", Input{Timed: true, Text: "typed instead"}, "untimed", true},
		{"timed zero times", Input{Timed: true, Words: []rehearse.Word{{Text: "I"}, {Text: "fixed"}, {Text: "it"}}}, "", false},
		{"out of order", Input{Timed: true, Words: []rehearse.Word{{Text: "I", Start: 2, End: 2.2}, {Text: "fixed", Start: 1, End: 1.3}}}, "out of order", true},
		{"overlapping", Input{Timed: true, Words: []rehearse.Word{{Text: "I", Start: 1, End: 2}, {Text: "fixed", Start: 1.2, End: 2.5}, {Text: "it.", Start: 2.4, End: 2.6}}}, "overlap", false},
		{"NaN and negative", Input{Timed: true, Words: []rehearse.Word{{Text: "um", Start: nan, End: 1}, {Text: "so", Start: -1, End: -0.5}, {Text: "yes", Start: 1, End: math.Inf(1)}}}, "unusable", true},
		{"NaN duration", Input{Text: "I fixed it.", DurationS: nan}, "duration", true},
		{"bad type", Input{Type: "interrogation", Text: "I fixed it."}, "", true},
		{"multiword word", Input{Timed: true, Words: []rehearse.Word{{Text: " you know,", Start: 0.5, End: 1, P: 0.9}, {Text: "it", Start: 1.1, End: 1.2, P: 0.9}}}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Analyze(c.in, nil)
			var v map[string]any
			if err := json.Unmarshal(r.JSON(), &v); err != nil {
				t.Fatalf("result is not JSON: %v", err)
			}
			if len(r.Strengths) == 0 {
				t.Error("no strength")
			}
			if len(r.Suggestions) > 3 {
				t.Errorf("%d suggestions", len(r.Suggestions))
			}
			if c.caveat != "" && !strings.Contains(strings.Join(r.Caveats, "\n"), c.caveat) {
				t.Errorf("caveats %q lack %q", r.Caveats, c.caveat)
			}
			if c.noPause && r.Metrics.Pauses != nil {
				t.Errorf("pauses computed without usable timings: %+v", r.Metrics.Pauses)
			}
			checkInvariants(t, c.in, r)
		})
	}
}

// checkInvariants are the properties every result has (also used by the fuzz test).
func checkInvariants(t *testing.T, in Input, r *Result) {
	t.Helper()
	m := r.Metrics
	n := len(strings.Fields(in.Text))
	if in.Timed && len(in.Words) > 0 {
		n = len(in.Words)
	}
	if m.WordCount < 0 || m.HedgeTotal < 0 || m.ICount < 0 || m.WeCount < 0 || m.QuantifiedResults < 0 || m.LexicalWords < 0 {
		t.Fatalf("negative count: %+v", m)
	}
	if m.FillerTotal != nil && (*m.FillerTotal < 0 || *m.FillerTotal > m.WordCount) {
		t.Fatalf("filler total %d of %d words", *m.FillerTotal, m.WordCount)
	}
	if m.HedgeTotal > m.WordCount {
		t.Fatalf("hedge total %d of %d words", m.HedgeTotal, m.WordCount)
	}
	for i, e := range r.Evidence {
		if e.First < 0 || e.First >= n || e.Last < e.First || e.Last >= n {
			t.Fatalf("evidence %d indexes %d..%d outside %d input words", i, e.First, e.Last, n)
		}
		if e.Start != nil && (math.IsNaN(*e.Start) || *e.Start < 0 || e.End == nil || *e.End < *e.Start) {
			t.Fatalf("evidence %d has span %v..%v", i, e.Start, e.End)
		}
	}
	for _, s := range r.Suggestions {
		for _, ref := range s.EvidenceRefs {
			if ref < 0 || ref >= len(r.Evidence) {
				t.Fatalf("suggestion %s cites evidence %d of %d", s.ID, ref, len(r.Evidence))
			}
		}
		if s.Rule == "" || s.Threshold == "" {
			t.Fatalf("suggestion %s without rule or threshold", s.ID)
		}
	}
	if len(r.Suggestions) > 3 || len(r.Strengths) == 0 {
		t.Fatalf("%d suggestions, %d strengths", len(r.Suggestions), len(r.Strengths))
	}
}

func TestDeterministicJSON(t *testing.T) {
	in := Input{Type: rehearse.Behavioral, Timed: true, LatencyKnown: true,
		Words: timedWords(benchText, 0.25, 0.12, map[int]float64{10: 2.5, 40: 3.2, 90: 5.5}), JobTerms: []string{"PostgreSQL", "incident response"}}
	a := Analyze(in, nil).JSON()
	for i := 0; i < 20; i++ {
		if b := Analyze(in, nil).JSON(); !bytes.Equal(a, b) {
			t.Fatal("two runs gave different JSON")
		}
	}
}

func TestNeverSaysNoFillers(t *testing.T) {
	r := Analyze(Input{Text: "I rewrote the importer and the nightly job finished two hours earlier.", DurationS: 60}, nil)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := strings.ToLower(b.String() + string(r.JSON()))
	if strings.Contains(out, "no fillers") || strings.Contains(out, "no filler ") {
		t.Errorf("output says there are no fillers:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "none detected") {
		t.Errorf("text output lacks “none detected”:\n%s", b.String())
	}
}

func TestLowConfidenceWordsNotCountedOrQuoted(t *testing.T) {
	ws := timedWords("um so like I basically rewrote the parser, you know, and it worked", 0.3, 0.1, nil)
	for i := range ws {
		if ws[i].Text == "basically" || ws[i].Text == "um" {
			ws[i].P = 0.1
		}
	}
	r := Analyze(Input{Timed: true, Words: ws}, nil)
	if r.Metrics.Fillers["basically"] != 0 || r.Metrics.Fillers["um"] != 0 {
		t.Errorf("low-confidence words counted: %v", r.Metrics.Fillers)
	}
	if r.Metrics.LowConfidenceWords != 2 {
		t.Errorf("low_confidence_words = %d, want 2", r.Metrics.LowConfidenceWords)
	}
	for _, e := range r.Evidence {
		if strings.Contains(e.Text, "basically") || strings.EqualFold(e.Text, "um") {
			t.Errorf("low-confidence word quoted: %+v", e)
		}
	}
	if !strings.Contains(strings.Join(r.Caveats, " "), "low confidence") {
		t.Errorf("no low-confidence caveat: %q", r.Caveats)
	}
}

func TestTimedMetrics(t *testing.T) {
	// 60 words over ~30 s with one 3.5 s pause mid-sentence and one 6 s pause after a full stop
	text := strings.TrimSpace(strings.Repeat("we moved the billing jobs to a queue and it helped. ", 6))
	ws := timedWords(text, 0.3, 0.1, map[int]float64{4: 3.5, 10: 6})
	r := Analyze(Input{Timed: true, Words: ws, LatencyKnown: true, Type: rehearse.Behavioral}, nil)
	m := r.Metrics
	if m.Pauses == nil || m.Pauses.Long != 2 || m.Pauses.VeryLong != 2 || m.Pauses.MidSentenceLong != 1 {
		t.Fatalf("pauses = %+v", m.Pauses)
	}
	if m.LatencyS == nil || *m.LatencyS != 0.8 {
		t.Errorf("latency = %v, want 0.8", m.LatencyS)
	}
	if m.SpeakingRateWPM == nil || m.ArticulationRateWPM == nil || *m.ArticulationRateWPM <= *m.SpeakingRateWPM {
		t.Errorf("rates = %v / %v", m.SpeakingRateWPM, m.ArticulationRateWPM)
	}
	for _, c := range r.Checks {
		if c.ID == "fluency.pauses" && c.Pass {
			t.Errorf("pause check passed with a 6 s pause: %+v", c)
		}
	}
	r = Analyze(Input{Timed: true, Words: ws, ExcludeFluencyChecks: true}, nil)
	nFluency := 0
	for _, c := range r.Checks {
		if c.Fluency {
			nFluency++
			if c.Counted {
				t.Errorf("fluency check counted although excluded: %+v", c)
			}
		}
	}
	if nFluency == 0 || r.Metrics.Pauses == nil {
		t.Errorf("fluency checks or metrics missing when only excluded from the total")
	}
	// fluency off: no filler, pace or pause metrics, and fluency checks not counted
	r = Analyze(Input{Timed: true, Words: ws, LatencyKnown: true, NoFluency: true}, nil)
	if r.Metrics.FillerTotal != nil || r.Metrics.Pauses != nil || r.Metrics.SpeakingRateWPM != nil || r.Metrics.LatencyS != nil {
		t.Errorf("fluency metrics present with fluency off: %+v", r.Metrics)
	}
	for _, c := range r.Checks {
		if c.Fluency && c.Counted {
			t.Errorf("fluency check counted with fluency off: %+v", c)
		}
	}
}

func TestOverrides(t *testing.T) {
	text := "Um, like, I basically, um, fixed it, like, fast. Um, uh, so yeah."
	base := Analyze(Input{Text: text, DurationS: 60}, nil)
	if *base.Metrics.FillerTotal < 6 {
		t.Fatalf("base fillers %d", *base.Metrics.FillerTotal)
	}
	o, err := ParseOverrides([]byte(`{"rules":{"fillers.like":{"enabled":false},"fillers":{"thresholds":{"min_total":100}},"hedges.lexical":{"add":{"keys":["honestly"]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	rb, err := DefaultRulebook().With(o)
	if err != nil {
		t.Fatal(err)
	}
	if rb.OverridesHash == "" || rb.Version != DefaultRulebook().Version {
		t.Errorf("hash %q version %q", rb.OverridesHash, rb.Version)
	}
	r := Analyze(Input{Text: text + " Honestly it was fine.", DurationS: 60}, rb)
	if r.Metrics.Fillers["like"] != 0 {
		t.Errorf("like counted with its rule off")
	}
	if r.Metrics.Hedges["honestly"] != 1 {
		t.Errorf("word added by override counted %d times, want 1", r.Metrics.Hedges["honestly"])
	}
	for _, s := range r.Suggestions {
		if s.ID == "fillers.dense" {
			t.Errorf("filler suggestion despite min_total 100")
		}
	}
	if r.OverridesHash != rb.OverridesHash || r.RulebookVersion != rb.Version {
		t.Errorf("result does not record the rulebook: %q %q", r.RulebookVersion, r.OverridesHash)
	}
	for _, bad := range []struct{ json, field string }{
		{`{"rules":{"nope":{}}}`, "rules.nope"},
		{`{"rules":{"fillers":{"thresholds":{"min_totl":3}}}}`, "rules.fillers.thresholds.min_totl"},
		{`{"rules":{"fillers":{"lists":{"nope":["a"]}}}}`, "rules.fillers.lists.nope"},
		{`{"rules":{"fillers":{"thresholds":{"min_total":-1}}}}`, "rules.fillers.thresholds.min_total"},
	} {
		o, err := ParseOverrides([]byte(bad.json))
		if err == nil {
			_, err = DefaultRulebook().With(o)
		}
		if err == nil || !strings.Contains(err.Error(), bad.field) {
			t.Errorf("%s: error %v does not name %s", bad.json, err, bad.field)
		}
	}
	if _, err := ParseOverrides([]byte(`{"rulez":{}}`)); err == nil || !strings.Contains(err.Error(), "rulez") {
		t.Errorf("unknown field: %v", err)
	}
	// fluency as a group
	off := false
	rb, _ = DefaultRulebook().With(Overrides{Fluency: &off})
	if r := Analyze(Input{Text: text}, rb); r.Metrics.FillerTotal != nil {
		t.Error("fillers reported with fluency off")
	}
}

func TestRulesListing(t *testing.T) {
	rules := DefaultRulebook().Rules()
	seen := map[string]bool{}
	for _, r := range rules {
		if r.ID == "" || r.Description == "" || r.Title == "" {
			t.Errorf("rule without id, title or description: %+v", r)
		}
		seen[r.ID] = true
	}
	for _, id := range requiredRules {
		if !seen[id] {
			t.Errorf("rule %s not listed", id)
		}
	}
	// every suggestion and check names a listed rule
	r := Analyze(Input{Type: rehearse.Behavioral, Text: "We usually, like, try to help. Um, we always, um, just do it, you know, uh.", DurationS: 200}, nil)
	for _, s := range r.Suggestions {
		if !seen[s.Rule] {
			t.Errorf("suggestion %s names unknown rule %s", s.ID, s.Rule)
		}
	}
	for _, c := range r.Checks {
		if !seen[c.Rule] {
			t.Errorf("check %s names unknown rule %s", c.ID, c.Rule)
		}
	}
}

func TestSuggestionsPriorityAndPhrasing(t *testing.T) {
	text := "Um, we, like, basically had, um, a lot of, um, work. We kind of just did it. We think we maybe sort of did okay, probably."
	r := Analyze(Input{Type: rehearse.Behavioral, Text: text, DurationS: 20}, nil)
	if len(r.Suggestions) != 3 {
		t.Fatalf("got %d suggestions: %+v", len(r.Suggestions), r.Suggestions)
	}
	if r.Suggestions[0].ID != "star.episode.missing" {
		t.Errorf("first suggestion %s, want the STAR one", r.Suggestions[0].ID)
	}
	for i, s := range r.Suggestions {
		if s.Priority != i+1 {
			t.Errorf("priority %d at %d", s.Priority, i)
		}
		low := strings.ToLower(s.Text)
		for _, bad := range []string{"bad", "unprofessional", "weak", "nervous", "accent", "grammar"} {
			if strings.Contains(low, bad) {
				t.Errorf("suggestion %s says %q: %s", s.ID, bad, s.Text)
			}
		}
	}
	for _, c := range r.Checks {
		if c.Reason == "" {
			t.Errorf("check %s without reason", c.ID)
		}
	}
	if !strings.HasPrefix(r.Checklist, "Meets ") {
		t.Errorf("checklist %q", r.Checklist)
	}
	// technical hedge suggestion is softened
	r = Analyze(Input{Type: rehearse.Technical, Text: "I think it's probably the cache, maybe the TTL, I guess, or perhaps the index.", DurationS: 60}, nil)
	ok := false
	for _, s := range r.Suggestions {
		if s.ID == "hedges.dense" && strings.HasPrefix(s.Text, "If you're confident, you can state this more directly; if you're unsure, saying so once is fine.") {
			ok = true
		}
	}
	if !ok {
		t.Errorf("technical hedge suggestion missing or not softened: %+v", r.Suggestions)
	}
}

func TestJobTerms(t *testing.T) {
	jd := `Senior Backend Engineer
We run PostgreSQL and Kubernetes on Google Cloud Platform. You will own CI/CD pipelines and Node.js services.
You will improve incident response and lead incident response reviews. Experience with Terraform is a plus.`
	terms := ExtractJobTerms(jd)
	for _, want := range []string{"PostgreSQL", "Kubernetes", "Google Cloud Platform", "CI/CD", "Node.js", "Terraform", "incident response"} {
		found := false
		for _, got := range terms {
			if strings.EqualFold(got, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("term %q not extracted from the job description; got %q", want, terms)
		}
	}
	for _, got := range terms {
		if strings.EqualFold(got, "we") || strings.EqualFold(got, "you") || strings.EqualFold(got, "senior") {
			t.Errorf("stop word %q extracted", got)
		}
	}
	cov := SessionCoverage(terms, []string{
		"I moved our PostgreSQL backups and set up CI/CD for the team.",
		"During incident response I wrote Terraform modules.",
	})
	if len(cov.Answers) != 2 {
		t.Fatalf("answers %d", len(cov.Answers))
	}
	has := func(list []string, s string) bool {
		for _, x := range list {
			if strings.EqualFold(x, s) {
				return true
			}
		}
		return false
	}
	if !has(cov.Answers[0].Covered, "PostgreSQL") || !has(cov.Answers[0].Covered, "CI/CD") || has(cov.Answers[0].Covered, "Terraform") {
		t.Errorf("answer 1 coverage %v", cov.Answers[0].Covered)
	}
	if !has(cov.Covered, "Terraform") || !has(cov.Covered, "incident response") || !has(cov.Missing, "Kubernetes") {
		t.Errorf("session coverage %v missing %v", cov.Covered, cov.Missing)
	}
	r := Analyze(Input{Text: "I tuned PostgreSQL.", JobTerms: terms}, nil)
	if r.JobCover == nil || !has(r.JobCover.Covered, "PostgreSQL") {
		t.Errorf("result coverage %+v", r.JobCover)
	}
}

func TestInputForUsesCorrection(t *testing.T) {
	a := &rehearse.Attempt{QuestionText: "Q", QuestionType: rehearse.Technical, DurationS: 42,
		Transcript: rehearse.Transcript{Text: "um like", Timed: true, Words: timedWords("um like", 0.2, 0.1, nil)},
		Corrected:  &rehearse.Transcript{Text: "I fixed it."}}
	in := InputFor(a, []string{"Go"})
	if in.Timed || in.Text != "I fixed it." || in.DurationS != 42 || in.Type != rehearse.Technical || len(in.JobTerms) != 1 {
		t.Errorf("InputFor = %+v", in)
	}
	// re-scoring a stored answer is Analyze again: same input, same JSON
	if !bytes.Equal(Analyze(in, nil).JSON(), Analyze(InputFor(a, []string{"Go"}), nil).JSON()) {
		t.Error("re-scoring differs")
	}
}

func TestGolden(t *testing.T) {
	cases := map[string]Input{
		"behavioral_text": {Question: "Tell me about a time you fixed a production problem.", Type: rehearse.Behavioral, DurationS: 75,
			Text: "So, um, last spring our checkout API was timing out for, like, one in twenty requests. My job was to find the cause before the sale. I pulled the traces, I found a slow query and I added an index, which cut p99 latency by 60%. We shipped it two days early. I think I learned to measure first."},
		"technical_text": {Question: "How does an index speed up a query?", Type: rehearse.Technical, DurationS: 50,
			Text: "Well, an index is kind of like a sorted copy of a column. I think the database can probably just jump to the right place, right? So it doesn't, you know, scan every row."},
		"timed_intro": {Question: "Tell me about yourself.", Type: rehearse.Intro, Timed: true, LatencyKnown: true,
			Words: timedWords("Um, so I'm a backend engineer. I've spent five years on payments, and we, um, we built the ledger that now handles most of our volume. I'm looking for a team that cares about reliability.", 0.28, 0.12, map[int]float64{6: 2.4, 20: 3.1})},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got := Analyze(in, nil).JSON()
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; run go test -update after checking the change.\ngot:\n%s", path, got)
			}
		})
	}
}

const benchText = `So, um, at my last company our nightly billing run was failing about twice a week, and every failure meant
the finance team waited half a day for invoices. I was asked to make it reliable before the quarter closed. First I
pulled six weeks of logs and, like, grouped the failures by cause. Most of them came from one flaky export, you know,
a report that timed out when the database was busy. I rewrote the export to stream rows instead of loading everything,
and I added retries with a short back-off. I also set up an alert so that we would hear about a failure within minutes
instead of the next morning. I think the hardest part was convincing the team to pause new features for a sprint, so I
wrote a one-page summary with the numbers and walked my manager through it. She agreed, and we spent the sprint on the
fixes. After that the run failed once in two months instead of twice a week, and invoices went out on time every day.
Finance told us they saved about a day of manual work each month, which was worth roughly $4,000 a quarter. Looking
back, I learned that a clear number makes it much easier to get time for reliability work. If I did it again I would
probably start with the alert, because it would have shown the pattern sooner. Uh, so yeah, that is basically the
story of how I fixed the billing run, and honestly it is still one of the projects I am most proud of from that job,
because it made life easier for people outside engineering too. We still use the same export today and it has not
failed in the last year, which I think shows the approach held up.`

func BenchmarkAnalyze300Words(b *testing.B) {
	words := strings.Fields(benchText)
	for len(words) < 300 {
		words = append(words, strings.Fields(benchText)...)
	}
	text := strings.Join(words[:300], " ")
	in := Input{Question: "Tell me about a time you improved a process.", Type: rehearse.Behavioral, Timed: true, LatencyKnown: true,
		Words: timedWords(text, 0.25, 0.12, map[int]float64{50: 2.2, 120: 3.4}), JobTerms: []string{"billing", "PostgreSQL"}}
	rb := DefaultRulebook()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = Analyze(in, rb)
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add("So, um, like, I basically fixed it, you know? Right.", 0.3, 0.1, false, "behavioral")
	f.Add("", 0.0, 0.0, true, "intro")
	f.Add("I'm not 100% sure — kind of, sort of... a little bit; I'd say $12,000 (40%) from 11 to 3.5 days", -1.0, 2.5, true, "technical")
	f.Fuzz(func(t *testing.T, text string, wordS, gapS float64, timed bool, typ string) {
		in := Input{Text: text, Type: rehearse.QuestionType(typ), DurationS: wordS * 100, Question: text}
		if timed {
			in.Timed = true
			in.LatencyKnown = true
			tt := gapS
			for i, w := range strings.Fields(text) {
				in.Words = append(in.Words, rehearse.Word{Text: w, Start: tt, End: tt + wordS, P: float64(i%10) / 10})
				tt += wordS + gapS*float64(i%3-1)
			}
		}
		r := Analyze(in, nil)
		checkInvariants(t, in, r)
		if !json.Valid(r.JSON()) {
			t.Fatal("invalid JSON")
		}
	})
}

func TestRescoreUsesCurrentRulebook(t *testing.T) {
	a := &rehearse.Attempt{QuestionType: rehearse.Behavioral, Transcript: rehearse.Transcript{Text: "I just, like, fixed it."}}
	before := Analyze(InputFor(a, nil), nil)
	off := false
	rb, err := DefaultRulebook().With(Overrides{Rules: map[string]RuleOverride{"hedges.just": {Enabled: &off}}})
	if err != nil {
		t.Fatal(err)
	}
	after := Analyze(InputFor(a, nil), rb)
	if before.Metrics.Hedges["just"] != 1 || after.Metrics.Hedges["just"] != 0 || after.OverridesHash == "" {
		t.Errorf("before %v after %v hash %q", before.Metrics.Hedges["just"], after.Metrics.Hedges["just"], after.OverridesHash)
	}
}

func TestTimedGapsActAsPauses(t *testing.T) {
	// no punctuation: the silences carry the pauses
	ws := timedWords("it was like really rushed well first we cut the scope", 0.25, 0.1, map[int]float64{1: 0.7, 2: 0.7, 4: 1.0, 5: 0.6})
	r := Analyze(Input{Timed: true, Words: ws}, nil)
	if r.Metrics.Fillers["like"] != 1 || r.Metrics.Fillers["well"] != 1 {
		t.Errorf("fillers = %v, want like 1 and well 1", r.Metrics.Fillers)
	}
	for _, e := range r.Evidence {
		if e.Metric == "fillers.like" && (e.Start == nil || *e.Start != 2.2) {
			t.Errorf("like evidence %+v, want start 2.2", e)
		}
	}
	// the same words without gaps: "went well first" is not a filler
	ws = timedWords("it went well first we cut the scope", 0.25, 0.1, nil)
	if r := Analyze(Input{Timed: true, Words: ws}, nil); r.Metrics.Fillers["well"] != 0 {
		t.Errorf("well counted without a pause: %v", r.Metrics.Fillers)
	}
}
