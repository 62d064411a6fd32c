package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// modelState is what the window knows about speech models in this run:
// the self-test's advice (measured once, on first need) and the download
// in progress (one at a time).
type modelState struct {
	advice    *ModelAdvice
	adviceErr error
	measuring bool
	waiting   []func()
	progress  func(model string) // tells the panel shown which model is measured
	job       *downloadJob       // the download under way, if any
	// measuredFor is the screen the running self-test was started for;
	// leaving it stops the test (it is started again when needed), so that
	// it does not compete with practice for the processor.
	measuredFor string
	cancel      context.CancelFunc
	run         int // counts self-tests, so that a stopped one's end changes nothing
}

// downloadJob is the download under way. Its controls (progress, speed,
// Cancel) move to whichever screen shows that model next, so that a
// download started in the first run can be followed and cancelled from
// Settings.
type downloadJob struct {
	name  string
	title string // the model in words
	view  fyne.CanvasObject
	done  func() // what the screen showing it does when it ends well
}

// leaveModels stops a self-test started for another screen than next.
func (u *UI) leaveModels(next string) {
	if ms := &u.models; ms.measuring && ms.measuredFor != next {
		ms.cancel()
		ms.measuring, ms.cancel, ms.waiting, ms.progress = false, nil, nil, nil
		ms.run++
	}
}

// now is the window's clock (tests set u.clock).
func (u *UI) now() time.Time {
	if u.clock != nil {
		return u.clock()
	}
	return time.Now()
}

// measureModels calls then on the UI goroutine once the speed self-test
// has run, at once when it already has; the first call starts it.
// progress is told which model is being measured.
func (u *UI) measureModels(screen string, then func(), progress func(model string)) {
	ms := &u.models
	if ms.advice != nil || ms.adviceErr != nil {
		then()
		return
	}
	ms.waiting = append(ms.waiting, then)
	ms.progress = progress
	if ms.measuring {
		return
	}
	ms.measuring, ms.measuredFor = true, screen
	ms.run++
	run := ms.run
	ctx, cancel := context.WithCancel(u.ctx)
	ms.cancel = cancel
	u.background(func(context.Context) {
		defer cancel()
		adv, err := u.deps.Models.Recommend(ctx, func(name string) {
			u.do(func() {
				if ms.run == run && ms.progress != nil {
					ms.progress(name)
				}
			})
		})
		u.do(func() {
			if ms.run != run || ctx.Err() != nil {
				return // stopped on leaving its screen: measured again when needed
			}
			ms.measuring, ms.cancel = false, nil
			waiting := ms.waiting
			ms.waiting, ms.progress = nil, nil
			if err != nil {
				ms.adviceErr = err
			} else {
				ms.advice = &adv
			}
			for _, f := range waiting {
				f()
			}
		})
	})
}

// speedOf is the measured speed of the model called name, if it was measured.
func (u *UI) speedOf(name string) (ModelSpeed, bool) {
	if u.models.advice == nil {
		return ModelSpeed{}, false
	}
	for _, s := range u.models.advice.Measured {
		if s.Name == name {
			return s, true
		}
	}
	return ModelSpeed{}, false
}

// speedWords says how fast a measured model transcribes here.
func speedWords(s ModelSpeed) string {
	perMinute := time.Duration(s.RTF * float64(time.Minute)).Round(time.Second)
	if s.Streams {
		return fmt.Sprintf("Speed here (measured): a minute of speech takes about %s to transcribe, so it keeps up while you speak.", fmtDuration(perMinute))
	}
	return fmt.Sprintf("Speed here (measured): a minute of speech takes about %s to transcribe — too slow to keep up while you speak, so answers are transcribed after you stop.", fmtDuration(perMinute))
}

// shortSpeed is speedWords for a list line.
func shortSpeed(s ModelSpeed, ok bool) string {
	if !ok {
		return "speed here not measured"
	}
	perMinute := time.Duration(s.RTF * float64(time.Minute)).Round(time.Second)
	if s.Streams {
		return fmt.Sprintf("keeps up with speech here (1 min in %s)", fmtDuration(perMinute))
	}
	return fmt.Sprintf("too slow for live transcription here (1 min in %s)", fmtDuration(perMinute))
}

