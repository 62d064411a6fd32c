package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/feedback"
)

var expiryChoices = []string{"Keep until I delete", "30 days", "90 days", "180 days", "365 days"}

func expiryLabel(days int) string {
	if days <= 0 {
		return expiryChoices[0]
	}
	return fmt.Sprintf("%d days", days)
}

// showSettings: general preferences, microphone, models, rulebook, security.
func (u *UI) showSettings() {
	tabs := container.NewAppTabs(
		container.NewTabItem("General", container.NewVScroll(u.generalSettings())),
		container.NewTabItem("Microphone", container.NewVScroll(container.NewPadded(container.NewVBox(
			u.micPanel(), widget.NewSeparator(), u.soundCheckPanel())))),
		container.NewTabItem("Speech models", container.NewVScroll(container.NewPadded(u.modelPanel(false)))),
		container.NewTabItem("Rulebook", u.rulebookEditor()),
		container.NewTabItem("Security", container.NewVScroll(u.securityInfo())),
		container.NewTabItem("Interviewer voice", container.NewVScroll(u.voicePanel())),
	)
	u.show("settings", container.NewPadded(container.NewBorder(heading("Settings"), nil, nil, nil, tabs)), true)
}

func (u *UI) generalSettings() fyne.CanvasObject {
	s := u.settings
	fluency := widget.NewCheck("Give feedback on fillers, pauses and pace", nil)
	fluency.SetChecked(s.FluencyMetrics)
	expiry := widget.NewSelect(expiryChoices, nil)
	expiry.SetSelected(expiryLabel(s.ExpiryDays))
	if expiry.Selected == "" {
		expiry.SetSelected(expiryChoices[0])
	}
	themeSel := widget.NewRadioGroup([]string{ThemeLight, ThemeDark, ThemeSystem}, nil)
	themeSel.Horizontal = true
	themeSel.SetSelected(s.Theme)
	prep := u.newEntry()
	prep.SetText(strconv.Itoa(s.PrepSeconds))
	answer := u.newEntry()
	answer.SetText(strconv.Itoa(s.AnswerSeconds))
	keep := widget.NewCheck("Keep recordings (encrypted) to replay them", nil)
	keep.SetChecked(s.KeepRecordings)
	msg := para("")
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() {
		n := s
		n.FluencyMetrics = fluency.Checked
		n.KeepRecordings = keep.Checked
		n.Theme = themeSel.Selected
		n.ExpiryDays = 0
		fmt.Sscan(expiry.Selected, &n.ExpiryDays)
		var err1, err2 error
		n.PrepSeconds, err1 = strconv.Atoi(strings.TrimSpace(prep.Text))
		n.AnswerSeconds, err2 = strconv.Atoi(strings.TrimSpace(answer.Text))
		if err1 != nil || err2 != nil || n.PrepSeconds < 0 || n.AnswerSeconds < 10 || n.AnswerSeconds > 900 {
			msg.SetText("Prep time must be 0 or more seconds and answer time between 10 and 900 seconds.")
			return
		}
		u.background(func(ctx context.Context) {
			err := u.deps.Preferences.SaveSettings(ctx, n)
			u.do(func() {
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				themeChanged := n.Theme != u.settings.Theme
				u.settings = n
				msg.SetText("Saved.")
				if themeChanged {
					u.applyTheme()
					u.showSettings()
				}
			})
		})
	})
	save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Fluency feedback", fluency),
		widget.NewFormItem("", para("Turn this off if fluency advice is not useful to you, for instance if you stutter: answers are then judged only on content and structure.")),
		widget.NewFormItem("Delete answers after", expiry),
		widget.NewFormItem("Theme", themeSel),
		widget.NewFormItem("Prep time (s)", prep),
		widget.NewFormItem("Answer time limit (s)", answer),
		widget.NewFormItem("Recordings", keep),
	)
	return container.NewPadded(container.NewVBox(form, container.NewHBox(save), msg))
}

