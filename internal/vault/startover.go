package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/datadir"
)

// StartOverReport says what StartOver set aside.
type StartOverReport struct {
	// KeptStore is where the database was moved ("" when there was none).
	KeptStore string `json:"kept_store,omitempty"`
	// KeptKey is where the key file was moved ("" when there was none).
	KeptKey string `json:"kept_key,omitempty"`
	// Restore says how to open the old database again.
	Restore string `json:"restore,omitempty"`
}

// StartOver lets the next open create a new, empty store with a new key,
// deleting nothing: the database, if there is one, is moved aside as
// rehearse.db.<label>-<time> (label says why: "damaged", "set-aside"), and
// the key file as key-<time>.json.old in the config folder. The OS keyring
// entry of the old key stays where it is (the new store gets entries of its
// own), so the old database still opens when it and its key file are put
// back. It is the explicit way forward when the database is missing or
// damaged; nothing else ever replaces a key.
func (v *Vault) StartOver(ctx context.Context, label string) (StartOverReport, error) {
	var rep StartOverReport
	lock, err := v.lock()
	if err != nil {
		return rep, err
	}
	defer lock.release()
	stamp := time.Now().UTC().Format("20060102-150405")
	db := v.opt.Layout.DB()
	if _, err := os.Lstat(db); err == nil {
		kept := free(db+"."+label+"-"+stamp, "")
		if err := os.Rename(db, kept); err != nil {
			return rep, fmt.Errorf("move the practice store aside: %w", err)
		}
		rep.KeptStore = kept
		for _, ext := range []string{"-wal", "-shm"} {
			if _, err := os.Lstat(db + ext); err == nil {
				if err := os.Rename(db+ext, kept+ext); err != nil {
					return rep, fmt.Errorf("move the practice store's %s file aside: %w", ext, err)
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("practice store %q: %w", db, err)
	}
	keyFile := v.custodyPath()
	keptKey := free(filepath.Join(v.opt.Layout.Config, "key-"+stamp), ".json.old")
	if _, err := os.Lstat(keyFile); err == nil {
		if err := os.Rename(keyFile, keptKey); err != nil {
			return rep, fmt.Errorf("move the key file aside: %w", err)
		}
		rep.KeptKey = keptKey
	} else if id := v.markedStoreID(); id != "" && v.opt.Keyring != nil {
		// The key file is gone but the keyring still has the key: keep a
		// key file that finds it, so the old database can still open.
		if _, err := v.opt.Keyring.Get(ctx, account(id)); err == nil {
			if err := saveCustody(keptKey, &custody{StoreID: id, Keyring: true}); err != nil {
				return rep, err
			}
			rep.KeptKey = keptKey
		}
	}
	if m, ok, err := datadir.ReadMarker(v.opt.Layout.Config); err == nil && ok && m.StoreID != "" {
		m.StoreID = ""
		if err := datadir.WriteMarker(v.opt.Layout.Config, m); err != nil {
			return rep, err
		}
	}
	if rep.KeptKey != "" {
		rep.Restore = fmt.Sprintf("to open the old store again, move the new %s and %s aside, put the old database back as %s and rename %s to %s",
			db, keyFile, db, rep.KeptKey, keyFile)
	}
	return rep, nil
}

// free returns base+ext, or base-N+ext when something is there already.
func free(base, ext string) string {
	p := base + ext
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = fmt.Sprintf("%s-%d%s", base, i, ext)
	}
}
