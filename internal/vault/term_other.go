//go:build !linux

package vault

import (
	"errors"
	"os"
)

// Elsewhere than Linux, passphrases come from --passphrase-file (or the
// window); the terminal cannot hide what is typed.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func readHidden(f *os.File) ([]byte, error) {
	return nil, errors.New("cannot hide typing on this terminal: use --passphrase-file FILE")
}
