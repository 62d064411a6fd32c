package questions

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// jobTitles are real job titles as people type them, with the field whose
// questions they should get.
var jobTitles = []struct{ title, field, level string }{
	{"Backend engineer", "software", ""},
	{"Senior backend engineer", "software", "senior"},
	{"Frontend developer (React)", "software", ""},
	{"Full-stack web developer", "software", ""},
	{"Site Reliability Engineer", "software", ""},
	{"iOS developer", "software", ""},
	{"Junior software developer", "software", "entry"},
	{"Data scientist", "data", ""},
	{"Data engineer", "data", ""},
	{"Machine learning engineer", "data", ""},
	{"Business intelligence analyst", "data", ""},
	{"Registered nurse", "healthcare", ""},
	{"ICU nurse", "healthcare", ""},
	{"Nurse manager", "healthcare", ""},
	{"Pharmacist", "healthcare", ""},
	{"Physiotherapist", "healthcare", ""},
	{"Healthcare assistant", "healthcare", "entry"},
	{"Product manager", "product", ""},
	{"Senior product owner", "product", "senior"},
	{"Engineering manager", "management", ""},
	{"Team leader", "management", "senior"},
	{"Director of operations", "operations", "senior"},
	{"UX designer", "design", ""},
	{"Graphic designer", "design", ""},
	{"Product designer", "design", ""},
	{"Account executive", "sales", ""},
	{"Sales development representative", "sales", ""},
	{"Retail sales associate", "sales", "entry"},
	{"Customer service representative", "support", ""},
	{"Customer success manager", "support", ""},
	{"IT help desk technician", "support", ""},
	{"Barista", "support", ""},
	{"Warehouse operative", "operations", ""},
	{"Logistics coordinator", "operations", ""},
	{"Supply chain analyst", "operations", ""},
	{"Project manager", "operations", ""},
	{"Primary school teacher", "teaching", ""},
	{"Secondary maths teacher", "teaching", ""},
	{"Teaching assistant", "teaching", "entry"},
	{"University lecturer", "teaching", ""},
	{"Accountant", "finance", ""},
	{"Financial analyst", "finance", ""},
	{"Graduate auditor", "finance", "entry"},
	{"Payroll specialist", "finance", ""},
	{"Marketing manager", "marketing", ""},
	{"Digital marketing executive", "marketing", ""},
	{"Copywriter", "marketing", ""},
	{"Social media coordinator", "marketing", ""},
	{"HR business partner", "hr", ""},
	{"Recruiter", "hr", ""},
	{"Talent acquisition specialist", "hr", ""},
}

func TestResolveRole(t *testing.T) {
	for _, c := range jobTitles {
		r, err := ResolveRole(c.title)
		if err != nil {
			t.Fatal(err)
		}
		if r.Field != c.field || r.Level != c.level {
			t.Errorf("ResolveRole(%q) = field %q (matched %q), level %q; want %q, %q", c.title, r.Field, r.Matched, r.Level, c.field, c.level)
		}
	}
	// Every field name is itself a role.
	b := mustLoad(t)
	for _, f := range b.Roles() {
		if f == GeneralRole {
			continue
		}
		if r, _ := ResolveRole(f); r.Field != f {
			t.Errorf("ResolveRole(%q) = %q", f, r.Field)
		}
	}
	for _, s := range []string{"", "   ", "astronaut", "??"} {
		if r, _ := ResolveRole(s); r.Field != "" {
			t.Errorf("ResolveRole(%q) = %q, want no field", s, r.Field)
		}
	}
}

// TestPickFitsRole is the question-relevance measure: for every field and
// every job title, across several seeds, at least 4 of 5 picked questions
// are from the role's field or general ones, and the field's own questions
// are the majority.
func TestPickFitsRole(t *testing.T) {
	b := mustLoad(t)
	type tally struct{ field, general, other, picks int }
	perField := map[string]*tally{}
	check := func(name, role string) {
		t.Helper()
		r, err := ResolveRole(role)
		if err != nil {
			t.Fatal(err)
		}
		sel := Selection{Count: 5, Level: r.Level}
		if r.Field != "" {
			sel.Roles = []string{r.Field}
		} else {
			sel.Roles = []string{GeneralRole}
		}
		key := r.Field
		if key == "" {
			key = GeneralRole
		}
		tl := perField[key]
		if tl == nil {
			tl = &tally{}
			perField[key] = tl
		}
		for seed := range int64(3) {
			sel.Seed = seed
			got := b.Pick(sel)
			if len(got) != 5 {
				t.Fatalf("%s: %d questions", name, len(got))
			}
			own, general := 0, 0
			for _, p := range got {
				roles := Tag(p.Question, RolePrefix)
				switch {
				case key != GeneralRole && slices.Contains(roles, key):
					own++
				case slices.Contains(roles, GeneralRole):
					general++
				}
				if len(p.Reasons) == 0 {
					t.Errorf("%s: %s has no reason", name, p.ID)
				}
			}
			tl.field += own
			tl.general += general
			tl.other += 5 - own - general
			tl.picks += 5
			if own+general < 4 {
				t.Errorf("%s seed %d: only %d of 5 from %s or general: %v", name, seed, own+general, key, ids(questionsOf(got)))
			}
			if key != GeneralRole && own < 3 {
				t.Errorf("%s seed %d: only %d of 5 from the %s field itself", name, seed, own, key)
			}
		}
	}
	for _, f := range b.Roles() {
		check("field "+f, f)
	}
	for _, c := range jobTitles {
		check(c.title, c.title)
	}
	fields := make([]string, 0, len(perField))
	for f := range perField {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	var sb strings.Builder
	for _, f := range fields {
		tl := perField[f]
		fmt.Fprintf(&sb, "\n  %-11s %3d picks: %3d own field, %3d general, %d other (%.0f %% own or general)", f, tl.picks, tl.field, tl.general, tl.other,
			100*float64(tl.field+tl.general)/float64(tl.picks))
	}
	t.Logf("question relevance per field (%d titles + %d field names, seeds 0–2):%s", len(jobTitles), len(b.Roles()), sb.String())
}

func questionsOf(ps []Picked) []rehearse.Question {
	out := make([]rehearse.Question, len(ps))
	for i, p := range ps {
		out[i] = p.Question
	}
	return out
}

func TestPickAvoidsRecent(t *testing.T) {
	b := mustLoad(t)
	sel := Selection{Count: 5, Roles: []string{"teaching"}, Seed: 7}
	first := b.Pick(sel)
	for _, p := range first {
		sel.Recent = append(sel.Recent, p.ID)
	}
	second := b.Pick(sel)
	for _, p := range second {
		if slices.Contains(sel.Recent, p.ID) {
			t.Errorf("recently answered %s picked again", p.ID)
		}
	}
	// When only recent questions are left they still come, and say so.
	only := Selection{Count: 3, Types: []rehearse.QuestionType{rehearse.Intro}, Roles: []string{"hr"}}
	all := b.Filter(only)
	for _, q := range all {
		only.Recent = append(only.Recent, q.ID)
	}
	got := b.Pick(only)
	if len(got) != 3 {
		t.Fatalf("got %d questions, want 3", len(got))
	}
	if r := got[0].Reasons; !strings.Contains(strings.Join(r, ";"), "answered it recently") {
		t.Errorf("reasons %q do not say it was answered recently", r)
	}
}