// fmtDuration is a duration in words: "40 s", "3 min", "1 h 5 min".
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "under a second"
	case d < 90*time.Second:
		return fmt.Sprintf("%d s", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(math.Round(d.Minutes())))
	}
	h := int(d.Hours())
	return fmt.Sprintf("%d h %d min", h, int(math.Round(d.Minutes()))-60*h)
}

// downloadTime is how long size bytes take at bits per second.
func downloadTime(size int64, bitsPerSecond float64) time.Duration {
	return time.Duration(float64(size) * 8 / bitsPerSecond * float64(time.Second))
}

// costWords says what installing a model costs: disk (against what is
// free, when known) and download time.
func costWords(m ModelInfo, free int64) string {
	disk := fmt.Sprintf("Costs %s of disk space", fmtBytes(m.SizeBytes))
	switch {
	case free > 0 && free < m.SizeBytes+m.SizeBytes/10:
		disk += fmt.Sprintf(", but only %s is free: make room first, or the download stops when the disk is full.", fmtBytes(free))
	case free > 0:
		disk += fmt.Sprintf(" (%s free).", fmtBytes(free))
	default:
		disk += "."
	}
	return disk + fmt.Sprintf(" The download takes about %s on a fast connection (100 Mbit/s), about %s on a slow one (10 Mbit/s).",
		fmtDuration(downloadTime(m.SizeBytes, 100e6)), fmtDuration(downloadTime(m.SizeBytes, 10e6)))
}

// sourceWords says where a model comes from and how it is checked.
func sourceWords(m ModelInfo) string {
	host := m.Source
	if u, err := url.Parse(m.Source); err == nil && u.Host != "" {
		host = u.Host
	}
	check := "its size and format are checked before it is used (no checksum is published for it)."
	if m.Published {
		check = "it is checked against its published checksum before it is used."
	}
	return fmt.Sprintf("From %s, where the whisper.cpp project publishes its models; %s Downloading it is the only time Rehearse uses the network, and nothing about you is sent.", host, check)
}

// trustWords says how far an installed model was checked.
func trustWords(trust string) string {
	switch trust {
	case "verified":
		return "verified: the file matches its published checksum"
	case "checked":
		return "checked: a whole, readable model file (no published checksum to compare it with)"
	}
	return "not checked: the file was put in the models folder by hand"
}

// downloadProgress says how far a download is: bytes, speed and time left.
// from and since are the bytes and time of the first report of this
// attempt, so that bytes kept from an earlier attempt do not count as speed.
func downloadProgress(done, total, from int64, elapsed time.Duration) string {
	s := fmtBytes(done)
	if total > 0 {
		s += " of " + fmtBytes(total)
	}
	got := done - from
	if elapsed < 500*time.Millisecond || got <= 0 {
		return s
	}
	rate := float64(got) / elapsed.Seconds()
	s += fmt.Sprintf("  ·  %s/s", fmtBytes(int64(rate)))
	if total > 0 && done < total {
		left := time.Duration(float64(total-done) / rate * float64(time.Second))
		if left < 5*time.Second {
			s += "  ·  a few seconds left"
		} else {
			s += "  ·  about " + fmtDuration(left) + " left"
		}
	}
	return s
}

// offlineAdvice is what the window says when the model server cannot be
// reached.
const offlineAdvice = "You seem to be offline: the model server could not be reached. Connect to the internet and press the download button again " +
	"(it continues where it stopped), or import a model file you already have with “Import a model file…”. You can also type your answers meanwhile."

// downloadFailed explains a failed download with the ways forward.
func downloadFailed(err error) string {
	switch {
	case errors.Is(err, rehearse.ErrOffline):
		return offlineAdvice
	case errors.Is(err, rehearse.ErrChecksum), errors.Is(err, rehearse.ErrBadModel), errors.Is(err, rehearse.ErrDiskFull):
		return explain(err)
	case errors.Is(err, rehearse.ErrDownloadInterrupted):
		return "The download stopped before the end: the connection broke or the server was busy. What arrived is kept: press the button to continue where it stopped, " +
			"now or later, import a model file instead, or type your answers meanwhile."
	}
	return "The download failed: " + explain(err) + " You can try again (it continues where it stopped), import a model file, or type your answers."
}

