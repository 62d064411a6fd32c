//go:build !linux && !darwin && !windows

package osvoice

import "os/exec"

// findEngine: other systems may have espeak-ng.
func findEngine() (engine, error) {
	for _, name := range []string{"espeak-ng", "espeak"} {
		if p, err := exec.LookPath(name); err == nil {
			return espeak{path: p}, nil
		}
	}
	return nil, ErrNoVoice
}
