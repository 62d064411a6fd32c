package osvoice

import "os/exec"

// findEngine uses the SAPI voices every Windows installation has, through
// Windows PowerShell.
func findEngine() (engine, error) {
	for _, name := range []string{"powershell.exe", "pwsh.exe"} {
		if p, err := exec.LookPath(name); err == nil {
			return sapi{path: p}, nil
		}
	}
	return nil, ErrNoVoice
}
