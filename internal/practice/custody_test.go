package practice

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// custodyCalls records the key changes asked of it and fails them when told.
type custodyCalls struct {
	fail  error
	calls []string
	cur   []string
}

func (c *custodyCalls) KeyCustody(context.Context) (KeyCustody, error) {
	return KeyCustody{Passphrase: true}, nil
}

func (c *custodyCalls) note(name string, cur []byte) error {
	c.calls = append(c.calls, name)
	c.cur = append(c.cur, string(cur))
	return c.fail
}

func (c *custodyCalls) SetPassphrase(_ context.Context, cur, _ []byte) error {
	return c.note("passphrase", cur)
}
func (c *custodyCalls) SetRecovery(_ context.Context, cur, _ []byte) error {
	return c.note("recovery", cur)
}
func (c *custodyCalls) UseKeyring(_ context.Context, cur []byte) error { return c.note("keyring", cur) }

// TestKeyChangeReopensTheStore: a key change closes the store for the
// custody (which needs the data folder to itself) and opens it again, with
// the new passphrase after a change and as before after a failure.
func TestKeyChangeReopensTheStore(t *testing.T) {
	ctx := context.Background()
	k := &passKeys{dir: t.TempDir()}
	c := &custodyCalls{}
	app := Open(ctx, AppConfig{Keys: k, Rescue: k, Custody: c})
	t.Cleanup(func() { app.Close() })
	if err := app.Unlock(ctx, "the old passphrase"); err != nil {
		t.Fatal(err)
	}
	c.fail = errors.New("disk full")
	if err := app.SetPassphrase(ctx, "the old passphrase", "the new passphrase"); !errors.Is(err, c.fail) {
		t.Fatalf("failed change: %v", err)
	}
	if err := app.Err(); err != nil {
		t.Fatalf("after a failed change the store is not open: %v", err)
	}
	c.fail = nil
	// The stand-in custody does not re-key the file, so the App, opening
	// it again with the new passphrase as it should, cannot unlock it.
	if err := app.SetPassphrase(ctx, "the old passphrase", "the new passphrase"); !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("after the change: %v; want the store opened with the new passphrase", err)
	}
	if got := c.cur; len(got) != 2 || got[0] != "the old passphrase" || got[1] != "the old passphrase" {
		t.Fatalf("current passphrases handed to the custody: %q", got)
	}
	app.mu.Lock()
	pass := string(app.pass)
	app.mu.Unlock()
	if pass != "the new passphrase" {
		t.Fatalf("the store is reopened with %q, want the new passphrase", pass)
	}
}

// TestAppExportIsRecorded: an export made through the App (the window's
// way) is remembered for a wipe to offer.
func TestAppExportIsRecorded(t *testing.T) {
	ctx := context.Background()
	k := &passKeys{dir: t.TempDir(), file: []byte("file passphrase")}
	app := Open(ctx, AppConfig{Keys: k})
	t.Cleanup(func() { app.Close() })
	p := filepath.Join(t.TempDir(), "export.md")
	if err := app.Export(ctx, p, "markdown", false); err != nil {
		t.Fatal(err)
	}
	list, err := app.Exports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Path != p || list[0].State != ExportUnchanged {
		t.Fatalf("exports recorded: %+v", list)
	}
}
