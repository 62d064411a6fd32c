package vault

import (
	"context"
	"errors"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Keys opens the store of one data folder for the practice core, with a
// passphrase the user typed (in the window) or, without one, asking as
// Options.Ask does. What was typed comes first, so that unlocking in the
// window works when a passphrase file is wrong.
type Keys struct {
	Options Options
	// Damaged opens a damaged store read-only (to salvage it).
	Damaged Opener
}

// with is the vault that answers every question with passphrase, when one
// was typed, and otherwise with Options.Ask.
func (k Keys) with(passphrase []byte) *Vault {
	o := k.Options
	if passphrase != nil {
		typed := append([]byte(nil), passphrase...)
		o.Ask = func(context.Context, Prompt) ([]byte, error) { return append([]byte(nil), typed...), nil }
	}
	return New(o)
}

// quiet is the vault that asks nobody: for what needs no key.
func (k Keys) quiet() *Vault {
	o := k.Options
	o.Ask = NoAsker
	return New(o)
}

// Open unlocks and opens the store, creating it on first use.
func (k Keys) Open(ctx context.Context, passphrase []byte) (rehearse.Store, error) {
	return k.with(passphrase).Open(ctx)
}

// Present says whether the database and a key for it exist. When that
// cannot be read, both count as present: nothing is offered to be created
// over what may be there.
func (k Keys) Present(ctx context.Context) (store, key bool) {
	s, err := k.quiet().Status(ctx)
	if err != nil {
		return true, true
	}
	return s.Exists, s.KeyID != ""
}

// Status says where the key lives, without unlocking.
func (k Keys) Status(ctx context.Context) (Status, error) { return k.quiet().Status(ctx) }

// Create makes the store under passphrase (when there is none yet) and
// wraps its key under the recovery passphrase too.
func (k Keys) Create(ctx context.Context, passphrase, recovery []byte) error {
	return k.with(passphrase).SetRecovery(ctx, recovery)
}

// SetPassphrase keeps the key wrapped under pass (and out of the OS
// keyring), or changes that passphrase. current is the passphrase the user
// typed to prove they may (nil when the keyring holds the key). When it
// fails, the key is kept where it was.
func (k Keys) SetPassphrase(ctx context.Context, current, pass []byte) error {
	return k.with(current).SetPassphrase(ctx, pass)
}

// SetRecovery sets or replaces the recovery passphrase (nil removes it);
// current is as for SetPassphrase.
func (k Keys) SetRecovery(ctx context.Context, current, recovery []byte) error {
	return k.with(current).SetRecovery(ctx, recovery)
}

// UseKeyring keeps the key in the OS keyring again and drops the
// passphrase; current is the passphrase that opens the store now.
func (k Keys) UseKeyring(ctx context.Context, current []byte) error {
	return k.with(current).UseKeyring(ctx)
}

// KeyringAvailable says whether the OS keyring answers now, so that the
// key could be kept there.
func (k Keys) KeyringAvailable(ctx context.Context) bool {
	if k.Options.Keyring == nil {
		return false
	}
	_, err := k.Options.Keyring.Get(ctx, "availability-check")
	return err == nil || errors.Is(err, rehearse.ErrNotFound)
}

// StartOver sets a damaged store and its key file aside; nothing is
// deleted. It returns where the store now is.
func (k Keys) StartOver(ctx context.Context) (string, error) {
	rep, err := k.quiet().StartOver(ctx, "damaged")
	return rep.KeptStore, err
}

// OpenDamaged opens a damaged store read-only with k.Damaged.
func (k Keys) OpenDamaged(ctx context.Context, passphrase []byte) (rehearse.Store, error) {
	return k.with(passphrase).OpenDamaged(ctx, k.Damaged)
}

// Wipe destroys the store, its key, caches and settings (and the speech
// models when withModels is true).
func (k Keys) Wipe(ctx context.Context, withModels bool) error {
	_, err := k.quiet().Wipe(ctx, withModels)
	return err
}

// Location says in words where the key is kept, for the privacy screen.
func (s Status) Location() string {
	switch {
	case s.Keyring && s.Recovery:
		return "OS keyring (Secret Service / Keychain / Credential Manager), with a recovery passphrase"
	case s.Keyring:
		return "OS keyring (Secret Service / Keychain / Credential Manager)"
	case s.Passphrase && s.Recovery:
		return "wrapped by your passphrase (Argon2id), with a recovery passphrase; never stored in clear"
	case s.Passphrase:
		return "wrapped by your passphrase (Argon2id); never stored in clear"
	}
	return "not created yet"
}