// rulebookEditor: per-rule on/off, thresholds and word lists, reset and
// re-scoring of stored answers.
func (u *UI) rulebookEditor() fyne.CanvasObject {
	rulesBox := container.NewStack(widget.NewLabel("Loading rules…"))
	var rules []feedback.RuleInfo
	var ed *rulesEdit
	var words map[string][]string
	ruleList := widget.NewList(func() int { return len(rules) },
		func() fyne.CanvasObject { return widget.NewLabel("rule title") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := rules[i].Title
			if !rules[i].Enabled {
				t += " (off)"
			}
			o.(*widget.Label).SetText(t)
		})
	sel := 0
	ruleList.OnSelected = func(i widget.ListItemID) {
		if i < len(rules) && ed != nil {
			sel = i
			rulesBox.Objects = []fyne.CanvasObject{container.NewVScroll(ed.card(rules[i], words))}
			rulesBox.Refresh()
		}
	}
	msg := para("")
	bar := widget.NewProgressBar()
	bar.Hide()
	var cancelRescore context.CancelFunc
	cancelBtn := widget.NewButton("Cancel", func() {
		if cancelRescore != nil {
			cancelRescore()
		}
	})
	cancelBtn.Hide()
	var load func()
	rescore := widget.NewButtonWithIcon("Re-score history", theme.ViewRefreshIcon(), nil)
	rescore.OnTapped = func() {
		var ctx context.Context
		ctx, cancelRescore = context.WithCancel(u.ctx)
		rescore.Disable()
		bar.SetValue(0)
		bar.Show()
		cancelBtn.Show()
		msg.SetText("Re-scoring stored answers with the current rules…")
		cancel := cancelRescore
		u.background(func(context.Context) {
			defer cancel()
			var last [2]int
			err := u.deps.Rulebook.Rescore(ctx, func(done, total int) {
				last = [2]int{done, total}
				u.do(func() {
					if total > 0 {
						bar.SetValue(float64(done) / float64(total))
					}
				})
			})
			u.do(func() {
				rescore.Enable()
				bar.Hide()
				cancelBtn.Hide()
				switch {
				case errors.Is(err, context.Canceled):
					msg.SetText(fmt.Sprintf("Stopped after %d of %d answers; those keep their new scores, the rest their old ones.", last[0], last[1]))
				case err != nil:
					msg.SetText(explain(err))
				default:
					msg.SetText(fmt.Sprintf("Re-scored %d answers.", last[1]))
				}
			})
		})
	}
	reset := widget.NewButtonWithIcon("Reset all rules", theme.ContentUndoIcon(), func() {
		dialog.ShowConfirm("Reset the rulebook?", "Every rule goes back to its default: on, with the default thresholds and word lists. Stored answers keep their scores until you re-score history.", func(ok bool) {
			if !ok {
				return
			}
			u.background(func(ctx context.Context) {
				err := u.deps.Rulebook.SetOverrides(ctx, feedback.Overrides{})
				u.do(func() {
					if err != nil {
						msg.SetText(explain(err))
						return
					}
					msg.SetText("Rules reset to their defaults.")
					load()
				})
			})
		}, u.win)
	})
	load = func() {
		u.background(func(ctx context.Context) {
			rs, err := u.deps.Rulebook.Rules(ctx)
			var o feedback.Overrides
			if err == nil {
				o, err = u.deps.Rulebook.Overrides(ctx)
			}
			ws := map[string][]string{}
			for _, r := range rs {
				for _, l := range r.Lists {
					if err != nil {
						break
					}
					ws[r.ID+"\x00"+l], err = u.deps.Rulebook.RuleList(ctx, r.ID, l)
				}
			}
			u.do(func() {
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				rules, words = rs, ws
				ed = &rulesEdit{u: u, o: o, msg: msg, reload: load}
				ruleList.UnselectAll()
				ruleList.Refresh()
				if sel < len(rules) {
					ruleList.Select(sel)
					if sel == 0 {
						ruleList.ScrollToTop()
					}
				}
			})
		})
	}
	load()
	top := container.NewVBox(
		para("Every rule can be switched off or tuned. Changes apply to new answers; “Re-score history” applies them to stored ones."),
		container.NewBorder(nil, nil, container.NewHBox(reset, rescore, cancelBtn), nil, msg), bar)
	split := container.NewHSplit(ruleList, rulesBox)
	split.Offset = 0.28
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
}

// rulesEdit holds the overrides being edited.
type rulesEdit struct {
	u      *UI
	o      feedback.Overrides
	msg    *widget.Label
	reload func()
}

