package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/container"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeKeys is key custody in memory: the passphrase in use, whether the
// keyring holds the key, and the recovery passphrase.
type fakeKeys struct {
	mu        sync.Mutex
	keyring   bool
	available bool
	pass, rec string
	calls     []string
}

func (k *fakeKeys) KeyCustody(context.Context) (practice.KeyCustody, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return practice.KeyCustody{Keyring: k.keyring, Passphrase: !k.keyring, Recovery: k.rec != "", KeyringAvailable: k.available}, nil
}

// unlock checks current as the vault does: the keyring needs none.
func (k *fakeKeys) unlock(current string) error {
	if !k.keyring && current != k.pass {
		return fmt.Errorf("%w: wrong passphrase", rehearse.ErrCannotUnlock)
	}
	return nil
}

func (k *fakeKeys) SetPassphrase(_ context.Context, current, pass string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "passphrase")
	if err := k.unlock(current); err != nil {
		return err
	}
	k.keyring, k.pass = false, pass
	return nil
}

func (k *fakeKeys) SetRecovery(_ context.Context, current, rec string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "recovery")
	if err := k.unlock(current); err != nil {
		return err
	}
	k.rec = rec
	return nil
}

func (k *fakeKeys) UseKeyring(_ context.Context, current string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, "keyring")
	if err := k.unlock(current); err != nil {
		return err
	}
	if !k.available {
		return rehearse.ErrNoKeyring
	}
	k.keyring, k.pass = true, ""
	return nil
}

// openSecurity opens Settings › Security.
func openSecurity(t *testing.T, h *harness) {
	t.Helper()
	h.tap("Settings")
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(*container.AppTabs); ok {
				for _, it := range tabs.Items {
					if it.Text == "Security" {
						tabs.Select(it)
						return
					}
				}
			}
		}
		t.Fatal("no Security tab")
	})
	h.settle()
}

func (h *harness) fill(ph, text string) { h.act(func() { h.entry(ph).SetText(text) }) }

func TestKeySettingsPassphrase(t *testing.T) {
	k := &fakeKeys{pass: "the first passphrase"}
	h := newHarness(t, newFake(), func(d *Deps) { d.Keys = k })
	openSecurity(t, h)
	h.mustShow("Your passphrase unlocks the key")
	h.mustShow("No recovery passphrase is set")
	if !h.button("Keep the key in the OS keyring…").Disabled() {
		t.Fatal("the keyring move is offered without a keyring")
	}
	h.mustShow("No OS keyring answers on this computer")

	h.tap("Change passphrase…")
	tests := []struct {
		current, pass, again string
		want                 string
	}{
		{"", "a second passphrase", "a second passphrase", "Enter your current passphrase first."},
		{"the first passphrase", "short", "short", "Use at least 8 characters."},
		{"the first passphrase", "a second passphrase", "a second passphrasf", "The two passphrases differ."},
		{"not the passphrase", "a second passphrase", "a second passphrase", "That is not your current passphrase. Nothing was changed"},
	}
	for _, tt := range tests {
		h.fill("Current passphrase", tt.current)
		h.fill("New passphrase", tt.pass)
		h.fill("Type the new passphrase again", tt.again)
		h.tap("Change passphrase")
		h.mustShow(tt.want)
		if strings.Contains(h.text(), "too short:") {
			t.Fatalf("an internal message is shown:\n%s", h.text())
		}
	}
	if k.pass != "the first passphrase" {
		t.Fatalf("a refused change altered the passphrase to %q", k.pass)
	}
	h.mustShow("Strength: Fair")

	h.fill("Current passphrase", "the first passphrase")
	h.tap("Change passphrase")
	h.mustShow("The passphrase is changed.")
	if k.pass != "a second passphrase" {
		t.Fatalf("passphrase = %q", k.pass)
	}

	h.tap("Set a recovery passphrase…")
	h.fill("Current passphrase", "a second passphrase")
	h.fill("New recovery passphrase", "a second passphrase")
	h.fill("Type the recovery passphrase again", "a second passphrase")
	h.tap("Save recovery passphrase")
	h.mustShow("Choose a recovery passphrase that differs from the passphrase.")
	h.fill("New recovery passphrase", "words kept in the drawer")
	h.fill("Type the recovery passphrase again", "words kept in the drawer")
	h.tap("Save recovery passphrase")
	h.mustShow("The recovery passphrase is saved.")
	h.mustShow("A recovery passphrase is set")
	h.button("Replace the recovery passphrase…")
	if k.rec != "words kept in the drawer" {
		t.Fatalf("recovery = %q", k.rec)
	}
}