// downloadControl is a model's download button with its progress bar,
// speed, time left and Cancel. A cancelled or interrupted download keeps
// what arrived and the button resumes it, also after Rehearse restarts.
// confirm asks first with the technical details (the offer shows them on
// the panel itself). done runs after a successful download.
func (u *UI) downloadControl(m ModelInfo, label string, confirm bool, done func()) fyne.CanvasObject {
	if j := u.models.job; j != nil && j.name == m.Name {
		j.done = done
		return j.view
	}
	bar := widget.NewProgressBar()
	bar.Hide()
	status := para("")
	status.Hide()
	cancelBtn := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), nil)
	cancelBtn.Hide()
	btn := widget.NewButtonWithIcon(label, theme.DownloadIcon(), nil)
	if m.Partial > 0 {
		btn.SetText(fmt.Sprintf("Resume download (%s of %s here)", fmtBytes(m.Partial), fmtBytes(m.SizeBytes)))
	}
	view := container.NewVBox(container.NewHBox(btn, cancelBtn), bar, status)
	start := func() {
		if j := u.models.job; j != nil {
			setStatus(status, "Another model ("+j.title+") is downloading. Wait for it or cancel it first.")
			return
		}
		job := &downloadJob{name: m.Name, title: m.Title, view: view, done: done}
		u.models.job = job
		ctx, cancel := context.WithCancel(u.ctx)
		cancelBtn.OnTapped = cancel
		btn.Hide()
		bar.SetValue(0)
		bar.Show()
		cancelBtn.Show()
		setStatus(status, "Connecting…")
		var from, last, size int64 = -1, 0, m.SizeBytes
		var t0 time.Time
		u.background(func(context.Context) {
			defer cancel()
			err := u.deps.Models.Download(ctx, m.Name, func(d, total int64) {
				u.do(func() {
					now := u.now()
					if from < 0 {
						from, t0 = d, now
					}
					last = d
					if total > 0 {
						size = total
						bar.SetValue(float64(d) / float64(total))
					}
					setStatus(status, downloadProgress(d, total, from, now.Sub(t0)))
				})
			})
			u.do(func() {
				u.models.job = nil
				bar.Hide()
				cancelBtn.Hide()
				btn.Show()
				switch {
				case err == nil:
					setStatus(status, m.Title+" is ready: spoken answers are transcribed with it.")
					btn.Hide()
					u.modelArrived()
					if job.done != nil {
						job.done()
					}
				case errors.Is(err, context.Canceled):
					setStatus(status, fmt.Sprintf("Paused with %s of %s downloaded. It continues where it stopped, now or after Rehearse restarts.", fmtBytes(last), fmtBytes(size)))
					btn.SetText(fmt.Sprintf("Resume download (%s of %s here)", fmtBytes(last), fmtBytes(size)))
				case errors.Is(err, rehearse.ErrDownloadInterrupted):
					setStatus(status, downloadFailed(err))
					btn.SetText(fmt.Sprintf("Resume download (%s of %s here)", fmtBytes(last), fmtBytes(size)))
				default:
					setStatus(status, downloadFailed(err))
					btn.SetText("Try the download again")
				}
			})
		})
	}
	btn.OnTapped = func() {
		if !confirm {
			start()
			return
		}
		msg := fmt.Sprintf("Download %s (%s)?\n\n%s\n\n%s\n\nFile: %s\nFrom: %s", m.Title, fmtBytes(m.SizeBytes), m.Accuracy, sourceWords(m), m.File, m.Source)
		d := dialog.NewCustomConfirm("Download a speech model", "Download", "Not now", para(msg), func(ok bool) {
			if ok {
				start()
			}
		}, u.win)
		d.Resize(fyne.NewSize(560, 420))
		d.Show()
	}
	return view
}

