//go:build !linux && !darwin && !windows

package models

import "errors"

func freeSpace(dir string) (int64, error) {
	return 0, errors.New("free space is not known on this system")
}
