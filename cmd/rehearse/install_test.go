package main

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The desktop install is driven through the real Makefile targets: `make
// install` into a temporary HOME (per-user) or PREFIX (system-wide layout),
// the entry checked with desktop-file-validate, then `make uninstall`, which
// must leave every file it did not write.

// fyneAppField reads one `Key = "value"` line of FyneApp.toml.
func fyneAppField(t *testing.T, key string) string {
	t.Helper()
	b, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + key + ` *= *"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("FyneApp.toml has no %s", key)
	}
	return string(m[1])
}

// The window's app ID decides where Fyne keeps preferences and how the desktop
// matches the window to its entry; it must be the one the package declares.
func TestFyneAppIDMatchesWindow(t *testing.T) {
	id := fyneAppField(t, "ID")
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "ui", "ui.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(`app.NewWithID("`+id+`")`)) {
		t.Fatalf("internal/ui does not open the window as %q (the ID in FyneApp.toml)", id)
	}
}

// installBinary returns a rehearse binary and the version it reports: bin/rehearse
// when `make build` made it from this FyneApp.toml version, otherwise one built once here.
func installBinary(t *testing.T, appVersion string) (bin, version string) {
	t.Helper()
	versionOf := func(path string) string {
		out, err := exec.Command(path, "version").Output()
		if err != nil {
			return ""
		}
		f := strings.Fields(string(out))
		if len(f) < 2 || f[0] != "rehearse" {
			return ""
		}
		return f[1]
	}
	if abs, err := filepath.Abs(filepath.Join("..", "..", "bin", "rehearse")); err == nil {
		if v := versionOf(abs); strings.HasPrefix(v, appVersion+"+") {
			return abs, v
		}
	}
	bin = filepath.Join(t.TempDir(), "rehearse")
	version = appVersion + "+installtest"
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version="+version, "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if got := versionOf(bin); got != version {
		t.Fatalf("built binary reports version %q, want %q", got, version)
	}
	return bin, version
}

func TestMakeInstallUninstall(t *testing.T) {
	for _, tool := range []string{"make", "desktop-file-validate", "go", "tar", "xz"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the install test: run 'make deps' (desktop-file-validate is in desktop-file-utils)", tool)
		}
	}
	id, appVersion := fyneAppField(t, "ID"), fyneAppField(t, "Version")
	bin, version := installBinary(t, appVersion)
	metadata, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if now, err := os.ReadFile("FyneApp.toml"); err != nil || !bytes.Equal(now, metadata) {
			t.Errorf("installing changed FyneApp.toml:\n%s", now)
		}
	})
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The go command keeps using the real caches when HOME moves.
	var goEnv []string
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		goEnv = append(goEnv, k+"="+strings.TrimSpace(string(out)))
	}

	for _, tc := range []struct {
		name     string
		prefix   func(home string) string
		makeArgs func(home string) []string
	}{
		{"per-user", func(home string) string { return filepath.Join(home, ".local") },
			func(string) []string { return nil }},
		{"prefix", func(home string) string { return filepath.Join(home, "usr-local") },
			func(home string) []string { return []string{"PREFIX=" + filepath.Join(home, "usr-local")} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			prefix := tc.prefix(home)
			binDir := filepath.Join(prefix, "bin")
			appsDir := filepath.Join(prefix, "share", "applications")
			iconDir := filepath.Join(prefix, "share", "icons", "hicolor", "256x256", "apps")
			// Files of other programs in the same folders: uninstall must keep them.
			others := []string{filepath.Join(binDir, "other-tool"), filepath.Join(appsDir, "other.desktop"),
				filepath.Join(iconDir, "other.png")}
			for _, f := range others {
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, []byte("not Rehearse's"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := append(os.Environ(), "HOME="+home, "MAKEFLAGS=", "MAKELEVEL=")
			env = append(env, goEnv...)
			run := func(target string) string {
				args := append([]string{"-C", repo, target, "BIN=" + bin, "VERSION=" + version}, tc.makeArgs(home)...)
				cmd := exec.Command("make", args...)
				cmd.Env = env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("make %s: %v\n%s", target, err, out)
				}
				return string(out)
			}

			run("install")
			exe := filepath.Join(binDir, "rehearse")
			desktopFile := filepath.Join(appsDir, id+".desktop")
			icon := filepath.Join(iconDir, id+".png")
			if out, err := exec.Command(exe, "version").Output(); err != nil ||
				!strings.HasPrefix(string(out), "rehearse "+appVersion+"+") {
				t.Fatalf("installed binary: %q, %v; want version %s+…", out, err, appVersion)
			}
			out, err := exec.Command("desktop-file-validate", desktopFile).CombinedOutput()
			if err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Fatalf("desktop-file-validate %s: %v\n%s", desktopFile, err, out)
			}
			entry, err := os.ReadFile(desktopFile)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range []string{"Name=Rehearse", "Exec=" + exe, "Icon=" + id, "Type=Application"} {
				if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).Match(entry) {
					t.Errorf("%s lacks the line %q:\n%s", desktopFile, line, entry)
				}
			}
			f, err := os.Open(icon)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil || cfg.Width != 256 || cfg.Height != 256 {
				t.Fatalf("icon %s: %dx%d, %v; want a 256x256 PNG", icon, cfg.Width, cfg.Height, err)
			}

			run("uninstall")
			for _, f := range []string{exe, desktopFile, icon} {
				if _, err := os.Stat(f); !os.IsNotExist(err) {
					t.Errorf("uninstall left %s (%v)", f, err)
				}
			}
			for _, f := range others {
				if b, err := os.ReadFile(f); err != nil || string(b) != "not Rehearse's" {
					t.Errorf("uninstall touched %s: %q, %v", f, b, err)
				}
			}
		})
	}
}
