package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// keyPanel is the key part of Settings › Security: change the passphrase,
// set or replace the recovery passphrase, move the key between the OS
// keyring and a passphrase. Each change asks for the passphrase in use
// (unless the keyring holds the key), asks twice for a new one and shows its
// strength; a move between keyring and passphrase is confirmed first. A
// change that fails leaves the key working where it was.
type keyPanel struct {
	u       *UI
	box     *fyne.Container
	msg     *widget.Label
	kc      practice.KeyCustody
	changed func() // called after a change, to refresh what shows the key
}

func (u *UI) keyPanel(changed func()) fyne.CanvasObject {
	p := &keyPanel{u: u, box: container.NewVBox(widget.NewLabel("…")), msg: para(""), changed: changed}
	p.msg.Hide()
	p.load()
	return container.NewVBox(p.box, p.msg)
}

// load reads where the key is kept and shows the choices for it.
func (p *keyPanel) load() {
	p.u.background(func(ctx context.Context) {
		kc, err := p.u.deps.Keys.KeyCustody(ctx)
		p.u.do(func() {
			if err != nil {
				p.set(para(explain(err)))
				return
			}
			p.kc = kc
			p.showChoices()
		})
	})
}

func (p *keyPanel) set(objs ...fyne.CanvasObject) {
	p.box.Objects = objs
	p.box.Refresh()
}

func (p *keyPanel) note(s string) {
	p.msg.SetText(s)
	if s == "" {
		p.msg.Hide()
	} else {
		p.msg.Show()
	}
}

// custodyWords says where the key is kept and what that means, in words.
func custodyWords(kc practice.KeyCustody) string {
	s := "Your passphrase unlocks the key: Rehearse asks for it each time it opens and never stores it."
	if kc.Keyring {
		s = "The OS keyring keeps the key: Rehearse opens without asking while you are logged in to this computer."
	}
	if kc.Recovery {
		return s + " A recovery passphrase is set: it opens the store if the passphrase is forgotten or the keyring loses the key."
	}
	return s + " No recovery passphrase is set: if the key is lost, your practice data cannot be recovered."
}

func (p *keyPanel) showChoices() {
	objs := []fyne.CanvasObject{para(custodyWords(p.kc))}
	var row []fyne.CanvasObject
	if p.kc.Keyring {
		row = append(row, widget.NewButton("Use a passphrase instead…", func() { p.passphraseForm() }))
	} else {
		row = append(row, widget.NewButton("Change passphrase…", func() { p.passphraseForm() }))
		toKeyring := widget.NewButton("Keep the key in the OS keyring…", func() { p.keyringForm() })
		if !p.kc.KeyringAvailable {
			toKeyring.Disable()
		}
		row = append(row, toKeyring)
	}
	rec := "Set a recovery passphrase…"
	if p.kc.Recovery {
		rec = "Replace the recovery passphrase…"
	}
	row = append(row, widget.NewButton(rec, func() { p.recoveryForm() }))
	objs = append(objs, container.NewGridWrap(fyne.NewSize(270, 36), row...))
	if !p.kc.Keyring && !p.kc.KeyringAvailable {
		objs = append(objs, para("No OS keyring answers on this computer, so the key stays under your passphrase."))
	}
	p.set(objs...)
}

// current is the box for the passphrase in use, or nil when the keyring
// holds the key and none is needed.
func (p *keyPanel) current() *widget.Entry {
	if p.kc.Keyring {
		return nil
	}
	e := widget.NewPasswordEntry()
	e.SetPlaceHolder("Current passphrase")
	return e
}

func typed(e *widget.Entry) string {
	if e == nil {
		return ""
	}
	return e.Text
}

// newSecret is a new passphrase asked twice, with its strength shown as it
// is typed.
type newSecret struct {
	pass, again *widget.Entry
	objs        []fyne.CanvasObject
}

