package questions

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestExtractTermsRules(t *testing.T) {
	cases := []struct {
		name   string
		jd     string
		want   []string // must be present
		absent []string // must not be present
	}{
		{"capitalised mid-sentence", "You will work with Kubernetes and Kafka every day.",
			[]string{"Kubernetes", "Kafka"}, []string{"You", "will", "work", "every"}},
		{"technology shapes", "Experience with C++, C#, Node.js, CI/CD, PostgreSQL and SLOs is a plus.",
			[]string{"C++", "C#", "Node.js", "CI/CD", "PostgreSQL", "SLOs"}, []string{"Experience", "plus"}},
		{"sentence-start verbs skipped", "Reduce alert noise.\n- Automate the deploys.\n• Mentor juniors.",
			nil, []string{"Reduce", "Automate", "Mentor"}},
		{"repeated phrase", "You lead incident response. Our incident response is calm. We value response times.",
			[]string{"incident response", "response"}, []string{"incident"}},
		{"word only inside a phrase", "Incident response matters. We drill incident response. Incident response is shared.",
			[]string{"incident response"}, []string{"incident", "Incident", "response"}},
		{"frequent word", "We care about onboarding. Onboarding matters. Great onboarding keeps people.",
			[]string{"onboarding"}, nil},
		{"twice is not frequent", "Budgets and budgets.", nil, []string{"budgets", "Budgets"}},
		{"numbers and boilerplate", "5+ years of experience. Equal opportunity employer. Competitive salary, e.g. 401 plans.",
			nil, []string{"5+", "401", "Equal", "Competitive", "e.g", "years", "experience"}},
		{"curly apostrophe", "We’re hiring. You’ll use Terraform.", []string{"Terraform"}, []string{"We're", "We’re", "You'll"}},
		{"hyphenated", "Join the on-call rotation; cross-functional and fast-paced.",
			[]string{"on-call"}, []string{"cross-functional", "fast-paced"}},
		{"empty", "", nil, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ExtractTerms(c.jd)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("terms %q lack %q", got, w)
				}
			}
			for _, a := range c.absent {
				if slices.Contains(got, a) {
					t.Errorf("terms %q contain %q", got, a)
				}
			}
		})
	}
}

func TestExtractTermsOrderAndCap(t *testing.T) {
	var sb strings.Builder
	for i := range 40 {
		// 40 distinct technology-shaped tokens, the last one repeated.
		sb.WriteString("use Tool")
		sb.WriteByte(byte('A' + i%26))
		sb.WriteByte(byte('a' + i/26))
		sb.WriteString("x2 daily. ")
	}
	sb.WriteString("and ToolNbx2 again and ToolNbx2.")
	got := ExtractTerms(sb.String())
	if len(got) != MaxTerms {
		t.Fatalf("got %d terms, want the cap %d", len(got), MaxTerms)
	}
	if got[0] != "ToolNbx2" || got[1] != "ToolAax2" || got[2] != "ToolBax2" {
		t.Errorf("order: most frequent first, then first appearance; got %q", got[:3])
	}
}

// TestExtractTermsGolden runs the extractor over real-looking adverts; run
// with -update to rewrite the expected lists after a deliberate change.
func TestExtractTermsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*-job.txt")
	if err != nil || len(files) < 2 {
		t.Fatalf("job descriptions: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			jd, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(ExtractTerms(string(jd)), "\n") + "\n"
			golden := strings.TrimSuffix(f, ".txt") + ".terms.golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("terms differ from %s:\n got:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestMatchTerms(t *testing.T) {
	q := rehearse.Question{
		ID:   "sit-x",
		Text: "You're paged because error rates spiked after the deploys. What would you do?",
		Type: rehearse.Situational,
		Tags: []string{"role:software", "topic:incident-response", "topic:on-call", "level:senior"},
	}
	cases := []struct {
		terms []string
		want  []string
	}{
		{[]string{"Incident Response", "incident", "response"}, []string{"Incident Response"}}, // parts not counted again
		{[]string{"On-call", "on call"}, []string{"On-call"}},                                  // same words: counted once
		{[]string{"deploy", "Errors", "spike"}, []string{"deploy", "Errors"}},                  // plural s; no stemming beyond it
		{[]string{"Senior"}, nil},                                                 // level tags are not matched
		{[]string{"the", "What would"}, nil},                                      // stop words only
		{[]string{"Engineer", "DevOps", "nurse"}, []string{"Engineer", "DevOps"}}, // role words
		{[]string{"error rate"}, []string{"error rate"}},                          // phrase in the text
		{[]string{"rate error"}, nil},                                             // words must be in order
		{nil, nil},
	}
	for _, c := range cases {
		if got := MatchTerms(q, c.terms); !slices.Equal(got, c.want) {
			t.Errorf("MatchTerms(%q) = %q, want %q", c.terms, got, c.want)
		}
	}
}
