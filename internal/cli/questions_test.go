package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func runQuestions(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), append([]string{"questions"}, args...), strings.NewReader(stdin), &out, &errb, &Deps{})
	return code, out.String(), errb.String()
}

type pickJSON struct {
	Seed      int64           `json:"seed"`
	Role      *questions.Role `json:"role"`
	JobTerms  []string        `json:"job_terms"`
	Questions []struct {
		rehearse.Question
		Field   string               `json:"field"`
		Length  questions.LengthBand `json:"length"`
		Reasons []string             `json:"reasons"`
		Matches []string             `json:"matches"`
	} `json:"questions"`
}

// TestQuestionsPickRole: --role takes a job title in the user's words,
// commas and all, and every picked question says its field and why.
func TestQuestionsPickRole(t *testing.T) {
	cases := []struct {
		role, field string
	}{
		{"Backend engineer", "software"},
		{"primary school teacher", "teaching"},
		{"Nurse, night shifts", "healthcare"},
		{"hr", "hr"},
		{"astronaut", ""},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			code, out, stderr := runQuestions(t, "", "pick", "--role", c.role, "--count", "5", "--seed", "4", "--json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var p pickJSON
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
			if p.Role == nil || p.Role.Field != c.field || p.Role.Text != c.role {
				t.Fatalf("role %+v, want field %q", p.Role, c.field)
			}
			want := c.field
			if want == "" {
				want = questions.GeneralRole
			}
			inField := 0
			for _, q := range p.Questions {
				if len(q.Reasons) == 0 {
					t.Errorf("%s has no reason", q.ID)
				}
				if q.Field == want || q.Field == questions.GeneralRole {
					inField++
				}
			}
			if len(p.Questions) != 5 || inField < 4 {
				t.Errorf("%d questions, %d from %s or general", len(p.Questions), inField, want)
			}
		})
	}
	code, out, _ := runQuestions(t, "", "pick", "--role", "astronaut", "--seed", "1")
	if code != 0 || !strings.Contains(out, "matches no field") {
		t.Errorf("unknown role: exit %d:\n%s", code, out)
	}
}

const sreJob = `Site Reliability Engineer
You will run our Kubernetes clusters and lead incident response.
Join the on-call rotation, define SLOs with product teams and improve incident response tooling.
Experience with Kubernetes, Terraform and Prometheus.`

func TestQuestionsUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "list or pick"},
		{[]string{"frob"}, `unknown subcommand "frob"`},
		{[]string{"list", "extra"}, `unexpected argument "extra"`},
		{[]string{"list", "--type", "quiz"}, "--type"},
		{[]string{"list", "--topic", "juggling"}, "--topic"},
		{[]string{"list", "--nope"}, "nope"},
		{[]string{"pick", "--count", "0"}, "--count"},
		{[]string{"pick", "--count", "many"}, "count"},
	} {
		code, _, stderr := runQuestions(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "Usage: rehearse questions") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q with usage", c.args, code, stderr, c.want)
		}
	}
}

func TestQuestionsList(t *testing.T) {
	bank, err := questions.Load()
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runQuestions(t, "", "list")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "ID") || lines[len(lines)-1] != strconv.Itoa(bank.Len())+" questions" {
		t.Errorf("header %q, footer %q", lines[0], lines[len(lines)-1])
	}
	if len(lines) != bank.Len()+2 {
		t.Errorf("%d lines for %d questions", len(lines), bank.Len())
	}
	if !strings.Contains(out, "beh-conflict-teammate") {
		t.Error("list lacks beh-conflict-teammate")
	}

	// Filters, comma lists and JSON.
	code, out, _ = runQuestions(t, "", "list", "--type", "intro,Motivation", "--role", "healthcare", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got []pickJSONQuestion
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := bank.Filter(questions.Selection{Types: []rehearse.QuestionType{rehearse.Intro, rehearse.Motivation}, Roles: []string{"healthcare"}})
	if len(got) != len(want) || len(got) < 4 {
		t.Fatalf("got %d questions, want %d", len(got), len(want))
	}
	for i, q := range got {
		if q.ID != want[i].ID || q.Tip == "" || q.Length != questions.Band(q.Type) {
			t.Errorf("entry %d = %+v, want %s with its band", i, q, want[i].ID)
		}
		if q.Type != rehearse.Intro && q.Type != rehearse.Motivation {
			t.Errorf("%s has type %s", q.ID, q.Type)
		}
	}

	code, out, _ = runQuestions(t, "", "list", "--help")
	if code != 0 || !strings.Contains(out, "-type") || !strings.Contains(out, "-json") {
		t.Errorf("list --help: exit %d, %q", code, out)
	}
}

