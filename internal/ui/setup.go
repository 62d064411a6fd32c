package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fieldFromRole is the Field choice that follows the role typed above it.
const fieldFromRole = "Match my role"

// setupForm is the state of the setup screen: what the user chose and the
// questions picked for it.
type setupForm struct {
	u      *UI
	title  *textBox
	jd     *textBox
	types  *widget.CheckGroup
	count  *widget.Select
	field  *widget.Select
	prep   *widget.Select
	answer *widget.Select
	keep   *widget.Check
	// mode is Practice or Interview; nil when interviews are not offered.
	mode *widget.RadioGroup
	// understood says which field the role was placed in, and why.
	understood *widget.Label
	list       *fyne.Container
	start      *widget.Button

	fields    map[string]string // label → field
	picked    []questions.Picked
	lastField string // the field the current pick was made for
	seed      int64
	// picks counts the picks asked for: only the latest one's answer is
	// shown, whatever order the answers arrive in.
	picks int
}

// showSetup: role, job description, question choice, time limits,
// recordings. The questions follow the role: they are picked again whenever
// the role's field, the field, the types or the count change.
func (u *UI) showSetup() {
	f := &setupForm{u: u, fields: map[string]string{}, seed: time.Now().UnixNano() % 1_000_000_000}
	u.setup = f
	mem := u.settings.LastSetup
	f.title = u.newEntry()
	f.title.SetPlaceHolder("Role or title, e.g. Backend engineer at a logistics company")
	f.title.SetText(mem.Role)
	f.understood = widget.NewLabel("")
	f.understood.Wrapping = fyne.TextWrapWord
	f.jd = u.newMultiLineEntry()
	f.jd.SetPlaceHolder("Optional: paste the job description. Its key terms are checked against your answers.")
	f.jd.Wrapping = fyne.TextWrapWord
	f.jd.SetMinRowsVisible(4)
	f.jd.SetText(mem.JobDescription)
	var typeNames []string
	for _, t := range rehearse.QuestionTypes {
		typeNames = append(typeNames, string(t))
	}
	f.types = widget.NewCheckGroup(typeNames, nil)
	f.types.Horizontal = true
	if len(mem.Types) > 0 {
		f.types.SetSelected(mem.Types)
	} else {
		f.types.SetSelected([]string{string(rehearse.Behavioral), string(rehearse.Situational), string(rehearse.Intro)})
	}
	f.count = widget.NewSelect([]string{"3", "5", "8", "10"}, nil)
	f.count.SetSelected("5")
	if mem.Count > 0 {
		f.count.SetSelected(fmt.Sprint(mem.Count))
	}
	f.field = widget.NewSelect([]string{fieldFromRole}, nil)
	f.field.SetSelected(fieldFromRole)
	f.prep = widget.NewSelect([]string{"0", "10", "20", "30", "60"}, nil)
	f.prep.SetSelected(fmt.Sprint(u.settings.PrepSeconds))
	f.answer = widget.NewSelect([]string{"60", "90", "120", "180", "300"}, nil)
	f.answer.SetSelected(fmt.Sprint(u.settings.AnswerSeconds))
	f.keep = widget.NewCheck("Keep recordings (encrypted) so I can replay them", nil)
	f.keep.SetChecked(u.settings.KeepRecordings)
	f.list = container.NewVBox()
	modeItems := f.modeChoice()

	shuffle := widget.NewButtonWithIcon("Shuffle", theme.ViewRefreshIcon(), func() { f.seed++; f.pick() })
	addOwn := widget.NewButtonWithIcon("Your own questions…", theme.ContentAddIcon(), func() { u.customQuestions() })
	f.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), f.startSession)
	f.start.Importance = widget.HighImportance
	f.start.Disable()

	u.background(func(ctx context.Context) {
		roles, err := u.deps.Planner.Roles(ctx)
		if err != nil {
			return
		}
		u.do(func() {
			opts := []string{fieldFromRole}
			for _, r := range roles {
				l := questions.FieldLabel(r)
				f.fields[l] = r
				opts = append(opts, l)
			}
			f.field.SetOptions(opts)
			if l := questions.FieldLabel(mem.Field); mem.Field != "" && f.fields[l] != "" {
				f.field.SetSelected(l)
			}
		})
	})
	// Typing a role re-picks as soon as it lands in another field; Enter
	// picks afresh.
	f.title.OnChanged = func(string) {
		f.explain()
		if f.fieldChoice() != f.lastField {
			f.pick()
		}
	}
	f.title.OnSubmitted = func(string) { f.pick() }
	f.field.OnChanged = func(string) { f.explain(); f.pick() }
	f.types.OnChanged = func([]string) { f.pick() }
	f.count.OnChanged = func(string) { f.pick() }

	form := widget.NewForm(
		widget.NewFormItem("Role", container.NewVBox(f.title, f.understood)),
		widget.NewFormItem("Job description", f.jd),
		widget.NewFormItem("Question types", f.types),
		widget.NewFormItem("Field", f.field),
		widget.NewFormItem("How many", f.count),
		widget.NewFormItem("Prep time (s)", container.NewHBox(f.prep, widget.NewLabel("Answer time limit (s)"), f.answer)),
		widget.NewFormItem("Recordings", f.keep),
	)
	form.Items = append(modeItems, form.Items...)
	u.show("setup", page("New session", form,
		container.NewHBox(shuffle, addOwn),
		f.list,
		container.NewHBox(layout.NewSpacer(), f.start)), true)
	f.explain()
	f.pick()
}

