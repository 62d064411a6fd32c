package feedback

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestEvidenceSpansIndexWords: every piece of evidence has a kind, and its
// span indexes Words of the transcript it was measured on, so a view can
// mark the words without matching text.
func TestEvidenceSpansIndexWords(t *testing.T) {
	cases := []struct {
		name string
		tr   rehearse.Transcript
		typ  rehearse.QuestionType
	}{
		{"typed", rehearse.Transcript{Text: "So, um, last spring our checkout API was timing out.  I think   we, like, pulled the traces and I added an index, which cut latency by 60%.",
			DurationS: 40}, rehearse.Behavioral},
		{"timed", rehearse.Transcript{Timed: true, Words: timedWords("Um, so I'm a backend engineer. I've spent five years on payments, and we, um, we built the ledger. I think I kind of like reliability.", 0.28, 0.12, map[int]float64{6: 2.4})}, rehearse.Intro},
		{"timed with a blank and a two-word token", rehearse.Transcript{Timed: true, Words: []rehearse.Word{
			{Text: " Um,", Start: 0.1, End: 0.3}, {Text: " ", Start: 0.3, End: 0.4}, {Text: " I think", Start: 0.4, End: 0.8},
			{Text: " it", Start: 0.8, End: 0.9}, {Text: " worked.", Start: 0.9, End: 1.2}}}, rehearse.Technical},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := &rehearse.Attempt{QuestionText: "Tell me about it.", QuestionType: c.typ, Transcript: c.tr}
			r := Analyze(InputFor(a, nil), nil)
			words := Words(c.tr)
			kinds := map[Kind]int{}
			for i, e := range r.Evidence {
				if e.Kind == "" {
					t.Errorf("evidence %d (%s) has no kind", i, e.Metric)
				}
				kinds[e.Kind]++
				if e.First < 0 || e.Last < e.First || e.Last >= len(words) {
					t.Fatalf("evidence %d spans %d..%d of %d words", i, e.First, e.Last, len(words))
				}
				if e.Kind != KindFiller && e.Kind != KindHedge {
					continue
				}
				marked := strings.ToLower(strings.Join(words[e.First:e.Last+1], " "))
				if !strings.Contains(marked, strings.ToLower(e.Text)) {
					t.Errorf("%s evidence %q spans %q", e.Kind, e.Text, marked)
				}
				if why := e.Why(); !strings.Contains(why, e.Text) {
					t.Errorf("Why() = %q does not quote %q", why, e.Text)
				}
			}
			if kinds[KindFiller] == 0 || kinds[KindHedge] == 0 {
				t.Errorf("kinds %v: want fillers and hedges", kinds)
			}
		})
	}
}

// TestStoredAnalysisBeforeKinds: an analysis stored before evidence had a
// kind is read with the kind of each item.
func TestStoredAnalysisBeforeKinds(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "stored", "timed_intro-before-kinds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"kind"`) {
		t.Fatal("the stored analysis should be in the old format, without kinds")
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	want := map[string]Kind{"fillers.um": KindFiller, "fillers.so": KindFiller, "pauses.long": KindPause, "star.episode": KindNoEpisode}
	seen := 0
	for _, e := range r.Evidence {
		if k, ok := want[e.Metric]; ok {
			seen++
			if e.Kind != k {
				t.Errorf("%s read as kind %q, want %q", e.Metric, e.Kind, k)
			}
		}
		if e.Kind == KindPause && (e.Start == nil || e.End == nil || e.Last < e.First) {
			t.Errorf("pause evidence lost its span: %+v", e)
		}
	}
	if seen == 0 {
		t.Fatal("no evidence read")
	}
	var ths []string
	for _, s := range r.Suggestions {
		ths = append(ths, s.Threshold)
	}
	for _, m := range r.Mentions {
		ths = append(ths, m.Threshold)
	}
	if len(ths) < 3 {
		t.Fatalf("thresholds read: %q", ths)
	}
	for _, th := range ths {
		if m := internalName.FindString(th); m != "" {
			t.Errorf("stored threshold read as %q, still showing %q", th, m)
		}
	}
	if want := "shorter than 30 s, the least for introduction answers"; ths[0] != want {
		t.Errorf("stored length threshold read as %q, want %q", ths[0], want)
	}
	if r.Metrics.Star.Components != 0 || r.Metrics.WordCount == 0 {
		t.Errorf("metrics %+v", r.Metrics)
	}
}

