// Package vault keeps custody of the key that encrypts Rehearse's practice
// store and opens the store with it.
//
// The data key is 256 random bits. By default it lives in the OS keyring.
// When no keyring answers, or the user chooses passphrase mode, it is
// wrapped (AES-256-GCM) under a key derived with Argon2id from a passphrase
// and kept, wrapped only, in Layout.Config/key.json. A recovery passphrase
// can wrap it a second time so a lost keyring does not lose the data. The
// key is never written in plaintext.
//
// Vault also rotates the key (crash-safe: the old key stays reachable until
// the database has been re-keyed), wipes what Rehearse made (key first; only
// in folders that are Rehearse's), and keeps a second instance out of the
// data folder with a lock file. It never replaces a kept key on its own: a
// missing database is refused until the user puts it back or starts over
// (StartOver, which sets the old key aside), and a damaged one is named as
// damaged, never taken for a new store or a wrong passphrase.
package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// KeyedStore is a store encrypted with a raw key that can change it.
type KeyedStore interface {
	rehearse.Store
	// Rekey re-encrypts the store under newKey; once it returns nil only
	// newKey opens the store.
	Rekey(ctx context.Context, newKey []byte) error
}

// Opener opens (or creates) the encrypted store at path. A wrong key gives
// an error wrapping rehearse.ErrCannotUnlock.
type Opener func(ctx context.Context, path string, key []byte) (KeyedStore, error)

// Keyring is the OS keyring (package keyring). Errors wrap
// rehearse.ErrNotFound or rehearse.ErrNoKeyring.
type Keyring interface {
	Get(ctx context.Context, account string) ([]byte, error)
	Set(ctx context.Context, account string, secret []byte) error
	Delete(ctx context.Context, account string) error
}

// Options configure a Vault.
type Options struct {
	Layout datadir.Layout
	Open   Opener
	// Keyring may be nil: then the key is always passphrase-wrapped.
	Keyring Keyring
	// Ask supplies passphrases; nil means NoAsker.
	Ask Asker
	// KDF is the Argon2id cost for new wrappings; zero means DefaultKDF.
	KDF KDFParams
}

// Vault is the key custody of one data folder.
type Vault struct {
	opt     Options
	crashAt string // tests: stop a rotation here
}

// New returns the vault of opt.Layout.
func New(opt Options) *Vault {
	if opt.Ask == nil {
		opt.Ask = NoAsker
	}
	if opt.KDF == (KDFParams{}) {
		opt.KDF = DefaultKDF
	}
	return &Vault{opt: opt}
}

// Layout is the data folder this vault looks after.
func (v *Vault) Layout() datadir.Layout { return v.opt.Layout }

func (v *Vault) custodyPath() string { return filepath.Join(v.opt.Layout.Config, custodyName) }

func account(storeID string) string     { return "store-" + storeID }
func nextAccount(storeID string) string { return "store-" + storeID + "-next" }

// lockedStore releases the data-folder lock when the store closes.
type lockedStore struct {
	KeyedStore
	lock *fileLock
	once sync.Once
}

func (s *lockedStore) Close() error {
	var err error
	s.once.Do(func() {
		err = s.KeyedStore.Close()
		s.lock.release()
	})
	return err
}

// Open unlocks and opens the store, creating it (and its key) on first use.
// The returned store holds the data-folder lock until it is closed; while it
// is open, a second Open fails with rehearse.ErrAlreadyRunning. A wrong key or
// passphrase gives an error wrapping rehearse.ErrCannotUnlock and changes
// nothing.
func (v *Vault) Open(ctx context.Context) (rehearse.Store, error) {
	lock, err := v.lock()
	if err != nil {
		return nil, err
	}
	u, err := v.openLocked(ctx)
	if err != nil {
		lock.release()
		return nil, err
	}
	return &lockedStore{KeyedStore: u.store, lock: lock}, nil
}

