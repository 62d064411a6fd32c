package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, &Deps{})
	return code, out.String(), errb.String()
}

const cliAnswer = `So, um, last year our deploys kept failing. I was asked to fix the pipeline.
I rewrote the build scripts and I added caching, which cut build time by 40%. I think it, like, really helped.`

func TestAnalyzeText(t *testing.T) {
	code, out, errb := runCLI(t, cliAnswer, "analyze", "--type", "behavioural", "--duration", "70", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	for _, want := range []string{"Metrics", "fillers: at least 3", "quantified results: 1", "Strengths", "Checklist: Meets", "Caveats", "rulebook "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAnalyzeJSONFileAndJob(t *testing.T) {
	dir := t.TempDir()
	ans := filepath.Join(dir, "answer.txt")
	job := filepath.Join(dir, "job.txt")
	if err := os.WriteFile(ans, []byte("I migrated our PostgreSQL cluster and set up CI/CD. Um, we shipped it two weeks early."), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(job, []byte("We use PostgreSQL, Kubernetes and CI/CD every day."), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb := runCLI(t, "", "analyze", "--json", "--job", job, "--question", "Tell me about a migration.", "--duration", "65", ans)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var r struct {
		Metrics struct {
			WordCount int            `json:"word_count"`
			Fillers   map[string]int `json:"fillers"`
		} `json:"metrics"`
		JobCoverage struct {
			Covered []string `json:"covered"`
			Missing []string `json:"missing"`
		} `json:"job_coverage"`
		RulebookVersion string `json:"rulebook_version"`
		Suggestions     []struct {
			ID, Rule, Threshold string
		} `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Metrics.WordCount != 16 || r.Metrics.Fillers["um"] != 1 || r.RulebookVersion == "" {
		t.Errorf("metrics %+v version %q", r.Metrics, r.RulebookVersion)
	}
	if strings.Join(r.JobCoverage.Covered, ",") != "PostgreSQL,CI/CD" || strings.Join(r.JobCoverage.Missing, ",") != "Kubernetes" {
		t.Errorf("coverage %+v", r.JobCoverage)
	}
	// same input, same bytes
	_, out2, _ := runCLI(t, "", "analyze", "--json", "--job", job, "--question", "Tell me about a migration.", "--duration", "65", ans)
	if out != out2 {
		t.Error("JSON output is not deterministic")
	}
}

func TestAnalyzeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"analyze", "--type", "interrogation"},
		{"analyze", "--duration", "-3"},
		{"analyze", "a.txt", "b.txt"},
		{"analyze", "--jsonl", "in.jsonl", "extra"},
		{"rules", "extra"},
	} {
		code, _, errb := runCLI(t, "", args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errb)
		}
	}
	code, _, errb := runCLI(t, "", "analyze", filepath.Join(t.TempDir(), "missing.txt"))
	if code != 1 || !strings.Contains(errb, "missing.txt") {
		t.Errorf("missing file: exit %d, %s", code, errb)
	}
}

func TestAnalyzeJSONL(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	lines := []string{
		`{"id":"a","question":"Tell me about a conflict.","question_type":"behavioral","transcript":"Um, so, I kind of, like, just asked them. You know, it worked.","duration_s":50}`,
		``,
		`{"id":2,"question":"Why us?","question_type":"motivation","transcript":"I think I'd like to build tools I actually use.","duration_s":25}`,
		`{"id":"c","question_type":"technical","transcript":""}`,
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb := runCLI(t, "", "analyze", "--jsonl", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	type outLine struct {
		ID     json.RawMessage `json:"id"`
		Labels struct {
			Fillers     map[string]int  `json:"fillers"`
			FillerTotal int             `json:"filler_total"`
			Hedges      map[string]int  `json:"hedges"`
			HedgeTotal  int             `json:"hedge_total"`
			Star        map[string]bool `json:"star"`
			Quantified  *int            `json:"quantified_results"`
			ICount      int             `json:"i_count"`
			WeCount     int             `json:"we_count"`
			WordCount   int             `json:"word_count"`
		} `json:"labels"`
		Result map[string]json.RawMessage `json:"result"`
	}
	var got []outLine
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l outLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		got = append(got, l)
	}
	if len(got) != 3 {
		t.Fatalf("got %d output lines, want 3:\n%s", len(got), out)
	}
	if string(got[0].ID) != `"a"` || string(got[1].ID) != `2` || string(got[2].ID) != `"c"` {
		t.Errorf("ids out of order: %s %s %s", got[0].ID, got[1].ID, got[2].ID)
	}
	l := got[0].Labels
	if l.Fillers["um"] != 1 || l.Fillers["so"] != 1 || l.Fillers["like"] != 1 || l.Fillers["you know"] != 1 || l.FillerTotal != 4 {
		t.Errorf("fillers %v total %d", l.Fillers, l.FillerTotal)
	}
	if l.Hedges["kind of"] != 1 || l.Hedges["just"] != 1 || l.HedgeTotal != 2 || l.ICount != 1 || l.WordCount != 13 {
		t.Errorf("labels %+v", l)
	}
	if _, ok := l.Fillers["uh"]; ok {
		t.Errorf("zero-count key present: %v", l.Fillers)
	}
	if got[1].Labels.Hedges["i think"] != 1 || got[1].Labels.Fillers["actually"] != 1 || got[1].Labels.Fillers["like"] != 0 {
		t.Errorf("line 3 labels %+v", got[1].Labels)
	}
	for _, k := range []string{"situation", "task", "action", "result"} {
		if _, ok := got[2].Labels.Star[k]; !ok {
			t.Errorf("star.%s missing", k)
		}
	}
	if got[2].Labels.Quantified == nil || got[2].Labels.WordCount != 0 {
		t.Errorf("empty answer labels %+v", got[2].Labels)
	}
	if _, ok := got[0].Result["metrics"]; !ok {
		t.Error("result lacks metrics")
	}
}

func TestAnalyzeJSONLMalformed(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ body, want string }{
		{`{"id":"a","transcript":"ok"}` + "\n" + `{"id":"b","transcript":` + "\n", "line 2"},
		{`{"id":"a","transcript":"ok"}` + "\n\n" + `{"id":"b"}` + "\n", "line 3"},
		{`{"transcript":"no id"}`, "line 1"},
		{`{"id":"x","transcript":"t","question_type":"quiz"}`, "line 1"},
		{`[1,2]`, "line 1"},
	} {
		in := filepath.Join(dir, "bad.jsonl")
		if err := os.WriteFile(in, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errb := runCLI(t, "", "analyze", "--jsonl", in)
		if code == 0 || !strings.Contains(errb, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want mention of %s", c.body, code, errb, c.want)
		}
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, errb := runCLI(t, "", "rules")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	for _, want := range []string{"fillers.like", "hedges.just", "threshold", "min_total", "[on,", "star"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules output lacks %q", want)
		}
	}
	ov := filepath.Join(t.TempDir(), "o.json")
	if err := os.WriteFile(ov, []byte(`{"fluency":false,"rules":{"hedges.just":{"enabled":false},"fillers":{"thresholds":{"min_total":7}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb = runCLI(t, "", "rules", "--json", "--overrides", ov)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var v struct {
		OverridesHash string `json:"overrides_hash"`
		Fluency       bool   `json:"fluency"`
		Rules         []struct {
			ID         string
			Enabled    bool
			Thresholds []struct {
				Name  string
				Value float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.OverridesHash == "" || v.Fluency {
		t.Errorf("hash %q fluency %v", v.OverridesHash, v.Fluency)
	}
	for _, r := range v.Rules {
		if r.ID == "hedges.just" && r.Enabled {
			t.Error("hedges.just still on")
		}
		if r.ID == "fillers" {
			if r.Enabled {
				t.Error("fillers on with fluency off")
			}
			for _, th := range r.Thresholds {
				if th.Name == "min_total" && th.Value != 7 {
					t.Errorf("min_total %v", th.Value)
				}
			}
		}
	}
	// analyze with the same overrides: just is not counted
	code, out, _ = runCLI(t, "I just fixed it.", "analyze", "--json", "--overrides", ov)
	if code != 0 || strings.Contains(out, `"hedges.just"`) {
		t.Errorf("exit %d; just counted with its rule off", code)
	}
	if err := os.WriteFile(ov, []byte(`{"rules":{"fillers":{"thresholds":{"min_totl":7}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errb = runCLI(t, "", "rules", "--overrides", ov)
	if code == 0 || !strings.Contains(errb, "min_totl") {
		t.Errorf("bad override: exit %d, %s", code, errb)
	}
}
