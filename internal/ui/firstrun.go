package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

const (
	textDoes = "Rehearse lets you practise interview answers out loud, or typed, and gives feedback you can check: " +
		"filler words, hedges, pace, answer length and whether a story has a situation, action and result. " +
		"Every suggestion points at the words it is based on."
	textDoesNot = "It is for practice only — never use it during a real interview. It only listens while you press Record, " +
		"never captures what other programs play, has no hidden or overlay mode, and never judges your accent, voice or dialect."
	textLocal = "Everything stays on this computer: answers, transcripts and recordings are kept in one encrypted file. " +
		"The only network use is a speech-model download that you start yourself."
	textDelete = "To delete it all at any time: Privacy → Delete everything. The encryption key is destroyed with the data."
)

// showFirstRun is the welcome screen: what Rehearse does and does not do,
// microphone and speech model set-up.
func (u *UI) showFirstRun() {
	done := func() {
		u.deps.FirstRun = false
		if f := u.deps.FirstRunDone; f != nil {
			u.background(func(ctx context.Context) {
				if err := f(ctx); err != nil {
					u.do(func() { u.fail(err) })
				}
			})
		}
		u.showHome()
	}
	start := widget.NewButtonWithIcon("Start practising", theme.NavigateNextIcon(), func() { u.offerSoundCheck(done) })
	start.Importance = widget.HighImportance
	typed := widget.NewButton("Continue with typed answers", done)
	intro := container.NewGridWithColumns(2,
		widget.NewCard("What Rehearse does", "", para(textDoes)),
		widget.NewCard("What it does not do", "", para(textDoesNot)),
		widget.NewCard("Everything stays here", "", para(textLocal)),
		widget.NewCard("Deleting it all", "", para(textDelete)),
	)
	setup := container.NewGridWithColumns(2,
		widget.NewCard("Microphone", "Choose one and check the level", u.micPanel()),
		widget.NewCard("Speech model", "Needed to transcribe spoken answers", u.modelPanel(true)),
	)
	footer := container.NewPadded(container.NewHBox(layout.NewSpacer(), typed, start))
	u.show("first-run", container.NewBorder(nil, footer, nil, nil, page("Welcome to Rehearse", intro, setup)), false)
}

// offerSoundCheck ends the first run with the sound check, when voice can
// be used (a microphone check and a model are there): the user reads one
// sentence and sees how well the set-up hears them. Otherwise, or when
// skipped, done runs.
func (u *UI) offerSoundCheck(done func()) {
	if _, ok := u.deps.Mic.(SoundChecker); !ok || !u.deps.Models.Available() {
		done()
		return
	}
	u.background(func(ctx context.Context) {
		list, err := u.deps.Models.List(ctx)
		ready := false
		for _, m := range list {
			ready = ready || m.Installed
		}
		u.do(func() {
			if err != nil || !ready || u.screen != "first-run" {
				done()
				return
			}
			skip := widget.NewButton("Skip", done)
			start := widget.NewButtonWithIcon("Start practising", theme.NavigateNextIcon(), done)
			start.Importance = widget.HighImportance
			footer := container.NewPadded(container.NewHBox(layout.NewSpacer(), skip, start))
			u.show("first-run-soundcheck", container.NewBorder(nil, footer, nil, nil, page("One last step: a sound check",
				para("Before your first answer, see how well Rehearse hears you with this microphone and model: read one sentence aloud. "+
					"It takes about ten seconds, nothing is stored, and you can run it again any time under Settings → Microphone."),
				u.soundCheckPanel())), false)
		})
	})
}

