// Package datadir says where Rehearse keeps its files on this computer: the
// platform's user data, config and cache folders (XDG on Linux, so HOME and
// XDG_* relocate everything), or one folder given by the user.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

const appName = "rehearse"

// Layout is the set of folders and files Rehearse uses.
type Layout struct {
	Data   string // the encrypted database and kept state
	Config string // key-wrapping metadata and small preferences (no personal data)
	Cache  string // scratch space; never holds plaintext personal data
	Models string // downloaded speech models (kept by a wipe unless asked)
}

// DB is the path of the encrypted practice database.
func (l Layout) DB() string { return filepath.Join(l.Data, "rehearse.db") }

// Lock is the path of the lock file that keeps a second instance out.
func (l Layout) Lock() string { return filepath.Join(l.Data, "rehearse.lock") }

// Resolve returns the layout. A non-empty override puts everything under
// that one folder; otherwise the platform's user folders are used.
func Resolve(override string) (Layout, error) {
	if override != "" {
		abs, err := filepath.Abs(override)
		if err != nil {
			return Layout{}, fmt.Errorf("data folder %q: %w", override, err)
		}
		return Layout{
			Data:   abs,
			Config: filepath.Join(abs, "config"),
			Cache:  filepath.Join(abs, "cache"),
			Models: filepath.Join(abs, "models"),
		}, nil
	}
	data, err := userDataDir()
	if err != nil {
		return Layout{}, err
	}
	config, err := os.UserConfigDir()
	if err != nil {
		return Layout{}, fmt.Errorf("find the config folder: %w", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return Layout{}, fmt.Errorf("find the cache folder: %w", err)
	}
	d := filepath.Join(data, appName)
	return separate(Layout{
		Data:   d,
		Config: filepath.Join(config, appName),
		Cache:  filepath.Join(cache, appName),
		Models: filepath.Join(d, "models"),
	}), nil
}

// separate keeps the config and cache folders apart from the data folder
// where the platform puts them in the same place (macOS: config and data
// are both under Application Support; Windows: cache and data are both
// under LocalAppData), so that clearing one never clears the others —
// a wipe removes config and cache but keeps the models in the data folder.
func separate(l Layout) Layout {
	if samePath(l.Config, l.Data) {
		l.Config = filepath.Join(l.Data, "config")
	}
	if samePath(l.Cache, l.Data) {
		l.Cache = filepath.Join(l.Data, "cache")
	}
	return l
}

func samePath(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }

// Ensure creates the folders, readable by the user only, and leaves the
// marker (MarkerName) in each: it records that Rehearse uses the folder and
// whether Rehearse created it, which is what a wipe goes by.
func (l Layout) Ensure() error {
	folders := l.Folders()
	// Which folders are new is decided before any is made: a folder made
	// only as the parent of another is still Rehearse's creation.
	created := map[string]bool{}
	parents := map[string][]string{}
	for _, d := range folders {
		_, err := os.Lstat(d)
		created[d] = errors.Is(err, fs.ErrNotExist)
		for p := filepath.Dir(d); created[d] && p != filepath.Dir(p); p = filepath.Dir(p) {
			if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
				break
			}
			parents[d] = append(parents[d], p)
		}
	}
	for _, d := range folders {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("create folder %q: %w", d, err)
		}
		if _, ok, _ := ReadMarker(d); ok {
			continue
		}
		if err := WriteMarker(d, Marker{Created: created[d], Parents: parents[d]}); err != nil {
			return err
		}
	}
	return nil
}

func userDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "darwin", "ios":
		return os.UserConfigDir() // ~/Library/Application Support
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the data folder: %w", err)
	}
	return filepath.Join(home, ".local", "share"), nil
}
