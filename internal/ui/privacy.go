package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// transcriberLimits is shown wherever feedback is explained: what the
// transcriber gets wrong, and that a transcript can be corrected.
const transcriberLimits = "The transcriber drops some filler words (so filler counts are a lower bound), can mishear names and technical terms, " +
	"and is less accurate for some accents. You can always correct a transcript and analyse it again. " +
	"Feedback is one input for your practice, not the final word: you decide what fits you."

// showHowItWorks explains every rule in plain language with its threshold.
func (u *UI) showHowItWorks() {
	rules := container.NewVBox(widget.NewLabel("Loading…"))
	u.show("how", page("How feedback works",
		para("Rehearse counts things you can check yourself and shows the words each number is based on. "+
			"It never judges accent, voice, pitch, dialect or grammar, never guesses emotions or confidence, "+
			"never compares you with other people and gives no overall score."),
		widget.NewCard("What the transcriber can get wrong", "", para(transcriberLimits)),
		widget.NewCard("Suggestions, not verdicts", "", para("Each answer gets at most three suggestions, in this order of priority: "+
			"story structure and result, numbers, your own part (I vs we), length, fillers, hedges, pace, pauses. "+
			"Fillers and pauses are normal in speech; fluency feedback can be turned off in Settings.")),
		subheading("The rules"), rules), true)
	u.background(func(ctx context.Context) {
		rs, err := u.deps.Rulebook.Rules(ctx)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			rules.Objects = nil
			for _, r := range rs {
				var th []string
				for _, t := range r.Thresholds {
					th = append(th, fmt.Sprintf("%s = %s", strings.ReplaceAll(t.Name, "_", " "), trimFloat(t.Value)))
				}
				state := ""
				if !r.Enabled {
					state = " (switched off)"
				}
				body := []fyne.CanvasObject{para(r.Description)}
				if len(th) > 0 {
					l := para("Thresholds — " + strings.Join(th, "; "))
					l.TextStyle = fyne.TextStyle{Italic: true}
					body = append(body, l)
				}
				rules.Add(widget.NewCard("", r.Title+state, container.NewVBox(body...)))
			}
			rules.Refresh()
		})
	})
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// showPrivacy: what is stored and where, encryption, the key, network use,
// export and "Delete everything".
func (u *UI) showPrivacy() {
	stored := widget.NewForm()
	where := widget.NewForm()
	network := container.NewVBox()
	home, _ := os.UserHomeDir()
	path := u.newEntry()
	path.SetText(filepath.Join(home, "rehearse-export.json"))
	msg := para("")
	bar := widget.NewProgressBarInfinite()
	bar.Stop()
	bar.Hide()
	export := func(format string) {
		p := strings.TrimSpace(path.Text)
		if p == "" {
			msg.SetText("Choose where to save the export first.")
			return
		}
		if format == "markdown" && strings.HasSuffix(p, ".json") {
			p = strings.TrimSuffix(p, ".json") + ".md"
			path.SetText(p)
		}
		bar.Show()
		bar.Start()
		msg.SetText("Exporting…")
		u.background(func(ctx context.Context) {
			err := u.deps.Data.Export(ctx, p, format)
			u.do(func() {
				bar.Stop()
				bar.Hide()
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				msg.SetText("Exported to " + p + ". This file is not encrypted: keep it somewhere safe.")
			})
		})
	}
	choose := u.chooseSavePath(&path.Entry)
	jsonBtn := widget.NewButtonWithIcon("Export JSON", theme.DocumentSaveIcon(), func() { export("json") })
	mdBtn := widget.NewButtonWithIcon("Export Markdown", theme.DocumentSaveIcon(), func() { export("markdown") })
	wipe := widget.NewButtonWithIcon("Delete everything…", theme.DeleteIcon(), nil)
	wipe.Importance = widget.DangerImportance
	wipe.Disable()

	u.show("privacy", page("Privacy center",
		para("Everything Rehearse keeps is listed here. It stays on this computer, in one encrypted file."),
		container.NewGridWithColumns(2,
			widget.NewCard("", "What is stored", stored),
			widget.NewCard("", "Where, and how it is protected", where)),
		container.NewGridWithColumns(2,
			widget.NewCard("", "Delete everything", container.NewVBox(
				para("Sessions, answers, recordings, settings and the encryption key. You are shown exactly what goes before anything is deleted."),
				container.NewHBox(wipe))),
			widget.NewCard("", "Network use", container.NewVBox(para("Rehearse only uses the network for model downloads you start."), network))),
		widget.NewCard("", "Export", container.NewVBox(
			para("A copy of every session, readable by you. The file is not encrypted."),
			container.NewBorder(nil, nil, nil, choose, path), container.NewHBox(jsonBtn, mdBtn), bar, msg)),
	), true)

	u.background(func(ctx context.Context) {
		st, err := u.deps.Data.Stats(ctx)
		uses, nerr := u.deps.Data.Network(ctx)
		u.do(func() {
			if err != nil {
				u.fail(err)
				return
			}
			s := st.Store
			add := func(f *widget.Form, k, v string) {
				l := widget.NewLabel(v)
				l.Wrapping = fyne.TextWrapBreak
				f.Append(k, l)
			}
			add(stored, "Sessions", fmt.Sprint(s.Sessions))
			add(stored, "Answers", fmt.Sprint(s.Attempts))
			add(stored, "Recordings", fmt.Sprintf("%d (%s)", s.Recordings, fmtBytes(s.RecordingBytes)))
			add(stored, "Own questions", fmt.Sprint(s.CustomQuestion))
			add(stored, "Date range", dateRange(s.Oldest, s.Newest))
			add(stored, "Database size", fmtBytes(s.FileBytes))
			add(stored, "Speech models", fmtBytes(st.ModelBytes))
			add(stored, "Kept for", expiryLabel(st.ExpiryDays))
			for _, p := range st.Paths {
				add(where, p.Label, p.Path)
			}
			add(where, "Encryption", fmt.Sprintf("SQLCipher %s (%s)", s.CipherVersion, s.CipherProvider))
			add(where, "Key", st.KeyLocation)
			network.Objects = nil
			var total int64
			if nerr == nil {
				for _, n := range uses {
					total += n.Bytes
					network.Add(widget.NewLabel(fmt.Sprintf("%s  ·  %s  ·  %s", fmtDate(n.At), n.What, fmtBytes(n.Bytes))))
				}
			}
			network.Objects = append([]fyne.CanvasObject{bold(fmt.Sprintf("Total: %s", fmtBytes(total)))}, network.Objects...)
			if len(uses) == 0 {
				network.Add(widget.NewLabel("Nothing: Rehearse has not used the network."))
			}
			network.Refresh()
			wipe.OnTapped = func() { u.confirmWipe(st) }
			wipe.Enable()
		})
	})
}

