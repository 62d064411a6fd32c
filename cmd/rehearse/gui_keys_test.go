package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// openSecurity opens Settings › Security in the window.
func (h *guiHarness) openSecurity() {
	h.t.Helper()
	h.tap("Settings")
	h.waitShow("Security")
	found := false
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(*container.AppTabs); ok {
				for _, it := range tabs.Items {
					if it.Text == "Security" {
						tabs.Select(it)
						found = true
					}
				}
			}
		}
	})
	if !found {
		h.t.Fatalf("no Security tab; the window shows:\n%s", h.screen())
	}
}

// opensWith says whether pass alone (nil: the keyring alone) opens the
// store of g and finds the session titled title in it.
func opensWith(t *testing.T, g cli.Global, pass []byte, title string) bool {
	t.Helper()
	ask := vault.NoAsker
	if pass != nil {
		ask = func(context.Context, vault.Prompt) ([]byte, error) { return append([]byte(nil), pass...), nil }
	}
	v, err := (&local.Data{Now: time.Now}).Vault(g, ask)
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Open(context.Background())
	if err != nil {
		return false
	}
	defer s.Close()
	list, err := s.ListSessions(context.Background(), rehearse.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.Title == title {
			return true
		}
	}
	return false
}

func keyStatus(t *testing.T, g cli.Global) vault.Status {
	t.Helper()
	v, err := (&local.Data{Now: time.Now}).Vault(g, vault.NoAsker)
	if err != nil {
		t.Fatal(err)
	}
	st, err := v.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestGUIKeySettingsNoKeyring changes the passphrase and sets a recovery
// passphrase from Settings › Security of a real SQLCipher store with no
// keyring: a wrong current passphrase changes nothing and the window goes
// on working; afterwards only the new passphrase and the recovery
// passphrase open the store.
func TestGUIKeySettingsNoKeyring(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	const title = "Keys " + guiCanary
	data := filepath.Join(t.TempDir(), "data")
	g := cli.Global{DataDir: data}
	seedGUIStore(t, cli.Global{DataDir: data, PassphraseFile: passFile(t, "the first passphrase\n")}, title)

	h := openGUI(t, g)
	h.waitShow("[Unlock]")
	h.setEntry("Passphrase", "the first passphrase")
	h.tap("Unlock")
	h.waitShow("Recent sessions", title)
	h.openSecurity()
	h.waitShow("Your passphrase unlocks the key", "No recovery passphrase is set", "No OS keyring answers on this computer")
	if b := h.findButton("Keep the key in the OS keyring…"); b == nil || !b.Disabled() {
		t.Fatal("the move to the keyring is offered on a computer without one")
	}

	h.tap("Change passphrase…")
	h.setEntry("Current passphrase", "not the passphrase")
	h.setEntry("New passphrase", "short")
	h.setEntry("Type the new passphrase again", "short")
	h.tap("Change passphrase")
	h.waitShow("Use at least 8 characters.")
	h.setEntry("New passphrase", "a second passphrase")
	h.setEntry("Type the new passphrase again", "a second passphrase")
	h.waitShow("Strength: ")
	h.tap("Change passphrase")
	h.waitShow("That is not your current passphrase. Nothing was changed")
	// The store was closed and opened again around the failed change: the
	// window still works on it, with the old key.
	if _, err := h.deps.History.Sessions(context.Background(), rehearse.SessionFilter{}); err != nil {
		t.Fatalf("the store does not work after a failed change: %v", err)
	}
	h.setEntry("Current passphrase", "the first passphrase")
	h.tap("Change passphrase")
	h.waitShow("The passphrase is changed.")

	h.tap("Set a recovery passphrase…")
	h.setEntry("Current passphrase", "a second passphrase")
	h.setEntry("New recovery passphrase", "words kept in the drawer")
	h.setEntry("Type the recovery passphrase again", "words kept in the drawer")
	h.tap("Save recovery passphrase")
	h.waitShow("The recovery passphrase is saved.", "A recovery passphrase is set", "with a recovery passphrase")

	// The window keeps working on the store opened with the new key.
	h.tap("History")
	h.waitShow(title)
	h.close()

	st := keyStatus(t, g)
	if !st.Passphrase || !st.Recovery || st.Keyring {
		t.Fatalf("key custody after the changes: %+v", st)
	}
	if opensWith(t, g, []byte("the first passphrase"), title) {
		t.Fatal("the old passphrase still opens the store")
	}
	if !opensWith(t, g, []byte("a second passphrase"), title) || !opensWith(t, g, []byte("words kept in the drawer"), title) {
		t.Fatal("the new passphrase or the recovery passphrase does not open the store")
	}
}

// TestGUIKeySettingsKeyring moves the key of a real store from the real
// Secret Service to a passphrase and back, from the window, each move
// confirmed first.
func TestGUIKeySettingsKeyring(t *testing.T) {
	if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") == "" {
		t.Skip("no Secret Service in this environment: run under `bash .ci/with-services.sh`")
	}
	kdf := vault.DefaultKDF
	vault.DefaultKDF = vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}
	t.Cleanup(func() { vault.DefaultKDF = kdf })
	t.Setenv("REHEARSE_PASSPHRASE_FILE", "")
	const title = "Keyring " + guiCanary
	g := cli.Global{DataDir: filepath.Join(t.TempDir(), "data")}
	seedGUIStore(t, g, title)
	if st := keyStatus(t, g); !st.Keyring || !st.KeyringOK {
		t.Fatalf("the seeded store is not in the keyring: %+v", st)
	}

	h := openGUI(t, g)
	h.waitShow("Recent sessions", title)
	h.openSecurity()
	h.waitShow("The OS keyring keeps the key")
	h.tap("Use a passphrase instead…")
	if strings.Contains(h.screen(), "Current passphrase") {
		t.Fatal("a current passphrase is asked for while the keyring holds the key")
	}
	h.setEntry("New passphrase", "now a passphrase")
	h.setEntry("Type the new passphrase again", "now a passphrase")
	h.tap("Use this passphrase")
	h.waitShow("Move the key out of the OS keyring?")
	h.tap("Keep the keyring")
	if st := keyStatus(t, g); !st.Keyring {
		t.Fatalf("the key moved without confirmation: %+v", st)
	}
	h.tap("Use this passphrase")
	h.waitShow("Move the key out of the OS keyring?")
	h.tap("Use the passphrase")
	h.waitShow("The key is no longer in the OS keyring", "Your passphrase unlocks the key")
	if st := keyStatus(t, g); st.Keyring || !st.Passphrase {
		t.Fatalf("key custody after the move to a passphrase: %+v", st)
	}

	h.tap("Keep the key in the OS keyring…")
	h.setEntry("Current passphrase", "now a passphrase")
	h.tap("Move the key to the keyring")
	h.waitShow("Keep the key in the OS keyring?")
	h.tap("Move the key")
	h.waitShow("The OS keyring now keeps the key")
	h.tap("History")
	h.waitShow(title)
	h.close()

	if st := keyStatus(t, g); !st.Keyring || !st.KeyringOK || st.Passphrase {
		t.Fatalf("key custody after the move back to the keyring: %+v", st)
	}
	if !opensWith(t, g, nil, title) {
		t.Fatal("the keyring alone does not open the store")
	}
}
