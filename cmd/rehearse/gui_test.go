package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/ui"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// The GUI tests drive the real window (Fyne's headless test driver) on the
// real core: the encrypted store behind the key custody, the practice
// service with the feedback engine, PortAudio and the model manager, all
// built by local.NewWindow exactly as `rehearse gui` builds them. Each test has
// its own data folder and a passphrase file, and runs in a child process
// whose session bus does not exist, so that no keyring is used (the D-Bus
// connection is shared by the whole process once made, so this cannot be
// switched off inside a process that already talked to a keyring), and so
// that the ALSA configuration of the virtual microphone is read before
// PortAudio starts.

// Answers typed in the window. guiCanary is a word that appears nowhere but
// in one answer, to follow it through search, export and wipe.
const (
	guiCanary = "quokkafjord"

	guiGoodAnswer = "Last year our checkout service kept timing out during the holiday sale. As the on-call lead my task was to find the cause " +
		"within a day. I traced it with Kubernetes metrics to a slow payment call, moved that call to a queue and added retries. " +
		"As a result, failed checkouts dropped by 40 percent and the " + guiCanary + " dashboard stayed green for the rest of the season."

	guiWeakAnswer = "Um, so, I think we, like, basically fixed it, um, somehow. I guess we, uh, kind of talked to people, you know, " +
		"and it was, um, better. I think it was, like, fine in the end, I guess, um, sort of."

	guiBetterAnswer = "When two teams disagreed about a release date, I set up a short meeting, listed what each team needed " +
		"and proposed shipping the core feature first. We shipped on time and the follow-up came two weeks later."
)

// uiLock serialises every change to the widgets: the test's own actions
// and the work that background goroutines hand to fyne.Do (which the test
// driver runs at once on the calling goroutine). It is re-entrant, because
// a button handler running under the lock may itself call fyne.Do.
type uiLock struct {
	mu    sync.Mutex
	owner atomic.Uint64
}

func goroutineID() uint64 {
	var buf [64]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	s = strings.TrimPrefix(s, "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, _ := strconv.ParseUint(s, 10, 64)
	return id
}

func (l *uiLock) run(f func()) {
	id := goroutineID()
	if l.owner.Load() == id {
		f()
		return
	}
	l.mu.Lock()
	l.owner.Store(id)
	defer func() {
		l.owner.Store(0)
		l.mu.Unlock()
	}()
	f()
}

// lockedApp is the Fyne test app whose driver runs fyne.Do under the lock.
type lockedApp struct {
	fyne.App
	drv fyne.Driver
}

func (a *lockedApp) Driver() fyne.Driver { return a.drv }

type lockedDriver struct {
	fyne.Driver
	l *uiLock
}

func (d *lockedDriver) DoFromGoroutine(f func(), _ bool) { d.l.run(f) }

// guiHarness is one window on one data folder.
type guiHarness struct {
	t      *testing.T
	wiring *local.Window
	deps   ui.Deps
	win    fyne.Window
	lock   *uiLock
	cancel context.CancelFunc
}

// guiChildEnv marks the test binary re-run for one GUI test.
const guiChildEnv = "REHEARSE_GUI_CHILD"

func inGUIChild() bool { return os.Getenv(guiChildEnv) == "1" }

// guiChildLimit is how long a GUI test's child process may run; a test
// that does more (a whole interview) raises it for itself.
var guiChildLimit = 120 * time.Second

// runGUIChild runs the calling test again in a child process without a
// session bus (so without a keyring), with env added, and reports its
// outcome as this test's.
func runGUIChild(t *testing.T, env ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guiChildLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), guiChildEnv+"=1", "REHEARSE_PASSPHRASE_FILE=",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(l, "ALSA lib ") { // the sound system's start-up noise
			keep = append(keep, l)
		}
	}
	t.Logf("in a child process:\n%s", strings.Join(keep, "\n"))
	switch {
	case strings.Contains(string(out), "--- SKIP: "+t.Name()):
		t.Skip("skipped in the child process")
	case err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()):
		t.Fatalf("%s failed in its child process: %v", t.Name(), err)
	}
}

// isolate makes the passphrase key derivation cheap (the production cost
// under -race would dominate the run time; a benchmark covers the cost).
func isolate(t *testing.T) {
	t.Helper()
	if !inGUIChild() {
		t.Fatal("GUI tests run in a child process without a keyring")
	}
	kdf := vault.DefaultKDF
	vault.DefaultKDF = vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}
	t.Cleanup(func() { vault.DefaultKDF = kdf })
}

func passFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// openGUI builds the real wiring for g and shows its window.
func openGUI(t *testing.T, g cli.Global) *guiHarness {
	t.Helper()
	return openGUIWith(t, g, nil)
}

// openGUIWith is openGUI with a chance to adjust the parts (for example,
// where models are downloaded from) before the window is built.
func openGUIWith(t *testing.T, g cli.Global, prep func(*local.Window)) *guiHarness {
	t.Helper()
	w, err := local.NewWindow(context.Background(), g, local.Speech{})
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(w)
	}
	base := test.NewTempApp(t)
	h := &guiHarness{t: t, wiring: w, lock: &uiLock{}}
	a := &lockedApp{App: base, drv: &lockedDriver{Driver: base.Driver(), l: h.lock}}
	fyne.SetCurrentApp(a)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.deps = w.Deps(ctx)
	h.lock.run(func() {
		h.win = test.NewWindow(widget.NewLabel(""))
		h.win.Resize(fyne.NewSize(1100, 760))
		ui.NewWindowContent(ctx, a, h.win, h.deps)
	})
	t.Cleanup(h.close)
	return h
}

// close ends the window's work and closes the store and the microphone.
func (h *guiHarness) close() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	// Background work ends with ctx; give it a moment to hand its last
	// update to the window before the store goes.
	time.Sleep(50 * time.Millisecond)
	h.lock.run(func() { h.win.Close() })
	h.wiring.Close()
}

// objects lists every visible object of the window and its overlays.
func (h *guiHarness) objects() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch o.(type) {
		case *widget.Label, *widget.RichText, *widget.Button, *widget.Entry, *widget.Select, *widget.Check:
			return // their insides repeat their text
		}
		if entryOf(o) != nil {
			return
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				walk(ch)
			}
		}
	}
	walk(h.win.Canvas().Content())
	for _, o := range h.win.Canvas().Overlays().List() {
		walk(o)
	}
	return out
}

// text is everything the window shows, one item a line (call under the lock).
func (h *guiHarness) text() string {
	var b strings.Builder
	for _, o := range h.objects() {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.RichText:
			b.WriteString(v.String() + "\n")
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + v.Text + "]\n")
		case *widget.Check:
			b.WriteString("[x] " + v.Text + "\n")
		}
	}
	return b.String()
}

// screen returns the window's text now.
func (h *guiHarness) screen() string {
	var s string
	h.lock.run(func() { s = h.text() })
	return s
}

// waitShow waits until the window shows every one of want.
func (h *guiHarness) waitShow(want ...string) string {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := h.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the window does not show %q; it shows:\n%s", missing, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// act runs f as a user action.
func (h *guiHarness) act(f func()) { h.lock.run(f) }

// findButton returns the visible button labelled label, or else the first
// whose label starts with it.
func (h *guiHarness) findButton(label string) *widget.Button {
	var prefix *widget.Button
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok {
			if b.Text == label {
				return b
			}
			if prefix == nil && strings.HasPrefix(b.Text, label) {
				prefix = b
			}
		}
	}
	return prefix
}

