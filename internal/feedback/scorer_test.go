package feedback

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"sort"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// labelledItem is one line of testdata/labelled.jsonl: an original answer
// labelled by hand with the rules this package implements.
type labelledItem struct {
	ID       string  `json:"id"`
	Question string  `json:"question"`
	Type     string  `json:"question_type"`
	Text     string  `json:"transcript"`
	Duration float64 `json:"duration_s"`
	Labels   struct {
		Fillers    map[string]int  `json:"fillers"`
		Hedges     map[string]int  `json:"hedges"`
		Star       map[string]bool `json:"star"`
		Quantified *int            `json:"quantified_results"`
		ICount     int             `json:"i_count"`
		WeCount    int             `json:"we_count"`
		WordCount  int             `json:"word_count"`
		LengthBand string          `json:"length_band"`
	} `json:"labels"`
}

func loadLabelled(t testing.TB) []labelledItem {
	t.Helper()
	items := loadItems(t, "testdata/labelled.jsonl")
	if len(items) < 100 {
		t.Fatalf("labelled set has %d items, want ≥ 100", len(items))
	}
	return items
}

// loadItems reads a labelled JSONL file.
func loadItems(t testing.TB, path string) []labelledItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []labelledItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var it labelledItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

func analyzeItem(it labelledItem) *Result {
	qt, err := rehearse.ParseQuestionType(it.Type)
	if err != nil {
		qt = rehearse.Behavioral
	}
	return Analyze(Input{Question: it.Question, Type: qt, Text: it.Text, DurationS: it.Duration}, nil)
}

// countF1 accumulates per-key count F1 with TP = min(pred, gold).
type countF1 struct{ tp, fp, fn map[string]int }

func newCountF1() *countF1 {
	return &countF1{map[string]int{}, map[string]int{}, map[string]int{}}
}

func (c *countF1) add(pred, gold map[string]int) {
	keys := map[string]bool{}
	for k := range pred {
		keys[k] = true
	}
	for k := range gold {
		keys[k] = true
	}
	for k := range keys {
		p, g := pred[k], gold[k]
		tp := min(p, g)
		c.tp[k] += tp
		c.fp[k] += p - tp
		c.fn[k] += g - tp
	}
}

func f1(tp, fp, fn int) float64 {
	if tp+fp+fn == 0 {
		return 1
	}
	return 2 * float64(tp) / float64(2*tp+fp+fn)
}

func (c *countF1) micro() float64 {
	var tp, fp, fn int
	for k := range c.tp {
		tp += c.tp[k]
		fp += c.fp[k]
		fn += c.fn[k]
	}
	for k := range c.fp {
		if _, ok := c.tp[k]; !ok {
			fp += c.fp[k]
		}
	}
	return f1(tp, fp, fn)
}

// TestScoresOnLabelledSet computes exact-match rates, mean errors and per-key
// count F1 on the labelled set and
// fails below the acceptance targets.
func TestScoresOnLabelledSet(t *testing.T) {
	items := loadLabelled(t)
	fil, hed := newCountF1(), newCountF1()
	var filAbs, hedAbs float64
	var wordOK, iOK, weOK, bandOK, quantOK, quantN int
	starOK := map[string]int{}
	starN := 0
	for _, it := range items {
		r := analyzeItem(it)
		l := LabelsOf(r)
		fil.add(l.Fillers, it.Labels.Fillers)
		hed.add(l.Hedges, it.Labels.Hedges)
		gf, gh := 0, 0
		for _, v := range it.Labels.Fillers {
			gf += v
		}
		for _, v := range it.Labels.Hedges {
			gh += v
		}
		filAbs += math.Abs(float64(l.FillerTotal - gf))
		hedAbs += math.Abs(float64(l.HedgeTotal - gh))
		if !sameCounts(l.Fillers, it.Labels.Fillers) {
			t.Logf("%s fillers: got %v want %v", it.ID, l.Fillers, it.Labels.Fillers)
		}
		if !sameCounts(l.Hedges, it.Labels.Hedges) {
			t.Logf("%s hedges: got %v want %v", it.ID, l.Hedges, it.Labels.Hedges)
		}
		if l.WordCount == it.Labels.WordCount {
			wordOK++
		} else {
			t.Logf("%s word_count: got %d want %d", it.ID, l.WordCount, it.Labels.WordCount)
		}
		if l.ICount == it.Labels.ICount {
			iOK++
		}
		if l.WeCount == it.Labels.WeCount {
			weOK++
		}
		if l.LengthBand == it.Labels.LengthBand {
			bandOK++
		} else {
			t.Logf("%s length_band: got %s want %s", it.ID, l.LengthBand, it.Labels.LengthBand)
		}
		if it.Labels.Star != nil {
			starN++
			for _, k := range []string{"situation", "task", "action", "result"} {
				if l.Star[k] == it.Labels.Star[k] {
					starOK[k]++
				} else {
					t.Logf("%s star.%s: got %v want %v", it.ID, k, l.Star[k], it.Labels.Star[k])
				}
			}
		}
		if it.Labels.Quantified != nil {
			quantN++
			if l.QuantifiedResults == *it.Labels.Quantified {
				quantOK++
			} else {
				t.Logf("%s quantified_results: got %d want %d", it.ID, l.QuantifiedResults, *it.Labels.Quantified)
			}
		}
	}
	n := float64(len(items))
	check := func(name string, got, target float64, higherBetter bool) {
		t.Logf("%-28s %.3f (target %s %.2f)", name, got, map[bool]string{true: "≥", false: "≤"}[higherBetter], target)
		if higherBetter && got < target || !higherBetter && got > target {
			t.Errorf("%s = %.3f misses the target %.2f", name, got, target)
		}
	}
	t.Logf("items: %d (STAR-labelled %d, quantified-labelled %d)", len(items), starN, quantN)
	check("filler per-key F1 (micro)", fil.micro(), 0.93, true)
	check("filler_total MAE", filAbs/n, 1.0, false)
	check("hedge per-key F1 (micro)", hed.micro(), 0.97, true)
	check("hedge_total MAE", hedAbs/n, 0.5, false)
	for _, k := range []string{"situation", "task", "action", "result"} {
		check("STAR "+k+" accuracy", float64(starOK[k])/float64(starN), 0.85, true)
	}
	check("quantified_results exact", float64(quantOK)/float64(quantN), 0.80, true)
	check("word_count exact", float64(wordOK)/n, 0.95, true)
	check("i_count exact", float64(iOK)/n, 0.95, true)
	check("we_count exact", float64(weOK)/n, 0.95, true)
	check("length_band exact", float64(bandOK)/n, 1.0, true)
	for _, set := range []struct {
		name string
		c    *countF1
		keys []string
	}{{"filler", fil, FillerKeys}, {"hedge", hed, HedgeKeys}} {
		keys := append([]string(nil), set.keys...)
		sort.Strings(keys)
		for _, k := range keys {
			if set.c.tp[k]+set.c.fn[k]+set.c.fp[k] == 0 {
				continue
			}
			t.Logf("  %s %-14q F1 %.3f (tp %d fp %d fn %d)", set.name, k, f1(set.c.tp[k], set.c.fp[k], set.c.fn[k]), set.c.tp[k], set.c.fp[k], set.c.fn[k])
		}
	}
}

func sameCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}