// OpenDamaged opens the store with damaged, an opener that reads a store
// Open reports as damaged (rehearse.ErrCorruptStore) without writing to it,
// to export what can still be read. It finds the key as Open does and holds
// the data-folder lock the same way, but creates nothing and finishes no
// interrupted key rotation: both would write.
func (v *Vault) OpenDamaged(ctx context.Context, damaged Opener) (rehearse.Store, error) {
	lock, err := v.lock()
	if err != nil {
		return nil, err
	}
	fail := func(err error) (rehearse.Store, error) {
		lock.release()
		return nil, err
	}
	c, err := loadCustody(v.custodyPath())
	if err != nil {
		return fail(err)
	}
	switch exists, err := storeExists(v.opt.Layout.DB()); {
	case err != nil:
		return fail(err)
	case !exists:
		return fail(fmt.Errorf("practice store %q: %w", v.opt.Layout.DB(), rehearse.ErrNotFound))
	case c == nil:
		return fail(fmt.Errorf("%w: the key file %s is missing, so the key of %s cannot be found", rehearse.ErrCannotUnlock, v.custodyPath(), v.opt.Layout.DB()))
	}
	ro := &Vault{opt: v.opt}
	ro.opt.Open = damaged
	u, err := ro.unlock(ctx, c)
	if err != nil {
		return fail(err)
	}
	return &lockedStore{KeyedStore: u.store, lock: lock}, nil
}

func (v *Vault) lock() (*fileLock, error) {
	if err := v.opt.Layout.Ensure(); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("%w: %v", rehearse.ErrReadOnly, err)
		}
		return nil, err
	}
	return acquireLock(v.opt.Layout.Lock())
}

// unlocked is an open store with the key that opened it and the
// passphrases given on the way (kept only for the current operation).
type unlocked struct {
	store    KeyedStore
	c        *custody
	key      []byte
	pass     []byte // the passphrase, when it was asked for and worked
	recovery []byte // the recovery passphrase, likewise
}

func storeExists(path string) (bool, error) {
	_, err := os.Stat(path)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, fmt.Errorf("practice store %q: %w", path, err)
}

func (v *Vault) openLocked(ctx context.Context) (*unlocked, error) {
	if v.opt.Open == nil {
		return nil, fmt.Errorf("open practice store: %w", rehearse.ErrNotEncrypted)
	}
	c, err := loadCustody(v.custodyPath())
	if err != nil {
		return nil, err
	}
	exists, err := storeExists(v.opt.Layout.DB())
	if err != nil {
		return nil, err
	}
	switch {
	case !exists && c == nil:
		if err := v.orphanKeyring(ctx); err != nil {
			return nil, err
		}
		return v.create(ctx)
	case !exists && !c.Pending:
		// Never replace a key automatically: the database may come back.
		return nil, v.missingStore()
	case c == nil:
		return nil, fmt.Errorf("%w: the key file %s is missing, so the key of %s cannot be found", rehearse.ErrCannotUnlock, v.custodyPath(), v.opt.Layout.DB())
	}
	// Here the store exists, or it was never created: its key was kept,
	// then the process ended before the first commit (c.Pending).
	if err := checkStoreFile(v.opt.Layout.DB(), c); err != nil {
		return nil, err
	}
	u, err := v.unlock(ctx, c)
	if err != nil {
		return nil, err
	}
	v.cleanKeyring(ctx, c)
	if err := v.settleRotation(ctx, u); err != nil {
		u.store.Close()
		return nil, err
	}
	if c.Pending {
		c.Pending = false
		if err := saveCustody(v.custodyPath(), c); err != nil {
			u.store.Close()
			return nil, err
		}
	}
	v.markStoreID(c.StoreID)
	return u, nil
}

// missingStore is the error for a database that is gone while its key is
// still kept: the two honest ways forward, and nothing changed.
func (v *Vault) missingStore() error {
	where := v.custodyPath()
	if c, err := loadCustody(where); err == nil && c != nil && (c.Keyring || c.Next != nil && c.Next.Keyring) {
		where += " and the OS keyring"
	}
	return &StoreMissingError{DB: v.opt.Layout.DB(), KeyFile: where}
}

// StoreMissingError reports a practice store that is missing while its key
// is still kept. It wraps rehearse.ErrStoreMissing.
type StoreMissingError struct {
	DB      string
	KeyFile string // where the key is kept
}

func (e *StoreMissingError) Error() string {
	return fmt.Sprintf("the practice store %s is missing, but its key is still kept (%s). "+
		"Rehearse will not create a new store, which would replace that key. Either put the database back "+
		"(a drive that is not mounted, a changed XDG_DATA_HOME or --data-dir, a restore in progress), "+
		"or start over with 'rehearse key reset', which keeps the old key aside so the old database still opens if it comes back",
		e.DB, e.KeyFile)
}

