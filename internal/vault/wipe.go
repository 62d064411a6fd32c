package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// ErrNotRehearseFolder is returned by Wipe for a folder Rehearse cannot show
// to be its own; nothing is deleted then.
var ErrNotRehearseFolder = errors.New("not a Rehearse folder")

// WipeReport says what a wipe removed.
type WipeReport struct {
	// KeyringEntries are the keyring accounts deleted.
	KeyringEntries []string `json:"keyring_entries"`
	// Removed are the files and folders deleted.
	Removed []string `json:"removed"`
	// Kept are the folders left on purpose (downloaded models).
	Kept []string `json:"kept,omitempty"`
	// Others are entries of Rehearse's folders that Rehearse did not make;
	// a wipe leaves them where they are.
	Others []string `json:"others,omitempty"`
	// Problems are what could not be done; the wipe went on regardless.
	Problems []string `json:"problems,omitempty"`
}

// folder is what a wipe found out about one folder of the layout.
type folder struct {
	dir     string
	exists  bool
	ours    bool
	created bool   // Rehearse made it: it may go once empty
	why     string // why it is not Rehearse's
}

// Wipe deletes what Rehearse keeps about the user in one call: the key (from
// the OS keyring and the key files) first, then the database with its -wal,
// -shm and -journal, the lock file, the markers and the other files Rehearse
// writes. The downloaded models stay unless includeModels. Afterwards
// Rehearse starts as on first use.
//
// Only files Rehearse made are deleted (datadir.Layout.Known), and only in
// folders that are Rehearse's: they carry Rehearse's marker file, or (a
// store made before markers existed) hold a rehearse.db that the key in the
// config folder opens. Anything else in those folders stays, and a folder
// is removed only when Rehearse created it and it is then empty. If an
// existing folder of the layout is not Rehearse's, Wipe deletes nothing and
// returns an error wrapping ErrNotRehearseFolder that says why.
//
// Wipe needs no passphrase, except to recognise an unmarked store whose key
// is kept under a passphrase. It refuses while another copy of Rehearse has
// the data folder open (rehearse.ErrAlreadyRunning). It carries on past a
// part it cannot delete and returns an error listing what is left.
func (v *Vault) Wipe(ctx context.Context, includeModels bool) (WipeReport, error) {
	var rep WipeReport
	l := v.opt.Layout
	if err := refuseDangerous(l.Data); err != nil {
		return rep, err
	}
	folders, err := v.whose(ctx)
	if err != nil {
		return rep, err
	}
	var foreign []string
	for _, f := range folders {
		if f.exists && !f.ours {
			foreign = append(foreign, fmt.Sprintf("%s: %s", f.dir, f.why))
		}
	}
	if len(foreign) > 0 {
		return rep, fmt.Errorf("refusing to wipe, nothing was deleted: %w: %s", ErrNotRehearseFolder, strings.Join(foreign, "; "))
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

	// What lies outside the folders and the folders made above them are
	// read now: the list and the markers go with the folders.
	outside := l.ReadOutside()
	var parents []string
	for _, f := range folders {
		if m, ok, _ := datadir.ReadMarker(f.dir); ok && f.created {
			parents = append(parents, m.Parents...)
		}
	}

	// The key first: once it is gone the database is unreadable.
	v.wipeKeyring(ctx, &rep)
	byDir := map[string]folder{}
	for _, f := range folders {
		byDir[f.dir] = f
	}
	remove := func(p string) {
		if err := os.RemoveAll(p); err != nil {
			rep.Problems = append(rep.Problems, err.Error())
			return
		}
		rep.Removed = append(rep.Removed, p)
	}
	keepModels := false
	if !includeModels {
		if entries, err := os.ReadDir(l.Models); err == nil {
			for _, e := range entries {
				if e.Name() != datadir.MarkerName {
					keepModels = true
				}
			}
		}
		if keepModels {
			rep.Kept = append(rep.Kept, l.Models)
		}
	}
	// Config (the key files) first, the data folder last.
	for _, f := range folders {
		if !f.exists || keepModels && f.dir == l.Models {
			continue
		}
		entries, err := os.ReadDir(f.dir)
		if err != nil {
			rep.Problems = append(rep.Problems, err.Error())
			continue
		}
		for _, e := range entries {
			p := filepath.Join(f.dir, e.Name())
			if _, sub := byDir[p]; sub {
				continue // a folder of the layout inside this one
			}
			if p == l.Lock() || e.Name() == datadir.MarkerName {
				continue // removed last: the lock while still held, the
				// marker only with its folder
			}
			if !l.Known(f.dir, e.Name()) {
				rep.Others = append(rep.Others, p)
				continue
			}
			remove(p)
		}
	}
	if _, err := os.Lstat(l.Lock()); err == nil {
		remove(l.Lock())
	}
	for _, f := range folders {
		if !f.exists || keepModels && f.dir == l.Models {
			continue
		}
		// A folder that still holds something else (the user's files)
		// stays, with its marker: it is still the folder Rehearse uses.
		// Otherwise the marker goes, and the folder too if Rehearse made
		// it.
		entries, err := os.ReadDir(f.dir)
		if err != nil || len(entries) > 1 || len(entries) == 1 && entries[0].Name() != datadir.MarkerName {
			if m, ok, _ := datadir.ReadMarker(f.dir); ok && m.StoreID != "" {
				m.StoreID = "" // the store it named is gone
				_ = datadir.WriteMarker(f.dir, m)
			}
			continue
		}
		if len(entries) == 1 {
			remove(filepath.Join(f.dir, datadir.MarkerName))
		}
		if f.created && os.Remove(f.dir) == nil {
			rep.Removed = append(rep.Removed, f.dir)
		}
	}
	wipeOutside(outside, &rep)
	// Folders made only to hold Rehearse's, deepest first, when empty now.
	sort.Slice(parents, func(i, j int) bool { return len(parents[i]) > len(parents[j]) })
	for _, p := range parents {
		if os.Remove(p) == nil {
			rep.Removed = append(rep.Removed, p)
		}
	}
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("wipe incomplete: %s", strings.Join(rep.Problems, "; "))
	}
	return rep, nil
}

