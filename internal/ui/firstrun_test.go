package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// createCalls records what the create screen asked for.
type createCalls struct{ pass, recovery []string }

func (c *createCalls) create(_ context.Context, pass, recovery string) error {
	c.pass = append(c.pass, pass)
	c.recovery = append(c.recovery, recovery)
	return nil
}

func (h *harness) check(prefix string) {
	h.t.Helper()
	h.act(func() {
		for _, o := range h.objects() {
			if c, ok := o.(*widget.Check); ok && strings.HasPrefix(c.Text, prefix) {
				c.SetChecked(true)
				return
			}
		}
		h.t.Fatalf("no check box %q; window shows:\n%s", prefix, h.text())
	})
}

// A brand-new store without a keyring is a choice of a new passphrase, not
// a lock screen: asked twice, with its strength, what forgetting it means,
// a recovery passphrase, and mistakes named in plain words.
func TestFirstRunWithoutKeyringChoosesPassphrase(t *testing.T) {
	f := newFake()
	var calls createCalls
	h := newHarness(t, f, func(d *Deps) {
		d.OpenErr = rehearse.ErrPassphraseNeeded
		d.NewStore = true
		d.FirstRun = true
		d.Unlock = f.unlock
		d.Create = calls.create
	})
	if got := h.screen(); got != "create" {
		t.Fatalf("screen = %q, want create; window shows:\n%s", got, h.text())
	}
	for _, s := range []string{"Choose a passphrase for your new practice store", "cannot be recovered", "recovery passphrase"} {
		h.mustShow(s)
	}
	if h.shows("Unlock") {
		t.Fatalf("a new store is offered as a lock screen:\n%s", h.text())
	}

	h.act(func() { h.entry("New passphrase").SetText("abc") })
	h.mustShow("Strength: Too short")
	h.tap("Create my practice store")
	h.mustShow("Use at least 8 characters.")

	h.act(func() {
		h.entry("New passphrase").SetText("paper lamp river quietly")
		h.entry("Type the new passphrase again").SetText("paper lamp river quiet")
	})
	h.mustShow("Strength: Good")
	h.tap("Create my practice store")
	h.mustShow("The two passphrases differ.")
	if len(calls.pass) != 0 {
		t.Fatalf("created with a mistake on the screen: %q", calls.pass)
	}

	h.act(func() { h.entry("Type the new passphrase again").SetText("paper lamp river quietly") })
	h.check("Also set a recovery passphrase")
	h.act(func() {
		h.entry("Recovery passphrase").SetText("kept in the drawer at home")
		h.entry("Type the recovery passphrase again").SetText("kept in the drawer at home")
	})
	h.tap("Create my practice store")
	if len(calls.pass) != 1 || calls.pass[0] != "paper lamp river quietly" || calls.recovery[0] != "kept in the drawer at home" {
		t.Fatalf("create calls %+v", calls)
	}
	if got := h.screen(); got != "first-run" {
		t.Fatalf("screen = %q after creating, want first-run", got)
	}
}

// After a wipe with no keyring there is no store until a new passphrase
// is chosen: the window goes back to choosing one, then to the welcome
// screen, never to a Home that cannot load.
func TestDeleteEverythingWithoutKeyringReturnsToFirstRun(t *testing.T) {
	f := newFake()
	seed(t, f, "Designer")
	var calls createCalls
	wiped := false
	h := newHarness(t, f, func(d *Deps) {
		d.Create = calls.create
		d.State = func(context.Context) StoreState {
			if wiped && len(calls.pass) == 0 {
				return StoreState{Err: rehearse.ErrPassphraseNeeded, New: true}
			}
			return StoreState{}
		}
	})
	h.tap("Privacy")
	h.tap("Delete everything…")
	wiped = true
	h.tap("Delete everything")
	if got := h.screen(); got != "create" {
		t.Fatalf("screen = %q after the wipe, want create; window shows:\n%s", got, h.text())
	}
	h.mustShow("Everything was deleted")
	h.act(func() {
		h.entry("New passphrase").SetText("a brand new passphrase")
		h.entry("Type the new passphrase again").SetText("a brand new passphrase")
	})
	h.tap("Create my practice store")
	if got := h.screen(); got != "first-run" {
		t.Fatalf("screen = %q after choosing a passphrase, want first-run", got)
	}
}

func TestPassphraseStrength(t *testing.T) {
	for _, tc := range []struct {
		pass, want string
	}{
		{"", "Too short"},
		{"abc1234", "Too short"},
		{"        x", "Too short"},
		{"password", "Weak"},
		{"aaaaaaaaaaaa", "Weak"},
		{"abcdefgh12345678", "Weak"},
		{"tr0ub4dor", "Fair"},
		{"paper lamp river quietly", "Good"},
		{"Paper-lamp 7 river Quietly!", "Strong"},
	} {
		if got := passphraseStrength(tc.pass).Label; got != tc.want {
			t.Errorf("strength(%q) = %q (%.0f bits), want %q", tc.pass, got, passphraseStrength(tc.pass).Bits, tc.want)
		}
	}
	if m := checkNewPassphrases("short", "short"); m != "Use at least 8 characters." {
		t.Errorf("short: %q", m)
	}
	if m := checkNewPassphrases("long enough", "long enougH"); !strings.HasPrefix(m, "The two passphrases differ") {
		t.Errorf("differ: %q", m)
	}
	if m := checkNewPassphrases("long enough", "long enough"); m != "" {
		t.Errorf("fine: %q", m)
	}
}
