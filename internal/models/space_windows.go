//go:build windows

package models

import (
	"fmt"

	"golang.org/x/sys/windows"
)

func freeSpace(dir string) (int64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("free space in %q: %w", dir, err)
	}
	return int64(avail), nil
}
