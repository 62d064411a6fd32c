// Package ui is Rehearse's desktop window, built with Fyne. It shows the
// practice screens and talks to the rest of Rehearse only through the small
// interfaces in backend.go, with plain values; every change made from a
// background goroutine goes through fyne.Do, so the window never freezes
// while answers are transcribed, models downloaded or history re-scored.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/assets"
	"github.com/rehearse-app/rehearse/internal/bytesize"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// ErrNoDisplay is returned by Run when there is no screen to open a window on.
var ErrNoDisplay = errors.New("no display: the window cannot open here; use the command line: rehearse --help")

// Window size the screens are designed for.
var defaultSize = fyne.NewSize(1100, 760)

// Run opens the practice window and returns when it is closed or ctx ends.
func Run(ctx context.Context, deps Deps) error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ErrNoDisplay
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := app.NewWithID("app.rehearse")
	if icon, err := assets.Read("icon.png"); err == nil {
		a.SetIcon(fyne.NewStaticResource("icon.png", icon))
	}
	w := a.NewWindow("Rehearse — practice")
	w.Resize(defaultSize)
	u := newUI(ctx, a, w, deps, nil)
	// What the toolkit writes outside Rehearse's folders is recorded once
	// the window has drawn (fonts are indexed then) and again at the end.
	time.AfterFunc(5*time.Second, func() { u.rememberOutside(ctx) })
	defer u.rememberOutside(context.Background())
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	cancel()
	u.wait(5 * time.Second)
	return nil
}

// NewWindowContent builds the window's content for w inside app a (a test
// app in tests) and installs the keyboard shortcuts on w's canvas.
func NewWindowContent(ctx context.Context, a fyne.App, w fyne.Window, deps Deps) fyne.CanvasObject {
	return newUI(ctx, a, w, deps, nil).root
}

// UI is the running window.
type UI struct {
	ctx  context.Context
	app  fyne.App
	win  fyne.Window
	deps Deps

	root   *fyne.Container
	nav    *fyne.Container
	notice *fyne.Container
	body   *fyne.Container
	screen string

	settings Settings
	practice *practiceScreen // the session in progress, if any
	setup    *setupForm      // the setup screen, while shown

	interview *interviewScreen // the interview in progress, if any

	pending     PendingState  // the answers waiting for transcription
	pendingView *pendingPanel // the panel on the screen shown, if any

	// do runs f on the UI goroutine; fyne.Do in the app.
	do func(f func())
	wg sync.WaitGroup

	// Keyboard actions of the current screen.
	onSpace, onNext, onRetake func()
	onSubmit                  func() // Ctrl+Enter: submit the typed answer shown
	keys                      map[string]func()
}

// newUI builds the window's content. do runs a function on the UI
// goroutine (nil: fyne.Do).
func newUI(ctx context.Context, a fyne.App, w fyne.Window, deps Deps, do func(func())) *UI {
	if do == nil {
		do = fyne.Do
	}
	u := &UI{ctx: ctx, app: a, win: w, deps: deps, do: do}
	u.settings = practice.DefaultSettings()
	if deps.OpenErr == nil {
		u.loadSettings()
	}
	a.Settings().SetTheme(newTheme(u.settings.Theme))
	u.body = container.NewStack()
	u.notice = container.NewVBox()
	u.root = container.NewBorder(nil, nil, nil, nil, u.body)
	u.buildChrome()
	w.SetContent(u.root)
	u.installKeys()
	u.watchPending()
	u.start()
	return u
}

// start picks the first screen.
func (u *UI) start() {
	switch err := u.deps.OpenErr; {
	case err == nil:
		u.modelArrived() // answers may wait from an earlier run
		if u.deps.FirstRun {
			u.showFirstRun()
		} else {
			u.showHome()
		}
		return
	case errors.Is(err, rehearse.ErrCorruptStore) && u.deps.StartFresh != nil:
		u.showRecover()
		return
	case u.deps.NewStore && u.deps.Create != nil && (errors.Is(err, rehearse.ErrPassphraseNeeded) || errors.Is(err, rehearse.ErrNoKeyring)):
		u.showCreate()
		return
	case u.deps.Unlock != nil && (errors.Is(err, rehearse.ErrPassphraseNeeded) || errors.Is(err, rehearse.ErrNoKeyring) || errors.Is(err, rehearse.ErrCannotUnlock)):
		u.showUnlock()
		return
	default:
		u.showProblem(err)
	}
}