func (e *StoreMissingError) Unwrap() error { return rehearse.ErrStoreMissing }

// orphanKeyring refuses to create a store while the keyring still holds the
// key of the store the folder markers name (the key file is gone): that key
// may be the only one of a database that comes back.
func (v *Vault) orphanKeyring(ctx context.Context) error {
	id := v.markedStoreID()
	if id == "" || v.opt.Keyring == nil {
		return nil
	}
	if _, err := v.opt.Keyring.Get(ctx, account(id)); err == nil {
		return &StoreMissingError{DB: v.opt.Layout.DB(), KeyFile: "keyring entry " + account(id)}
	}
	return nil
}

// markedStoreID is the store id the config folder's marker records.
func (v *Vault) markedStoreID() string {
	m, ok, _ := datadir.ReadMarker(v.opt.Layout.Config)
	if !ok {
		return ""
	}
	return m.StoreID
}

// markStoreID records the store id in the config folder's marker, so that a
// wipe finds the keyring entries even when the key file is unreadable.
func (v *Vault) markStoreID(id string) {
	m, ok, err := datadir.ReadMarker(v.opt.Layout.Config)
	if err != nil || !ok || m.StoreID == id {
		return
	}
	m.StoreID = id
	_ = datadir.WriteMarker(v.opt.Layout.Config, m)
}

// cleanKeyring deletes a keyring copy of the key that a failed (perhaps
// only timed-out) keyring write may have left or may still leave, while the
// key is kept under a passphrase instead. It waits at most a second.
func (v *Vault) cleanKeyring(ctx context.Context, c *custody) {
	if c.Keyring || !c.KeyringCleanup || v.opt.Keyring == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	v.opt.Keyring.Delete(ctx, account(c.StoreID))
}

// checkStoreFile refuses a database file that is empty although its store
// was created and committed: that is a damaged store, not a new one, and
// SQLite would otherwise start a new database over it.
func checkStoreFile(path string, c *custody) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("practice store %q: %w", path, err)
	case fi.IsDir():
		return &DamagedError{Path: path, Detail: "it is a folder, not a file"}
	case fi.Size() == 0 && !c.Pending:
		return &DamagedError{Path: path, Detail: "the file is empty (0 bytes), although a store was saved in it"}
	}
	return nil
}

// DamagedError names what is wrong with a damaged practice store. It wraps
// rehearse.ErrCorruptStore.
type DamagedError struct {
	Path   string
	Detail string
	Err    error // the underlying error, if any
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the practice store is damaged: %s (%s)", e.Detail, e.Path)
}

func (e *DamagedError) Unwrap() []error {
	if e.Err != nil {
		return []error{rehearse.ErrCorruptStore, e.Err}
	}
	return []error{rehearse.ErrCorruptStore}
}

// damaged turns a store error that wraps rehearse.ErrCorruptStore into a
// DamagedError naming the damage.
func damaged(path string, err error) error {
	var de *DamagedError
	if err == nil || !errors.Is(err, rehearse.ErrCorruptStore) || errors.As(err, &de) {
		return err
	}
	detail := strings.TrimSuffix(err.Error(), ": "+rehearse.ErrCorruptStore.Error())
	detail = strings.TrimPrefix(detail, fmt.Sprintf("open store %q: ", path))
	detail = strings.TrimPrefix(detail, rehearse.ErrCorruptStore.Error()+": ")
	if strings.Contains(detail, "malformed") {
		// SQLite found pages missing or not fitting: the usual cause is a
		// file cut short (a copy or sync that did not finish).
		detail = "its pages do not fit together: part of the file is missing (truncated) or overwritten (" + detail + ")"
	}
	return &DamagedError{Path: path, Detail: detail, Err: err}
}

