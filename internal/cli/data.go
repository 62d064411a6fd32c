package cli

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// DataDeps is the data folder: its health, its place, salvage and wipe.
type DataDeps interface {
	Doctor(ctx context.Context, g Global) []Fact
	// Layout is where the data of g lives.
	Layout(g Global) (datadir.Layout, error)
	// OpenDamagedStore opens, read-only, a store too damaged to open as
	// usual (rehearse.ErrCorruptStore), to export what can still be read.
	OpenDamagedStore(ctx context.Context, g Global) (s archive.Damaged, closeFn func() error, err error)
	// Wipe deletes the key, the store, caches and settings; the models too
	// when includeModels.
	Wipe(ctx context.Context, g Global, includeModels bool) (vault.WipeReport, error)
}

// KeyDeps manages the key of the encrypted store (key custody).
type KeyDeps interface {
	// RotateKey re-encrypts the store under a new key. recovery is the
	// recovery passphrase (nil: ask when one is set).
	RotateKey(ctx context.Context, g Global, recovery []byte) error
	// SetPassphrase switches to (or changes) passphrase mode.
	SetPassphrase(ctx context.Context, g Global, pass []byte) error
	// UseKeyring switches back to keeping the key in the OS keyring.
	UseKeyring(ctx context.Context, g Global) error
	// SetRecovery sets the recovery passphrase; nil removes it.
	SetRecovery(ctx context.Context, g Global, pass []byte) error
	// KeyStatus says where the key lives, without unlocking.
	KeyStatus(ctx context.Context, g Global) (vault.Status, error)
	// StartOver sets the database (if any) and its key file aside, so the
	// next use creates a new store; nothing is deleted.
	StartOver(ctx context.Context, g Global) (vault.StartOverReport, error)
}
