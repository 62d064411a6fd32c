package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keyboard rules of the window:
//
//   - Tab and Shift+Tab move the focus to the next or previous control,
//     also out of multi-line boxes (as in the text boxes of a form); so do
//     Ctrl+Tab and Ctrl+Shift+Tab. No box takes a tab character.
//   - The window's shortcuts (Ctrl+N next question, Ctrl+R retake, Ctrl+H
//     home, Ctrl+Enter submit the typed answer) work whatever has the focus,
//     text boxes included: Fyne hands a shortcut to the focused widget
//     instead of the window, so every text box passes them on.
//   - Space records when no control has the focus; a focused button takes
//     Space as a press, a text box as a space.
//   - A screen that is no longer shown holds no focus, so none of its
//     controls takes keys meant for the screen in front.

// installKeys registers the window's shortcuts and the Space key.
func (u *UI) installKeys() {
	c := u.win.Canvas()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeySpace && u.onSpace != nil {
			u.onSpace()
		}
	})
	u.keys = map[string]func(){}
	add := func(k fyne.KeyName, mod fyne.KeyModifier, f func()) {
		s := &desktop.CustomShortcut{KeyName: k, Modifier: mod}
		u.keys[s.ShortcutName()] = f
		c.AddShortcut(s, func(fyne.Shortcut) { f() })
	}
	call := func(f func() func()) func() {
		return func() {
			if g := f(); g != nil {
				g()
			}
		}
	}
	ctrl := fyne.KeyModifierShortcutDefault
	add(fyne.KeyN, ctrl, call(func() func() { return u.onNext }))
	add(fyne.KeyR, ctrl, call(func() func() { return u.onRetake }))
	add(fyne.KeyH, ctrl, u.showHome)
	submit := call(func() func() { return u.onSubmit })
	add(fyne.KeyReturn, ctrl, submit)
	add(fyne.KeyEnter, ctrl, submit)
	add(fyne.KeyTab, fyne.KeyModifierControl, c.FocusNext)
	add(fyne.KeyTab, fyne.KeyModifierControl|fyne.KeyModifierShift, c.FocusPrevious)
}

// windowShortcut runs s when it is one of the window's shortcuts.
func (u *UI) windowShortcut(s fyne.Shortcut) bool {
	f, ok := u.keys[s.ShortcutName()]
	if ok {
		f()
	}
	return ok
}

// textBox is the window's text entry: Tab leaves it, and the window's
// shortcuts work while it has the focus.
type textBox struct {
	widget.Entry
	u *UI
}

func (u *UI) newEntry() *textBox {
	e := &textBox{u: u}
	e.ExtendBaseWidget(e)
	return e
}

func (u *UI) newMultiLineEntry() *textBox {
	e := &textBox{u: u}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false so that Tab moves the focus on.
func (e *textBox) AcceptsTab() bool { return false }

// TypedShortcut gives the window's shortcuts to the window and the rest
// (copy, paste, undo, word moves) to the entry.
func (e *textBox) TypedShortcut(s fyne.Shortcut) {
	if e.u != nil && e.u.windowShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}