// tap waits for an enabled button labelled label and presses it.
func (h *guiHarness) tap(label string) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		tapped := false
		h.act(func() {
			if b := h.findButton(label); b != nil && !b.Disabled() {
				test.Tap(b)
				tapped = true
			}
		})
		if tapped {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no enabled button %q; the window shows:\n%s", label, h.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// setEntry types text into the visible entry whose placeholder starts with ph.
func (h *guiHarness) setEntry(ph, text string) {
	h.t.Helper()
	h.fillEntry("with placeholder "+ph, func(e *widget.Entry) bool { return strings.HasPrefix(e.PlaceHolder, ph) }, text)
}

// replaceEntry sets the text of the visible entry whose text ends with
// suffix (a path entry that the "Choose…" file dialog fills in).
func (h *guiHarness) replaceEntry(suffix, text string) {
	h.t.Helper()
	h.fillEntry("holding "+suffix, func(e *widget.Entry) bool { return strings.HasSuffix(e.Text, suffix) }, text)
}

// entryOf returns the text entry o is or is built on: the window's own
// entries embed widget.Entry in types of their own (for keyboard handling),
// which this package cannot name.
func entryOf(o fyne.CanvasObject) *widget.Entry {
	if e, ok := o.(*widget.Entry); ok {
		return e
	}
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Entry")
	if !f.IsValid() || f.Type() != reflect.TypeFor[widget.Entry]() || !f.CanAddr() {
		return nil
	}
	e, _ := f.Addr().Interface().(*widget.Entry)
	return e
}

// fillEntry sets the text of the first visible entry that match accepts.
func (h *guiHarness) fillEntry(what string, match func(*widget.Entry) bool, text string) {
	h.t.Helper()
	found := false
	h.act(func() {
		for _, o := range h.objects() {
			if e := entryOf(o); e != nil && match(e) {
				e.SetText(text)
				found = true
				return
			}
		}
	})
	if !found {
		h.t.Fatalf("no entry %s; the window shows:\n%s", what, h.screen())
	}
}

// typeFocused replaces the text of the focused entry (the answer box takes
// the focus when it opens), as pasting would.
func (h *guiHarness) typeFocused(text string) {
	h.t.Helper()
	// The box takes the focus just after it opens, so wait for it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok := false
		h.act(func() {
			if e, is := h.win.Canvas().Focused().(interface{ SetText(string) }); is {
				e.SetText(text)
				ok = true
			}
		})
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no focused text box; the window shows:\n%s", h.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *guiHarness) shortcut(k fyne.KeyName) {
	h.act(func() {
		h.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	})
}

// typeAnswer answers the current question in the typed-answer box.
func (h *guiHarness) typeAnswer(text string) {
	h.t.Helper()
	h.tap("Type an answer instead")
	h.waitShow("Type your answer", "[Analyse answer (Ctrl+Enter)]")
	h.typeFocused(text)
	h.tap("Analyse answer")
}

// TestGUIPracticeOnRealCore runs a whole first session in the window on the
// real store, service and feedback engine: set-up, typed answers and their
// feedback, a retake, a corrected transcript, the summary, history search,
// export, and deleting everything.
func TestGUIPracticeOnRealCore(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t, "HOME="+t.TempDir())
		return
	}
	isolate(t)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	g := cli.Global{DataDir: data, PassphraseFile: passFile(t, "a good long passphrase\n")}
	h := openGUI(t, g)
	ctx := context.Background()

	// First run: the welcome screen, then on with typed answers.
	if !h.deps.FirstRun || h.deps.OpenErr != nil {
		t.Fatalf("a new data folder: FirstRun %v, OpenErr %v; want the welcome screen", h.deps.FirstRun, h.deps.OpenErr)
	}
	h.waitShow("Welcome to Rehearse", "never use it during a real interview", "PRACTICE")
	h.tap("Continue with typed answers")
	h.waitShow("[Start a practice session]")

	// Set-up: a title, a job description, behavioural questions only.
	h.tap("Start a practice session")
	h.waitShow("New session")
	h.setEntry("Role or title", "Platform engineer at "+guiCanary+" logistics")
	h.setEntry("Optional: paste the job description", "We run Kubernetes and PostgreSQL on AWS. Terraform and incident response experience matter.")
	h.act(func() {
		for _, o := range h.objects() {
			if cg, ok := o.(*widget.CheckGroup); ok {
				cg.SetSelected([]string{string(rehearse.Behavioral)})
			}
		}
	})
	h.tap("Shuffle")
	h.tap("Start")
	h.waitShow("Question 1 of 5", "[Record (Space)]")

	// Question 1: a good STAR answer with a number.
	h.typeAnswer(guiGoodAnswer)
	s := h.waitShow("Attempt 1", "(typed)", "Strengths")
	for _, want := range []string{"STAR 4/4", "fillers 0"} {
		if !strings.Contains(s, want) {
			t.Errorf("the feedback on the STAR answer does not show %q:\n%s", want, s)
		}
	}

	// Question 2: a weak answer full of fillers.
	h.shortcut(fyne.KeyN)
	h.waitShow("Question 2 of 5")
	h.typeAnswer(guiWeakAnswer)
	s = h.waitShow("Attempt 1", "Suggestions", "[Show evidence]")
	if !strings.Contains(strings.ToLower(s), "filler") {
		t.Errorf("the feedback on the hesitant answer names no fillers:\n%s", s)
	}
	t.Logf("feedback on the weak answer:\n%s", s)

	// Retake it (only the current question can be retaken), then correct
	// the retake's transcript and analyse it again.
	h.shortcut(fyne.KeyR)
	h.waitShow("Retake: ready when you are")
	h.typeAnswer(guiBetterAnswer)
	h.waitShow("Attempt 2", "Your attempts side by side")
	h.tap("Edit transcript & re-analyse")
	h.waitShow("Correct the transcript, then analyse it again", "[Re-analyse (Ctrl+Enter)]")
	h.typeFocused(guiBetterAnswer + " I learned to agree on scope early.")
	h.tap("Re-analyse")
	h.waitShow("Attempt 2", "(edited)")

	// Finish: the summary shows job-term coverage and what changed.
	h.tap("Finish session")
	s = h.waitShow("Session summary", "Job description terms", "Mentioned (", "Compared with your earlier attempts", "Answers (2 of 5 questions)")
	if !strings.Contains(strings.ToLower(s), "kubernetes") {
		t.Errorf("the summary does not list the job term kubernetes:\n%s", s)
	}
	if n := strings.Count(s, "Not answered."); n != 3 {
		t.Errorf("the summary shows %d unanswered questions, want 3:\n%s", n, s)
	}
	if !strings.Contains(s, "filler rate (per 100 words) improved: 24.4 → 0") {
		t.Errorf("the summary shows no change between the attempts:\n%s", s)
	}
	t.Logf("summary:\n%s", s)

	// History: the canary word finds the session, a made-up word nothing.
	for word, want := range map[string]int{guiCanary: 1, "xylophonewhale": 0} {
		if ss, err := h.deps.History.Sessions(ctx, rehearse.SessionFilter{Text: word}); err != nil || len(ss) != want {
			t.Errorf("the store's search for %q: %d sessions, err %v; want %d", word, len(ss), err, want)
		}
	}
	h.tap("History")
	h.waitShow("1 sessions")
	// Each search waits for a result that differs from the one before: the
	// history screen shows whichever search answers last.
	h.setEntry("Search transcripts", "xylophonewhale")
	h.tap("Search")
	h.waitShow("Nothing matches “xylophonewhale”.")
	h.setEntry("Search transcripts", guiCanary)
	h.tap("Search")
	h.waitShow("1 sessions", "Platform engineer at "+guiCanary)

	// Export: the save dialog opens in the home folder (a temporary one
	// here); recordings stay out unless asked for.
	h.tap("Privacy")
	h.waitShow("Privacy center", "[Export…]", "The export is not encrypted", "wrapped by your passphrase (Argon2id); never stored in clear")
	h.tap("Export…")
	h.replaceEntry(".json", "export.json")
	h.tap("Save")
	out := filepath.Join(os.Getenv("HOME"), "export.json")
	h.waitShow("Saved to " + out + " (without recordings)")
	exp, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sessions []json.RawMessage `json:"sessions"`
	}
	if err := json.Unmarshal(exp, &doc); err != nil || len(doc.Sessions) != 1 || !bytes.Contains(exp, []byte(guiCanary)) {
		t.Fatalf("export: %d sessions, err %v, canary present %v", len(doc.Sessions), err, bytes.Contains(exp, []byte(guiCanary)))
	}

	// Delete everything: a fresh store, nothing of the answers left.
	h.tap("Delete everything…")
	h.waitShow("Delete everything?", "1 sessions with 3 answers")
	h.tap("Delete everything")
	h.waitShow("Welcome to Rehearse", "Everything was deleted, including the encryption key.")
	ss, err := h.deps.History.Sessions(ctx, rehearse.SessionFilter{})
	if err != nil || len(ss) != 0 {
		t.Fatalf("after the wipe: %d sessions, err %v; want an empty store", len(ss), err)
	}
	hits, files, _ := scan(t, []byte(guiCanary), data)
	if len(hits) > 0 || files == 0 {
		t.Fatalf("after the wipe the canary is in %v (%d files looked at)", hits, files)
	}
	h.tap("Continue with typed answers")
	h.tap("History")
	h.waitShow("No sessions yet.")
}