// micPanel chooses the microphone and tests it with a live level meter.
func (u *UI) micPanel() fyne.CanvasObject {
	status := para("Looking for microphones…")
	meter := newMeter()
	var names []string
	sel := widget.NewSelect(nil, nil)
	sel.PlaceHolder = "No microphone"
	testBtn := widget.NewButtonWithIcon("Test (3 s)", theme.MediaRecordIcon(), nil)
	load := func() {
		u.background(func(ctx context.Context) {
			devs, err := u.deps.Mic.Devices(ctx)
			u.do(func() {
				names = names[:0]
				chosen := ""
				for _, d := range devs {
					names = append(names, d.Name)
					if d.Name == u.settings.Microphone || (chosen == "" && d.Default) {
						chosen = d.Name
					}
				}
				sel.SetOptions(names)
				sel.OnChanged = nil
				if chosen != "" {
					sel.SetSelected(chosen)
				}
				sel.OnChanged = func(s string) { u.chooseMic(s) }
				switch {
				case err != nil && !errors.Is(err, rehearse.ErrNoInputDevice):
					status.SetText(explain(err))
				case len(devs) == 0:
					status.SetText("No microphone found. Plug one in and press Refresh, or continue with typed answers.")
					testBtn.Disable()
				default:
					status.SetText(fmt.Sprintf("%d microphone(s) found. Press Test and say a few words.", len(devs)))
					testBtn.Enable()
				}
			})
		})
	}
	testBtn.OnTapped = func() {
		testBtn.Disable()
		status.SetText("Recording 3 seconds… say a few words.")
		dev := sel.Selected
		u.background(func(ctx context.Context) {
			peak, err := u.deps.Mic.Test(ctx, dev, 3*time.Second, func(l rehearse.Level) {
				u.do(func() { meter.SetValue(l.Peak) })
			})
			u.do(func() {
				testBtn.Enable()
				switch {
				case err != nil:
					status.SetText(explain(err))
				case peak < 0.02:
					status.SetText("The test recording was almost silent. Check that the microphone is not muted, or choose another one.")
				default:
					status.SetText(fmt.Sprintf("Heard you: the loudest moment reached %.0f%% of full scale.", peak*100))
				}
			})
		})
	}
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), load)
	load()
	return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(refresh, testBtn), sel), meter, status)
}

func (u *UI) chooseMic(name string) {
	u.settings.Microphone = name
	s := u.settings
	u.background(func(ctx context.Context) {
		if err := u.deps.Preferences.SaveSettings(ctx, s); err != nil {
			u.do(func() { u.fail(err) })
		}
	})
}

// showUnlock asks for the passphrase when the store cannot be opened with
// the OS keyring.
func (u *UI) showUnlock() {
	why := "Your practice store is protected by a passphrase. Enter it to continue."
	if errors.Is(u.deps.OpenErr, rehearse.ErrNoKeyring) {
		why = "The OS keyring is locked or not available, so Rehearse cannot fetch the key itself. Enter your passphrase to continue."
	}
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Passphrase")
	msg := para("")
	var unlock *widget.Button
	unlock = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), func() {
		if pass.Text == "" {
			msg.SetText("Enter your passphrase first.")
			return
		}
		unlock.Disable()
		msg.SetText("Unlocking…")
		p := pass.Text
		u.background(func(ctx context.Context) {
			err := u.deps.Unlock(ctx, p)
			u.do(func() {
				unlock.Enable()
				if err != nil {
					msg.SetText(explain(err))
					pass.SetText("")
					return
				}
				u.deps.OpenErr = nil
				u.opened()
			})
		})
	})
	unlock.Importance = widget.HighImportance
	pass.OnSubmitted = func(string) { unlock.OnTapped() }
	forgot := para("Forgot it? The data cannot be recovered without the passphrase: that is what keeps it private. " +
		"You can start over with an empty store: see `rehearse --help` for the wipe command.")
	box := container.NewVBox(para(why), pass, container.NewHBox(layout.NewSpacer(), unlock), msg, widget.NewSeparator(), forgot)
	u.show("unlock", page("Unlock your practice store", container.NewGridWrap(fyne.NewSize(560, 380), box)), false)
}

// showProblem is shown when the store could not be opened for another reason.
func (u *UI) showProblem(err error) {
	u.show("problem", page("Rehearse cannot start",
		para(explain(err)),
		para("Run `rehearse doctor` in a terminal for a full check of this computer."),
		widget.NewButton("Quit", func() { u.app.Quit() })), false)
}