// TestStoredThresholdsInWords: every threshold earlier versions wrote is
// read in words.
func TestStoredThresholdsInWords(t *testing.T) {
	old := []string{
		"STAR action = false while an action is told with “we”", "STAR action = false", "STAR result = false",
		"STAR situation = false", "STAR task = false", "result = true and quantified_results = 0",
		fmt.Sprintf("count ≥ %g and ≥ %.0f%% of words", 4.0, 2.0), fmt.Sprintf("filler_rate ≥ %.1f", 3.0),
		fmt.Sprintf("filler_total ≥ %g and filler_rate ≥ %.1f", 4.0, 5.0), fmt.Sprintf("hedge_rate ≥ %.1f", 2.0),
		fmt.Sprintf("hedge_total ≥ %g and hedge_rate ≥ %.1f", 3.0, 3.0), fmt.Sprintf("latency > %g s", 4.0),
		fmt.Sprintf("mid-sentence pauses ≥ %g s: ≥ %g, or any pause ≥ %g s", 2.0, 2.0, 4.0),
		fmt.Sprintf("one filler key ≥ %g times", 5.0), fmt.Sprintf("one word ≥ %.0f%% of words", 4.0),
		"phrase of ≥ 4 words twice, or 3 words three times", fmt.Sprintf("speaking rate < %g wpm", 110.0),
		fmt.Sprintf("speaking rate > %g wpm", 190.0), fmt.Sprintf("speech span < %g s for %s", 45.0, "behavioral"),
		fmt.Sprintf("speech span < %g s", 60.0), fmt.Sprintf("speech span > %g s for %s", 180.0, "technical"),
		fmt.Sprintf("speech span > %g s", 150.0), fmt.Sprintf("we_count ≥ %g and we_share ≥ %.2f", 4.0, 0.6),
	}
	for _, th := range old {
		got := storedThreshold(th)
		if m := internalName.FindString(got); m != "" || got == th {
			t.Errorf("%q read as %q", th, got)
		}
	}
	if got := storedThreshold("no goal or assignment was found in the story"); got != "no goal or assignment was found in the story" {
		t.Errorf("a threshold in words changed to %q", got)
	}
}

// TestStoredTypedAnswer: a typed answer stored before loses the caveat
// about the transcriber, and a long quote in its strengths is cut.
func TestStoredTypedAnswer(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "stored", "behavioral_text-before-kinds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), caveatFillerLowerBound) {
		t.Fatal("the stored typed answer should carry the old caveat")
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Mode != "text" || len(r.Caveats) == 0 {
		t.Fatalf("mode %q, caveats %q", r.Mode, r.Caveats)
	}
	for _, c := range r.Caveats {
		if strings.Contains(c, "transcriber") {
			t.Errorf("a typed answer read with the caveat %q", c)
		}
	}
	long := `{"mode":"timed","caveats":["` + caveatFillerLowerBound + `"],"strengths":["Clear result with a number: “which cut the p99 latency of the checkout service for every customer in every region by 60%”.","Describes your own actions with “I”."]}`
	if err := json.Unmarshal([]byte(long), &r); err != nil {
		t.Fatal(err)
	}
	if want := "Clear result with a number: “which cut the p99 latency of the checkout service for every customer…”."; r.Strengths[0] != want {
		t.Errorf("stored strength read as %q, want %q", r.Strengths[0], want)
	}
	if len(r.Caveats) != 1 || len(r.Strengths) != 2 {
		t.Errorf("a spoken answer's caveats %q, strengths %q", r.Caveats, r.Strengths)
	}
}

// TestOverusedWordEvidence: the tip to vary wording marks the uses of the
// word it is about.
func TestOverusedWordEvidence(t *testing.T) {
	text := "The migration was a migration of the billing migration. I planned the migration, I tested the migration and the migration went live on Friday."
	r := Analyze(Input{Type: rehearse.Technical, DurationS: 30, Text: text}, nil)
	words := strings.Fields(text)
	for _, s := range r.Suggestions {
		if s.ID != "repetition.overused" {
			continue
		}
		if len(s.EvidenceRefs) == 0 {
			t.Fatal("the tip marks no words")
		}
		for _, i := range s.EvidenceRefs {
			e := r.Evidence[i]
			if e.Kind != KindRepetition || !strings.HasPrefix(strings.ToLower(words[e.First]), "migration") {
				t.Errorf("evidence %+v marks %q", e, words[e.First])
			}
		}
		return
	}
	t.Fatalf("no tip to vary wording in %+v", r.Suggestions)
}
