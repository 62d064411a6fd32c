package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showRecover is shown when the store is damaged: it offers to save what can
// still be read, a fresh start that keeps the damaged file, or deleting
// everything.
func (u *UI) showRecover() {
	msg := para("")
	var fresh *widget.Button
	fresh = widget.NewButton("Start with an empty store (keep the damaged file)", func() {
		fresh.Disable()
		u.background(func(ctx context.Context) {
			kept, err := u.deps.StartFresh(ctx)
			u.do(func() {
				if err != nil {
					fresh.Enable()
					msg.SetText(explain(err))
					return
				}
				u.deps.OpenErr = nil
				u.opened()
				u.showNotice("info", "Started with an empty store. The damaged file was kept at "+kept+". "+
					"To bring back what you saved from it: rehearse import FILE.")
			})
		})
	})
	fresh.Importance = widget.HighImportance
	quit := widget.NewButton("Quit", func() { u.app.Quit() })
	wipe := widget.NewButtonWithIcon("Delete everything…", theme.DeleteIcon(), func() {
		u.confirmWipeOf("This permanently destroys the damaged store, its encryption key, your settings and "+
			"the recordings in it. Save what can still be read first if you want to keep it.\n\n"+
			"Exports you saved elsewhere are not touched. This cannot be undone.", 0)
	})
	wipe.Importance = widget.DangerImportance
	objs := []fyne.CanvasObject{
		para("Rehearse could not read its encrypted store: the file is damaged or is not a Rehearse database. " +
			"Nothing has been deleted and the file has not been changed."),
	}
	if u.deps.Salvage != nil {
		objs = append(objs, u.salvageCard())
	}
	objs = append(objs,
		widget.NewCard("", "Start again", container.NewVBox(
			para("Start with an empty store: the damaged file is moved aside and kept, so it can still be examined "+
				"or restored from a backup. Or delete everything, key included."),
			container.NewHBox(fresh, wipe, quit), msg)))
	u.show("recover", page("The practice store is damaged", objs...), false)
}

// salvageCard saves what can still be read of a damaged store to a file.
func (u *UI) salvageCard() fyne.CanvasObject {
	home, _ := os.UserHomeDir()
	path := u.newEntry()
	path.SetText(filepath.Join(home, "rehearse-salvage.json"))
	msg := para("")
	var save *widget.Button
	save = widget.NewButtonWithIcon("Save what can be read", theme.DocumentSaveIcon(), func() {
		p := strings.TrimSpace(path.Text)
		if p == "" {
			msg.SetText("Choose where to save it first.")
			return
		}
		save.Disable()
		msg.SetText("Reading the damaged store…")
		u.background(func(ctx context.Context) {
			got, err := u.deps.Salvage(ctx, p)
			u.do(func() {
				save.Enable()
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				text := fmt.Sprintf("Saved %d sessions with %d answers to %s (not encrypted: keep it somewhere safe).",
					got.Sessions, got.Answers, p)
				if n := len(got.Lost); n > 0 {
					shown := got.Lost
					if len(shown) > 5 {
						shown = shown[:5]
					}
					text += fmt.Sprintf(" %d could not be read:\n• %s", n, strings.Join(shown, "\n• "))
					if n > len(shown) {
						text += fmt.Sprintf("\n• … and %d more", n-len(shown))
					}
				}
				msg.SetText(text)
			})
		})
	})
	save.Importance = widget.HighImportance
	return widget.NewCard("", "Save what can still be read", container.NewVBox(
		para("Every session that can still be read is written to a JSON export (rehearse import brings it back "+
			"into a new store). The damaged file is only read."),
		container.NewBorder(nil, nil, nil, u.chooseSavePath(&path.Entry), path), container.NewHBox(save), msg))
}