// buildChrome (re)builds the top bar, e.g. after the theme changed.
func (u *UI) buildChrome() {
	u.nav = u.buildNav()
	top := container.NewVBox(u.topBar(), widget.NewSeparator(), u.notice)
	u.root.Objects = []fyne.CanvasObject{u.body, top}
	u.root.Layout = layout.NewBorderLayout(top, nil, nil, nil)
	u.root.Refresh()
}

func (u *UI) loadSettings() {
	ctx, cancel := context.WithTimeout(u.ctx, 5*time.Second)
	defer cancel()
	if s, err := u.deps.Preferences.Settings(ctx); err == nil {
		u.settings = s
	}
}

// applyTheme switches the palette and redraws the top bar.
func (u *UI) applyTheme() {
	u.app.Settings().SetTheme(newTheme(u.settings.Theme))
	u.buildChrome()
}

// opened runs once the store is usable (after an unlock or a fresh start).
func (u *UI) opened() {
	u.loadSettings()
	u.applyTheme()
	u.modelArrived() // answers may wait from an earlier run
	if u.deps.FirstRun {
		u.showFirstRun()
		return
	}
	u.showHome()
}

// background runs work off the UI goroutine; work updates widgets via u.do.
func (u *UI) background(work func(ctx context.Context)) {
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		work(u.ctx)
	}()
}

// wait waits (at most d) for background work to end.
func (u *UI) wait(d time.Duration) {
	done := make(chan struct{})
	go func() { u.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

func (u *UI) topBar() fyne.CanvasObject {
	title := canvas.NewText("Rehearse", theme.Color(theme.ColorNameForeground))
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.TextSize = 20
	return container.NewBorder(nil, nil,
		container.NewHBox(layout.NewSpacer(), title, widget.NewLabel(" ")),
		practiceBadge(),
		// On a narrow window the navigation scrolls sideways rather than
		// widening the window past the screen or running under the badge.
		container.NewHScroll(u.nav))
}

// practiceBadge is the always-visible "Practice" state.
func practiceBadge() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(colorBadge))
	bg.CornerRadius = 12
	txt := canvas.NewText("●  PRACTICE", theme.Color(theme.ColorNameForegroundOnPrimary))
	txt.TextStyle = fyne.TextStyle{Bold: true}
	txt.TextSize = 13
	pill := container.NewStack(bg, container.NewPadded(container.NewCenter(txt)))
	return container.NewPadded(container.NewCenter(pill))
}

func (u *UI) buildNav() *fyne.Container {
	item := func(label string, icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, f)
		b.Importance = widget.LowImportance
		return b
	}
	return container.NewHBox(
		item("Home", theme.HomeIcon(), u.showHome),
		item("History", theme.HistoryIcon(), u.showHistory),
		item("Progress", theme.ViewRefreshIcon(), u.showProgress),
		item("Settings", theme.SettingsIcon(), u.showSettings),
		item("How feedback works", theme.HelpIcon(), u.showHowItWorks),
		item("Privacy", theme.VisibilityOffIcon(), u.showPrivacy),
	)
}

// show replaces the screen below the top bar.
func (u *UI) show(name string, content fyne.CanvasObject, navVisible bool) {
	if u.practice != nil && name != "practice" {
		u.practice.leave()
		u.practice = nil
	}
	if u.interview != nil && name != "interview" {
		u.interview.leave()
		u.interview = nil
	}
	u.screen = name
	u.pendingView = nil
	u.onSpace, u.onNext, u.onRetake, u.onSubmit = nil, nil, nil, nil
	// The screen going away takes its focus with it: a control of a
	// screen no longer shown must not take keys.
	u.win.Canvas().Unfocus()
	u.clearNotice()
	if navVisible {
		u.nav.Show()
	} else {
		u.nav.Hide()
	}
	u.body.Objects = []fyne.CanvasObject{content}
	u.body.Refresh()
}