// role is what the typed role was understood as.
func (f *setupForm) role() questions.Role {
	r, err := questions.ResolveRole(f.title.Text)
	if err != nil {
		return questions.Role{Text: f.title.Text}
	}
	return r
}

// fieldChoice is the field questions are picked for: the one chosen in the
// Field list, else the role's; "" means any field.
func (f *setupForm) fieldChoice() string {
	if fl, ok := f.fields[f.field.Selected]; ok {
		return fl
	}
	return f.role().Field
}

// explain shows how the role was understood.
func (f *setupForm) explain() {
	r := f.role()
	chosen := f.fields[f.field.Selected]
	switch {
	case chosen != "":
		f.understood.SetText(fmt.Sprintf("Questions for %s (chosen under Field).", strings.ToLower(questions.FieldLabel(chosen))))
	case strings.TrimSpace(r.Text) == "":
		f.understood.SetText("Type a role to get questions for it; until then, questions come from every field.")
	case r.Field == "":
		f.understood.SetText("No field matches this role, so general questions that suit any interview are picked. Choose a field below to narrow them.")
	default:
		s := fmt.Sprintf("Questions for %s (from “%s”)", strings.ToLower(r.FieldLabel), r.Matched)
		if r.Level != "" {
			s += fmt.Sprintf(", %s level", r.Level)
		}
		f.understood.SetText(s + ".")
	}
}

// selection is what the form asks for, without a count or seed.
func (f *setupForm) selection() questions.Selection {
	s := questions.Selection{JobTerms: questions.ExtractTerms(f.jd.Text)}
	r := f.role()
	switch fl := f.fieldChoice(); {
	case fl != "":
		s.Roles = []string{fl}
	case strings.TrimSpace(r.Text) != "":
		s.Roles = []string{questions.GeneralRole}
	}
	s.Level = r.Level
	for _, t := range f.types.Selected {
		s.Types = append(s.Types, rehearse.QuestionType(t))
	}
	return s
}

// pick chooses a new set of questions in the background.
func (f *setupForm) pick() {
	s := f.selection()
	fmt.Sscan(f.count.Selected, &s.Count)
	s.Seed = f.seed
	f.lastField = f.fieldChoice()
	f.picks++
	n := f.picks
	f.u.background(func(ctx context.Context) {
		qs, err := f.u.deps.Planner.PickQuestions(ctx, s)
		f.u.do(func() {
			if n != f.picks {
				return // a newer pick is on its way
			}
			if err != nil {
				f.u.fail(err)
				return
			}
			f.picked = qs
			f.render()
		})
	})
}

// swap replaces question i with the best other question for the same
// choice.
func (f *setupForm) swap(i int) {
	s := f.selection()
	s.Count, s.Seed = 1, f.seed+int64(i)+1
	s.Types = []rehearse.QuestionType{f.picked[i].Type}
	for _, p := range f.picked {
		s.Exclude = append(s.Exclude, p.ID)
	}
	f.u.background(func(ctx context.Context) {
		qs, err := f.u.deps.Planner.PickQuestions(ctx, s)
		f.u.do(func() {
			switch {
			case err != nil:
				f.u.fail(err)
			case len(qs) == 0 || i >= len(f.picked):
				f.u.showNotice("info", "No other question of that type fits these choices.")
			default:
				f.picked[i] = qs[0]
				f.render()
			}
		})
	})
}

