package vault

import (
	"context"
	"errors"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// withUnlocked runs f with the store open and the data folder locked.
func (v *Vault) withUnlocked(ctx context.Context, f func(u *unlocked) error) error {
	lock, err := v.lock()
	if err != nil {
		return err
	}
	defer lock.release()
	u, err := v.openLocked(ctx)
	if err != nil {
		return err
	}
	err = f(u)
	if cerr := u.store.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the practice store: %w", cerr)
	}
	return err
}

// confirm asks for the passphrase of slot s (name "passphrase" or
// "recovery") unless given already, and checks it unwraps key.
func (v *Vault) confirm(ctx context.Context, c *custody, s *slot, name string, given []byte, key []byte, msg string) ([]byte, error) {
	if given != nil {
		if k, err := s.unwrap(given, c.StoreID, name); err == nil && equalKeys(k, key) {
			return given, nil
		}
		return nil, fmt.Errorf("%w: wrong %s", rehearse.ErrCannotUnlock, name)
	}
	kind := AskUnlock
	if name == "recovery" {
		kind = AskRecovery
	}
	p, err := v.opt.Ask(ctx, Prompt{Kind: kind, Message: msg})
	if err != nil {
		return nil, err
	}
	return v.confirm(ctx, c, s, name, p, key, msg)
}

// Rotate replaces the data key: the store is re-encrypted under a new random
// key and every place that kept the old key (keyring, passphrase, recovery
// passphrase) is given the new one. recovery is the recovery passphrase when
// one is set (nil: ask for it if needed).
//
// The order keeps a key that opens the store reachable at every step: the
// new key is first stored beside the old one (keyring entry "-next", "next"
// in the key file), then the database is re-keyed, then the new key replaces
// the old. After a crash, the next Open finds which key works and finishes
// or abandons the rotation.
func (v *Vault) Rotate(ctx context.Context, recovery []byte) error {
	exists, err := storeExists(v.opt.Layout.DB())
	if err != nil {
		return err
	}
	if !exists {
		if c, err := loadCustody(v.custodyPath()); err == nil && c != nil && !c.Pending {
			return v.missingStore()
		}
		return fmt.Errorf("no practice store yet, so no key to rotate: %w", rehearse.ErrNotFound)
	}
	return v.withUnlocked(ctx, func(u *unlocked) error {
		c := u.c
		pass, rec := u.pass, u.recovery
		if recovery != nil {
			rec = recovery
		}
		var err error
		if c.Passphrase != nil {
			if pass, err = v.confirm(ctx, c, c.Passphrase, "passphrase", pass, u.key, "To wrap the new key, enter the passphrase of your practice store."); err != nil {
				return err
			}
		}
		if c.Recovery != nil {
			if rec, err = v.confirm(ctx, c, c.Recovery, "recovery", rec, u.key, "To wrap the new key for recovery too, enter your recovery passphrase."); err != nil {
				return err
			}
		}
		key, err := newKey()
		if err != nil {
			return err
		}
		n := &nextKey{KeyID: keyID(key)}
		if c.Passphrase != nil {
			if n.Passphrase, err = wrap(key, pass, v.opt.KDF, c.StoreID, "passphrase"); err != nil {
				return err
			}
		}
		if c.Recovery != nil {
			if n.Recovery, err = wrap(key, rec, v.opt.KDF, c.StoreID, "recovery"); err != nil {
				return err
			}
		}
		if c.Keyring {
			if v.opt.Keyring == nil {
				return fmt.Errorf("store the new key: %w", rehearse.ErrNoKeyring)
			}
			if err := v.opt.Keyring.Set(ctx, nextAccount(c.StoreID), key); err != nil {
				return fmt.Errorf("store the new key: %w", err)
			}
			n.Keyring = true
		}
		c.Next = n
		if err := saveCustody(v.custodyPath(), c); err != nil {
			if n.Keyring {
				v.opt.Keyring.Delete(ctx, nextAccount(c.StoreID))
			}
			return err
		}
		if err := v.step("saved-next"); err != nil {
			return err
		}
		// If Rekey fails the outcome may be unknown; the "next" custody stays
		// so the next Open settles it by trying both keys.
		if err := u.store.Rekey(ctx, key); err != nil {
			return fmt.Errorf("re-encrypt the store under the new key: %w", err)
		}
		if err := v.step("rekeyed"); err != nil {
			return err
		}
		if err := v.promote(ctx, c, key); err != nil {
			return fmt.Errorf("the store is encrypted under the new key, which is kept safely, but it could not yet replace the old one everywhere (this finishes the next time the store opens): %w", err)
		}
		return nil
	})
}

