package ui

import (
	"context"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// harness drives the window headlessly. Background work reaches the
// widgets through h.do, which takes the same lock as the test's own
// actions, exactly as fyne.Do serialises them onto the UI goroutine in the
// app.
type harness struct {
	t  testing.TB
	f  *fakeBackend
	u  *UI
	w  fyne.Window
	mu sync.Mutex
}

func newHarness(t testing.TB, f *fakeBackend, mod func(*Deps)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	h := &harness{t: t, f: f}
	deps := f.deps()
	if mod != nil {
		mod(&deps)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.mu.Lock()
	h.w = test.NewWindow(widget.NewLabel(""))
	h.w.Resize(defaultSize)
	h.u = newUI(ctx, a, h.w, deps, h.do)
	h.mu.Unlock()
	t.Cleanup(func() {
		cancel()
		h.settle()
		h.w.Close()
	})
	h.settle()
	return h
}

func (h *harness) do(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// settle waits for background work to finish.
func (h *harness) settle() {
	h.t.Helper()
	done := make(chan struct{})
	go func() { h.u.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		h.t.Fatal("background work did not finish within 20 s")
	}
}

// act runs f as a user action and waits for the work it started.
func (h *harness) act(f func()) {
	h.t.Helper()
	h.mu.Lock()
	f()
	h.mu.Unlock()
	h.settle()
}

// actNoWait runs f as a user action without waiting (recording in progress).
func (h *harness) actNoWait(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// waitFor polls cond (under the lock) until it holds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		h.mu.Lock()
		ok := cond()
		h.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("timed out waiting for %s; window shows:\n%s", what, h.text())
}

// objects lists every visible object of the window and its overlays.
func (h *harness) objects() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walkObj func(o fyne.CanvasObject)
	walkObj = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		switch o.(type) {
		case *widget.Label, *widget.RichText, *widget.Button, *widget.Entry, *widget.Select, *widget.Check, *answerEntry, *textBox:
			return // leaves: their insides repeat their text
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				walkObj(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				walkObj(ch)
			}
		}
	}
	walkObj(h.w.Canvas().Content())
	for _, o := range h.w.Canvas().Overlays().List() {
		walkObj(o)
	}
	return out
}

// text is everything the window shows, one item a line.
func (h *harness) text() string {
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
		case *widget.Select:
			b.WriteString("<" + v.Selected + ">\n")
		}
	}
	return b.String()
}

func (h *harness) shows(s string) bool { return strings.Contains(h.text(), s) }

func (h *harness) mustShow(s string) {
	h.t.Helper()
	h.mu.Lock()
	ok := h.shows(s)
	h.mu.Unlock()
	if !ok {
		h.t.Fatalf("window does not show %q; it shows:\n%s", s, h.text())
	}
}

func (h *harness) button(label string) *widget.Button {
	h.t.Helper()
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			return b
		}
	}
	for _, o := range h.objects() {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, label) {
			return b
		}
	}
	h.t.Fatalf("no button %q; window shows:\n%s", label, h.text())
	return nil
}

// tap presses the visible button labelled label (or, failing that, the
// first whose label starts with it).
func (h *harness) tap(label string) {
	h.t.Helper()
	h.act(func() {
		b := h.button(label)
		if b.Disabled() {
			h.t.Fatalf("button %q is disabled", label)
		}
		test.Tap(b)
	})
}

// entries returns the visible entries in order.
func (h *harness) entries() []*widget.Entry {
	var out []*widget.Entry
	for _, o := range h.objects() {
		switch e := o.(type) {
		case *widget.Entry:
			out = append(out, e)
		case *answerEntry:
			out = append(out, &e.Entry)
		case *textBox:
			out = append(out, &e.Entry)
		}
	}
	return out
}

// answerBox is the visible typed-answer box.
func (h *harness) answerBox() *answerEntry {
	h.t.Helper()
	for _, o := range h.objects() {
		if e, ok := o.(*answerEntry); ok {
			return e
		}
	}
	h.t.Fatal("no answer box")
	return nil
}

// entry returns the visible entry whose placeholder starts with ph.
func (h *harness) entry(ph string) *widget.Entry {
	h.t.Helper()
	for _, e := range h.entries() {
		if strings.HasPrefix(e.PlaceHolder, ph) {
			return e
		}
	}
	h.t.Fatalf("no entry with placeholder %q", ph)
	return nil
}

func (h *harness) shortcut(k fyne.KeyName) {
	h.act(func() {
		h.w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	})
}

func (h *harness) space() {
	h.actNoWait(func() { h.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace}) })
}

func (h *harness) screen() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.u.screen
}

// capture draws the window with Fyne's software painter. Like the OpenGL
// driver's minimum-size pass before each frame, it first lays the tree
// out again so that text which changed after the first layout gets room.
func (h *harness) capture() image.Image {
	h.mu.Lock()
	defer h.mu.Unlock()
	for range 3 {
		relayout(h.w.Canvas().Content())
		for _, o := range h.w.Canvas().Overlays().List() {
			relayout(o)
		}
	}
	return h.w.Canvas().Capture()
}

func relayout(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, ch := range c.Objects {
			relayout(ch)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		r.Layout(c.Size())
		for _, ch := range r.Objects() {
			relayout(ch)
		}
	}
}