func newSecretFields(placeholder, againPlaceholder string) *newSecret {
	s := &newSecret{pass: widget.NewPasswordEntry(), again: widget.NewPasswordEntry()}
	s.pass.SetPlaceHolder(placeholder)
	s.again.SetPlaceHolder(againPlaceholder)
	meter := widget.NewProgressBar()
	meter.TextFormatter = func() string { return "" }
	rating := widget.NewLabel("Strength: —")
	hint := para("At least 8 characters. A few unrelated words are easy to remember and hard to guess.")
	s.pass.OnChanged = func(v string) {
		st := passphraseStrength(v)
		meter.SetValue(st.Score)
		rating.SetText("Strength: " + st.Label + " (an estimate from length and kinds of characters)")
		hint.SetText(st.Hint)
		if st.Hint == "" {
			hint.Hide()
		} else {
			hint.Show()
		}
	}
	s.objs = []fyne.CanvasObject{s.pass, s.again, meter, rating, hint}
	return s
}

// keyForm is one open change: its message line and its button.
type keyForm struct {
	msg    *widget.Label
	submit *widget.Button
}

// form shows a change: what it means, the boxes, and a button that runs
// check (a message in plain words when the boxes cannot be used) and then
// run.
func (p *keyPanel) form(title, what string, boxes []fyne.CanvasObject, submit string, check func() string, run func(f *keyForm)) {
	f := &keyForm{msg: para("")}
	f.submit = widget.NewButtonWithIcon(submit, theme.ConfirmIcon(), func() {
		if m := check(); m != "" {
			f.msg.SetText(m)
			return
		}
		run(f)
	})
	f.submit.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() {
		p.note("")
		p.showChoices()
	})
	objs := append([]fyne.CanvasObject{bold(title), para(what)}, boxes...)
	objs = append(objs, container.NewHBox(layout.NewSpacer(), cancel, f.submit), f.msg)
	p.note("")
	p.set(objs...)
	// Enter in any box submits; the first box takes the keys at once.
	var first *widget.Entry
	for _, b := range boxes {
		if e, ok := b.(*widget.Entry); ok {
			e.OnSubmitted = func(string) {
				if !f.submit.Disabled() {
					f.submit.OnTapped()
				}
			}
			if first == nil {
				first = e
			}
		}
	}
	if first != nil && p.u.win != nil {
		p.u.win.Canvas().Focus(first)
	}
}

// apply runs change off the UI goroutine. On success the panel shows the
// new custody and says done; otherwise the form stays, with the reason.
func (p *keyPanel) apply(f *keyForm, working, done string, change func(ctx context.Context) error) {
	f.submit.Disable()
	f.msg.SetText(working)
	p.u.background(func(ctx context.Context) {
		err := change(ctx)
		kc, kerr := p.u.deps.Keys.KeyCustody(ctx)
		p.u.do(func() {
			if kerr == nil {
				p.kc = kc
			}
			if err != nil {
				f.submit.Enable()
				f.msg.SetText(keyError(err))
				return
			}
			p.showChoices()
			p.note(done)
			if p.changed != nil {
				p.changed()
			}
		})
	})
}

// checkCurrent is the plain-words problem with the current passphrase box.
func checkCurrent(cur *widget.Entry) string {
	if cur != nil && cur.Text == "" {
		return "Enter your current passphrase first."
	}
	return ""
}