// showCreate is the first screen when there is no practice store yet and
// no OS keyring to keep its key: the user chooses a new passphrase (twice),
// sees how strong it is and what forgetting it means, and may set a
// recovery passphrase at once.
func (u *UI) showCreate() {
	why := "Rehearse keeps your answers in an encrypted file. This computer has no OS keyring that could keep its key, " +
		"so you choose a passphrase now. You will type it each time Rehearse opens."
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("New passphrase")
	again := widget.NewPasswordEntry()
	again.SetPlaceHolder("Type the new passphrase again")
	meter := widget.NewProgressBar()
	meter.TextFormatter = func() string { return "" }
	rating := widget.NewLabel("Strength: —")
	hint := para("At least 8 characters. A few unrelated words are easy to remember and hard to guess.")
	pass.OnChanged = func(s string) {
		st := passphraseStrength(s)
		meter.SetValue(st.Score)
		rating.SetText("Strength: " + st.Label + " (an estimate from length and kinds of characters)")
		hint.SetText(st.Hint)
		if st.Hint == "" {
			hint.Hide()
		} else {
			hint.Show()
		}
	}
	rec := widget.NewPasswordEntry()
	rec.SetPlaceHolder("Recovery passphrase")
	recAgain := widget.NewPasswordEntry()
	recAgain.SetPlaceHolder("Type the recovery passphrase again")
	recBox := container.NewVBox(
		para("Write it down and keep it somewhere safe, away from this computer. It opens the store if the passphrase is forgotten."),
		rec, recAgain)
	recBox.Hide()
	withRec := widget.NewCheck("Also set a recovery passphrase (recommended)", func(on bool) {
		if on {
			recBox.Show()
		} else {
			recBox.Hide()
		}
	})
	msg := para("")
	var create *widget.Button
	create = widget.NewButtonWithIcon("Create my practice store", theme.ConfirmIcon(), func() {
		if m := checkNewPassphrases(pass.Text, again.Text); m != "" {
			msg.SetText(m)
			return
		}
		recovery := ""
		if withRec.Checked {
			if m := checkNewPassphrases(rec.Text, recAgain.Text); m != "" {
				msg.SetText("Recovery passphrase: " + m)
				return
			}
			if rec.Text == pass.Text {
				msg.SetText("Choose a recovery passphrase that differs from the passphrase.")
				return
			}
			recovery = rec.Text
		}
		create.Disable()
		msg.SetText("Creating the encrypted store…")
		p := pass.Text
		u.background(func(ctx context.Context) {
			err := u.deps.Create(ctx, p, recovery)
			u.do(func() {
				create.Enable()
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				u.deps.OpenErr, u.deps.NewStore = nil, false
				u.opened()
			})
		})
	})
	create.Importance = widget.HighImportance
	pass.OnSubmitted = func(string) { u.win.Canvas().Focus(again) }
	again.OnSubmitted = func(string) { create.OnTapped() }
	forget := bold("If you forget this passphrase, your practice data cannot be recovered — not by you, not by anyone — " +
		"unless you set a recovery passphrase. That is what keeps it private.")
	box := container.NewVBox(para(why), pass, again, meter, rating, hint, widget.NewSeparator(),
		forget, withRec, recBox, container.NewHBox(layout.NewSpacer(), create), msg)
	u.show("create", page("Choose a passphrase for your new practice store", container.NewGridWrap(fyne.NewSize(620, 640), box)), false)
}

// afterWipe starts afresh once everything was deleted: the welcome screen
// when the new, empty store is open, or the create screen first when a new
// passphrase has to be chosen for it.
func (u *UI) afterWipe(st StoreState) {
	u.settings = Settings{FluencyMetrics: true, Theme: ThemeLight, PrepSeconds: 20, AnswerSeconds: 120}
	u.deps.FirstRun = true
	u.deps.OpenErr, u.deps.NewStore = st.Err, st.New
	u.applyTheme()
	u.start()
	u.showNotice("info", "Everything was deleted, including the encryption key. Rehearse starts afresh.")
}
