package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/interview"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// showSummary is shown when a session ends.
func (u *UI) showSummary(id int64) {
	box := container.NewVBox(widget.NewLabel("Loading…"))
	again := widget.NewButtonWithIcon("Practise again", theme.MediaPlayIcon(), u.showSetup)
	again.Importance = widget.HighImportance
	home := widget.NewButtonWithIcon("Home", theme.HomeIcon(), u.showHome)
	u.show("summary", page("Session summary", box, container.NewHBox(layout.NewSpacer(), home, again)), true)
	u.background(func(ctx context.Context) {
		sum, err := u.deps.History.Summary(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			box.Objects = []fyne.CanvasObject{u.summaryView(sum, false)}
			box.Refresh()
		})
	})
}

// summaryView lists a session's questions and attempts; detail adds the
// transcripts and replay buttons.
func (u *UI) summaryView(sum Summary, detail bool) fyne.CanvasObject {
	s := sum.Session
	state := "finished " + fmtDate(derefTime(s.FinishedAt))
	if s.FinishedAt == nil {
		state = "not finished"
	}
	objs := []fyne.CanvasObject{bold(fmt.Sprintf("%s  ·  started %s  ·  %s", s.Title, fmtDate(s.CreatedAt), state))}
	if len(sum.Improvements) > 0 {
		objs = append(objs, subheading("Compared with your earlier attempts"))
		for _, s := range sum.Improvements {
			objs = append(objs, para("• "+s))
		}
	}
	if len(sum.JobTerms) > 0 {
		var used, unused []string
		for _, t := range sum.JobTerms {
			if t.Used {
				used = append(used, t.Term)
			} else {
				unused = append(unused, t.Term)
			}
		}
		objs = append(objs, subheading("Job description terms"),
			para(fmt.Sprintf("Mentioned (%d of %d): %s", len(used), len(sum.JobTerms), listOrNone(used))),
			para("Not mentioned yet: "+listOrNone(unused)+". If one fits your experience, you might bring it into an answer."))
	}
	answered := 0
	for _, it := range sum.Items {
		if len(it.Results) > 0 {
			answered++
		}
	}
	objs = append(objs, subheading(fmt.Sprintf("Answers (%d of %d questions)", answered, len(sum.Items))))
	for _, it := range sum.Items {
		rows := []fyne.CanvasObject{}
		if len(it.Results) == 0 {
			rows = append(rows, widget.NewLabel("Not answered."))
		}
		for _, r := range it.Results {
			r := r
			head := fmt.Sprintf("Attempt %d  ·  %s", r.Attempt.Number, clock(time.Duration(r.Attempt.DurationS*float64(time.Second))))
			var line fyne.CanvasObject = widget.NewLabel("Saved; waiting for transcription.")
			if r.Feedback != nil {
				line = metricsLine(r.Feedback.Metrics)
			}
			row := []fyne.CanvasObject{bold(head), line}
			if detail && r.Feedback != nil {
				rt := widget.NewRichText(highlight(r.Attempt.Effective(), r.Feedback.Evidence, nil)...)
				rt.Wrapping = fyne.TextWrapWord
				row = append(row, rt)
				for _, sg := range r.Feedback.Suggestions {
					row = append(row, para("→ "+sg.Text))
				}
			}
			if detail && r.Attempt.HasAudio {
				id := r.Attempt.ID
				row = append(row, widget.NewButtonWithIcon("Replay recording", theme.MediaPlayIcon(), func() {
					u.background(func(ctx context.Context) {
						if err := u.deps.Practice.Play(ctx, id, 0); err != nil {
							u.do(func() { u.fail(err) })
						}
					})
				}))
			}
			rows = append(rows, container.NewVBox(row...))
		}
		objs = append(objs, widget.NewCard("", it.Question.Text, container.NewVBox(rows...)))
	}
	return container.NewVBox(objs...)
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// historyScreen is the list of past sessions with search and filters.
type historyScreen struct {
	u      *UI
	search *textBox
	filter *widget.Select
	list   *widget.List
	count  *widget.Label
	rows   []rehearse.SessionSummary
	// gen numbers the loads; only the newest one may fill the list, so a
	// slow earlier search never overwrites a later one. UI goroutine only.
	gen int
}

var historyFilters = []string{"All time", "Last 7 days", "Last 30 days", "Unfinished only"}

func (u *UI) showHistory() {
	h := &historyScreen{u: u}
	h.search = u.newEntry()
	h.search.SetPlaceHolder("Search transcripts, titles and questions")
	h.search.OnSubmitted = func(string) { h.reload() }
	h.filter = widget.NewSelect(historyFilters, func(string) { h.reload() })
	h.count = widget.NewLabel("")
	h.list = widget.NewList(
		func() int { return len(h.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewLabel("00 answers"), widget.NewLabel("title"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(h.rows) {
				return
			}
			s := h.rows[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s   %s", fmtDate(s.CreatedAt), s.Title))
			state := fmt.Sprintf("%d answers", s.Attempts)
			if s.FinishedAt == nil {
				state += " · unfinished"
			}
			c.Objects[1].(*widget.Label).SetText(state)
		})
	h.list.OnSelected = func(i widget.ListItemID) {
		if i < len(h.rows) {
			id := h.rows[i].ID
			h.list.UnselectAll()
			u.showDetail(id)
		}
	}
	find := widget.NewButtonWithIcon("Search", theme.SearchIcon(), h.reload)
	pending := u.newPendingPanel()
	top := container.NewVBox(heading("History"), pending.box,
		container.NewBorder(nil, nil, nil, container.NewHBox(h.filter, find), h.search), h.count)
	u.show("history", container.NewPadded(container.NewBorder(top, nil, nil, nil, h.list)), true)
	u.showPendingPanel(pending)
	h.filter.SetSelected(historyFilters[0]) // loads
}

func (h *historyScreen) reload() {
	f := rehearse.SessionFilter{Text: strings.TrimSpace(h.search.Text)}
	unfinished := false
	switch h.filter.Selected {
	case historyFilters[1]:
		f.Since = time.Now().AddDate(0, 0, -7)
	case historyFilters[2]:
		f.Since = time.Now().AddDate(0, 0, -30)
	case historyFilters[3]:
		unfinished = true
	}
	h.gen++
	gen := h.gen
	h.u.background(func(ctx context.Context) {
		rows, err := h.u.deps.History.Sessions(ctx, f)
		h.u.do(func() {
			if gen != h.gen {
				return // a newer search has been started
			}
			if err != nil {
				h.u.fail(err)
				return
			}
			if unfinished {
				kept := rows[:0]
				for _, r := range rows {
					if r.FinishedAt == nil {
						kept = append(kept, r)
					}
				}
				rows = kept
			}
			h.rows = rows
			switch {
			case len(rows) == 0 && f.Text != "":
				h.count.SetText(fmt.Sprintf("Nothing matches “%s”.", f.Text))
			case len(rows) == 0:
				h.count.SetText("No sessions yet.")
			default:
				h.count.SetText(fmt.Sprintf("%d sessions", len(rows)))
			}
			h.list.Refresh()
		})
	})
}

// showDetail is one past session with transcripts, replay and delete.
func (u *UI) showDetail(id int64) {
	box := container.NewVBox(widget.NewLabel("Loading…"))
	back := widget.NewButtonWithIcon("Back to history", theme.NavigateBackIcon(), u.showHistory)
	del := widget.NewButtonWithIcon("Delete this session", theme.DeleteIcon(), nil)
	del.Importance = widget.DangerImportance
	resume := widget.NewButtonWithIcon("Continue this session", theme.MediaPlayIcon(), func() { u.resume(id) })
	resume.Hide()
	report := widget.NewButtonWithIcon("Interview report", theme.DocumentIcon(), func() { u.openInterviewReport(id) })
	report.Hide()
	u.show("detail", page("Session", container.NewHBox(back, layout.NewSpacer(), report, resume, del), box), true)
	u.background(func(ctx context.Context) {
		sum, err := u.deps.History.Summary(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			if sum.Session.FinishedAt == nil {
				resume.Show()
			}
			if u.deps.Interviews != nil && interview.IsInterview(&sum.Session) {
				report.Show()
			}
			box.Objects = []fyne.CanvasObject{u.summaryView(sum, true)}
			box.Refresh()
			del.OnTapped = func() {
				n := 0
				for _, it := range sum.Items {
					n += len(it.Results)
				}
				d := dialog.NewConfirm("Delete this session?",
					fmt.Sprintf("“%s” and its %d answers (transcripts, feedback and any kept recordings)\nwill be deleted. This cannot be undone.", sum.Session.Title, n),
					func(ok bool) {
						if ok {
							u.deleteSession(id)
						}
					}, u.win)
				d.SetConfirmText("Delete")
				d.SetDismissText("Keep")
				d.SetConfirmImportance(widget.DangerImportance)
				d.Show()
			}
		})
	})
}

func (u *UI) deleteSession(id int64) {
	u.background(func(ctx context.Context) {
		err := u.deps.History.DeleteSession(ctx, id)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			u.showHistory()
			u.showNotice("info", "The session was deleted.")
		})
	})
}
