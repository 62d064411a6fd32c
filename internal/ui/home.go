package ui

import (
	"context"
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// showHome: start a session, resume an unfinished one, recent sessions and
// a small trend.
func (u *UI) showHome() {
	start := widget.NewButtonWithIcon("Start a practice session", theme.MediaPlayIcon(), u.showSetup)
	start.Importance = widget.HighImportance
	resume := container.NewVBox()
	recent := container.NewVBox(widget.NewLabel("Loading…"))
	trend := newChart("Fillers per 100 words, by session", nil, "")
	trendBox := container.NewGridWrap(fyne.NewSize(420, 190), trend)
	u.background(func(ctx context.Context) {
		list, err := u.deps.Practice.Sessions(ctx, rehearse.SessionFilter{Limit: 6})
		points, perr := u.deps.Practice.Progress(ctx)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			recent.Objects = nil
			for _, s := range list {
				if s.FinishedAt == nil && len(resume.Objects) == 0 {
					id := s.ID
					b := widget.NewButtonWithIcon(fmt.Sprintf("Resume “%s” (%d answers so far)", s.Title, s.Attempts), theme.MediaReplayIcon(), func() { u.resume(id) })
					resume.Add(b)
				}
				recent.Add(u.sessionRow(s))
			}
			if len(list) == 0 {
				recent.Add(para("No sessions yet. Your first one takes about ten minutes."))
			}
			recent.Refresh()
			if perr == nil {
				trend.set(seriesOf(points, func(p ProgressPoint) float64 { return p.FillerRate }))
			}
		})
	})
	pending := u.newPendingPanel()
	left := container.NewVBox(
		para("Pick a role, answer a few questions out loud or typed, and see what you might change. Practice only — not for use in a real interview."),
		container.NewHBox(start), resume,
		subheading("Recent sessions"), recent)
	right := container.NewVBox(subheading("Trend"), trendBox,
		para("Fewer fillers is not a goal in itself: they are normal in speech. Use the trend to see whether a change you tried is sticking."))
	u.show("home", page("Home", pending.box, container.NewGridWithColumns(2, left, right)), true)
	u.showPendingPanel(pending)
}

func (u *UI) sessionRow(s rehearse.SessionSummary) fyne.CanvasObject {
	state := "finished"
	if s.FinishedAt == nil {
		state = "unfinished"
	}
	id := s.ID
	open := widget.NewButton("Open", func() { u.showDetail(id) })
	open.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, open,
		widget.NewLabel(fmt.Sprintf("%s  ·  %s  ·  %d answers  ·  %s", fmtDate(s.CreatedAt), s.Title, s.Attempts, state)))
}

func seriesOf(points []ProgressPoint, f func(ProgressPoint) float64) []float64 {
	out := make([]float64, 0, len(points))
	for _, p := range points {
		out = append(out, f(p))
	}
	return out
}

func (u *UI) resume(id int64) {
	u.background(func(ctx context.Context) {
		r, err := u.deps.Practice.Resume(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showPractice(r.Session, r.Questions, r.Results)
		})
	})
}

