//go:build unix

package vault

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fileLock is an exclusive advisory lock (flock) on the lock file of the
// data folder.
//
// Rehearse keeps one process per data folder rather than letting two share
// the database: SQLite itself would serialise the writes, but two windows
// would each cache sessions, rotate or wipe the key under the other's feet,
// and a wipe must know nobody still has the store open. flock is released by
// the kernel when the process dies, so a crash never leaves a stale lock.
type fileLock struct{ f *os.File }

func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %q: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w; close it first (lock file %s)", rehearse.ErrAlreadyRunning, path)
		}
		return nil, fmt.Errorf("lock %q: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() {
	if l == nil || l.f == nil {
		return
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