// create makes a new key, puts it in custody and only then creates the
// database, so there is never a database whose key is not kept.
func (v *Vault) create(ctx context.Context) (*unlocked, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	idb, err := newKey()
	if err != nil {
		return nil, err
	}
	c := &custody{StoreID: keyID(idb), KeyID: keyID(key), Pending: true}
	u := &unlocked{c: c, key: key}
	var krErr error
	if v.opt.Keyring != nil {
		if krErr = v.opt.Keyring.Set(ctx, account(c.StoreID), key); krErr == nil {
			c.Keyring = true
		} else {
			// The write may have timed out and land later: delete it now
			// and at every open while the key is under a passphrase.
			c.KeyringCleanup = true
		}
	} else {
		krErr = rehearse.ErrNoKeyring
	}
	if !c.Keyring {
		pass, err := v.opt.Ask(ctx, Prompt{Kind: AskNew, Message: fmt.Sprintf("The OS keyring cannot keep the key of your practice store (%v). Choose a passphrase to protect it.", krErr)})
		if err != nil {
			return nil, fmt.Errorf("create the practice store: %w", err)
		}
		if err := checkNewPassphrase("passphrase", pass); err != nil {
			return nil, err
		}
		if c.Passphrase, err = wrap(key, pass, v.opt.KDF, c.StoreID, "passphrase"); err != nil {
			return nil, err
		}
		u.pass = pass
	}
	if err := saveCustody(v.custodyPath(), c); err != nil {
		return nil, err
	}
	v.cleanKeyring(ctx, c)
	v.markStoreID(c.StoreID)
	s, err := v.opt.Open(ctx, v.opt.Layout.DB(), key)
	if err != nil {
		return nil, err
	}
	c.Pending = false
	if err := saveCustody(v.custodyPath(), c); err != nil {
		s.Close()
		return nil, err
	}
	u.store = s
	return u, nil
}

type candidate struct {
	key  []byte
	from string
}

// unlock finds the key: keyring first, then the passphrase, then the
// recovery passphrase; each candidate is tried on the database.
func (v *Vault) unlock(ctx context.Context, c *custody) (*unlocked, error) {
	u := &unlocked{c: c}
	var krProblem error
	var cands []candidate
	if c.Keyring || (c.Next != nil && c.Next.Keyring) {
		if v.opt.Keyring == nil {
			krProblem = rehearse.ErrNoKeyring
		} else {
			if c.Keyring {
				k, err := v.opt.Keyring.Get(ctx, account(c.StoreID))
				switch {
				case err != nil:
					krProblem = err
				case len(k) != keySize:
					// Not a key of this store: fall through to the
					// passphrases.
					krProblem = fmt.Errorf("the keyring entry %s holds %d bytes, not a %d-byte key", account(c.StoreID), len(k), keySize)
				default:
					cands = append(cands, candidate{k, "keyring"})
				}
			}
			if c.Next != nil && c.Next.Keyring {
				if k, err := v.opt.Keyring.Get(ctx, nextAccount(c.StoreID)); err == nil && len(k) == keySize {
					cands = append(cands, candidate{k, "keyring (new key)"})
				}
			}
		}
		if ok, err := v.try(ctx, u, cands); ok || err != nil {
			return u, err
		}
		if krProblem == nil {
			krProblem = errors.New("the keyring's key does not open the store")
		}
	}
	tried := len(cands) > 0
	// A wrapping the key file cannot be used with (an unknown algorithm,
	// an Argon2 cost above the caps) is not tried: the user is told.
	var slotProblem error
	usable := func(s *slot, name string) bool {
		if s == nil {
			return false
		}
		if err := s.check(); err != nil {
			if slotProblem == nil {
				slotProblem = fmt.Errorf("key file %s, %s: %w", v.custodyPath(), name, err)
			}
			return false
		}
		return true
	}
	if usable(c.Passphrase, "passphrase") {
		pass, err := v.opt.Ask(ctx, Prompt{Kind: AskUnlock, Message: "Enter the passphrase of your practice store."})
		if err != nil {
			return nil, askErr(err)
		}
		cands = v.unwrapAll(pass, c, "passphrase")
		tried = true
		if ok, err := v.try(ctx, u, cands); ok || err != nil {
			u.pass = pass
			return u, err
		}
	}
	if usable(c.Recovery, "recovery passphrase") {
		msg := "Enter your recovery passphrase."
		switch {
		case krProblem != nil && errors.Is(krProblem, rehearse.ErrNotFound):
			msg = "The keyring has no key for this store; enter your recovery passphrase."
		case krProblem != nil:
			msg = fmt.Sprintf("The keyring cannot give the key of this store (%v); enter your recovery passphrase.", krProblem)
		case c.Passphrase != nil:
			msg = "That passphrase does not open the store; enter your recovery passphrase."
		}
		rec, err := v.opt.Ask(ctx, Prompt{Kind: AskRecovery, Message: msg})
		if err != nil {
			return nil, askErr(err)
		}
		cands = v.unwrapAll(rec, c, "recovery")
		if ok, err := v.try(ctx, u, cands); ok || err != nil {
			u.recovery = rec
			return u, err
		}
		if slotProblem != nil {
			return nil, slotProblem
		}
		return nil, fmt.Errorf("%w: wrong passphrase or recovery passphrase", rehearse.ErrCannotUnlock)
	}
	switch {
	case slotProblem != nil:
		return nil, slotProblem
	case c.Passphrase != nil:
		return nil, fmt.Errorf("%w: wrong passphrase", rehearse.ErrCannotUnlock)
	case krProblem != nil && errors.Is(krProblem, rehearse.ErrNotFound):
		return nil, fmt.Errorf("%w: the keyring has no key for this store and no recovery passphrase is set", rehearse.ErrCannotUnlock)
	case krProblem != nil:
		return nil, fmt.Errorf("%w: the key is kept in the OS keyring and no recovery passphrase is set: %w", rehearse.ErrCannotUnlock, krProblem)
	case !tried:
		return nil, fmt.Errorf("%w: the key file %s names no place that holds the key", rehearse.ErrCannotUnlock, v.custodyPath())
	}
	return nil, fmt.Errorf("%w", rehearse.ErrCannotUnlock)
}

