package promises

import (
	"context"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/keyring"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// layout is the sandbox's data layout as the program resolves it.
func (s *sandbox) layout() datadir.Layout {
	return datadir.Layout{
		Data:   s.dataDir(),
		Config: s.configDir(),
		Cache:  s.cacheDir(),
		Models: filepath.Join(s.dataDir(), "models"),
	}
}

// vault is the key custody of the sandbox's data folder, unlocked the way
// the program unlocks it (passphrase file, or the real Secret Service).
// The last SQLCipher store it opened is put in *opened.
func (s *sandbox) vault(opened **sqlcipher.Store) *vault.Vault {
	opt := vault.Options{
		Layout: s.layout(),
		Open: func(ctx context.Context, path string, key []byte) (vault.KeyedStore, error) {
			st, err := sqlcipher.Open(ctx, path, key, sqlcipher.Options{})
			if err == nil && opened != nil {
				*opened = st
			}
			return st, err
		},
	}
	if s.keyring {
		opt.Keyring = keyring.New()
	} else {
		opt.Ask = vault.FileAsker(s.passFile)
	}
	return vault.New(opt)
}

// openStore opens the sandbox's store in this process (holding the data
// folder's lock until closed by t.Cleanup or by the caller).
func (s *sandbox) openStore(ctx context.Context) (rehearse.Store, *sqlcipher.Store) {
	s.t.Helper()
	var raw *sqlcipher.Store
	st, err := s.vault(&raw).Open(ctx)
	if err != nil {
		s.t.Fatalf("open the store in the test: %v", err)
	}
	s.t.Cleanup(func() { st.Close() })
	return st, raw
}

// checkStore opens the store, runs SQLite's integrity check and returns
// the IDs of every answer in it.
func (s *sandbox) checkStore(ctx context.Context) map[int64]rehearse.Attempt {
	s.t.Helper()
	st, raw := s.openStore(ctx)
	defer st.Close()
	if err := raw.IntegrityCheck(ctx); err != nil {
		s.t.Fatalf("integrity check: %v", err)
	}
	all, err := st.AllAttempts(ctx, time.Time{})
	if err != nil {
		s.t.Fatalf("list answers: %v", err)
	}
	out := make(map[int64]rehearse.Attempt, len(all))
	for _, a := range all {
		out[a.ID] = a
	}
	return out
}
