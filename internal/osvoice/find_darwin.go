package osvoice

import "os/exec"

// findEngine uses macOS's built-in `say`.
func findEngine() (engine, error) {
	if p, err := exec.LookPath("say"); err == nil {
		return say{path: p}, nil
	}
	return nil, ErrNoVoice
}
