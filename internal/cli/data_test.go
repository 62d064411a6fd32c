package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// recordingData is a DataDeps that records calls and opens no store: these
// tests check what the commands decide before they reach the store (argument
// checks, confirmation, validation). The real wiring is tested end to end in
// cmd/rehearse.
type recordingData struct {
	calls    []string
	rep      vault.WipeReport
	recovery bool
}

func (d *recordingData) Doctor(context.Context, Global) []Fact { return nil }
func (d *recordingData) Layout(g Global) (datadir.Layout, error) {
	return datadir.Resolve(g.DataDir)
}
func (d *recordingData) OpenPractice(context.Context, Global) (*practice.Service, func() error, error) {
	d.calls = append(d.calls, "open")
	return nil, nil, errors.New("no store in this test")
}
func (d *recordingData) OpenDamagedStore(context.Context, Global) (archive.Damaged, func() error, error) {
	d.calls = append(d.calls, "open damaged")
	return nil, nil, errors.New("no store in this test")
}
func (d *recordingData) Wipe(_ context.Context, _ Global, models bool) (vault.WipeReport, error) {
	d.calls = append(d.calls, map[bool]string{false: "wipe", true: "wipe+models"}[models])
	return d.rep, nil
}
func (d *recordingData) RotateKey(_ context.Context, _ Global, rec []byte) error {
	d.calls = append(d.calls, "rotate:"+string(rec))
	return nil
}
func (d *recordingData) SetPassphrase(_ context.Context, _ Global, p []byte) error {
	d.calls = append(d.calls, "set-passphrase:"+string(p))
	return nil
}
func (d *recordingData) UseKeyring(context.Context, Global) error {
	d.calls = append(d.calls, "use-keyring")
	return nil
}
func (d *recordingData) SetRecovery(_ context.Context, _ Global, p []byte) error {
	d.calls = append(d.calls, "set-recovery:"+string(p))
	return nil
}
func (d *recordingData) KeyStatus(context.Context, Global) (vault.Status, error) {
	d.calls = append(d.calls, "status")
	return vault.Status{Store: "/x/rehearse.db", Exists: true, Passphrase: true, Recovery: d.recovery}, nil
}
func (d *recordingData) StartOver(context.Context, Global) (vault.StartOverReport, error) {
	d.calls = append(d.calls, "start-over")
	return vault.StartOverReport{KeptKey: "/x/config/key-1.json.old"}, nil
}

func TestDataCommands(t *testing.T) {
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass")
	os.WriteFile(passFile, []byte("new passphrase here\nsecond line ignored\n"), 0o600)
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte("{\n  \"format\": \"rehearse-export\",\n  \"version\": 7,\n  \"sessions\": []\n}\n"), 0o600)
	tests := []struct {
		name   string
		args   []string
		code   int
		calls  string
		stderr string
		stdout string
	}{
		{"sessions without subcommand", []string{"sessions"}, 2, "", "say what to do", ""},
		{"sessions unknown", []string{"sessions", "frobnicate"}, 2, "", "unknown sessions command", ""},
		{"sessions show bad id", []string{"sessions", "show", "abc"}, 2, "", "not a session ID", ""},
		{"sessions days without expire", []string{"sessions", "list", "--days", "3"}, 2, "", "--days goes with expire", ""},
		{"sessions list opens", []string{"sessions", "list", "--json"}, 1, "open", "no store in this test", ""},
		{"export needs -o", []string{"export", "--format", "md"}, 2, "", "-o FILE", ""},
		{"export bad format", []string{"export", "--format", "pdf", "-o", "x"}, 2, "", "json or md", ""},
		{"import validates before opening", []string{"import", badJSON}, 1, "", "line 3: field \"version\" \"7\": made by a newer Rehearse", ""},
		{"import missing file", []string{"import", filepath.Join(dir, "nope.json")}, 1, "", "no such file", ""},
		{"wipe off a terminal", []string{"wipe"}, 2, "", "--yes", ""},
		{"wipe --yes", []string{"wipe", "--yes"}, 0, "wipe", "", "wiped"},
		{"wipe --yes --models", []string{"wipe", "--models", "--yes"}, 0, "wipe+models", "", "wiped"},
		{"key status", []string{"key", "status"}, 0, "status", "", "your passphrase"},
		{"key rotate", []string{"key", "rotate", "--recovery-file", passFile}, 0, "rotate:new passphrase here", "", "new key"},
		{"key set-passphrase from file", []string{"key", "set-passphrase", "--new-passphrase-file", passFile}, 0, "set-passphrase:new passphrase here", "", ""},
		{"key set-passphrase off a terminal", []string{"key", "set-passphrase"}, 2, "", "--new-passphrase-file FILE", ""},
		{"key set-recovery --remove", []string{"key", "set-recovery", "--remove"}, 0, "set-recovery:", "", "removed"},
		{"key use-keyring", []string{"key", "use-keyring"}, 0, "use-keyring", "", "OS keyring"},
		{"key unknown", []string{"key", "show"}, 2, "", "unknown key command", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &recordingData{}
			var out, errOut bytes.Buffer
			args := append([]string{"--data-dir", filepath.Join(dir, "data")}, tt.args...)
			// Stdin is a pipe-like reader, never a terminal.
			code := Main(context.Background(), args, strings.NewReader(""), &out, &errOut, &Deps{Data: d, Keys: d, Practice: d})
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut.String())
			}
			if got := strings.Join(d.calls, ","); got != tt.calls {
				t.Errorf("calls %q, want %q", got, tt.calls)
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr %q, want %q", errOut.String(), tt.stderr)
			}
			if !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("stdout %q, want %q", out.String(), tt.stdout)
			}
		})
	}
}

func TestRotateNeedsRecoveryFile(t *testing.T) {
	d := &recordingData{recovery: true}
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"key", "rotate"}, strings.NewReader(""), &out, &errOut, &Deps{Data: d, Keys: d, Practice: d})
	if code != 2 || !strings.Contains(errOut.String(), "--recovery-file FILE") || strings.Join(d.calls, ",") != "status" {
		t.Fatalf("exit %d calls %v stderr %q", code, d.calls, errOut.String())
	}
}
