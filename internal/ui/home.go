package ui

import (
	"context"
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/interview"
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
		list, err := u.deps.History.Sessions(ctx, rehearse.SessionFilter{Limit: 6})
		points, perr := u.deps.History.Progress(ctx)
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
		r, err := u.deps.Planner.Resume(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			if u.deps.Interviews != nil && interview.IsInterview(&r.Session) {
				u.resumeInterview(id)
				return
			}
			u.showPractice(r.Session, r.Questions, r.Results)
		})
	})
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
			_, err := u.deps.Questions.SaveQuestion(ctx, q)
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
			qs, err := u.deps.Questions.Questions(ctx)
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
							err := u.deps.Questions.DeleteQuestion(ctx, q.ID)
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
