package vault

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// forgetful is a keyring that accepts every secret and keeps none.
type forgetful struct{ memKeyring }

func (k *forgetful) Set(context.Context, string, []byte) error { return nil }

// passphraseKeys is a passphrase-only store (no keyring) holding one
// session titled title, and its key custody for the window.
func passphraseKeys(t *testing.T, kr Keyring, pass, title string) Keys {
	t.Helper()
	l := testLayout(t)
	ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass}}
	s, err := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF}).Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, title, "x")
	s.Close()
	return Keys{Options: Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: NoAsker, KDF: testKDF}}
}

// opensWith says whether pass (nil: the keyring alone) opens the store and
// finds the session titled title in it.
func opensWith(t *testing.T, k Keys, pass []byte, title string) bool {
	t.Helper()
	s, err := k.Open(context.Background(), pass)
	if err != nil {
		return false
	}
	defer s.Close()
	got := mustTitles(t, s)
	return len(got) == 1 && got[0] == title
}

func TestKeysChangesFromTheWindow(t *testing.T) {
	ctx := context.Background()
	k := passphraseKeys(t, nil, "the first passphrase", "Kept")
	old, next, rec := []byte("the first passphrase"), []byte("a second passphrase"), []byte("words in the drawer")

	// A wrong current passphrase changes nothing.
	if err := k.SetPassphrase(ctx, []byte("not the passphrase"), next); !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("wrong current passphrase: %v", err)
	}
	// A too-short new one is refused before anything is touched.
	var ie *rehearse.InputError
	if err := k.SetPassphrase(ctx, old, []byte("short")); !errors.As(err, &ie) {
		t.Fatalf("short passphrase: %v", err)
	}
	if !opensWith(t, k, old, "Kept") || opensWith(t, k, next, "Kept") {
		t.Fatal("a refused change altered the key custody")
	}

	if err := k.SetPassphrase(ctx, old, next); err != nil {
		t.Fatal(err)
	}
	if opensWith(t, k, old, "Kept") || !opensWith(t, k, next, "Kept") {
		t.Fatal("after the change only the new passphrase should open the store")
	}
	if err := k.SetRecovery(ctx, next, rec); err != nil {
		t.Fatal(err)
	}
	if !opensWith(t, k, rec, "Kept") {
		t.Fatal("the recovery passphrase does not open the store")
	}
	if err := k.SetRecovery(ctx, next, []byte("other words, replaced")); err != nil {
		t.Fatal(err)
	}
	if opensWith(t, k, rec, "Kept") || !opensWith(t, k, []byte("other words, replaced"), "Kept") {
		t.Fatal("the replaced recovery passphrase still opens the store, or the new one does not")
	}
	if k.KeyringAvailable(ctx) {
		t.Fatal("no keyring, yet one is said to be available")
	}
	if err := k.UseKeyring(ctx, next); !errors.Is(err, rehearse.ErrNoKeyring) {
		t.Fatalf("use keyring without one: %v", err)
	}
	if !opensWith(t, k, next, "Kept") {
		t.Fatal("a failed move to the keyring lost the passphrase")
	}
}

// TestUseKeyringThatLosesTheKey: a keyring that accepts the key but does
// not keep it must not cost the passphrase, the only other way in.
func TestUseKeyringThatLosesTheKey(t *testing.T) {
	ctx := context.Background()
	kr := &forgetful{memKeyring{m: map[string][]byte{}}}
	k := passphraseKeys(t, kr, "the only passphrase", "Kept")
	if !k.KeyringAvailable(ctx) {
		t.Fatal("the keyring answers, yet it is said to be unavailable")
	}
	err := k.UseKeyring(ctx, []byte("the only passphrase"))
	if err == nil || !strings.Contains(err.Error(), "still opens the store") {
		t.Fatalf("use a forgetful keyring: %v", err)
	}
	st, err := k.Status(ctx)
	if err != nil || !st.Passphrase || st.Keyring {
		t.Fatalf("custody after the failed move: %+v, %v", st, err)
	}
	if !opensWith(t, k, []byte("the only passphrase"), "Kept") {
		t.Fatal("the passphrase no longer opens the store")
	}
}

// TestKeysMoveWithSecretService moves the key out of the real OS keyring
// and back, from the window's side.
func TestKeysMoveWithSecretService(t *testing.T) {
	kr := secretService(t)
	ctx := context.Background()
	k := passphraseKeys(t, kr, "the first passphrase", "Kept")
	if !k.KeyringAvailable(ctx) {
		t.Fatal("the Secret Service is said to be unavailable")
	}
	if err := k.UseKeyring(ctx, []byte("the first passphrase")); err != nil {
		t.Fatal(err)
	}
	if st, _ := k.Status(ctx); !st.Keyring || !st.KeyringOK || st.Passphrase {
		t.Fatalf("custody after the move to the keyring: %+v", st)
	}
	if !opensWith(t, k, nil, "Kept") {
		t.Fatal("the keyring alone does not open the store")
	}
	if err := k.SetPassphrase(ctx, nil, []byte("back to a passphrase")); err != nil {
		t.Fatal(err)
	}
	if st, _ := k.Status(ctx); st.Keyring || !st.Passphrase {
		t.Fatalf("custody after the move to a passphrase: %+v", st)
	}
	if opensWith(t, k, nil, "Kept") || !opensWith(t, k, []byte("back to a passphrase"), "Kept") {
		t.Fatal("after the move only the new passphrase should open the store")
	}
}