// page wraps a screen's content in a padded, scrollable column.
func page(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	all := append([]fyne.CanvasObject{heading(title)}, objs...)
	return container.NewVScroll(container.NewPadded(container.NewVBox(all...)))
}

func heading(s string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyleHeading})
}

func subheading(s string) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyleSubHeading})
}

func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.Wrapping = fyne.TextWrapWord
	return l
}

// showNotice puts a message under the top bar. kind is "error", "warning"
// or "info". Messages stay until dismissed or the screen changes.
func (u *UI) showNotice(kind, msg string) {
	c := theme.Color(theme.ColorNamePrimary)
	icon := theme.InfoIcon()
	switch kind {
	case "error":
		c, icon = theme.Color(theme.ColorNameError), theme.ErrorIcon()
	case "warning":
		c, icon = theme.Color(theme.ColorNameWarning), theme.WarningIcon()
	}
	bar := canvas.NewRectangle(c)
	bar.SetMinSize(fyne.NewSize(4, 4))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	bg.CornerRadius = 6
	text := para(msg)
	text.Importance = widget.MediumImportance
	var row *fyne.Container
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), func() {
		u.notice.Remove(row)
	})
	closeBtn.Importance = widget.LowImportance
	row = container.NewPadded(container.NewStack(bg, container.NewBorder(nil, nil,
		container.NewHBox(bar, widget.NewIcon(icon)), closeBtn, text)))
	u.notice.Objects = []fyne.CanvasObject{row}
	u.notice.Refresh()
}

func (u *UI) clearNotice() {
	u.notice.Objects = nil
	u.notice.Refresh()
}

// explain turns an error into a sentence for the window with a way forward.
func explain(err error) string {
	switch {
	case errors.Is(err, rehearse.ErrNoOutputDevice):
		return "No speaker or headphones found, so the recording cannot be played. Connect some, or choose a sound output in your system's sound settings, then try again."
	case errors.Is(err, rehearse.ErrNoInputDevice):
		return "No microphone found. Plug one in and press Record again, or type your answer instead."
	case errors.Is(err, rehearse.ErrDeviceLost):
		return "The microphone stopped responding. What was recorded until then is saved. Check the cable or choose another microphone in Settings."
	case errors.Is(err, rehearse.ErrDeviceBusy):
		return "The microphone is in use by another program. Close it and try again, or type your answer."
	case errors.Is(err, rehearse.ErrNoModel):
		return "No speech model is installed, so answers cannot be transcribed yet. Spoken answers are saved and transcribed once you add a model (Settings → Models); you can also type answers."
	case errors.Is(err, rehearse.ErrNoTranscriber):
		return "Voice transcription is not built into this copy of Rehearse. You can type your answers; feedback works the same."
	case errors.Is(err, rehearse.ErrChecksum):
		return "The downloaded model did not match its published checksum, so it was not used. Try the download again or import a file you trust."
	case errors.Is(err, rehearse.ErrBadModel):
		return "That file is not a whisper.cpp model. Choose a ggml .bin model file."
	case errors.Is(err, rehearse.ErrDiskFull):
		return "The disk is full. Nothing already saved was lost; free some space and try again."
	case errors.Is(err, rehearse.ErrCannotUnlock):
		return "That passphrase did not unlock the practice store. Nothing was changed; try again."
	case errors.Is(err, rehearse.ErrStoreMissing):
		return err.Error()
	case errors.Is(err, rehearse.ErrCorruptStore):
		return "The practice store is damaged."
	case errors.Is(err, context.Canceled):
		return "Cancelled. Nothing already saved was lost."
	}
	var ie *rehearse.InputError
	if errors.As(err, &ie) {
		return ie.Error()
	}
	return fmt.Sprintf("Something went wrong: %v. Nothing already saved was lost.", err)
}

func (u *UI) fail(err error) { u.showNotice("error", explain(err)) }

// fmtDate is the date style used in lists.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2 Jan 2006 15:04")
}

// fmtBytes shows a size in the units used everywhere in Rehearse.
func fmtBytes(n int64) string { return bytesize.Format(n) }