// showSetup: role, job description, question choice, time limits,
// recordings.
func (u *UI) showSetup() {
	title := widget.NewEntry()
	title.SetPlaceHolder("Role or title, e.g. Backend engineer at a logistics company")
	jd := widget.NewMultiLineEntry()
	jd.SetPlaceHolder("Optional: paste the job description. Its key terms are checked against your answers.")
	jd.Wrapping = fyne.TextWrapWord
	jd.SetMinRowsVisible(4)
	var typeNames []string
	for _, t := range rehearse.QuestionTypes {
		typeNames = append(typeNames, string(t))
	}
	types := widget.NewCheckGroup(typeNames, nil)
	types.Horizontal = true
	types.SetSelected([]string{string(rehearse.Behavioral), string(rehearse.Situational), string(rehearse.Intro)})
	count := widget.NewSelect([]string{"3", "5", "8", "10"}, nil)
	count.SetSelected("5")
	role := widget.NewSelect(nil, nil)
	role.PlaceHolder = "Any field"
	u.background(func(ctx context.Context) {
		roles, err := u.deps.Practice.Roles(ctx)
		if err == nil {
			u.do(func() { role.SetOptions(append([]string{"Any field"}, roles...)) })
		}
	})
	prep := widget.NewSelect([]string{"0", "10", "20", "30", "60"}, nil)
	prep.SetSelected(fmt.Sprint(u.settings.PrepSeconds))
	answer := widget.NewSelect([]string{"60", "90", "120", "180", "300"}, nil)
	answer.SetSelected(fmt.Sprint(u.settings.AnswerSeconds))
	keep := widget.NewCheck("Keep recordings (encrypted) so I can replay them", nil)
	keep.SetChecked(u.settings.KeepRecordings)

	var picked []rehearse.Question
	list := container.NewVBox()
	var startBtn *widget.Button
	render := func() {
		list.Objects = nil
		for i, q := range picked {
			i := i
			rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				picked = append(picked[:i:i], picked[i+1:]...)
				list.Objects = append(list.Objects[:i:i], list.Objects[i+1:]...)
				list.Refresh()
			})
			rm.Importance = widget.LowImportance
			l := widget.NewLabel(fmt.Sprintf("%d. %s  (%s)", i+1, q.Text, q.Type))
			l.Wrapping = fyne.TextWrapWord
			list.Add(container.NewBorder(nil, nil, nil, rm, l))
		}
		list.Refresh()
		if len(picked) > 0 {
			startBtn.Enable()
		} else {
			startBtn.Disable()
		}
	}
	pick := widget.NewButtonWithIcon("Pick questions", theme.ViewRefreshIcon(), func() {
		p := questions.Selection{JobTerms: questions.ExtractTerms(jd.Text)}
		if role.Selected != "" && role.Selected != "Any field" {
			p.Roles = []string{role.Selected}
		}
		fmt.Sscan(count.Selected, &p.Count)
		for _, s := range types.Selected {
			p.Types = append(p.Types, rehearse.QuestionType(s))
		}
		u.background(func(ctx context.Context) {
			qs, err := u.deps.Practice.PickQuestions(ctx, p)
			u.do(func() {
				if err != nil {
					u.fail(err)
					return
				}
				picked = qs
				render()
			})
		})
	})
	addOwn := widget.NewButtonWithIcon("Your own questions…", theme.ContentAddIcon(), func() { u.customQuestions() })
	startBtn = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), func() {
		t := strings.TrimSpace(title.Text)
		if t == "" {
			t = "Practice session"
		}
		plan := Plan{Title: t, JobDescription: jd.Text, Questions: picked}
		plan.Settings = rehearse.SessionSettings{KeepRecordings: keep.Checked, FluencyMetrics: u.settings.FluencyMetrics}
		fmt.Sscan(prep.Selected, &plan.Settings.PrepSeconds)
		fmt.Sscan(answer.Selected, &plan.Settings.AnswerSeconds)
		for _, q := range picked {
			plan.Settings.QuestionIDs = append(plan.Settings.QuestionIDs, q.ID)
		}
		u.background(func(ctx context.Context) {
			s, err := u.deps.Practice.StartSession(ctx, plan)
			u.do(func() {
				if err != nil {
					u.fail(err)
					return
				}
				u.showPractice(s, plan.Questions, nil)
			})
		})
	})
	startBtn.Importance = widget.HighImportance
	startBtn.Disable()
	form := widget.NewForm(
		widget.NewFormItem("Role", title),
		widget.NewFormItem("Job description", jd),
		widget.NewFormItem("Question types", types),
		widget.NewFormItem("Field", role),
		widget.NewFormItem("How many", count),
		widget.NewFormItem("Prep time (s)", container.NewHBox(prep, widget.NewLabel("Answer time limit (s)"), answer)),
		widget.NewFormItem("Recordings", keep),
	)
	u.show("setup", page("New session", form,
		container.NewHBox(pick, addOwn),
		list,
		container.NewHBox(layout.NewSpacer(), startBtn)), true)
	pick.OnTapped()
}

// customQuestions lets the user add, edit and delete their own questions.
func (u *UI) customQuestions() {
	box := container.NewVBox()
	text := widget.NewEntry()
	text.SetPlaceHolder("Your question")
	var typeNames []string
	for _, t := range rehearse.QuestionTypes {
		typeNames = append(typeNames, string(t))
	}
	kind := widget.NewSelect(typeNames, nil)
	kind.SetSelected(string(rehearse.Behavioral))
	editing := ""
	var reload func()
	save := widget.NewButton("Save question", func() {
		q := rehearse.Question{ID: editing, Text: strings.TrimSpace(text.Text), Type: rehearse.QuestionType(kind.Selected), Custom: true}
		if q.Text == "" {
			return
		}
		u.background(func(ctx context.Context) {
			_, err := u.deps.Practice.SaveQuestion(ctx, q)
			u.do(func() {
				if err != nil {
					u.fail(err)
					return
				}
				editing = ""
				text.SetText("")
				reload()
			})
		})
	})
	reload = func() {
		u.background(func(ctx context.Context) {
			qs, err := u.deps.Practice.Questions(ctx)
			u.do(func() {
				if err != nil {
					u.fail(err)
					return
				}
				box.Objects = nil
				for _, q := range qs {
					if !q.Custom {
						continue
					}
					q := q
					edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
						editing = q.ID
						text.SetText(q.Text)
						kind.SetSelected(string(q.Type))
					})
					del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
						u.background(func(ctx context.Context) {
							err := u.deps.Practice.DeleteQuestion(ctx, q.ID)
							u.do(func() {
								if err != nil {
									u.fail(err)
								}
								reload()
							})
						})
					})
					box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(edit, del), widget.NewLabel(q.Text)))
				}
				if len(box.Objects) == 0 {
					box.Add(widget.NewLabel("No questions of your own yet."))
				}
				box.Refresh()
			})
		})
	}
	reload()
	content := container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, kind, text), save), nil, nil, nil,
		container.NewVScroll(box))
	d := dialog.NewCustom("Your own questions", "Close", content, u.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// fmtRate formats a per-100-words rate, "—" when unknown.
func fmtRate(p *float64) string {
	if p == nil || math.IsNaN(*p) {
		return "—"
	}
	return fmt.Sprintf("%.1f", *p)
}