// step lets tests stop a rotation at a named point, as a crash would.
func (v *Vault) step(name string) error {
	if v.crashAt == name {
		return errSimulatedCrash
	}
	return nil
}

var errSimulatedCrash = errors.New("simulated crash")

// SetPassphrase switches the store to passphrase mode or changes the
// passphrase: the key is wrapped under pass and removed from the OS keyring.
func (v *Vault) SetPassphrase(ctx context.Context, pass []byte) error {
	if err := checkNewPassphrase("passphrase", pass); err != nil {
		return err
	}
	return v.withUnlocked(ctx, func(u *unlocked) error {
		c := u.c
		s, err := wrap(u.key, pass, v.opt.KDF, c.StoreID, "passphrase")
		if err != nil {
			return err
		}
		wasKeyring := c.Keyring
		c.Passphrase, c.Keyring = s, false
		if err := saveCustody(v.custodyPath(), c); err != nil {
			return err
		}
		if wasKeyring && v.opt.Keyring != nil {
			if err := v.opt.Keyring.Delete(ctx, account(c.StoreID)); err != nil && !errors.Is(err, rehearse.ErrNotFound) {
				// Try again at every open until it is gone.
				c.KeyringCleanup = true
				if serr := saveCustody(v.custodyPath(), c); serr != nil {
					return serr
				}
				return fmt.Errorf("the passphrase is set, but the old copy of the key could not be removed from the OS keyring yet (Rehearse tries again each time it opens the store): %w", err)
			}
		}
		return nil
	})
}

// UseKeyring switches the store back to keeping its key in the OS keyring
// and drops the passphrase wrapping (a recovery passphrase stays).
func (v *Vault) UseKeyring(ctx context.Context) error {
	if v.opt.Keyring == nil {
		return rehearse.ErrNoKeyring
	}
	return v.withUnlocked(ctx, func(u *unlocked) error {
		c := u.c
		if err := v.opt.Keyring.Set(ctx, account(c.StoreID), u.key); err != nil {
			return fmt.Errorf("store the key in the OS keyring: %w", err)
		}
		// The passphrase is dropped only once the keyring is seen to give
		// the key back: a keyring that accepts a secret and loses it would
		// otherwise leave a store nobody can open.
		if got, err := v.opt.Keyring.Get(ctx, account(c.StoreID)); err != nil || !equalKeys(got, u.key) {
			if err == nil {
				err = errors.New("it gave back a different secret")
			}
			return fmt.Errorf("the OS keyring did not keep the key, so your passphrase still opens the store: %w", err)
		}
		c.Keyring, c.Passphrase, c.KeyringCleanup = true, nil, false
		return saveCustody(v.custodyPath(), c)
	})
}

// SetRecovery sets (or, with nil, removes) the recovery passphrase, which
// opens the store when the keyring has lost its key or the passphrase is
// forgotten.
func (v *Vault) SetRecovery(ctx context.Context, pass []byte) error {
	if pass != nil {
		if err := checkNewPassphrase("recovery passphrase", pass); err != nil {
			return err
		}
	}
	return v.withUnlocked(ctx, func(u *unlocked) error {
		c := u.c
		if pass == nil {
			if !c.Keyring && c.Passphrase == nil {
				return &rehearse.InputError{Field: "recovery passphrase", Reason: "it is the only way to open this store; set a passphrase or use the keyring first"}
			}
			c.Recovery = nil
		} else {
			s, err := wrap(u.key, pass, v.opt.KDF, c.StoreID, "recovery")
			if err != nil {
				return err
			}
			c.Recovery = s
		}
		return saveCustody(v.custodyPath(), c)
	})
}