// wipeOutside deletes what the window created outside Rehearse's folders
// (datadir.Outside). Only paths one or two levels inside the user's shared
// cache and config folders are touched, so a changed list cannot point the
// wipe anywhere else: the app folder with its contents, created files, and
// created folders once empty.
func wipeOutside(o datadir.Outside, rep *WipeReport) {
	inShared := func(p string) bool {
		for _, root := range datadir.SharedRoots() {
			rel, err := filepath.Rel(root, p)
			if err != nil || rel == "." || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
				continue
			}
			if n := len(strings.Split(rel, string(filepath.Separator))); n <= 2 {
				return true
			}
		}
		return false
	}
	if o.AppFolder != "" && inShared(o.AppFolder) && strings.Count(filepath.Base(o.AppFolder), ".") > 0 {
		if _, err := os.Lstat(o.AppFolder); err == nil {
			if err := os.RemoveAll(o.AppFolder); err != nil {
				rep.Problems = append(rep.Problems, err.Error())
			} else {
				rep.Removed = append(rep.Removed, o.AppFolder)
			}
		}
	}
	created := append([]string(nil), o.Created...)
	sort.Slice(created, func(i, j int) bool { return len(created[i]) > len(created[j]) })
	for _, p := range created {
		if !inShared(p) {
			continue
		}
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			if os.Remove(p) == nil { // only when empty
				rep.Removed = append(rep.Removed, p)
			}
			continue
		}
		if err := os.Remove(p); err != nil {
			rep.Problems = append(rep.Problems, err.Error())
		} else {
			rep.Removed = append(rep.Removed, p)
		}
	}
}