func dateRange(a, b time.Time) string {
	if a.IsZero() {
		return "—"
	}
	return a.Local().Format("2 Jan 2006") + " – " + b.Local().Format("2 Jan 2006")
}

// confirmWipe says exactly what will be destroyed and asks once.
// chooseSavePath is a "Choose…" button that sets path from a save dialog.
func (u *UI) chooseSavePath(path *widget.Entry) *widget.Button {
	return widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			path.SetText(w.URI().Path())
			_ = w.Close()
		}, u.win)
		d.SetFileName(filepath.Base(path.Text))
		d.Show()
	})
}

func (u *UI) confirmWipe(st DataStats) {
	s := st.Store
	what := fmt.Sprintf("This permanently destroys:\n"+
		"• %d sessions with %d answers, their transcripts and feedback\n"+
		"• %d kept recordings (%s)\n"+
		"• %d questions of your own, your settings and rulebook changes\n"+
		"• the encryption key, so the store can never be opened again\n\n",
		s.Sessions, s.Attempts, s.Recordings, fmtBytes(s.RecordingBytes), s.CustomQuestion)
	show := func(files []ExportedFile) {
		note := "Exports you saved elsewhere are not touched. This cannot be undone."
		for _, f := range files {
			if f.State == ExportUnchanged {
				note = "Exports are deleted only if you tick them below. This cannot be undone."
			}
		}
		u.confirmWipeWith(what+note, st.ModelBytes, files)
	}
	if u.deps.Exports == nil {
		show(nil)
		return
	}
	u.background(func(ctx context.Context) {
		files, err := u.deps.Exports.Exports(ctx)
		u.do(func() {
			if err != nil {
				files = nil // a list that cannot be read offers nothing to delete
			}
			show(files)
		})
	})
}