func (ed *rulesEdit) card(r feedback.RuleInfo, words map[string][]string) fyne.CanvasObject {
	on := widget.NewCheck("On", nil)
	on.SetChecked(r.Enabled)
	items := []*widget.FormItem{}
	nums := make([]*widget.Entry, len(r.Thresholds))
	for i, t := range r.Thresholds {
		e := ed.u.newEntry()
		e.SetText(strconv.FormatFloat(t.Value, 'f', -1, 64))
		nums[i] = &e.Entry
		items = append(items, widget.NewFormItem(strings.ReplaceAll(t.Name, "_", " "), e))
	}
	lists := make([]*widget.Entry, len(r.Lists))
	for i, l := range r.Lists {
		e := ed.u.newMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetText(strings.Join(words[r.ID+"\x00"+l], ", "))
		e.SetMinRowsVisible(2)
		lists[i] = &e.Entry
		items = append(items, widget.NewFormItem(strings.ReplaceAll(l, "_", " "), e))
	}
	save := widget.NewButton("Save rule", func() {
		ro := ed.o.Rules[r.ID]
		if on.Checked != r.Enabled || ro.Enabled != nil {
			v := on.Checked
			ro.Enabled = &v
		}
		for i, e := range nums {
			v, err := strconv.ParseFloat(strings.TrimSpace(e.Text), 64)
			if err != nil || v < 0 || math.IsInf(v, 0) {
				ed.msg.SetText(fmt.Sprintf("%s: “%s” is not a valid %s. Nothing was saved.", r.Title, e.Text, strings.ReplaceAll(r.Thresholds[i].Name, "_", " ")))
				return
			}
			if v != r.Thresholds[i].Value {
				if ro.Thresholds == nil {
					ro.Thresholds = map[string]float64{}
				}
				ro.Thresholds[r.Thresholds[i].Name] = v
			}
		}
		for i, e := range lists {
			var ws []string
			for _, w := range strings.Split(e.Text, ",") {
				if w = strings.TrimSpace(w); w != "" {
					ws = append(ws, w)
				}
			}
			if strings.Join(ws, ",") != strings.Join(words[r.ID+"\x00"+r.Lists[i]], ",") {
				if ro.Lists == nil {
					ro.Lists = map[string][]string{}
				}
				ro.Lists[r.Lists[i]] = ws
			}
		}
		o := ed.o
		o.Rules = map[string]feedback.RuleOverride{}
		for k, v := range ed.o.Rules {
			o.Rules[k] = v
		}
		o.Rules[r.ID] = ro
		ed.u.background(func(ctx context.Context) {
			err := ed.u.deps.Rulebook.SetOverrides(ctx, o)
			ed.u.do(func() {
				if err != nil {
					ed.msg.SetText(explain(err))
					return
				}
				ed.o = o
				ed.msg.SetText(r.Title + " saved. New answers use it; re-score history to apply it to stored ones.")
				ed.reload()
			})
		})
	})
	content := []fyne.CanvasObject{para(r.Description)}
	if len(items) > 0 {
		content = append(content, widget.NewForm(items...))
	}
	content = append(content, container.NewHBox(on, layout.NewSpacer(), save))
	sub := r.ID
	if _, ok := ed.o.Rules[r.ID]; ok {
		sub += "  ·  changed from the default"
	}
	return widget.NewCard(r.Title, sub, container.NewVBox(content...))
}

func (u *UI) securityInfo() fyne.CanvasObject {
	key := widget.NewLabel("…")
	key.Wrapping = fyne.TextWrapWord
	cipher := widget.NewLabel("…")
	load := func() {
		u.background(func(ctx context.Context) {
			st, err := u.deps.Data.Stats(ctx)
			u.do(func() {
				if err != nil {
					key.SetText(explain(err))
					return
				}
				key.SetText(st.KeyLocation)
				cipher.SetText(fmt.Sprintf("SQLCipher %s (%s)", st.Store.CipherVersion, st.Store.CipherProvider))
			})
		})
	}
	load()
	keys := fyne.CanvasObject(para("Key and passphrase commands are listed by `rehearse --help`."))
	if u.deps.Keys != nil {
		keys = u.keyPanel(load)
	}
	return container.NewPadded(container.NewVBox(
		widget.NewForm(widget.NewFormItem("Where the key lives", key), widget.NewFormItem("Encryption", cipher)),
		para("Rehearse keeps a random 256-bit key in your OS keyring when one is available. Without a keyring it asks for a passphrase "+
			"each time it starts; the passphrase is never stored. If the keyring is locked, Rehearse asks for the passphrase instead."),
		widget.NewSeparator(),
		keys,
	))
}
