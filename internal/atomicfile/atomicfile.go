// Package atomicfile writes files so that a reader, or the next start after
// a crash, sees either the old content or the new one, never a part: the
// data goes to a temporary file in the same folder, readable by the user
// only, is synced, and is then renamed over the target. A full disk and a
// read-only folder are reported with the shared domain errors.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Write creates or replaces path with what write produces. The file is
// created with mode 0600 in path's folder, which must exist.
func Write(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	if err := write(f); err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	ok = true
	// Make the rename itself durable.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteBytes is Write for data already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Classify marks a full disk and a read-only folder with the shared errors
// rehearse.ErrDiskFull and rehearse.ErrReadOnly, keeping the original.
func Classify(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%w: %w", rehearse.ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%w: %w", rehearse.ErrReadOnly, err)
	}
	return err
}
