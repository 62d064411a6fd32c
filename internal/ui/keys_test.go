package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// press delivers a key press as Fyne's desktop driver does: Tab (with or
// without Shift) moves the focus unless the focused widget accepts tabs,
// in which case the widget gets the key; a key held with Ctrl, Alt or
// Super is a shortcut, given to the focused widget when it takes
// shortcuts and to the window otherwise; any other key goes to the
// focused widget, or to the window when nothing has the focus.
func (h *harness) press(k fyne.KeyName, mod fyne.KeyModifier) {
	h.t.Helper()
	h.pressNoWait(k, mod)
	h.settle()
}

// pressNoWait presses a key without waiting for the work it starts (a
// recording runs until stopped).
func (h *harness) pressNoWait(k fyne.KeyName, mod fyne.KeyModifier) {
	h.actNoWait(func() {
		c := h.w.Canvas()
		focused := c.Focused()
		if k == fyne.KeyTab && mod&^fyne.KeyModifierShift == 0 {
			if t, ok := focused.(fyne.Tabbable); ok && t.AcceptsTab() {
				if mod == 0 {
					focused.TypedKey(&fyne.KeyEvent{Name: k})
				}
				return
			}
			if mod == fyne.KeyModifierShift {
				c.FocusPrevious()
			} else {
				c.FocusNext()
			}
			return
		}
		if mod&^fyne.KeyModifierShift != 0 {
			s := &desktop.CustomShortcut{KeyName: k, Modifier: mod}
			if sc, ok := focused.(fyne.Shortcutable); ok {
				sc.TypedShortcut(s)
				return
			}
			c.(fyne.Shortcutable).TypedShortcut(s)
			return
		}
		ev := &fyne.KeyEvent{Name: k}
		if focused != nil {
			focused.TypedKey(ev)
		} else if f := c.OnTypedKey(); f != nil {
			f(ev)
		}
		// The character of the key follows as its own event, to whatever
		// has the focus by then.
		if k == fyne.KeySpace {
			if focused := c.Focused(); focused != nil {
				focused.TypedRune(' ')
			} else if f := c.OnTypedRune(); f != nil {
				f(' ')
			}
		}
	})
}

// typeText types s into whatever has the focus.
func (h *harness) typeText(s string) {
	h.t.Helper()
	h.act(func() {
		f := h.w.Canvas().Focused()
		if f == nil {
			h.t.Fatalf("typing %q with nothing focused", s)
		}
		for _, r := range s {
			f.TypedRune(r)
		}
	})
}

func (h *harness) focused() fyne.Focusable {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.w.Canvas().Focused()
}

// tabTo presses Tab until target has the focus.
func (h *harness) tabTo(what string, target func() fyne.Focusable) {
	h.t.Helper()
	for range 40 {
		h.mu.Lock()
		ok := h.w.Canvas().Focused() == target()
		h.mu.Unlock()
		if ok {
			return
		}
		h.press(fyne.KeyTab, 0)
	}
	h.t.Fatalf("Tab never reached %s", what)
}

const ctrl = fyne.KeyModifierShortcutDefault

func TestTabMovesFocusOutOfTextBoxes(t *testing.T) {
	h := newHarness(t, newFake(), nil)
	h.tap("Start a practice session")
	title := func() fyne.Focusable { return h.u.setup.title }
	jd := func() fyne.Focusable { return h.u.setup.jd }
	h.tabTo("the role box", title)
	h.typeText("Backend engineer")
	h.press(fyne.KeyTab, 0)
	if h.focused() != jd() {
		t.Fatalf("Tab from the role box focused %T, want the job description", h.focused())
	}
	h.typeText("Go and Kubernetes")
	for _, k := range []struct {
		name string
		mod  fyne.KeyModifier
	}{{"Tab", 0}, {"Shift+Tab", fyne.KeyModifierShift}, {"Ctrl+Tab", fyne.KeyModifierControl}} {
		h.act(func() { h.w.Canvas().Focus(h.u.setup.jd) })
		h.press(fyne.KeyTab, k.mod)
		if got := h.u.setup.jd.Text; got != "Go and Kubernetes" {
			t.Errorf("%s in the job description: text = %q, want no tab typed", k.name, got)
		}
		if h.focused() == jd() {
			t.Errorf("%s left the focus in the job description", k.name)
		}
	}
	h.act(func() { h.w.Canvas().Focus(h.u.setup.jd) })
	h.press(fyne.KeyTab, fyne.KeyModifierShift)
	if h.focused() != title() {
		t.Errorf("Shift+Tab from the job description focused %T, want the role box", h.focused())
	}
}

