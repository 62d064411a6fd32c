package local

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/bytesize"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/keyring"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// Data is the data folder's encrypted store and its key custody for the
// command line: the OS keyring, key custody (vault) and SQLCipher together.
type Data struct {
	KDF    vault.KDFParams // zero: vault.DefaultKDF
	Stdin  *os.File        // where passphrases are asked when it is a terminal
	Prompt io.Writer       // where questions and notes go
	Now    func() time.Time
}

var _ cli.DataDeps = (*Data)(nil)

// NewData asks for passphrases on the terminal of this process.
func NewData() *Data {
	return &Data{Stdin: os.Stdin, Prompt: os.Stderr, Now: time.Now}
}

// openSQLCipher opens the encrypted store at path with the raw key.
func openSQLCipher(ctx context.Context, path string, key []byte) (vault.KeyedStore, error) {
	return sqlcipher.Open(ctx, path, key, sqlcipher.Options{})
}

// Vault builds the key custody of g's data folder; ask overrides how
// passphrases are obtained (nil: a passphrase file, else the terminal).
func (d *Data) Vault(g cli.Global, ask vault.Asker) (*vault.Vault, error) {
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return nil, err
	}
	if ask == nil {
		ask = d.asker(g)
	}
	return vault.New(d.Keys(l, ask).Options), nil
}

// Keys is the key custody of the data folder l for the practice core;
// passphrases not typed in the window come from ask.
func (d *Data) Keys(l datadir.Layout, ask vault.Asker) vault.Keys {
	return vault.Keys{
		Options: vault.Options{Layout: l, Open: openSQLCipher, Keyring: keyring.New(), Ask: ask, KDF: d.KDF},
		Damaged: openDamagedSQLCipher,
	}
}

func (d *Data) asker(g cli.Global) vault.Asker {
	switch {
	case g.PassphraseFile != "":
		return vault.FileAsker(g.PassphraseFile)
	case d.Stdin != nil && vault.IsTerminal(d.Stdin):
		return vault.TerminalAsker(d.Stdin, d.Prompt)
	}
	return vault.NoAsker
}

func (d *Data) Layout(g cli.Global) (datadir.Layout, error) { return datadir.Resolve(g.DataDir) }

// OpenDamagedStore opens a damaged store read-only (sqlcipher.OpenDamaged).
func (d *Data) OpenDamagedStore(ctx context.Context, g cli.Global) (archive.Damaged, func() error, error) {
	v, err := d.Vault(g, nil)
	if err != nil {
		return nil, nil, err
	}
	s, err := v.OpenDamaged(ctx, openDamagedSQLCipher)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

func openDamagedSQLCipher(ctx context.Context, path string, key []byte) (vault.KeyedStore, error) {
	return sqlcipher.OpenDamaged(ctx, path, key)
}

func (d *Data) Wipe(ctx context.Context, g cli.Global, includeModels bool) (vault.WipeReport, error) {
	v, err := d.Vault(g, nil)
	if err != nil {
		return vault.WipeReport{}, err
	}
	return v.Wipe(ctx, includeModels)
}

func (d *Data) RotateKey(ctx context.Context, g cli.Global, recovery []byte) error {
	v, err := d.Vault(g, nil)
	if err != nil {
		return err
	}
	return v.Rotate(ctx, recovery)
}

func (d *Data) SetPassphrase(ctx context.Context, g cli.Global, pass []byte) error {
	v, err := d.Vault(g, nil)
	if err != nil {
		return err
	}
	return v.SetPassphrase(ctx, pass)
}

func (d *Data) UseKeyring(ctx context.Context, g cli.Global) error {
	v, err := d.Vault(g, nil)
	if err != nil {
		return err
	}
	return v.UseKeyring(ctx)
}

func (d *Data) SetRecovery(ctx context.Context, g cli.Global, pass []byte) error {
	v, err := d.Vault(g, nil)
	if err != nil {
		return err
	}
	return v.SetRecovery(ctx, pass)
}

func (d *Data) StartOver(ctx context.Context, g cli.Global) (vault.StartOverReport, error) {
	v, err := d.Vault(g, nil)
	if err != nil {
		return vault.StartOverReport{}, err
	}
	return v.StartOver(ctx, "set-aside")
}

func (d *Data) KeyStatus(ctx context.Context, g cli.Global) (vault.Status, error) {
	v, err := d.Vault(g, nil)
	if err != nil {
		return vault.Status{}, err
	}
	return v.Status(ctx)
}

// Doctor reports encryption, keyring, key custody and the data folder.
func (d *Data) Doctor(ctx context.Context, g cli.Global) []cli.Fact {
	var facts []cli.Fact
	if ver, prov, err := sqlcipher.Probe(ctx); err != nil {
		facts = append(facts, cli.Fact{Name: "encryption", Value: err.Error(), Needed: true,
			Fix: "build with SQLCipher 4 (install libsqlcipher-dev 4.x, then 'make build')"})
	} else {
		facts = append(facts, cli.Fact{Name: "encryption", OK: true, Needed: true,
			Value: fmt.Sprintf("active: SQLCipher %s (%s); pages: AES-256-CBC, HMAC-SHA256 in new stores; %s", ver, prov, sqlcipher.PageCrypto())})
	}
	kr := keyring.New()
	if err := kr.Available(ctx); err != nil {
		facts = append(facts, cli.Fact{Name: "keyring", Value: err.Error(),
			Fix: "start a Secret Service (e.g. gnome-keyring), or keep the key under a passphrase: 'rehearse key set-passphrase'"})
	} else {
		facts = append(facts, cli.Fact{Name: "keyring", Value: "OS keyring reachable", OK: true})
	}
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return append(facts, cli.Fact{Name: "data folder", Value: err.Error(), Needed: true})
	}
	// The store is checked only with a key that needs no asking.
	ask := vault.NoAsker
	if g.PassphraseFile != "" {
		ask = vault.FileAsker(g.PassphraseFile)
	}
	v, err := d.Vault(g, ask)
	if err != nil {
		return append(facts, cli.Fact{Name: "data folder", Value: err.Error(), Needed: true})
	}
	h := v.Check(ctx, 2*time.Second)
	facts = append(facts, cli.Fact{Name: "practice store", Value: h.String(), OK: h.OK, Needed: true, Fix: h.Fix})
	if st, err := v.Status(ctx); err != nil {
		facts = append(facts, cli.Fact{Name: "key", Value: err.Error(), Fix: "if the key file is damaged, restore it or wipe with 'rehearse wipe'"})
	} else {
		ok := !st.Missing && (!st.Exists || st.Passphrase || st.Recovery || st.KeyringOK)
		f := cli.Fact{Name: "key", Value: st.String(), OK: ok}
		if !ok && !st.Missing {
			f.Fix = "unlock needs the keyring back, or a recovery passphrase"
		}
		facts = append(facts, f)
	}
	size, files := folderSize(l)
	facts = append(facts, cli.Fact{Name: "data folder", Value: fmt.Sprintf("%s (%s in %d files)", l.Data, bytesize.Format(size), files), OK: true})
	return facts
}

func folderSize(l datadir.Layout) (int64, int) {
	var n int64
	files := 0
	seen := map[string]bool{}
	for _, dir := range []string{l.Data, l.Config, l.Cache} {
		filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || seen[p] {
				return nil
			}
			seen[p] = true
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
				files++
			}
			return nil
		})
	}
	return n, files
}
