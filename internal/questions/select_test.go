package questions

import (
	"os"
	"slices"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func ids(qs []rehearse.Question) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestSelectFilters(t *testing.T) {
	b := mustLoad(t)
	cases := []struct {
		name  string
		sel   Selection
		check func(q rehearse.Question) bool
		want  int // expected length; -1 = every match
	}{
		{"count only", Selection{Count: 7, Seed: 1}, func(rehearse.Question) bool { return true }, 7},
		{"one type", Selection{Types: []rehearse.QuestionType{rehearse.Technical}, Count: 10, Seed: 2},
			func(q rehearse.Question) bool { return q.Type == rehearse.Technical }, 10},
		{"two types, all", Selection{Types: []rehearse.QuestionType{rehearse.Intro, rehearse.Motivation}},
			func(q rehearse.Question) bool { return q.Type == rehearse.Intro || q.Type == rehearse.Motivation }, -1},
		{"role keeps general", Selection{Roles: []string{"teaching"}},
			func(q rehearse.Question) bool {
				r := Tag(q, RolePrefix)
				return slices.Contains(r, "teaching") || slices.Contains(r, "general")
			}, -1},
		{"role and type", Selection{Roles: []string{"finance"}, Types: []rehearse.QuestionType{rehearse.Technical}, Count: 50},
			func(q rehearse.Question) bool {
				r := Tag(q, RolePrefix)
				return q.Type == rehearse.Technical && (slices.Contains(r, "finance") || slices.Contains(r, "general"))
			}, -1},
		{"topic", Selection{Topics: []string{"conflict"}, Count: 3, Seed: 3},
			func(q rehearse.Question) bool { return slices.Contains(Tag(q, TopicPrefix), "conflict") }, 3},
		{"exclude", Selection{Types: []rehearse.QuestionType{rehearse.Intro}, Exclude: []string{"intro-tell-me-about-yourself", "intro-three-words"}},
			func(q rehearse.Question) bool {
				return q.Type == rehearse.Intro && q.ID != "intro-tell-me-about-yourself" && q.ID != "intro-three-words"
			}, -1},
		{"count above matches", Selection{Roles: []string{"hr"}, Types: []rehearse.QuestionType{rehearse.Intro}, Count: 100},
			func(q rehearse.Question) bool {
				r := Tag(q, RolePrefix)
				return q.Type == rehearse.Intro && (slices.Contains(r, "hr") || slices.Contains(r, "general"))
			}, -1},
		{"unknown role keeps only general", Selection{Roles: []string{"astronaut"}},
			func(q rehearse.Question) bool { return slices.Equal(Tag(q, RolePrefix), []string{"general"}) }, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := b.Select(c.sel)
			matching := b.Filter(c.sel)
			want := c.want
			if want < 0 {
				want = len(matching)
			}
			if len(got) != want || want == 0 {
				t.Fatalf("got %d questions, want %d (of %d matching)", len(got), want, len(matching))
			}
			seen := map[string]bool{}
			for _, q := range got {
				if seen[q.ID] {
					t.Errorf("duplicate %s", q.ID)
				}
				seen[q.ID] = true
				if !c.check(q) {
					t.Errorf("%s (%s %v) does not fit the selection", q.ID, q.Type, q.Tags)
				}
			}
			// Filter returns exactly the questions the checker accepts.
			n := 0
			for _, q := range b.All() {
				if c.check(q) {
					n++
				}
			}
			if c.want < 0 && n != len(matching) {
				t.Errorf("Filter returned %d, the bank has %d fitting questions", len(matching), n)
			}
		})
	}
}

func TestSelectDeterministic(t *testing.T) {
	b := mustLoad(t)
	sel := Selection{Count: 6, Roles: []string{"software"}, Seed: 42}
	first := ids(b.Select(sel))
	for range 5 {
		if again := ids(b.Select(sel)); !slices.Equal(again, first) {
			t.Fatalf("same seed gave %v then %v", first, again)
		}
	}
	differ := 0
	for seed := int64(1); seed <= 5; seed++ {
		sel.Seed = seed
		if !slices.Equal(ids(b.Select(sel)), first) {
			differ++
		}
	}
	if differ < 4 {
		t.Errorf("only %d of 5 other seeds changed the pick", differ)
	}
}

