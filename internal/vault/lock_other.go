//go:build !unix

package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fileLock keeps a second Rehearse out of the data folder (see lock_unix.go
// for why). Without flock, the lock file is created exclusively and removed
// on release; a crash can leave it behind, and the message says so.
type fileLock struct{ path string }

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w; close it first (if none is running, delete the lock file %s)", rehearse.ErrAlreadyRunning, path)
	}
	if err != nil {
		return nil, fmt.Errorf("open lock file %q: %w", path, err)
	}
	f.Close()
	return &fileLock{path: path}, nil
}

func (l *fileLock) release() {
	if l == nil || l.path == "" {
		return
	}
	os.Remove(l.path)
	l.path = ""
}