func (p *keyPanel) passphraseForm() {
	cur := p.current()
	ns := newSecretFields("New passphrase", "Type the new passphrase again")
	title, what, submit := "Change the passphrase",
		"Rehearse asks for the new passphrase each time it opens. The old one stops working.", "Change passphrase"
	fromKeyring := p.kc.Keyring
	if fromKeyring {
		title, what, submit = "Use a passphrase instead of the OS keyring",
			"Rehearse will ask for this passphrase each time it opens, and the key is removed from the OS keyring.", "Use this passphrase"
	}
	var boxes []fyne.CanvasObject
	if cur != nil {
		boxes = append(boxes, cur)
	}
	boxes = append(boxes, ns.objs...)
	boxes = append(boxes, bold("If you forget this passphrase, your practice data cannot be recovered unless a recovery passphrase is set."))
	check := func() string {
		if m := checkCurrent(cur); m != "" {
			return m
		}
		return checkNewPassphrases(ns.pass.Text, ns.again.Text)
	}
	p.form(title, what, boxes, submit, check, func(f *keyForm) {
		current, pass := typed(cur), ns.pass.Text
		done := "The passphrase is changed. Use the new one the next time Rehearse opens."
		if fromKeyring {
			done = "The key is no longer in the OS keyring: Rehearse asks for your passphrase the next time it opens."
		}
		run := func() {
			p.apply(f, "Changing the passphrase…", done,
				func(ctx context.Context) error { return p.u.deps.Keys.SetPassphrase(ctx, current, pass) })
		}
		if !fromKeyring {
			run()
			return
		}
		d := dialog.NewCustomConfirm("Move the key out of the OS keyring?", "Use the passphrase", "Keep the keyring",
			para("From now on Rehearse asks for this passphrase each time it opens, and the key is removed from the OS keyring. "+
				"Without the passphrase (or a recovery passphrase) nobody can open your practice data, you included."),
			func(ok bool) {
				if ok {
					run()
				}
			}, p.u.win)
		d.Resize(fyne.NewSize(520, 260))
		d.Show()
	})
}

func (p *keyPanel) recoveryForm() {
	cur := p.current()
	ns := newSecretFields("New recovery passphrase", "Type the recovery passphrase again")
	title := "Set a recovery passphrase"
	if p.kc.Recovery {
		title = "Replace the recovery passphrase"
	}
	var boxes []fyne.CanvasObject
	if cur != nil {
		boxes = append(boxes, cur)
	}
	boxes = append(boxes, ns.objs...)
	check := func() string {
		if m := checkCurrent(cur); m != "" {
			return m
		}
		if m := checkNewPassphrases(ns.pass.Text, ns.again.Text); m != "" {
			return m
		}
		if cur != nil && ns.pass.Text == cur.Text {
			return "Choose a recovery passphrase that differs from the passphrase."
		}
		return ""
	}
	p.form(title, "Write it down and keep it somewhere safe, away from this computer. It opens the store if the passphrase is "+
		"forgotten or the keyring loses the key. A recovery passphrase set before stops working.", boxes, "Save recovery passphrase",
		check, func(f *keyForm) {
			current, rec := typed(cur), ns.pass.Text
			p.apply(f, "Saving the recovery passphrase…", "The recovery passphrase is saved. Keep it somewhere safe.",
				func(ctx context.Context) error { return p.u.deps.Keys.SetRecovery(ctx, current, rec) })
		})
}

func (p *keyPanel) keyringForm() {
	cur := p.current()
	p.form("Keep the key in the OS keyring",
		"Rehearse will open without asking for a passphrase while you are logged in to this computer, and your passphrase stops working. "+
			"Anyone who can use your login session can then open your practice data. A recovery passphrase, if set, stays.",
		[]fyne.CanvasObject{cur}, "Move the key to the keyring", func() string { return checkCurrent(cur) }, func(f *keyForm) {
			current := cur.Text
			d := dialog.NewCustomConfirm("Keep the key in the OS keyring?", "Move the key", "Keep the passphrase",
				para("Your passphrase will no longer be asked for, or work. Rehearse checks that the keyring gives the key back "+
					"before it lets go of the passphrase."),
				func(ok bool) {
					if ok {
						p.apply(f, "Moving the key to the OS keyring…", "The OS keyring now keeps the key; Rehearse no longer asks for a passphrase.",
							func(ctx context.Context) error { return p.u.deps.Keys.UseKeyring(ctx, current) })
					}
				}, p.u.win)
			d.Resize(fyne.NewSize(520, 240))
			d.Show()
		})
}

// keyError says in plain words why a key change did not happen; nothing
// was changed in every case.
func keyError(err error) string {
	switch {
	case errors.Is(err, rehearse.ErrCannotUnlock):
		return "That is not your current passphrase. Nothing was changed; try again."
	case errors.Is(err, rehearse.ErrNoKeyring):
		return "The OS keyring did not answer, so the key stays where it was. Nothing was changed."
	}
	return explain(err) + " The key still works where it was."
}