func TestKeySettingsMovesConfirmed(t *testing.T) {
	k := &fakeKeys{pass: "the first passphrase", available: true}
	h := newHarness(t, newFake(), func(d *Deps) { d.Keys = k })
	openSecurity(t, h)

	h.tap("Keep the key in the OS keyring…")
	h.fill("Current passphrase", "the first passphrase")
	h.tap("Move the key to the keyring")
	h.mustShow("Keep the key in the OS keyring?")
	h.tap("Keep the passphrase")
	if len(k.calls) != 0 || k.keyring {
		t.Fatalf("the move ran without confirmation: %v", k.calls)
	}
	h.tap("Move the key to the keyring")
	h.tap("Move the key")
	h.mustShow("The OS keyring now keeps the key")
	h.mustShow("The OS keyring keeps the key: Rehearse opens without asking")
	if !k.keyring {
		t.Fatal("the key did not move to the keyring")
	}

	h.tap("Use a passphrase instead…")
	if h.shows("Current passphrase") {
		t.Fatal("the keyring holds the key, yet a current passphrase is asked for")
	}
	h.fill("New passphrase", "back to a passphrase")
	h.fill("Type the new passphrase again", "back to a passphrase")
	h.tap("Use this passphrase")
	h.mustShow("Move the key out of the OS keyring?")
	h.tap("Keep the keyring")
	if !k.keyring {
		t.Fatal("the move ran without confirmation")
	}
	h.tap("Use this passphrase")
	h.tap("Use the passphrase")
	h.mustShow("The key is no longer in the OS keyring")
	if k.keyring || k.pass != "back to a passphrase" {
		t.Fatalf("custody: keyring %v pass %q", k.keyring, k.pass)
	}
}

// TestKeySettingsScreenshot is the form that moves the key from the OS
// keyring to a passphrase, as it looks with a mistyped repetition.
func TestKeySettingsScreenshot(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	k := &fakeKeys{keyring: true, available: true, rec: "words kept in the drawer"}
	h := newHarness(t, newFake(), func(d *Deps) { d.Keys = k })
	openSecurity(t, h)
	h.tap("Use a passphrase instead…")
	h.fill("New passphrase", "paper lamp river quietly")
	h.fill("Type the new passphrase again", "paper lamp river quietl")
	h.tap("Use this passphrase")
	h.mustShow("The two passphrases differ.")
	h.settle()
	compareGolden(t, "settings-key", h.capture())
}

// TestKeySettingsChoicesScreenshot is Settings › Security with the key
// under a passphrase and a keyring available.
func TestKeySettingsChoicesScreenshot(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	k := &fakeKeys{pass: "the first passphrase", available: true}
	f := newFake()
	h := newHarness(t, f, func(d *Deps) {
		d.Keys = k
		d.Data = passphraseData{f}
	})
	openSecurity(t, h)
	h.mustShow("Change passphrase…")
	compareGolden(t, "settings-security", h.capture())
}

// passphraseData says the key is under a passphrase, as fakeKeys has it.
type passphraseData struct{ *fakeBackend }

func (d passphraseData) Stats(ctx context.Context) (DataStats, error) {
	st, err := d.fakeBackend.Stats(ctx)
	st.KeyLocation = "wrapped by your passphrase (Argon2id); never stored in clear"
	return st, err
}

// TestKeySettingsKeyboard: the form takes the keys when it opens, and
// Enter in a box submits it.
func TestKeySettingsKeyboard(t *testing.T) {
	k := &fakeKeys{pass: "the first passphrase"}
	h := newHarness(t, newFake(), func(d *Deps) { d.Keys = k })
	openSecurity(t, h)
	h.tap("Set a recovery passphrase…")
	h.act(func() {
		if h.w.Canvas().Focused() != h.entry("Current passphrase") {
			t.Fatalf("focus is on %T, not the first box", h.w.Canvas().Focused())
		}
	})
	h.fill("Current passphrase", "the first passphrase")
	h.fill("New recovery passphrase", "words kept in the drawer")
	h.fill("Type the recovery passphrase again", "words kept in the drawer")
	h.act(func() { h.entry("Type the recovery passphrase again").OnSubmitted("") })
	h.mustShow("The recovery passphrase is saved.")
	if k.rec != "words kept in the drawer" {
		t.Fatalf("recovery = %q", k.rec)
	}
}