// askErr reports a passphrase that could not be obtained: as is when there
// was no way to ask, otherwise as a failure to unlock.
func askErr(err error) error {
	if errors.Is(err, rehearse.ErrPassphraseNeeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("unlock: %w", err)
	}
	return fmt.Errorf("%w: %w", rehearse.ErrCannotUnlock, err)
}

// unwrapAll returns the keys the passphrase unwraps: the current slot's and,
// during a rotation, the new one's.
func (v *Vault) unwrapAll(pass []byte, c *custody, name string) []candidate {
	slots := []*slot{c.Passphrase, nil}
	if name == "recovery" {
		slots[0] = c.Recovery
	}
	if c.Next != nil {
		slots[1] = c.Next.Passphrase
		if name == "recovery" {
			slots[1] = c.Next.Recovery
		}
	}
	var out []candidate
	for _, s := range slots {
		if s == nil {
			continue
		}
		if k, err := s.unwrap(pass, c.StoreID, name); err == nil {
			out = append(out, candidate{k, name})
		}
	}
	return out
}

// try opens the store with each candidate key. It stops at the first that
// works (true) or at an error other than a wrong key.
//
// A key whose fingerprint matches the key file's (c.KeyID, or the pending
// rotation's) is known to be right: the keyring gave it for this store, or
// a passphrase unwrapped it (AES-GCM authenticates the unwrapping). If such
// a key does not open the store, the first page of the database is damaged
// (or the file is another store's), and that is reported rather than a
// wrong key or passphrase.
func (v *Vault) try(ctx context.Context, u *unlocked, cands []candidate) (bool, error) {
	path := v.opt.Layout.DB()
	rightKeyRefused := false
	for _, cd := range cands {
		s, err := v.opt.Open(ctx, path, cd.key)
		if err == nil {
			u.store, u.key = s, cd.key
			return true, nil
		}
		if !errors.Is(err, rehearse.ErrCannotUnlock) {
			return false, damaged(path, err)
		}
		if id := keyID(cd.key); id == u.c.KeyID || u.c.Next != nil && id == u.c.Next.KeyID {
			rightKeyRefused = true
		}
	}
	if rightKeyRefused {
		return false, &DamagedError{Path: path, Detail: "the first page of the database does not decrypt with the store's own key " +
			"(the key matches the fingerprint in the key file, so the passphrase and keyring are right): " +
			"the start of the file is damaged, or the file is not this store's database"}
	}
	return false, nil
}

// settleRotation finishes or abandons a rotation a crash interrupted: if the
// new key opened the store the re-key committed, so the new key's custody is
// promoted; otherwise the new key is dropped.
func (v *Vault) settleRotation(ctx context.Context, u *unlocked) error {
	c := u.c
	if c.Next == nil {
		if c.KeyID == "" {
			c.KeyID = keyID(u.key)
			return saveCustody(v.custodyPath(), c)
		}
		return nil
	}
	if c.Next.KeyID == keyID(u.key) {
		// If the keyring cannot take the key now, the rotation stays
		// pending (both keys remain reachable) and is retried next time.
		v.promote(ctx, c, u.key)
		return nil
	}
	if c.Next.Keyring && v.opt.Keyring != nil {
		v.opt.Keyring.Delete(ctx, nextAccount(c.StoreID))
	}
	c.Next = nil
	return saveCustody(v.custodyPath(), c)
}