// A typed answer given with the keyboard alone: Tab to "Type an answer
// instead", Space, type, Ctrl+Enter, then Ctrl+N from inside the box of
// the next answer.
func TestKeyboardOnlyTypedAnswer(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, nil)
	startSession(t, h, "Backend engineer", "")
	h.tabTo("Type an answer instead", func() fyne.Focusable { return h.u.practice.typeBtn })
	h.press(fyne.KeySpace, 0)
	if _, ok := h.focused().(*answerEntry); !ok {
		t.Fatalf("focus is on %T after opening the answer box, want the box", h.focused())
	}
	h.typeText(answerBetter)
	if got := h.answerBox().Text; got != answerBetter {
		t.Fatalf("answer box holds %q, want only what was typed", got)
	}
	h.press(fyne.KeyTab, 0)
	if _, ok := h.focused().(*answerEntry); ok {
		t.Fatal("Tab stayed in the answer box")
	}
	h.press(fyne.KeyTab, fyne.KeyModifierShift)
	if got := h.answerBox().Text; got != answerBetter {
		t.Fatalf("answer box holds %q after Tab and Shift+Tab, want the typed answer", got)
	}
	h.press(fyne.KeyReturn, ctrl)
	h.mustShow("Attempt 1")
	h.mustShow("Suggestions")
	if n := len(f.sessions[0].results); n != 1 {
		t.Fatalf("%d answers saved, want 1", n)
	}

	// Ctrl+N reaches the window from inside the next answer box, and so
	// does Ctrl+R; Ctrl+Enter (keypad Enter too) submits from the
	// speaking-time box.
	h.press(fyne.KeyN, ctrl)
	h.mustShow("Question 2 of 5")
	h.tap("Type an answer instead")
	h.typeText("half an answer")
	h.press(fyne.KeyN, ctrl)
	h.mustShow("Question 3 of 5")
	if strings.Contains(h.text(), "half an answer") {
		t.Fatal("the box of the previous question is still shown")
	}
	h.tap("Type an answer instead")
	h.typeText(answerBetter)
	h.press(fyne.KeyTab, 0)
	if e, ok := h.focused().(*textBox); !ok || !strings.HasPrefix(e.PlaceHolder, "auto") {
		t.Fatalf("Tab from the answer box focused %T, want the speaking-time box", h.focused())
	}
	h.typeText("40")
	h.press(fyne.KeyEnter, ctrl)
	h.mustShow("Attempt 1")
	if n := len(f.sessions[0].results); n != 2 {
		t.Fatalf("%d answers saved, want 2", n)
	}
	// Ctrl+R from inside a box opened over that answer: a fresh take.
	h.tap("Edit transcript")
	if _, ok := h.focused().(*answerEntry); !ok {
		t.Fatalf("focus is on %T, want the answer box", h.focused())
	}
	h.press(fyne.KeyR, ctrl)
	h.mustShow("Retake: ready when you are")
	if h.u.practice.shown != nil {
		t.Fatal("Ctrl+R in the answer box did not start a retake")
	}
}

// A screen that was replaced keeps no focus: Space on the question screen
// must record, not open the setup screen's Field list behind it.
func TestReplacedScreenTakesNoKeys(t *testing.T) {
	f := newFake()
	f.settings.KeepRecordings = true
	h := newHarness(t, f, nil)
	h.tap("Start a practice session")
	h.act(func() {
		h.entry("Role or title").SetText("Support lead")
		h.w.Canvas().Focus(h.u.setup.field)
	})
	// A mouse click on a button leaves the focus where it was in Fyne's
	// desktop driver (unlike test.Tap), so the Field list keeps it.
	h.act(func() { h.u.setup.start.OnTapped() })
	if got := h.screen(); got != "practice" {
		t.Fatalf("screen = %q, want practice", got)
	}
	if fo := h.focused(); fo != nil {
		t.Errorf("%T of the setup screen still has the focus on the question screen", fo)
	}
	h.pressNoWait(fyne.KeySpace, 0)
	h.mu.Lock()
	overlay := h.w.Canvas().Overlays().Top()
	h.mu.Unlock()
	if overlay != nil {
		t.Fatalf("Space opened %T over the question screen", overlay)
	}
	h.waitFor("recording", func() bool { return h.u.practice.recording })
	h.pressNoWait(fyne.KeySpace, 0)
	h.waitFor("the analysed answer", func() bool { return h.u.practice.shown != nil && !h.u.practice.stopping })
	h.settle()
}

// The window's shortcuts work while a text box has the focus.
func TestShortcutsFromTextBoxes(t *testing.T) {
	t.Run("Ctrl+Enter submits the typed answer", func(t *testing.T) {
		h := newHarness(t, newFake(), nil)
		startSession(t, h, "Backend engineer", "")
		h.tap("Type an answer instead")
		h.typeText(answerBetter)
		h.press(fyne.KeyReturn, ctrl)
		h.mustShow("Attempt 1")
	})
	t.Run("Ctrl+N in the answer box", func(t *testing.T) {
		h := newHarness(t, newFake(), nil)
		startSession(t, h, "Backend engineer", "")
		h.tap("Type an answer instead")
		h.typeText("half an answer")
		h.press(fyne.KeyN, ctrl)
		h.mustShow("Question 2 of 5")
	})
	t.Run("Ctrl+H in the role box", func(t *testing.T) {
		h := newHarness(t, newFake(), nil)
		h.tap("Start a practice session")
		h.act(func() { h.w.Canvas().Focus(h.u.setup.title) })
		h.typeText("Nurse")
		h.press(fyne.KeyH, ctrl)
		if got := h.screen(); got != "home" {
			t.Fatalf("screen = %q after Ctrl+H in the role box, want home", got)
		}
	})
}