// modelOffer is the self-test's choice for this computer: what it is, how
// fast it runs here (measured), what it costs and where it comes from,
// with a one-click download. changed runs after a download.
func (u *UI) modelOffer(screen string, changed func()) fyne.CanvasObject {
	box := container.NewVBox()
	measuring := para("Measuring how fast this computer transcribes speech, to choose a model for it (a few seconds; nothing leaves the computer)…")
	bar := widget.NewProgressBarInfinite()
	box.Objects = []fyne.CanvasObject{measuring, bar}
	u.measureModels(screen, func() {
		bar.Stop()
		u.fillOffer(box, changed)
	}, func(name string) {
		measuring.SetText("Measuring how fast this computer transcribes speech (a few seconds; nothing leaves the computer): " +
			name + "…")
	})
	return box
}

func (u *UI) fillOffer(box *fyne.Container, changed func()) {
	if err := u.models.adviceErr; err != nil {
		msg := explain(err)
		if !errors.Is(err, rehearse.ErrSelfTest) && !errors.Is(err, rehearse.ErrNoTranscriber) {
			msg = "The speed test could not run here, so no model is recommended. " + msg
		}
		box.Objects = []fyne.CanvasObject{para(msg + " The smaller models are the faster ones: choose one under “More models” in Settings → Speech models, or import a model file.")}
		box.Refresh()
		return
	}
	adv := *u.models.advice
	u.background(func(ctx context.Context) {
		m := adv.Model
		if list, err := u.deps.Models.List(ctx); err == nil {
			for _, l := range list {
				if l.Name == m.Name {
					m = l // installed or partly downloaded since the test ran
				}
			}
		}
		u.do(func() {
			speed, _ := u.speedOf(m.Name)
			if speed.Name == "" {
				speed = ModelSpeed{Name: m.Name, RTF: adv.RTF, Streams: adv.Streams}
			}
			objs := []fyne.CanvasObject{
				bold("Recommended for this computer: " + m.Title),
				para(m.Accuracy + ". " + speedWords(speed)),
			}
			if !adv.Streams {
				objs = append(objs, para("Even the smallest model cannot keep up with speech here, so this one, the fastest, is offered."))
			}
			switch {
			case m.Active:
				objs = append(objs, para(fmt.Sprintf("%s is ready: installed and in use (%s; %s).", m.Title, fmtBytes(m.SizeBytes), trustWords(m.Trust))))
			case m.Installed:
				objs = append(objs, para(fmt.Sprintf("%s is installed (%s; %s); another model is in use.", m.Title, fmtBytes(m.SizeBytes), trustWords(m.Trust))))
			default:
				objs = append(objs, para(costWords(m, adv.Free)+" "+sourceWords(m)),
					u.downloadControl(m, fmt.Sprintf("Download %s (%s)", m.Title, fmtBytes(m.SizeBytes)), false, changed))
			}
			box.Objects = objs
			box.Refresh()
		})
	})
}

