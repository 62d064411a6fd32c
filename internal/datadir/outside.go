package datadir

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
)

// OutsideName is the file in the config folder that lists what Rehearse's
// window created outside Rehearse's folders: the window toolkit's folder
// for Rehearse (its preferences remember, for one, the last folder a file
// dialog showed) and files the toolkit added to the user's shared cache and
// config folders on its first run (a font index). A wipe deletes them.
const OutsideName = "outside.json"

// Outside is what Rehearse created outside its folders.
type Outside struct {
	// AppFolder is the window toolkit's folder of Rehearse's own (named
	// after Rehearse's app id); a wipe deletes it with its contents.
	AppFolder string `json:"app_folder,omitempty"`
	// Created are files and folders that did not exist before Rehearse's
	// window first ran: files are deleted, folders only when empty.
	Created []string `json:"created,omitempty"`
}

// ReadOutside reads the list (empty when there is none or it cannot be read:
// a wipe then leaves those files, it never guesses).
func (l Layout) ReadOutside() Outside {
	var o Outside
	b, err := os.ReadFile(filepath.Join(l.Config, OutsideName))
	if err != nil {
		return o
	}
	_ = json.Unmarshal(b, &o)
	return o
}

// RememberOutside adds to the list. Only absolute paths are kept. Without
// the config folder (after a wipe) nothing is recorded: the list would be
// the one file of Rehearse's left.
func (l Layout) RememberOutside(add Outside) error {
	if _, err := os.Stat(l.Config); err != nil {
		return nil
	}
	o := l.ReadOutside()
	if filepath.IsAbs(add.AppFolder) {
		o.AppFolder = filepath.Clean(add.AppFolder)
	}
	seen := map[string]bool{}
	var all []string
	for _, p := range append(o.Created, add.Created...) {
		if p = filepath.Clean(p); filepath.IsAbs(p) && !seen[p] {
			seen[p] = true
			all = append(all, p)
		}
	}
	sort.Strings(all)
	o.Created = all
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(l.Config, OutsideName), append(b, '\n'))
}

// SharedRoots are the user's shared folders the window toolkit writes
// into: the user cache and config folders.
func SharedRoots() []string {
	var out []string
	if d, err := os.UserCacheDir(); err == nil {
		out = append(out, filepath.Clean(d))
	}
	if d, err := os.UserConfigDir(); err == nil {
		out = append(out, filepath.Clean(d))
	}
	return out
}

// Snapshot lists the entries of the shared roots and of their direct
// subfolders (where a toolkit keeps per-app folders), to tell afterwards
// what a run created.
func Snapshot() map[string]bool {
	seen := map[string]bool{}
	for _, root := range SharedRoots() {
		seen[root] = rootExists(root)
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			p := filepath.Join(root, e.Name())
			seen[p] = true
			if e.IsDir() {
				sub, _ := os.ReadDir(p)
				for _, s := range sub {
					seen[filepath.Join(p, s.Name())] = true
				}
			}
		}
	}
	return seen
}

func rootExists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

// NewSince lists what exists now in the shared roots (two levels deep, as
// Snapshot) that before did not, leaving out Rehearse's own folders.
func (l Layout) NewSince(before map[string]bool) []string {
	now := Snapshot()
	var out []string
	for p := range now {
		if before[p] || l.isOwn(p) {
			continue
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// isOwn reports whether p is one of the layout's folders or lies in one.
func (l Layout) isOwn(p string) bool {
	for _, d := range l.Folders() {
		rel, err := filepath.Rel(d, p)
		if err == nil && rel != ".." && !filepath.IsAbs(rel) && (rel == "." || !startsWithDotDot(rel)) {
			return true
		}
	}
	return false
}

func startsWithDotDot(rel string) bool {
	return len(rel) >= 2 && rel[:2] == ".." && (len(rel) == 2 || os.IsPathSeparator(rel[2]))
}
