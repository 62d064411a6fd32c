//go:build linux || darwin

package models

import (
	"fmt"

	"golang.org/x/sys/unix"
)

func freeSpace(dir string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("free space in %q: %w", dir, err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
