package models

import (
	"os"
	"path/filepath"
)

// FreeSpace is the disk space available to this user where the models
// are kept (the nearest folder of Dir that exists), so that what a model
// costs can be put next to what is free.
func (m *Manager) FreeSpace() (int64, error) {
	dir := m.Dir
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return freeSpace(dir)
}
