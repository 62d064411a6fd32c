package osvoice

import (
	"os"
	"os/exec"
	"path/filepath"
)

// findEngine prefers speech-dispatcher, the desktop's speech service, so
// the voice is the one the user configured for everything else; without it,
// espeak-ng plays directly.
func findEngine() (engine, error) {
	if p, err := exec.LookPath("spd-say"); err == nil && speechdAvailable() {
		return speechd{path: p}, nil
	}
	for _, name := range []string{"espeak-ng", "espeak"} {
		if p, err := exec.LookPath(name); err == nil {
			return espeak{path: p}, nil
		}
	}
	return nil, ErrNoVoice
}

// speechdAvailable: spd-say needs a running daemon or the daemon's program
// to start one.
func speechdAvailable() bool {
	if _, err := exec.LookPath("speech-dispatcher"); err == nil {
		return true
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "speech-dispatcher", "speechd.sock")); err == nil {
			return true
		}
	}
	return false
}
