package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/questions"
)

// pickedFields is the field of each question the setup screen shows; call
// it under the harness lock (in waitFor or do).
func pickedFields(h *harness) []string {
	var out []string
	for _, p := range h.u.setup.picked {
		r := questions.Tag(p.Question, questions.RolePrefix)
		if len(r) == 0 {
			out = append(out, "own")
			continue
		}
		out = append(out, r[0])
	}
	return out
}

// TestSetupFollowsRole: the typed role decides the field at once, the Field
// list re-picks without another click, Shuffle draws a new set, every
// question says why it was picked, and the choices are remembered.
func TestSetupFollowsRole(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	h.tap("Start a practice session")
	h.act(func() { h.entry("Role or title").SetText("Primary school teacher") })
	h.waitFor("teaching questions", func() bool {
		fs := pickedFields(h)
		n := 0
		for _, fl := range fs {
			if fl == "teaching" || fl == questions.GeneralRole {
				n++
			}
		}
		return len(fs) == 5 && n >= 4
	})
	h.mustShow("Questions for teaching and education (from “primary school”)")
	h.mustShow("Why: asked in teaching and education interviews")

	// Choosing a field re-picks at once.
	h.act(func() {
		for _, o := range h.objects() {
			if s, ok := o.(*widget.Select); ok && s.Selected == fieldFromRole {
				s.SetSelected(questions.FieldLabel("finance"))
			}
		}
	})
	h.waitFor("finance questions", func() bool {
		return slices.Contains(pickedFields(h), "finance")
	})
	lastPick := func() questions.Selection {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.lastPick
	}
	if got := lastPick().Roles; !slices.Equal(got, []string{"finance"}) {
		t.Errorf("pick asked for roles %v, want [finance]", got)
	}

	// Shuffle draws with a new seed.
	before := lastPick().Seed
	h.tap("Shuffle")
	if lastPick().Seed == before {
		t.Errorf("Shuffle kept seed %d", before)
	}

	// Start remembers the role, field and job description for next time.
	h.act(func() { h.entry("Optional: paste the job description").SetText("Year 4 class teacher, phonics lead.") })
	h.tap("Start")
	h.waitFor("practice screen", func() bool { return h.u.screen == "practice" })
	h.waitFor("saved setup", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.settings.LastSetup.Role == "Primary school teacher"
	})
	f.mu.Lock()
	last := f.settings.LastSetup
	f.mu.Unlock()
	if last.Field != "finance" || !strings.Contains(last.JobDescription, "phonics") || last.Count != 5 {
		t.Errorf("remembered %+v", last)
	}
	h.tap("Home")
	h.tap("Start a practice session")
	if got := h.entry("Role or title").Text; got != "Primary school teacher" {
		t.Errorf("role not remembered: %q", got)
	}
}

// slowFirstPick answers picks of eight questions only when released.
type slowFirstPick struct {
	Planner
	release chan struct{}
}

func (p *slowFirstPick) PickQuestions(ctx context.Context, s questions.Selection) ([]questions.Picked, error) {
	if s.Count == 8 {
		<-p.release
	}
	return p.Planner.PickQuestions(ctx, s)
}

// TestSetupShowsTheLatestPick: when an earlier pick answers after a later
// one (the role typed, then the count changed), the list is the later one.
func TestSetupShowsTheLatestPick(t *testing.T) {
	f := newFake()
	slow := &slowFirstPick{Planner: f, release: make(chan struct{})}
	h := newHarness(t, f, func(d *Deps) { d.Planner = slow })
	h.tap("Start a practice session")
	h.actNoWait(func() {
		h.u.setup.count.SetSelected("8")
		h.u.setup.count.SetSelected("3")
	})
	h.waitFor("the second pick", func() bool { return len(h.u.setup.picked) == 3 })
	close(slow.release)
	h.settle()
	h.actNoWait(func() {
		if n := len(h.u.setup.picked); n != 3 {
			t.Errorf("after choosing 3 questions the list has %d: an older pick replaced the newer one", n)
		}
	})
}
