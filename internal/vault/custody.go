package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/argon2"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// The custody file (Layout.Config/key.json) says where the data key of the
// store lives. It never holds the key in plaintext: only whether the OS
// keyring has it, and the key wrapped (AES-256-GCM) under keys derived with
// Argon2id from the passphrase and the recovery passphrase.
const (
	custodyFormat  = "rehearse-key"
	custodyVersion = 1
	custodyName    = "key.json"
	keySize        = 32
)

type custody struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// StoreID names the store's entries in the OS keyring.
	StoreID string `json:"store_id"`
	// KeyID fingerprints the current data key (not secret: a hash of 256
	// random bits) so a half-finished rotation can be told apart.
	KeyID string `json:"key_id"`
	// Keyring is true when the OS keyring holds the data key.
	Keyring    bool  `json:"keyring"`
	Passphrase *slot `json:"passphrase,omitempty"`
	Recovery   *slot `json:"recovery,omitempty"`
	// Next is a rotation in progress: the new key's custody, written
	// before the database is re-keyed and promoted after.
	Next *nextKey `json:"next,omitempty"`
	// Pending is true from the moment a new key is kept until its store
	// has been created and committed once. Only then may a missing or
	// empty database be created afresh with this key: nothing was ever
	// saved in it.
	Pending bool `json:"pending,omitempty"`
	// KeyringCleanup is true when a keyring write failed (it may have
	// timed out and still land later) while the key is kept under a
	// passphrase: each open deletes the keyring entry again, so no copy
	// of the key stays in the keyring behind the user's back.
	KeyringCleanup bool `json:"keyring_cleanup,omitempty"`
}

type nextKey struct {
	KeyID      string `json:"key_id"`
	Keyring    bool   `json:"keyring"`
	Passphrase *slot  `json:"passphrase,omitempty"`
	Recovery   *slot  `json:"recovery,omitempty"`
}

// slot is the data key wrapped under a passphrase.
type slot struct {
	KDF       string `json:"kdf"` // "argon2id"
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Salt      []byte `json:"salt"`
	Cipher    string `json:"cipher"` // "aes-256-gcm"
	Nonce     []byte `json:"nonce"`
	Wrapped   []byte `json:"wrapped"`
}

// KDFParams are the Argon2id cost parameters for new passphrase wrappings.
type KDFParams struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// DefaultKDF is the cost used unless Options.KDF says otherwise.
var DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// MaxKDF is the highest Argon2id cost accepted from a key file. A key file
// is not trusted to set the cost: a changed or damaged one could otherwise
// make unlocking allocate gigabytes or run for hours.
var MaxKDF = KDFParams{Time: 64, MemoryKiB: 1 << 20, Threads: 64}

// check rejects a wrapping that cannot be used: an unknown algorithm, a
// cost of zero or above MaxKDF, or a salt of the wrong size.
func (s *slot) check() error {
	switch {
	case s.KDF != "argon2id" || s.Cipher != "aes-256-gcm":
		return fmt.Errorf("key wrapping %s/%s is not one this version knows: %w", s.KDF, s.Cipher, rehearse.ErrCorruptStore)
	case s.Time == 0 || s.MemoryKiB == 0 || s.Threads == 0:
		return fmt.Errorf("key wrapping cost t=%d m=%d KiB p=%d has a zero: %w", s.Time, s.MemoryKiB, s.Threads, rehearse.ErrCorruptStore)
	case s.Time > MaxKDF.Time || s.MemoryKiB > MaxKDF.MemoryKiB || s.Threads > MaxKDF.Threads:
		return fmt.Errorf("key wrapping cost t=%d m=%d KiB p=%d is above what Rehearse accepts (t<=%d, m<=%d KiB, p<=%d): the key file was changed or damaged; restore it from a copy: %w",
			s.Time, s.MemoryKiB, s.Threads, MaxKDF.Time, MaxKDF.MemoryKiB, MaxKDF.Threads, rehearse.ErrCorruptStore)
	case len(s.Salt) < 16 || len(s.Salt) > 64:
		return fmt.Errorf("key wrapping salt has the wrong size: %w", rehearse.ErrCorruptStore)
	}
	return nil
}

func newKey() ([]byte, error) {
	k := make([]byte, keySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("generate a key: %w", err)
	}
	return k, nil
}

func keyID(key []byte) string {
	h := sha256.Sum256(append([]byte("rehearse key id\x00"), key...))
	return hex.EncodeToString(h[:8])
}

func slotAAD(storeID, name string) []byte {
	return []byte("rehearse-key/v1/" + storeID + "/" + name)
}

func wrap(key, pass []byte, p KDFParams, storeID, name string) (*slot, error) {
	s := &slot{KDF: "argon2id", Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads, Cipher: "aes-256-gcm",
		Salt: make([]byte, 16)}
	if _, err := rand.Read(s.Salt); err != nil {
		return nil, fmt.Errorf("generate a salt: %w", err)
	}
	aead, err := s.aead(pass)
	if err != nil {
		return nil, err
	}
	s.Nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(s.Nonce); err != nil {
		return nil, fmt.Errorf("generate a nonce: %w", err)
	}
	s.Wrapped = aead.Seal(nil, s.Nonce, key, slotAAD(storeID, name))
	return s, nil
}

func (s *slot) aead(pass []byte) (cipher.AEAD, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	kek := argon2.IDKey(pass, s.Salt, s.Time, s.MemoryKiB, s.Threads, keySize)
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// unwrap returns the data key, or an error wrapping ErrCannotUnlock when the
// passphrase is wrong.
func (s *slot) unwrap(pass []byte, storeID, name string) ([]byte, error) {
	aead, err := s.aead(pass)
	if err != nil {
		return nil, err
	}
	if len(s.Nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("key wrapping nonce: %w", rehearse.ErrCorruptStore)
	}
	k, err := aead.Open(nil, s.Nonce, s.Wrapped, slotAAD(storeID, name))
	if err != nil {
		return nil, fmt.Errorf("wrong %s: %w", name, rehearse.ErrCannotUnlock)
	}
	return k, nil
}

// loadCustody reads the custody file; (nil, nil) when there is none.
func loadCustody(path string) (*custody, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read key file %q: %w", path, err)
	}
	var c custody
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("key file %q: %v: %w", path, err, rehearse.ErrCorruptStore)
	}
	if c.Format != custodyFormat || c.Version != custodyVersion || c.StoreID == "" {
		return nil, fmt.Errorf("key file %q: format %q version %d: %w", path, c.Format, c.Version, rehearse.ErrCorruptStore)
	}
	return &c, nil
}

// saveCustody replaces the custody file atomically (temp file in the same
// folder, fsync, rename, fsync of the folder), so a crash leaves either the
// old or the new file.
func saveCustody(path string, c *custody) error {
	c.Format, c.Version = custodyFormat, custodyVersion
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'))
}

func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder %q: %w", dir, atomicfile.Classify(err))
	}
	return atomicfile.WriteBytes(path, data)
}
