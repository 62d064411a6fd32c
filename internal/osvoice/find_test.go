package osvoice

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeProgram writes an executable shell script name into dir that logs
// its arguments, and its standard input, to log.
func fakeProgram(t *testing.T, dir, name, log string) {
	t.Helper()
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + log + "'\necho --- >> '" + log + "'\n/bin/cat >> '" + log + "'\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestFindForEachSystem: each operating system gets its own engine, and
// the command line each engine runs carries the voice, the speed and the
// text the way that program expects it (text never as an option).
func TestFindForEachSystem(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake programs are shell scripts")
	}
	tests := []struct {
		goos, program, engine string
		want                  []string // in the logged command line and input
	}{
		{"darwin", "say", "say", []string{"-r\n257\n", "-f\n-\n", "-v\nAlex\n", "---\n-Why this role?"}},
		{"windows", "powershell.exe", "Windows speech (SAPI)", []string{"-NoProfile", "SelectVoice($env:REHEARSE_VOICE)", "---\n-Why this role?"}},
		{"freebsd", "espeak-ng", "espeak-ng", []string{"-s\n257\n", "-v\nAlex\n", "--\n-Why this role?\n"}},
		{"linux", "espeak-ng", "espeak-ng", []string{"-s\n257\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "log")
			fakeProgram(t, dir, tt.program, log)
			t.Setenv("PATH", dir)
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
			e, err := findFor(tt.goos)
			if err != nil {
				t.Fatal(err)
			}
			if e.name() != tt.engine {
				t.Fatalf("engine %q, want %q", e.name(), tt.engine)
			}
			s := &Speaker{eng: e}
			s.SetVoice("Alex")
			s.SetRate(30)
			if err := s.Speak(context.Background(), "-Why this role?"); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("command line and input lack %q:\n%s", w, b)
				}
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		for _, goos := range []string{"linux", "darwin", "windows", "freebsd"} {
			if _, err := findFor(goos); err != ErrNoVoice {
				t.Errorf("%s with no program: %v, want ErrNoVoice", goos, err)
			}
		}
	})
}