// seedGUIStore makes the store of g through the window's wiring, with one
// finished session of one typed answer for each title, past the first run.
func seedGUIStore(t *testing.T, g cli.Global, titles ...string) {
	t.Helper()
	w, err := local.NewWindow(context.Background(), g, local.Speech{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	d := w.Deps(ctx)
	if d.OpenErr != nil {
		t.Fatal(d.OpenErr)
	}
	qs, err := d.Questions.Questions(ctx)
	if err != nil || len(qs) == 0 {
		t.Fatalf("questions: %d, %v", len(qs), err)
	}
	for _, title := range titles {
		s, err := d.Planner.StartSession(ctx, ui.Plan{Title: title, Questions: qs[:1]})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Practice.SubmitTyped(ctx, s.ID, qs[0], guiGoodAnswer, 40*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := d.Practice.FinishSession(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.FirstRunDone(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestGUILockedStore opens the window on a store it cannot unlock by
// itself: the unlock screen appears and the right passphrase opens it.
func TestGUILockedStore(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	data := filepath.Join(t.TempDir(), "data")
	right := passFile(t, "a good long passphrase\n")

	// A store made with passphrase A, holding one session.
	seedGUIStore(t, cli.Global{DataDir: data, PassphraseFile: right}, "Locked "+guiCanary)

	for _, tc := range []struct {
		name     string
		passFile string
		why      string
	}{
		{"no passphrase", "", "protected by a passphrase"},
		{"wrong passphrase file", passFile(t, "not the passphrase at all\n"), "protected by a passphrase"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := openGUI(t, cli.Global{DataDir: data, PassphraseFile: tc.passFile})
			if h.deps.OpenErr == nil || h.deps.Unlock == nil {
				t.Fatalf("OpenErr %v, Unlock set %v: want a locked store", h.deps.OpenErr, h.deps.Unlock != nil)
			}
			h.waitShow(tc.why, "[Unlock]")
			h.setEntry("Passphrase", "a wrong guess")
			h.tap("Unlock")
			h.waitShow("did not unlock the practice store")
			h.setEntry("Passphrase", "a good long passphrase")
			h.tap("Unlock")
			h.waitShow("Recent sessions", "Locked "+guiCanary)
			h.close()
		})
	}
}

// TestGUIDamagedStore opens the window on a store whose file lost its last
// pages: the recovery screen saves the sessions still readable without
// changing the file, then a fresh start keeps the damaged file aside and the
// saved sessions import into the new store.
func TestGUIDamagedStore(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	data := filepath.Join(t.TempDir(), "data")
	pass := passFile(t, "a good long passphrase\n")
	g := cli.Global{DataDir: data, PassphraseFile: pass}
	const sessions = 12
	var titles []string
	for i := 0; i < sessions; i++ {
		titles = append(titles, fmt.Sprintf("Damaged %02d %s", i, guiCanary))
	}
	seedGUIStore(t, g, titles...)
	db := filepath.Join(data, "rehearse.db")
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	b = b[:len(b)*2/3+100] // the tail is lost
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}

	h := openGUI(t, g)
	if !errors.Is(h.deps.OpenErr, rehearse.ErrCorruptStore) {
		t.Fatalf("OpenErr = %v, want ErrCorruptStore", h.deps.OpenErr)
	}
	h.waitShow("The practice store is damaged", "[Save what can be read]")
	saved := filepath.Join(t.TempDir(), "saved.json")
	h.replaceEntry("rehearse-salvage.json", saved)
	h.tap("Save what can be read")
	h.waitShow("answers to " + saved)
	if after, _ := os.ReadFile(db); !bytes.Equal(after, b) {
		t.Fatal("saving what can be read changed the damaged file")
	}
	recs := readExport(t, saved)
	if len(recs) == 0 || len(recs) > sessions {
		t.Fatalf("saved %d of %d sessions", len(recs), sessions)
	}
	t.Logf("saved %d of %d sessions; the window says:\n%s", len(recs), sessions, h.screen())

	h.tap("Start with an empty store")
	h.waitShow("The damaged file was kept at " + db + ".damaged-")
	h.close()
	if kept, _ := filepath.Glob(db + ".damaged-*"); len(kept) != 1 {
		t.Fatalf("damaged files kept: %v", kept)
	}

	w, err := local.NewWindow(context.Background(), g, local.Speech{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	svc, err := w.App().Service()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.Import(ctx, recs); err != nil {
		t.Fatal(err)
	}
	list, err := svc.Sessions(ctx, rehearse.SessionFilter{})
	if err != nil || len(list) != len(recs) {
		t.Fatalf("after the import: %d sessions, %v", len(list), err)
	}
}

// TestGUISpokenAnswer records a spoken answer in the window through the
// real PortAudio → ALSA stack. The microphone is ALSA's file plugin playing
// speech synthesised by espeak-ng. This copy has no transcription, so the
// answer is saved as pending and the window says so.
func TestGUISpokenAnswer(t *testing.T) {
	if inGUIChild() {
		spokenAnswerInWindow(t)
		return
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps): there is no speech for the virtual microphone")
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "answer.wav")
	text := "Last year I led the move of our billing system to a new database. We finished two weeks early."
	if out, err := exec.Command("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	speech, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	// Half a second of silence, the answer, then silence well past the
	// answer time limit (60 s): the file plugin delivers faster than real
	// time and past its end it delivers noise, never silence.
	samples := make([]float32, rehearse.SampleRate/2)
	samples = append(samples, speech.Samples...)
	samples = append(samples, make([]float32, 70*rehearse.SampleRate)...)
	raw := filepath.Join(dir, "speech.raw")
	if err := os.WriteFile(raw, audio.PCM16(rehearse.Audio{Samples: samples}), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("pcm.filemic { type file; slave.pcm \"null\"; file \"/dev/null\"; infile %q; format \"raw\" }\n"+
		"pcm.!default { type asym; capture.pcm \"filemic\"; playback.pcm \"null\" }\n", raw)), 0o600); err != nil {
		t.Fatal(err)
	}
	runGUIChild(t, "ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:"+conf)
}

func spokenAnswerInWindow(t *testing.T) {
	isolate(t)
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data"), PassphraseFile: passFile(t, "a good long passphrase\n")}
	h := openGUI(t, g)
	ctx := context.Background()
	// The welcome screen lists the virtual microphone. (Nothing else may
	// list devices meanwhile: PortAudio's device list is not safe for
	// concurrent use.)
	s := h.waitShow("Welcome to Rehearse", "microphone(s) found")
	if strings.Contains(s, "No microphone found") {
		t.Fatalf("the virtual microphone is not listed:\n%s", s)
	}
	h.tap("Start practising")
	h.tap("Start a practice session")
	h.waitShow("New session")
	h.setEntry("Role or title", "Spoken practice")
	h.act(func() {
		for _, o := range h.objects() {
			if s, ok := o.(*widget.Select); ok && s.Selected == "180" {
				s.SetSelected("60") // the answer time limit
			}
		}
	})
	h.tap("Start")
	h.waitShow("Question 1 of 5", "[Record (Space)]")
	h.tap("Record (Space)")
	// Stop as soon as the recording runs. Should the answer time limit
	// (60 s of audio, which the file plugin delivers within seconds) come
	// first, the window stops it the same way.
	h.tap("Stop (Space)")
	s = h.waitShow("Attempt 1 saved", "It will be transcribed when a speech model is available.", "[Type this answer instead]")
	t.Logf("after the recording:\n%s", s)

	sess, err := h.deps.History.Sessions(ctx, rehearse.SessionFilter{})
	if err != nil || len(sess) != 1 {
		t.Fatalf("sessions: %d, %v", len(sess), err)
	}
	sum, err := h.deps.History.Summary(ctx, sess[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var rs []ui.Result
	for _, it := range sum.Items {
		rs = append(rs, it.Results...)
	}
	if len(rs) != 1 {
		t.Fatalf("%d answers stored, want 1", len(rs))
	}
	a := rs[0].Attempt
	if !rs[0].Pending || a.Status != rehearse.StatusPendingTranscription || !a.HasAudio || a.DurationS <= 0 {
		t.Fatalf("the spoken answer: pending %v, status %q, audio kept %v, %.2f s; want a pending answer with its audio",
			rs[0].Pending, a.Status, a.HasAudio, a.DurationS)
	}
	// What was kept is the synthesised speech, not silence or noise.
	svc, err := h.wiring.App().Service()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.Recording(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var peak float32
	for _, v := range rec.Samples {
		peak = max(peak, v, -v)
	}
	if peak < 0.1 {
		t.Fatalf("the kept recording peaks at %.3f: no speech in it", peak)
	}
	t.Logf("stored: attempt %d, %.2f s of audio (peak %.2f), status %s", a.Number, a.DurationS, peak, a.Status)
}

// TestGUIFirstRunNoKeyring starts the real window on an empty data folder
// with no keyring and no passphrase file: it asks for a new passphrase (and
// a recovery passphrase), the store works, Delete everything leads back to
// choosing a passphrase, and so does a restart after the wipe.
func TestGUIFirstRunNoKeyring(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	ctx := context.Background()
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data")}
	const title = "Choose a passphrase for your new practice store"
	choose := func(h *guiHarness, pass, recovery string) {
		h.setEntry("New passphrase", pass)
		h.setEntry("Type the new passphrase again", pass)
		if recovery != "" {
			h.act(func() {
				for _, o := range h.objects() {
					if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, "Also set a recovery passphrase") {
						c.SetChecked(true)
					}
				}
			})
			h.setEntry("Recovery passphrase", recovery)
			h.setEntry("Type the recovery passphrase again", recovery)
		}
		h.tap("Create my practice store")
	}

	h := openGUI(t, g)
	s := h.waitShow(title, "cannot be recovered")
	if strings.Contains(s, "Unlock") {
		t.Fatalf("a new store looks like a lock screen:\n%s", s)
	}
	h.setEntry("New passphrase", "short")
	h.tap("Create my practice store")
	h.waitShow("Use at least 8 characters.")
	choose(h, "paper lamp river quietly", "kept in the drawer at home")
	h.waitShow("Welcome to Rehearse")
	v, err := (&local.Data{Now: time.Now}).Vault(g, vault.NoAsker)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := v.Status(ctx); err != nil || !st.Exists || !st.Passphrase || !st.Recovery {
		t.Fatalf("key custody after creating: %+v, %v; want a store with passphrase and recovery", st, err)
	}
	h.tap("Start practising")
	h.waitShow("Recent sessions", "No sessions yet")

	h.tap("Privacy")
	h.tap("Delete everything…")
	h.waitShow("Delete everything?")
	h.tap("Delete everything")
	h.waitShow(title, "Everything was deleted")
	h.close()

	// A restart after the wipe is a first run again, not an unlock.
	h = openGUI(t, g)
	s = h.waitShow(title)
	if strings.Contains(s, "Unlock") {
		t.Fatalf("after a wipe the restart asks to unlock:\n%s", s)
	}
	choose(h, "another good passphrase", "")
	h.waitShow("Welcome to Rehearse")
	h.tap("Start practising")
	h.waitShow("Recent sessions", "No sessions yet")
	if _, err := h.deps.History.Sessions(ctx, rehearse.SessionFilter{}); err != nil {
		t.Fatalf("the new store does not work: %v", err)
	}
	h.close()
}

// TestGUIWipeNoKeyring deletes everything from a store unlocked in the
// window, with no keyring and no passphrase file: the window leads to
// choosing a passphrase for the new store, never to a Home that cannot
// load, and the new store then works.
func TestGUIWipeNoKeyring(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	data := filepath.Join(t.TempDir(), "data")
	seedGUIStore(t, cli.Global{DataDir: data, PassphraseFile: passFile(t, "a good long passphrase\n")}, "Wiped "+guiCanary)

	h := openGUI(t, cli.Global{DataDir: data})
	h.waitShow("[Unlock]")
	h.setEntry("Passphrase", "a good long passphrase")
	h.tap("Unlock")
	h.waitShow("Recent sessions", "Wiped "+guiCanary)
	h.tap("Privacy")
	h.tap("Delete everything…")
	h.waitShow("Delete everything?", "1 sessions")
	h.tap("Delete everything")
	s := h.waitShow("Choose a passphrase for your new practice store", "Everything was deleted")
	if strings.Contains(s, guiCanary) {
		t.Fatalf("the wiped session is still shown:\n%s", s)
	}
	h.setEntry("New passphrase", "a different passphrase")
	h.setEntry("Type the new passphrase again", "a different passphrase")
	h.tap("Create my practice store")
	h.waitShow("Welcome to Rehearse")
	h.tap("Start practising")
	h.waitShow("Recent sessions", "No sessions yet")
	h.tap("Start a practice session")
	h.waitShow("New session")
	h.close()
}