// promote makes the rotation's new key the current one in every slot.
func (v *Vault) promote(ctx context.Context, c *custody, key []byte) error {
	n := c.Next
	if n.Keyring {
		if v.opt.Keyring == nil {
			return fmt.Errorf("finish the key rotation: %w", rehearse.ErrNoKeyring)
		}
		if err := v.opt.Keyring.Set(ctx, account(c.StoreID), key); err != nil {
			return fmt.Errorf("finish the key rotation: %w", err)
		}
	}
	c.Keyring, c.Passphrase, c.Recovery, c.KeyID = n.Keyring, n.Passphrase, n.Recovery, n.KeyID
	c.Next = nil
	if err := saveCustody(v.custodyPath(), c); err != nil {
		return err
	}
	if n.Keyring {
		v.opt.Keyring.Delete(ctx, nextAccount(c.StoreID))
	}
	return nil
}

// Status says where the key of the store lives.
type Status struct {
	Store      string `json:"store"`
	Exists     bool   `json:"exists"`
	KeyFile    string `json:"key_file"`
	Keyring    bool   `json:"keyring"`    // the key is kept in the OS keyring
	KeyringOK  bool   `json:"keyring_ok"` // the keyring answered and has the key
	KeyringMsg string `json:"keyring_message,omitempty"`
	Passphrase bool   `json:"passphrase"` // wrapped under a passphrase
	Recovery   bool   `json:"recovery"`   // wrapped under a recovery passphrase
	Rotating   bool   `json:"rotating"`   // a rotation was interrupted; the next open finishes it
	KeyID      string `json:"key_id,omitempty"`
	// Missing: the key is kept but the database is gone (nothing creates
	// a new store over it; see rehearse.ErrStoreMissing).
	Missing bool `json:"missing,omitempty"`
}

// Status reports the custody of the key without unlocking the store.
func (v *Vault) Status(ctx context.Context) (Status, error) {
	st := Status{Store: v.opt.Layout.DB(), KeyFile: v.custodyPath()}
	var err error
	if st.Exists, err = storeExists(st.Store); err != nil {
		return st, err
	}
	c, err := loadCustody(v.custodyPath())
	if err != nil || c == nil {
		return st, err
	}
	st.Missing = !st.Exists && !c.Pending
	st.Keyring, st.Passphrase, st.Recovery, st.Rotating, st.KeyID = c.Keyring, c.Passphrase != nil, c.Recovery != nil, c.Next != nil, c.KeyID
	if c.Keyring {
		if v.opt.Keyring == nil {
			st.KeyringMsg = rehearse.ErrNoKeyring.Error()
		} else if k, err := v.opt.Keyring.Get(ctx, account(c.StoreID)); err != nil {
			st.KeyringMsg = err.Error()
		} else {
			st.KeyringOK = len(k) == keySize
			if c.KeyID != "" && keyID(k) != c.KeyID {
				st.KeyringOK = false
				st.KeyringMsg = "the keyring holds a different key"
			}
		}
	}
	return st, nil
}

// String is a short human description of the custody.
func (s Status) String() string {
	if s.Missing {
		return "the practice store is missing, but its key is still kept: put the database back, or start over with 'rehearse key reset' (the old key is kept aside)"
	}
	if !s.Exists {
		return "no practice store yet; it is created (with a new key) on first use"
	}
	var where []string
	if s.Keyring {
		w := "the OS keyring"
		if !s.KeyringOK {
			w += " (not reachable now: " + s.KeyringMsg + ")"
		}
		where = append(where, w)
	}
	if s.Passphrase {
		where = append(where, "your passphrase")
	}
	if s.Recovery {
		where = append(where, "your recovery passphrase")
	}
	if len(where) == 0 {
		return "the key of this store cannot be found"
	}
	return "the key is kept by " + strings.Join(where, ", and by ")
}

func equalKeys(a, b []byte) bool { return len(a) == keySize && bytes.Equal(a, b) }
