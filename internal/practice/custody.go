package practice

import (
	"context"
	"errors"
)

// KeyCustody is where the key of the practice store is kept.
type KeyCustody struct {
	// Keyring: the OS keyring holds the key.
	Keyring bool
	// Passphrase: the key is wrapped under the user's passphrase.
	Passphrase bool
	// Recovery: the key is also wrapped under a recovery passphrase.
	Recovery bool
	// KeyringAvailable: the OS keyring answers now, so the key can move there.
	KeyringAvailable bool
}

// Custody changes where the key of the practice store is kept. Each change
// unlocks the store: current is the passphrase the user typed to prove they
// may (nil when the keyring holds the key). A change that fails leaves the
// key where it was, opened as before.
type Custody interface {
	KeyCustody(ctx context.Context) (KeyCustody, error)
	// SetPassphrase keeps the key under pass, out of the OS keyring, or
	// changes that passphrase.
	SetPassphrase(ctx context.Context, current, pass []byte) error
	// SetRecovery sets or replaces the recovery passphrase.
	SetRecovery(ctx context.Context, current, recovery []byte) error
	// UseKeyring keeps the key in the OS keyring and drops the passphrase.
	UseKeyring(ctx context.Context, current []byte) error
}

// KeyCustody says where the key of the store is kept.
func (a *App) KeyCustody(ctx context.Context) (KeyCustody, error) {
	if a.cfg.Custody == nil {
		return KeyCustody{}, errors.ErrUnsupported
	}
	return a.cfg.Custody.KeyCustody(ctx)
}

// SetPassphrase keeps the key under the new passphrase pass; current is
// the passphrase in use ("" when the keyring holds the key).
func (a *App) SetPassphrase(ctx context.Context, current, pass string) error {
	return a.changeKey(ctx, current, func(cur []byte) error {
		return a.cfg.Custody.SetPassphrase(ctx, cur, []byte(pass))
	}, func([]byte) []byte { return []byte(pass) })
}

// SetRecovery sets or replaces the recovery passphrase; current is as for
// SetPassphrase.
func (a *App) SetRecovery(ctx context.Context, current, recovery string) error {
	if recovery == "" {
		return errors.New("choose a recovery passphrase first")
	}
	return a.changeKey(ctx, current, func(cur []byte) error {
		return a.cfg.Custody.SetRecovery(ctx, cur, []byte(recovery))
	}, nil)
}

// UseKeyring keeps the key in the OS keyring and drops the passphrase
// current.
func (a *App) UseKeyring(ctx context.Context, current string) error {
	return a.changeKey(ctx, current, func(cur []byte) error {
		return a.cfg.Custody.UseKeyring(ctx, cur)
	}, func([]byte) []byte { return nil })
}

// changeKey closes the store (the key custody needs the data folder to
// itself), makes the change and opens the store again: with the passphrase
// next gives when the change worked (nil next: the one it was opened
// with), as before when it failed.
func (a *App) changeKey(ctx context.Context, current string, change func(cur []byte) error, next func(cur []byte) []byte) error {
	if a.cfg.Custody == nil {
		return errors.ErrUnsupported
	}
	if _, err := a.Service(); err != nil {
		return err
	}
	var cur []byte
	if current != "" {
		cur = []byte(current)
	}
	a.closeStore()
	err := change(cur)
	if err == nil {
		a.mu.Lock()
		if next != nil {
			a.pass = next(cur)
		} else if cur != nil {
			a.pass = cur
		}
		a.mu.Unlock()
	}
	a.open(ctx)
	if err != nil {
		return err
	}
	return a.Err()
}