// TestSelectInterviewShape: sets of 4+ without a type filter open with
// exactly one intro question and include a motivation question.
func TestSelectInterviewShape(t *testing.T) {
	b := mustLoad(t)
	roles := append([][]string{nil}, [][]string{{"software"}, {"healthcare"}, {"sales", "support"}}...)
	for _, r := range roles {
		for count := 1; count <= 12; count++ {
			for seed := int64(0); seed < 25; seed++ {
				got := b.Select(Selection{Count: count, Roles: r, Seed: seed})
				if len(got) != count {
					t.Fatalf("roles %v count %d seed %d: got %d", r, count, seed, len(got))
				}
				if count < 4 {
					continue
				}
				intros, mots := 0, 0
				for _, q := range got {
					switch q.Type {
					case rehearse.Intro:
						intros++
					case rehearse.Motivation:
						mots++
					}
				}
				if intros != 1 || got[0].Type != rehearse.Intro || mots < 1 {
					t.Fatalf("roles %v count %d seed %d: %d intros (first %s), %d motivation: %v",
						r, count, seed, intros, got[0].Type, mots, ids(got))
				}
			}
		}
	}
	// With a type filter the shape is not imposed.
	got := b.Select(Selection{Count: 6, Types: []rehearse.QuestionType{rehearse.Behavioral}, Seed: 9})
	for _, q := range got {
		if q.Type != rehearse.Behavioral {
			t.Errorf("type filter broken: %s is %s", q.ID, q.Type)
		}
	}
	// Only intro questions left: the count is still honoured.
	got = b.Select(Selection{Count: 5, Topics: []string{"self-introduction"}, Seed: 1})
	if len(got) != 5 {
		t.Errorf("intro-only pool gave %d questions, want 5", len(got))
	}
}

func TestSelectJobRanking(t *testing.T) {
	b := mustLoad(t)
	cases := []struct {
		file     string
		role     string
		topTags  []string // the best non-intro question has one of these topics
		mustRank map[string]int
	}{
		{"testdata/sre-job.txt", "software", []string{"kubernetes", "incident-response", "on-call", "sre"},
			map[string]int{"tech-software-kubernetes-crashloop": 10, "sit-software-paged-at-night": 3, "tech-software-slo-error-budget": 6}},
		{"testdata/nurse-job.txt", "healthcare", []string{"patient-safety", "handoff", "infection-control", "communication"},
			map[string]int{"tech-healthcare-sbar-handoff": 12}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			jd, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			terms := ExtractTerms(string(jd))
			for seed := int64(0); seed < 10; seed++ {
				got := b.Select(Selection{Count: 6, JobTerms: terms, Seed: seed})
				if got[0].Type != rehearse.Intro || !slices.Contains(Tag(got[0], RolePrefix), c.role) {
					t.Errorf("seed %d: opening question %s is not the %s intro", seed, got[0].ID, c.role)
				}
				// The best-ranked question past the opening intro and
				// motivation ones.
				var best rehearse.Question
				for _, q := range got[1:] {
					if q.Type != rehearse.Motivation {
						best = q
						break
					}
				}
				if !anyIn(Tag(best, TopicPrefix), c.topTags) || !slices.Contains(Tag(best, RolePrefix), c.role) {
					t.Errorf("seed %d: best-ranked question %s %v matches %v", seed, best.ID, best.Tags, MatchTerms(best, terms))
				}
				for _, q := range got {
					if len(MatchTerms(q, terms)) == 0 {
						t.Errorf("seed %d: %s matches no job term, while many questions do", seed, q.ID)
					}
				}
			}
			all := ids(b.Select(Selection{JobTerms: terms, Seed: 3}))
			for id, within := range c.mustRank {
				if r := slices.Index(all, id); r < 0 || r >= within {
					t.Errorf("%s ranked %d, want within the first %d", id, r, within)
				}
			}
			// Scores never rise down the ranking.
			prev := 1 << 30
			for _, id := range all {
				q, _ := b.Get(id)
				s := len(MatchTerms(q, terms))
				if s > prev {
					t.Fatalf("%s scores %d after a question scoring %d", id, s, prev)
				}
				prev = s
			}
		})
	}
}

func TestSelectEmpty(t *testing.T) {
	b := mustLoad(t)
	if got := b.Select(Selection{Topics: []string{"no-such-topic"}, Count: 5}); got != nil {
		t.Errorf("got %v, want nil", ids(got))
	}
}

func BenchmarkSelectWithJob(b *testing.B) {
	bank := mustLoad(b)
	jd, err := os.ReadFile("testdata/sre-job.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		terms := ExtractTerms(string(jd))
		if len(bank.Select(Selection{Count: 8, JobTerms: terms, Seed: int64(i)})) != 8 {
			b.Fatal("short pick")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("../../assets/questions.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