type pickJSONQuestion struct {
	rehearse.Question
	Length questions.LengthBand `json:"length"`
}

func TestQuestionsPick(t *testing.T) {
	code, out, stderr := runQuestions(t, "", "pick", "--count", "6", "--seed", "7", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p pickJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if p.Seed != 7 || len(p.Questions) != 6 || p.Questions[0].Type != rehearse.Intro {
		t.Fatalf("seed %d, %d questions, first %s", p.Seed, len(p.Questions), p.Questions[0].Type)
	}
	if _, again, _ := runQuestions(t, "", "pick", "--count", "6", "--seed", "7", "--json"); again != out {
		t.Error("the same seed gave a different pick")
	}
	if _, other, _ := runQuestions(t, "", "pick", "--count", "6", "--seed", "8", "--json"); other == out {
		t.Error("a different seed gave the same pick")
	}

	// Text output without --seed names the seed that reproduces it.
	code, out, _ = runQuestions(t, "", "pick", "--count", "4", "--type", "behavioral", "--role", "sales")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(out, "   Tip: ") != 4 || strings.Count(out, "behavioral · aim for 60–150 s") != 4 {
		t.Errorf("text pick:\n%s", out)
	}
	i := strings.Index(out, "\nSeed ")
	if i < 0 {
		t.Fatalf("no seed line:\n%s", out)
	}
	seed := strings.Fields(out[i+1:])[1]
	seed = strings.TrimSuffix(seed, ":")
	_, again, _ := runQuestions(t, "", "pick", "--count", "4", "--type", "behavioral", "--role", "sales", "--seed", seed)
	if again != out {
		t.Errorf("--seed %s did not repeat the pick:\n%s\nvs\n%s", seed, out, again)
	}

	// Filters leaving fewer questions than asked.
	code, out, _ = runQuestions(t, "", "pick", "--count", "50", "--type", "intro", "--role", "hr", "--seed", "1")
	if code != 0 || !strings.Contains(out, "Only ") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestQuestionsPickJob(t *testing.T) {
	jobFile := filepath.Join(t.TempDir(), "sre.txt")
	if err := os.WriteFile(jobFile, []byte(sreJob), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runQuestions(t, "", "pick", "--job", jobFile, "--count", "5", "--seed", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p pickJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"Kubernetes", "incident response", "on-call", "SLOs", "Terraform"} {
		if !strings.Contains(strings.Join(p.JobTerms, "|"), term) {
			t.Errorf("job terms %q lack %q", p.JobTerms, term)
		}
	}
	var best []string
	for _, q := range p.Questions {
		if q.Type != rehearse.Intro && q.Type != rehearse.Motivation {
			best = q.Matches
			break
		}
	}
	if len(best) < 2 {
		t.Errorf("best job match has matches %q; want at least 2 job terms", best)
	}
	if !strings.Contains(strings.Join(best, "|"), "Kubernetes") && !strings.Contains(strings.Join(best, "|"), "incident response") {
		t.Errorf("best match %q mentions neither Kubernetes nor incident response", best)
	}

	// The same job from standard input, as text.
	code, out, _ = runQuestions(t, sreJob, "pick", "--job", "-", "--count", "5", "--seed", "3")
	if code != 0 || !strings.HasPrefix(out, "Job terms: ") || !strings.Contains(out, "from the job description") {
		t.Errorf("exit %d:\n%s", code, out)
	}

	code, _, stderr = runQuestions(t, "", "pick", "--job", filepath.Join(t.TempDir(), "missing.txt"))
	if code != 1 || !strings.Contains(stderr, "read job description") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
	big := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("Kubernetes "), maxJobBytes/10), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runQuestions(t, "", "pick", "--job", big)
	if code != 1 || !strings.Contains(stderr, "larger than") {
		t.Errorf("oversized file: exit %d, %q", code, stderr)
	}
	code, out, stderr = runQuestions(t, "and the of\n", "pick", "--job", "-", "--seed", "1")
	if code != 0 || !strings.Contains(stderr, "no job terms") || strings.Contains(out, "Job terms") {
		t.Errorf("job without terms: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