// confirmWipeOf asks before deleting everything; what says what goes.
func (u *UI) confirmWipeOf(what string, modelBytes int64) { u.confirmWipeWith(what, modelBytes, nil) }

// confirmWipeWith asks before deleting everything, and offers to delete
// the exports Rehearse wrote that are still as it wrote them; exports
// changed since are the user's and only listed as kept.
func (u *UI) confirmWipeWith(what string, modelBytes int64, exports []ExportedFile) {
	models := widget.NewCheck(fmt.Sprintf("Also delete downloaded speech models (%s)", fmtBytes(modelBytes)), nil)
	content := container.NewVBox(para(what), models)
	var ours, changed []ExportedFile
	for _, f := range exports {
		switch f.State {
		case ExportUnchanged:
			ours = append(ours, f)
		case ExportChanged:
			changed = append(changed, f)
		}
	}
	pathList := func(fs []ExportedFile) fyne.CanvasObject {
		box := container.NewVBox()
		for _, f := range fs {
			l := widget.NewLabel("• " + f.Path)
			l.Wrapping = fyne.TextWrapBreak
			box.Add(l)
		}
		return box
	}
	withExports := widget.NewCheck(fmt.Sprintf("Also delete the %d export file(s) Rehearse saved, unchanged since:", len(ours)), nil)
	if len(ours) > 0 {
		content.Add(withExports)
		content.Add(pathList(ours))
	}
	if len(changed) > 0 {
		content.Add(para("Kept in any case, because they changed since Rehearse saved them:"))
		content.Add(pathList(changed))
	}
	d := dialog.NewCustomConfirm("Delete everything?", "Delete everything", "Keep my data",
		container.NewVScroll(content), func(ok bool) {
			if !ok {
				return
			}
			withModels := models.Checked
			var delExports []ExportedFile
			if withExports.Checked {
				delExports = ours
			}
			u.background(func(ctx context.Context) {
				u.rememberOutside(ctx) // so that the wipe deletes it
				err := u.deps.Data.WipeAll(ctx, withModels)
				var st StoreState
				if err == nil && u.deps.State != nil {
					st = u.deps.State(ctx)
				}
				var deleted []string
				var derr error
				if err == nil {
					deleted, derr = DeleteExports(delExports)
				}
				u.do(func() {
					if err != nil {
						u.fail(err)
						return
					}
					u.afterWipe(st)
					switch {
					case derr != nil:
						u.showNotice("error", fmt.Sprintf("Everything in Rehearse was deleted, including the encryption key, and %d export file(s); "+
							"some exports could not be deleted: %v", len(deleted), derr))
					case len(deleted) > 0:
						u.showNotice("info", fmt.Sprintf("Everything was deleted, including the encryption key and %d export file(s) Rehearse saved. "+
							"Rehearse starts afresh.", len(deleted)))
					}
				})
			})
		}, u.win)
	d.SetConfirmImportance(widget.DangerImportance)
	if len(ours)+len(changed) > 0 {
		d.Resize(fyne.NewSize(620, 520))
	} else {
		d.Resize(fyne.NewSize(560, 380))
	}
	d.Show()
}
