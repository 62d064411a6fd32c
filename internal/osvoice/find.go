package osvoice

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// candidate is one way of speaking: a program looked up in PATH, on the
// operating systems it belongs to ("" for any).
type candidate struct {
	goos     string
	programs []string
	// usable reports whether the program found can speak now (nil: yes).
	usable func() bool
	engine func(path string) engine
}

// candidates in order of preference. On Linux speech-dispatcher comes
// first, so the voice is the one the user configured for the desktop's
// other speech; espeak-ng, played directly, is the fallback there and on
// other systems that have it. macOS has `say`, Windows its SAPI voices
// through PowerShell.
var candidates = []candidate{
	{goos: "linux", programs: []string{"spd-say"}, usable: speechdAvailable, engine: func(p string) engine { return speechd{path: p} }},
	{goos: "darwin", programs: []string{"say"}, engine: func(p string) engine { return say{path: p} }},
	{goos: "windows", programs: []string{"powershell.exe", "pwsh.exe"}, engine: func(p string) engine { return sapi{path: p} }},
	{programs: []string{"espeak-ng", "espeak"}, engine: func(p string) engine { return espeak{path: p} }},
}

func findEngine() (engine, error) { return findFor(runtime.GOOS) }

// findFor returns the first candidate for goos whose program is installed.
func findFor(goos string) (engine, error) {
	for _, c := range candidates {
		if c.goos != "" && c.goos != goos {
			continue
		}
		for _, name := range c.programs {
			p, err := exec.LookPath(name)
			if err != nil || (c.usable != nil && !c.usable()) {
				continue
			}
			return c.engine(p), nil
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
