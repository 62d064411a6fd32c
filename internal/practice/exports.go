package practice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// SettingExports records the files Rehearse exported (their paths and
// checksums), inside the encrypted store: a wipe offers to delete them too,
// but only those still exactly as Rehearse wrote them.
const SettingExports = "exports"

// ExportedFile is one file an export wrote.
type ExportedFile struct {
	Path   string    `json:"path"`
	SHA256 string    `json:"sha256"`
	Size   int64     `json:"size"`
	At     time.Time `json:"at"`
	// State is how the file is now: ExportUnchanged, ExportChanged or
	// ExportGone (worked out when the list is read; not stored).
	State string `json:"-"`
}

// The states of an exported file.
const (
	ExportUnchanged = "unchanged" // as Rehearse wrote it: a wipe may delete it
	ExportChanged   = "changed"   // edited or replaced since: it is the user's now
	ExportGone      = "gone"      // moved or deleted
)

// fileDigest is the SHA-256 and size of the file at path.
func fileDigest(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// state says whether f is still as Rehearse wrote it.
func (f ExportedFile) state() string {
	fi, err := os.Lstat(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return ExportGone
	}
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
		return ExportChanged
	}
	sum, _, err := fileDigest(f.Path)
	if err != nil || sum != f.SHA256 {
		return ExportChanged
	}
	return ExportUnchanged
}

func (s *Service) exports(ctx context.Context) ([]ExportedFile, error) {
	v, ok, err := s.cfg.Store.Setting(ctx, SettingExports)
	if err != nil || !ok || v == "" {
		return nil, err
	}
	var out []ExportedFile
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		// A damaged list offers nothing to delete; it never stops a wipe.
		return nil, nil
	}
	return out, nil
}

// RecordExport remembers that an export wrote the file at path, as it is
// now. A later export to the same path replaces the entry.
func (s *Service) RecordExport(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	sum, size, err := fileDigest(abs)
	if err != nil {
		return fmt.Errorf("check the export %q: %w", abs, err)
	}
	list, err := s.exports(ctx)
	if err != nil {
		return err
	}
	keep := list[:0]
	for _, f := range list {
		if f.Path != abs {
			keep = append(keep, f)
		}
	}
	keep = append(keep, ExportedFile{Path: abs, SHA256: sum, Size: size, At: s.cfg.Now().UTC()})
	b, err := json.Marshal(keep)
	if err != nil {
		return err
	}
	return s.cfg.Store.SetSetting(ctx, SettingExports, string(b))
}

// Exports lists the files Rehearse exported, each with its State now.
func (s *Service) Exports(ctx context.Context) ([]ExportedFile, error) {
	list, err := s.exports(ctx)
	for i := range list {
		list[i].State = list[i].state()
	}
	return list, err
}

// DeleteExports deletes those of files that are still exactly as Rehearse
// wrote them (checked again just before each is deleted) and returns the
// paths deleted; the others are left alone.
func DeleteExports(files []ExportedFile) ([]string, error) {
	var deleted []string
	var errs []error
	for _, f := range files {
		if f.state() != ExportUnchanged {
			continue
		}
		if err := os.Remove(f.Path); err != nil {
			errs = append(errs, fmt.Errorf("delete the export %q: %w", f.Path, err))
			continue
		}
		deleted = append(deleted, f.Path)
	}
	return deleted, errors.Join(errs...)
}

// Exports lists the files Rehearse exported from the open store.
func (a *App) Exports(ctx context.Context) ([]ExportedFile, error) {
	return with(a, func(s *Service) ([]ExportedFile, error) { return s.Exports(ctx) })
}