// modelPanel is the speech-model set-up: the recommended model first,
// then the models on this computer, the rest behind "More models", and
// import. compact (first run) shows only the recommendation and import.
func (u *UI) modelPanel(compact bool) fyne.CanvasObject {
	if !u.deps.Models.Available() {
		return para(explain(rehearse.ErrNoTranscriber))
	}
	offer := container.NewVBox()
	rows := container.NewVBox()
	more := container.NewVBox()
	more.Hide()
	moreBtn := widget.NewButtonWithIcon("More models", theme.MenuDropDownIcon(), nil)
	moreBtn.Hide()
	moreBtn.OnTapped = func() {
		if more.Visible() {
			more.Hide()
			moreBtn.SetIcon(theme.MenuDropDownIcon())
		} else {
			more.Show()
			moreBtn.SetIcon(theme.MenuDropUpIcon())
		}
	}
	status := para("")
	status.Hide()
	screen := "settings"
	if compact {
		screen = "first-run"
	}
	var refresh func()
	refresh = func() {
		offer.Objects = []fyne.CanvasObject{u.modelOffer(screen, refresh)}
		offer.Refresh()
		if compact {
			return
		}
		u.measureModels(screen, func() {
			u.background(func(ctx context.Context) {
				list, err := u.deps.Models.List(ctx)
				u.do(func() {
					if err != nil {
						setStatus(status, explain(err))
						return
					}
					rec := ""
					if u.models.advice != nil {
						rec = u.models.advice.Model.Name
					}
					rows.Objects, more.Objects = nil, nil
					n := 0
					for _, m := range list {
						switch {
						case m.Installed:
							rows.Add(u.modelRow(m, refresh, status))
						case m.Name != rec && m.Source != "":
							more.Add(u.modelRow(m, refresh, status))
							n++
						}
					}
					if len(rows.Objects) == 0 {
						rows.Add(para("No model on this computer yet."))
					}
					moreBtn.SetText(fmt.Sprintf("More models (%d)", n))
					if n > 0 {
						moreBtn.Show()
					}
					rows.Refresh()
					more.Refresh()
				})
			})
		}, nil)
	}
	importBtn := widget.NewButtonWithIcon("Import a model file…", theme.FolderOpenIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			_ = r.Close()
			u.importModel(path, refresh, status)
		}, u.win)
		d.Show()
	})
	refresh()
	if compact {
		return container.NewVBox(offer, widget.NewSeparator(),
			para("Have a model file already? Import it. Other models are under Settings → Speech models."),
			container.NewHBox(importBtn), status)
	}
	threads := widget.NewSelect([]string{"1", "2", "4", "8"}, func(s string) {
		var n int
		fmt.Sscan(s, &n)
		if err := u.deps.Models.SetThreads(n); err != nil {
			u.fail(err)
		}
	})
	threads.SetSelected(fmt.Sprint(u.deps.Models.Threads()))
	return container.NewVBox(
		widget.NewCard("", "", offer),
		widget.NewCard("", "On this computer", container.NewVBox(rows, status, container.NewHBox(importBtn))),
		container.NewHBox(moreBtn), more,
		container.NewHBox(widget.NewLabel("Transcription threads"), threads))
}

func (u *UI) importModel(path string, refresh func(), status *widget.Label) {
	setStatus(status, "Checking "+path+"…")
	u.background(func(ctx context.Context) {
		m, err := u.deps.Models.Import(ctx, path)
		u.do(func() {
			if err != nil {
				setStatus(status, explain(err))
				return
			}
			setStatus(status, fmt.Sprintf("Imported %s: %s.", m.Title, trustWords(m.Trust)))
			refresh()
			u.modelArrived()
		})
	})
}

// modelRow is one model in words: title, size, speed here, accuracy, and
// its state, with Use, Remove or Download.
func (u *UI) modelRow(m ModelInfo, refresh func(), status *widget.Label) fyne.CanvasObject {
	speed, measured := u.speedOf(m.Name)
	head := bold(fmt.Sprintf("%s  ·  %s  ·  %s", m.Title, fmtBytes(m.SizeBytes), shortSpeed(speed, measured)))
	about := para(m.Accuracy + ".")
	lines := []fyne.CanvasObject{head, about}
	buttons := container.NewHBox()
	switch {
	case m.Installed:
		state := "Installed"
		if m.Active {
			state = "In use"
		}
		about.SetText(m.Accuracy + ". " + state + " — " + trustWords(m.Trust) + ".")
		if !m.Active {
			buttons.Add(widget.NewButton("Use", func() {
				u.background(func(ctx context.Context) {
					err := u.deps.Models.Use(ctx, m.Name)
					u.do(func() {
						if err != nil {
							setStatus(status, explain(err))
						} else {
							u.modelArrived()
						}
						refresh()
					})
				})
			}))
		}
		buttons.Add(widget.NewButton("Remove", func() {
			dialog.ShowConfirm("Remove model", fmt.Sprintf("Remove %s (%s) from this computer?", m.Title, fmtBytes(m.SizeBytes)), func(ok bool) {
				if !ok {
					return
				}
				u.background(func(ctx context.Context) {
					err := u.deps.Models.Remove(ctx, m.Name)
					u.do(func() {
						if err != nil {
							setStatus(status, explain(err))
						}
						refresh()
					})
				})
			}, u.win)
		}))
	default:
		lines = append(lines, u.downloadControl(m, "Download…", true, func() {
			setStatus(status, m.Title+" is ready: it is on this computer now.")
			refresh()
		}))
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewVBox(buttons), container.NewVBox(lines...)), widget.NewSeparator())
}

// setStatus shows a status line, or hides it (and the room it takes) when
// there is nothing to say.
func setStatus(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