// render lists the picked questions, each with why it was picked.
func (f *setupForm) render() {
	f.list.Objects = nil
	for i, q := range f.picked {
		swap := widget.NewButtonWithIcon("Swap", theme.ViewRefreshIcon(), func() { f.swap(i) })
		swap.Importance = widget.LowImportance
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			f.picked = slices.Delete(f.picked, i, i+1)
			f.render()
		})
		rm.Importance = widget.LowImportance
		l := widget.NewLabel(fmt.Sprintf("%d. %s  (%s)", i+1, q.Text, q.Type))
		l.Wrapping = fyne.TextWrapWord
		why := widget.NewLabel("Why: " + strings.Join(q.Reasons, "; "))
		why.Wrapping = fyne.TextWrapWord
		why.TextStyle = fyne.TextStyle{Italic: true}
		f.list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(swap, rm), container.NewVBox(l, why)))
	}
	f.list.Refresh()
	if len(f.picked) > 0 {
		f.start.Enable()
	} else {
		f.start.Disable()
	}
}

// startSession starts the session and remembers the choices for next time.
func (f *setupForm) startSession() {
	u := f.u
	t := strings.TrimSpace(f.title.Text)
	if t == "" {
		t = "Practice session"
	}
	qs := make([]rehearse.Question, len(f.picked))
	for i, p := range f.picked {
		qs[i] = p.Question
	}
	plan := Plan{Title: t, JobDescription: f.jd.Text, Questions: qs}
	plan.Settings = rehearse.SessionSettings{KeepRecordings: f.keep.Checked, FluencyMetrics: u.settings.FluencyMetrics}
	fmt.Sscan(f.prep.Selected, &plan.Settings.PrepSeconds)
	fmt.Sscan(f.answer.Selected, &plan.Settings.AnswerSeconds)
	for _, q := range qs {
		plan.Settings.QuestionIDs = append(plan.Settings.QuestionIDs, q.ID)
	}
	set := u.settings
	set.PrepSeconds, set.AnswerSeconds, set.KeepRecordings = plan.Settings.PrepSeconds, plan.Settings.AnswerSeconds, plan.Settings.KeepRecordings
	set.LastSetup = SetupMemory{Role: f.title.Text, Field: f.fields[f.field.Selected], JobDescription: f.jd.Text, Types: f.types.Selected}
	fmt.Sscan(f.count.Selected, &set.LastSetup.Count)
	u.settings = set
	if f.interviewChosen() {
		f.startInterview(plan, set)
		return
	}
	u.background(func(ctx context.Context) {
		s, err := u.deps.Planner.StartSession(ctx, plan)
		if err == nil {
			// Remembering the choices is a convenience: a failure to save
			// them must not stop the session.
			_ = u.deps.Preferences.SaveSettings(ctx, set)
		}
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showPractice(s, plan.Questions, nil)
		})
	})
}

// Setup modes.
const (
	modePractice  = "Practice"
	modeInterview = "Interview"
)

// modeChoice offers Practice or Interview when interviews can be run.
func (f *setupForm) modeChoice() []*widget.FormItem {
	if f.u.deps.Interviews == nil {
		return nil
	}
	what := para("")
	f.mode = widget.NewRadioGroup([]string{modePractice, modeInterview}, func(m string) {
		// An interviewer gives no preparation time: the answer starts
		// when the question has been asked.
		if m == modeInterview {
			what.SetText("A mock interview: each question is asked aloud, you answer at once against the answer timer (no prep time), and a follow-up may come. No feedback until the report at the end.")
			f.prep.Disable()
		} else {
			what.SetText("Feedback after each answer, with retakes.")
			f.prep.Enable()
		}
	})
	f.mode.Horizontal = true
	f.mode.Required = true
	f.mode.SetSelected(modePractice)
	return []*widget.FormItem{widget.NewFormItem("Mode", container.NewVBox(f.mode, what))}
}

func (f *setupForm) interviewChosen() bool {
	return f.mode != nil && f.mode.Selected == modeInterview
}

// startInterview starts the chosen questions as an interview.
func (f *setupForm) startInterview(plan Plan, set Settings) {
	u := f.u
	if plan.Title == "Practice session" {
		plan.Title = "Mock interview"
	}
	u.background(func(ctx context.Context) {
		run, err := u.deps.Interviews.StartInterview(ctx, plan)
		if err == nil {
			_ = u.deps.Preferences.SaveSettings(ctx, set)
		}
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showInterview(run)
		})
	})
}
