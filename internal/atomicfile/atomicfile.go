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
//
// The temporary file is locked while it is written. A process killed
// mid-way leaves its temporary file behind (an export's is plaintext): the
// next Write to the same path removes every such file whose lock is free.
func Write(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	pattern := "." + filepath.Base(path) + ".tmp-"
	sweep(dir, pattern)
	f, err := os.CreateTemp(dir, pattern+"*")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, Classify(err))
	}
	tmp := f.Name()
	// Held until f is closed; it tells a running Write from a dead one.
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %q: lock the temporary file: %w", path, err)
	}
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

// sweep removes the temporary files named pattern* in dir that no running
// Write holds: those of a process that was killed while writing.
func sweep(dir, pattern string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || len(name) <= len(pattern) || name[:len(pattern)] != pattern {
			continue
		}
		p := filepath.Join(dir, name)
		if f, err := os.Open(p); err == nil {
			if abandoned(f) {
				os.Remove(p)
			}
			f.Close()
		}
	}
}
