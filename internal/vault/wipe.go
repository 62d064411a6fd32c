package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// WipeReport says what a wipe removed.
type WipeReport struct {
	// KeyringEntries are the keyring accounts deleted.
	KeyringEntries []string `json:"keyring_entries"`
	// Removed are the files and folders deleted.
	Removed []string `json:"removed"`
	// Kept are the folders left on purpose (downloaded models).
	Kept []string `json:"kept,omitempty"`
	// Problems are what could not be done; the wipe went on regardless.
	Problems []string `json:"problems,omitempty"`
}

// Wipe deletes everything Rehearse keeps about the user in one call: the key
// (from the OS keyring and the key file) first, then the database with its
// -wal, -shm and -journal, the lock file, the caches and the settings. The
// downloaded models stay unless includeModels. Afterwards Rehearse starts as
// on first use. Even a copy of the database taken before is then useless:
// no key for it is left anywhere.
//
// Wipe needs no passphrase. It refuses while another copy of Rehearse has the
// data folder open (rehearse.ErrAlreadyRunning). It carries on past a part it
// cannot delete and returns an error listing what is left.
func (v *Vault) Wipe(ctx context.Context, includeModels bool) (WipeReport, error) {
	var rep WipeReport
	l := v.opt.Layout
	if err := refuseDangerous(l.Data); err != nil {
		return rep, err
	}
	// Lock the data folder while wiping it (nothing to lock when it is
	// gone already; the key and settings may still be elsewhere).
	if _, err := os.Stat(l.Data); err == nil {
		lock, err := acquireLock(l.Lock())
		if err != nil {
			return rep, err
		}
		defer lock.release()
	}

	// The key first: once it is gone the database is unreadable.
	c, cerr := loadCustody(v.custodyPath())
	if cerr != nil {
		rep.Problems = append(rep.Problems, cerr.Error())
	}
	if c != nil && v.opt.Keyring != nil {
		for _, a := range []string{account(c.StoreID), nextAccount(c.StoreID)} {
			err := v.opt.Keyring.Delete(ctx, a)
			switch {
			case err == nil:
				rep.KeyringEntries = append(rep.KeyringEntries, a)
			case errors.Is(err, rehearse.ErrNotFound):
			default:
				if c.Keyring || a == nextAccount(c.StoreID) && c.Next != nil && c.Next.Keyring {
					rep.Problems = append(rep.Problems, fmt.Sprintf("keyring entry %s: %v (the database it opens is deleted all the same)", a, err))
				}
			}
		}
	}
	remove := func(p string) {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return
		}
		if !includeModels && contains(p, l.Models) {
			// A folder that holds the models (a platform layout where
			// config or cache is the data folder) is never removed whole
			// when the models are kept.
			rep.Problems = append(rep.Problems, fmt.Sprintf("kept %s: it holds the speech models", p))
			return
		}
		if err := os.RemoveAll(p); err != nil {
			rep.Problems = append(rep.Problems, err.Error())
			return
		}
		rep.Removed = append(rep.Removed, p)
	}
	remove(v.custodyPath())
	db := l.DB()
	for _, p := range []string{db, db + "-wal", db + "-shm", db + "-journal"} {
		remove(p)
	}
	remove(l.Config)
	remove(l.Cache)
	// Everything else in the data folder belongs to Rehearse too (settings,
	// temporary files of interrupted writes) except the models.
	entries, err := os.ReadDir(l.Data)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		rep.Problems = append(rep.Problems, err.Error())
	}
	for _, e := range entries {
		p := filepath.Join(l.Data, e.Name())
		if p == l.Lock() {
			continue
		}
		if !includeModels && p == l.Models {
			continue
		}
		remove(p)
	}
	if includeModels {
		remove(l.Models)
	} else if entries, err := os.ReadDir(l.Models); err == nil {
		if len(entries) == 0 {
			// Nothing downloaded: nothing to keep.
			if os.Remove(l.Models) == nil {
				rep.Removed = append(rep.Removed, l.Models)
			}
		} else {
			rep.Kept = append(rep.Kept, l.Models)
		}
	}
	remove(l.Lock())
	if len(rep.Kept) == 0 {
		// Leave no empty folder behind (fails harmlessly when not empty).
		if os.Remove(l.Data) == nil {
			rep.Removed = append(rep.Removed, l.Data)
		}
	}
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("wipe incomplete: %s", joinLines(rep.Problems))
	}
	return rep, nil
}

func joinLines(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}

// refuseDangerous stops a wipe of a folder that is obviously not Rehearse's
// own (the home folder or a filesystem root given as --data-dir).
func refuseDangerous(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	home, _ := os.UserHomeDir()
	if abs == filepath.Dir(abs) || (home != "" && abs == filepath.Clean(home)) {
		return &rehearse.InputError{Field: "data folder", Value: abs, Reason: "refusing to wipe a home folder or a filesystem root; give Rehearse a folder of its own"}
	}
	return nil
}

// contains reports whether path inner is dir or lies below it.
func contains(dir, inner string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(inner))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