// whose finds out, for each folder of the layout, whether it exists and is
// Rehearse's.
func (v *Vault) whose(ctx context.Context) ([]folder, error) {
	l := v.opt.Layout
	var out []folder
	dataOurs, legacy := false, false
	var legacyWhy string
	for _, dir := range l.Folders() {
		f := folder{dir: dir}
		fi, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, f)
			continue
		case err != nil:
			return nil, fmt.Errorf("wipe: %w", err)
		case !fi.IsDir():
			f.exists, f.why = true, "it is not a folder"
			out = append(out, f)
			continue
		}
		f.exists = true
		m, ok, err := datadir.ReadMarker(dir)
		if err != nil {
			return nil, fmt.Errorf("wipe: %w", err)
		}
		if ok {
			f.ours, f.created = true, m.Created
			if dir == l.Data {
				dataOurs = true
			}
		}
		out = append(out, f)
	}
	if _, err := os.Lstat(l.DB()); err == nil {
		if !dataOurs || !v.markedConfig() {
			// A store from before the markers: Rehearse's if its key
			// opens it.
			if err := v.keyOpensStore(ctx); err == nil {
				legacy, dataOurs = true, true
			} else {
				legacyWhy = err.Error()
			}
		}
	}
	for i := range out {
		f := &out[i]
		if !f.exists || f.ours {
			continue
		}
		switch {
		case legacy:
			// Shown to be Rehearse's by the key; whether Rehearse made
			// the folder is unknown, so it is kept once emptied.
			f.ours = true
		case dataOurs && f.dir != l.Config && contains(l.Data, f.dir):
			f.ours = true
		case legacyWhy != "":
			f.why = "it has no Rehearse marker file (" + datadir.MarkerName + "), and " + legacyWhy
		default:
			f.why = "it has no Rehearse marker file (" + datadir.MarkerName + ") and holds no practice store of Rehearse's (rehearse.db)"
		}
	}
	return out, nil
}

func (v *Vault) markedConfig() bool {
	_, ok, _ := datadir.ReadMarker(v.opt.Layout.Config)
	return ok
}

// keyOpensStore checks that the key in the config folder opens the
// database of the data folder.
func (v *Vault) keyOpensStore(ctx context.Context) error {
	c, err := loadCustody(v.custodyPath())
	if err != nil {
		return fmt.Errorf("the key file that would show the rehearse.db in it to be Rehearse's cannot be read: %v", err)
	}
	if c == nil || v.opt.Open == nil {
		return fmt.Errorf("no Rehearse key file (%s) opens the rehearse.db in it", v.custodyPath())
	}
	u, err := v.unlock(ctx, c)
	if err != nil {
		return fmt.Errorf("the key in %s does not open the rehearse.db in it (%v); if it is yours, open it once with this version (which marks its folders) or give the passphrase with --passphrase-file", v.custodyPath(), err)
	}
	return u.store.Close()
}

// storeIDPattern finds the store id in a key file that does not parse.
var storeIDPattern = regexp.MustCompile(`"store_id"\s*:\s*"([0-9a-f]{16,64})"`)

// wipeKeyring deletes the keyring entries of every store whose key the
// config folder keeps: the current key file's, those set aside when starting
// over, and, when the key file cannot be read, the store named by the
// folder markers or still legible in the damaged file.
func (v *Vault) wipeKeyring(ctx context.Context, rep *WipeReport) {
	if v.opt.Keyring == nil {
		return
	}
	// id -> whether the keyring is known to hold that store's key (a
	// failure to delete it is then a problem worth reporting).
	ids := map[string]bool{}
	c, cerr := loadCustody(v.custodyPath())
	if cerr != nil {
		// The damaged key file itself is deleted with the rest; the store
		// it kept is found from the markers or what is legible in it.
		if b, err := os.ReadFile(v.custodyPath()); err == nil {
			for _, m := range storeIDPattern.FindAllSubmatch(b, -1) {
				ids[string(m[1])] = true
			}
		}
	}
	if c != nil {
		// A cleanup of a failed write is best effort: its failure is no problem.
		ids[c.StoreID] = c.Keyring || c.Next != nil && c.Next.Keyring
	}
	for _, dir := range v.opt.Layout.Folders() {
		if m, ok, _ := datadir.ReadMarker(dir); ok && m.StoreID != "" {
			if _, seen := ids[m.StoreID]; !seen {
				ids[m.StoreID] = cerr != nil
			}
		}
	}
	old, _ := filepath.Glob(filepath.Join(v.opt.Layout.Config, "key-*.json.old"))
	for _, p := range old {
		if oc, err := loadCustody(p); err == nil && oc != nil {
			ids[oc.StoreID] = ids[oc.StoreID] || oc.Keyring
		}
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		for _, a := range []string{account(id), nextAccount(id)} {
			err := v.opt.Keyring.Delete(ctx, a)
			switch {
			case err == nil:
				rep.KeyringEntries = append(rep.KeyringEntries, a)
			case errors.Is(err, rehearse.ErrNotFound):
			case ids[id] && a == account(id):
				rep.Problems = append(rep.Problems, fmt.Sprintf("keyring entry %s: %v (the database it opens is deleted all the same)", a, err))
			}
		}
	}
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
