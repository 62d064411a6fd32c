// Package sqlcipher is Rehearse's practice store: one SQLite database file
// encrypted with SQLCipher 4 under a raw 256-bit key, implementing
// rehearse.Store. It refuses to run when encryption is not really active
// (a build linked against plain SQLite, or a key that did not apply), keeps
// nothing in plaintext at rest (no temporary files, encrypted WAL, secure
// delete), and commits every change before returning.
package sqlcipher

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// KeySize is the length of the raw key in bytes (256 bits).
const KeySize = 32

// pageSize is SQLCipher 4's default page size; every encrypted database file
// is a whole number of pages.
const pageSize = 4096

const driverName = "rehearse-sqlcipher"

var registerOnce sync.Once

// register installs the driver used by every Store. Its connect hook sets the
// per-connection options that the DSN cannot carry; the key itself is always
// in the DSN so it applies before go-sqlite3 touches the file.
func register() {
	registerOnce.Do(func() {
		sql.Register(driverName, &sqlite3.SQLiteDriver{
			ConnectHook: func(c *sqlite3.SQLiteConn) error {
				// Sorting and temporary indexes stay in memory: no
				// plaintext temporary files.
				_, err := c.Exec("PRAGMA temp_store = MEMORY", nil)
				return err
			},
		})
		silenceCipherLog()
		installKeying()
	})
}

// silenceCipherLog stops SQLCipher from printing "hmac check failed" lines on
// a wrong key; the setting is process-wide.
func silenceCipherLog() {
	db, err := sql.Open(driverName, "file::memory:")
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec("PRAGMA cipher_log = '" + os.DevNull + "'")
}

// Options tunes a Store. The zero value is ready to use.
type Options struct {
	// BusyTimeout is how long a writer waits for another writer (another
	// goroutine or process) before giving up; 0 means 5 seconds.
	BusyTimeout time.Duration
	// MaxOpenConns caps the connection pool; 0 means 4.
	MaxOpenConns int

	// plaintext opens the database without a key and skips the encryption
	// check. Only this package's tests set it, to compare SQLCipher with
	// plain SQLite on the same code path.
	plaintext bool
	// hmac, when set, is the only page HMAC Open tries (tests use it to
	// create stores in the earlier format).
	hmac string
	// damaged opens read-only for OpenDamaged.
	damaged bool
}

// Page HMACs. Each encrypted page carries an HMAC of its ciphertext, IV and
// page number. Stores created by this version use HMAC-SHA256 (hardware
// accelerated on current CPUs); stores created before used SQLCipher 4's
// default, HMAC-SHA512, and keep it. The setting is not recorded in the file
// (its header is encrypted too), so Open tries the current one first.
const (
	hmacSHA256 = "HMAC_SHA256"
	hmacSHA512 = "HMAC_SHA512"
)

var pageHMACs = []string{hmacSHA256, hmacSHA512}

// Store is the encrypted practice store. It is safe for concurrent use by
// several goroutines; several processes may also open the same file (SQLite
// WAL with a busy timeout).
type Store struct {
	path string
	opt  Options

	mu       sync.RWMutex // Rekey and Close take it exclusively
	db       *sql.DB
	version  string
	provider string
	// leftovers are the WAL and shared-memory files a damaged store's
	// read-only connection created; Close removes them while they hold
	// nothing.
	leftovers []string
	// pages reads a damaged store's pages directly, for salvage's page
	// scan; nil when the store is not damaged or no page authenticates.
	pages *pageFile
}

var _ rehearse.Store = (*Store)(nil)

// Open opens or creates the encrypted database at path with the raw 32-byte
// key and brings its schema up to date.
//
// It fails closed: unless SQLCipher reports both a cipher version and a
// crypto provider for the keyed connection, it refuses with an error wrapping
// rehearse.ErrNotEncrypted. A wrong key gives rehearse.ErrCannotUnlock, a
// damaged or foreign file rehearse.ErrCorruptStore, and in both cases the
// file is left as it was. Neither the key nor the DSN appears in any error.
func Open(ctx context.Context, path string, key []byte, opt Options) (*Store, error) {
	if !opt.plaintext && len(key) != KeySize {
		return nil, fmt.Errorf("open store %q: the key must be %d bytes, got %d", path, KeySize, len(key))
	}
	register()
	s := &Store{path: path, opt: opt}
	if opt.damaged {
		return s.openDamaged(ctx, key)
	}
	created, err := prepareFile(path, opt.plaintext)
	if err != nil {
		return nil, err
	}
	db, err := s.connect(ctx, key)
	if err == nil {
		if err = migrate(ctx, db, len(migrations)); err != nil {
			db.Close()
			err = fmt.Errorf("open store %q: %w", path, err)
		}
	}
	if err != nil {
		if created {
			removeIfEmpty(path)
		}
		return nil, err
	}
	s.db = db
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, classify(err))
	}
	return s, nil
}

// OpenDamaged opens, read-only, a store that Open refuses as damaged
// (rehearse.ErrCorruptStore: truncated, or a page that no longer
// authenticates), so that what can still be read can be exported. It skips
// the size check and the schema upgrade and writes nothing to the database
// file or its WAL; every read that reaches a damaged page fails with
// rehearse.ErrCorruptStore. A wrong key gives rehearse.ErrCannotUnlock, as
// with Open; a damaged first page cannot be told apart from a wrong key.
func OpenDamaged(ctx context.Context, path string, key []byte) (*Store, error) {
	return Open(ctx, path, key, Options{damaged: true, MaxOpenConns: 1})
}

// openDamaged only looks: a damaged store is never created or changed. It
// notes the WAL and shared-memory files that do not exist yet, which the
// read-only connection creates, for Close to remove.
func (s *Store) openDamaged(ctx context.Context, key []byte) (*Store, error) {
	fi, err := os.Stat(s.path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("open store %q: %w", s.path, classify(err))
	case fi.IsDir():
		return nil, fmt.Errorf("open store %q: is a folder: %w", s.path, rehearse.ErrCorruptStore)
	}
	for _, p := range []string{s.path + "-wal", s.path + "-shm"} {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			s.leftovers = append(s.leftovers, p)
		}
	}
	db, err := s.connect(ctx, key)
	if err != nil {
		s.removeLeftovers()
		return nil, err
	}
	s.db = db
	s.pages, _ = openPageFile(s.path, key) // without it salvage reads only through SQLite
	return s, nil
}

// prepareFile checks what is at path before SQLite sees it, and creates a
// missing database file with mode 0600 (SQLite gives its WAL and shared-memory
// files the same mode). It reports whether it created the file.
func prepareFile(path string, plaintext bool) (bool, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			return false, fmt.Errorf("open store %q: folder: %w", path, classify(err))
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return false, fmt.Errorf("create store %q: %w", path, classify(err))
		}
		if err := f.Close(); err != nil {
			return true, fmt.Errorf("create store %q: %w", path, classify(err))
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("open store %q: %w", path, classify(err))
	case fi.IsDir():
		return false, fmt.Errorf("open store %q: is a folder: %w", path, rehearse.ErrCorruptStore)
	}
	size := fi.Size()
	if size == 0 {
		// A store killed before its first commit: SQLite starts afresh.
		return false, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, fmt.Errorf("open store %q: %w", path, classify(err))
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, fmt.Errorf("open store %q: %w", path, classify(err))
	}
	if !plaintext && bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return false, fmt.Errorf("open store %q: an unencrypted SQLite database, not a Rehearse store: %w", path, rehearse.ErrCorruptStore)
	}
	if size < pageSize || size%pageSize != 0 {
		return false, fmt.Errorf("open store %q: %d bytes is not a whole number of pages (truncated?): %w", path, size, rehearse.ErrCorruptStore)
	}
	return false, nil
}

func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
	}
}

// dsn builds the connection string. It holds the key: never log or wrap it.
func dsn(path string, key []byte, hmac string, opt Options) string {
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	// No _journal_mode or _auto_vacuum here: on a new file both write the
	// first page, which must wait until encryption is proven (connect sets
	// them).
	q := url.Values{}
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	q.Set("_secure_delete", "on")
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	q.Set("_txlock", "immediate")
	// 8 MiB of decrypted pages per connection: pages read again are not
	// decrypted again.
	q.Set("_cache_size", "-8192")
	enc := q.Encode()
	if !opt.plaintext {
		// rehearse_key=x'<hex>' is a raw key (no key derivation), applied
		// with the page HMAC by keying.c's extension as SQLite opens each
		// connection of the pool, before any page is read.
		enc = "rehearse_key=" + url.QueryEscape("x'"+hex.EncodeToString(key)+"'") +
			"&rehearse_hmac=" + hmac + "&" + enc
	}
	if opt.damaged {
		// Read-only; keying.c lets SQLite read a truncated file.
		enc += "&mode=ro&rehearse_damaged=1"
	}
	u := url.URL{Path: path}
	return "file:" + u.EscapedPath() + "?" + enc
}

// connect opens the pool with the first page HMAC under which the key
// unlocks the file (a new file gets the first), proves the key and verifies
// encryption.
func (s *Store) connect(ctx context.Context, key []byte) (*sql.DB, error) {
	hmacs := pageHMACs
	switch {
	case s.opt.plaintext:
		hmacs = []string{""}
	case s.opt.hmac != "":
		hmacs = []string{s.opt.hmac}
	}
	var err error
	for _, h := range hmacs {
		var db *sql.DB
		db, err = s.connectWith(ctx, key, h)
		if err == nil {
			return db, nil
		}
		if !errors.Is(err, rehearse.ErrCannotUnlock) {
			break
		}
		// Page 1 did not authenticate: a wrong key, or a file written
		// with another page HMAC. Nothing was written; try the next.
	}
	return nil, err
}

func (s *Store) connectWith(ctx context.Context, key []byte, hmac string) (*sql.DB, error) {
	db, err := sql.Open(driverName, dsn(s.path, key, hmac, s.opt))
	if err != nil {
		// sql.Open only fails for an unknown driver; keep the DSN out.
		return nil, fmt.Errorf("open store %q: driver unavailable", s.path)
	}
	n := s.opt.MaxOpenConns
	if n <= 0 {
		n = 4
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	fail := func(err error) (*sql.DB, error) {
		db.Close()
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		return fail(fmt.Errorf("open store %q: %w", s.path, classifyOpen(err)))
	}
	if !s.opt.plaintext {
		v, p, err := checkEncrypted(ctx, db)
		if err != nil {
			return fail(fmt.Errorf("open store %q: %w", s.path, err))
		}
		s.version, s.provider = v, p
	} else {
		s.version, s.provider = cipherInfo(ctx, db)
	}
	// Reading the schema proves the key: SQLCipher decrypts page 1 here.
	if err := s.readSchema(ctx, db); err != nil {
		return fail(fmt.Errorf("open store %q: %w", s.path, classifyOpen(err)))
	}
	if s.opt.damaged {
		return db, nil
	}
	if err := checkPages(ctx, db, s.path); err != nil {
		return fail(err)
	}
	if err := setFileModes(ctx, db); err != nil {
		return fail(fmt.Errorf("open store %q: %w", s.path, err))
	}
	return db, nil
}

// setFileModes makes a new database incrementally vacuumable and switches it
// to WAL. Both are recorded in the file, so every connection follows them;
// an existing store already has them and is left as it is.
func setFileModes(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	// Setting auto_vacuum rewrites page 1 even when the value does not
	// change, so an existing store is only read: opening it writes nothing.
	var vacuum int
	if err := conn.QueryRowContext(ctx, "PRAGMA auto_vacuum").Scan(&vacuum); err != nil {
		return classify(err)
	}
	if vacuum != 2 { // 2: incremental
		if _, err := conn.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL"); err != nil {
			return classify(err)
		}
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return classify(err)
	}
	if mode != "wal" {
		if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return classify(err)
		}
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, not wal", mode)
	}
	return nil
}

// checkPages compares the page count recorded in the database with the file
// on disk, so a store cut short at a page boundary is reported as damaged.
func checkPages(ctx context.Context, db *sql.DB, path string) error {
	var pages, size int64
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return fmt.Errorf("open store %q: %w", path, classifyOpen(err))
	}
	if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return fmt.Errorf("open store %q: %w", path, classifyOpen(err))
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open store %q: %w", path, classify(err))
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		// Pages still in the WAL are not in the main file yet.
		return nil
	}
	if fi.Size() < pages*size {
		return fmt.Errorf("open store %q: the file holds %d of %d pages (truncated): %w", path, fi.Size()/size, pages, rehearse.ErrCorruptStore)
	}
	return nil
}

// checkEncrypted is the fail-closed test every Open runs: the library must be
// SQLCipher (cipher_version) and the key must really be applied to this
// connection (cipher_provider). A plain SQLite build answers neither pragma
// and would silently write plaintext.
func checkEncrypted(ctx context.Context, db *sql.DB) (version, provider string, err error) {
	version, provider = cipherInfo(ctx, db)
	switch {
	case version == "":
		return "", "", fmt.Errorf("no cipher_version from SQLite %s: %w", sqliteVersion(ctx, db), rehearse.ErrNotEncrypted)
	case provider == "":
		return "", "", fmt.Errorf("SQLCipher %s reports no crypto provider: the key was not applied: %w", version, rehearse.ErrNotEncrypted)
	}
	return version, provider, nil
}

func cipherInfo(ctx context.Context, db *sql.DB) (version, provider string) {
	return pragmaString(ctx, db, "PRAGMA cipher_version"), pragmaString(ctx, db, "PRAGMA cipher_provider")
}

func pragmaString(ctx context.Context, db *sql.DB, q string) string {
	var v sql.NullString
	if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return ""
	}
	return v.String
}

func sqliteVersion(ctx context.Context, db *sql.DB) string {
	return pragmaString(ctx, db, "SELECT sqlite_version()")
}

// Probe opens a keyed in-memory database and reports the SQLCipher version
// and crypto provider, failing closed like Open. It is for `rehearse doctor`.
func Probe(ctx context.Context) (version, provider string, err error) {
	register()
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", "", fmt.Errorf("probe encryption: %w", err)
	}
	db, err := sql.Open(driverName, "file::memory:?key="+url.QueryEscape("x'"+hex.EncodeToString(key)+"'"))
	if err != nil {
		return "", "", fmt.Errorf("probe encryption: driver unavailable")
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return "", "", fmt.Errorf("probe encryption: %w", classify(err))
	}
	version, provider, err = checkEncrypted(ctx, db)
	if err != nil {
		return version, provider, fmt.Errorf("probe encryption: %w", err)
	}
	if pageCrypto == "" {
		return version, provider, fmt.Errorf("probe encryption: SQLCipher %s: the keying extension could not be installed: %w", version, rehearse.ErrNotEncrypted)
	}
	return version, provider, nil
}

// PageCrypto describes how this process encrypts pages, for `rehearse
// doctor`; it is empty until a store is opened or probed.
func PageCrypto() string { return pageCrypto }

// IntegrityCheck runs SQLite's full integrity check and returns an error
// wrapping rehearse.ErrCorruptStore unless it answers "ok".
func (s *Store) IntegrityCheck(ctx context.Context) error {
	return s.check(ctx, "integrity check", "PRAGMA integrity_check")
}

// QuickCheck runs SQLite's quick check (every page is read and decrypted,
// the b-trees are walked; indexes are not compared with their tables) and
// returns an error wrapping rehearse.ErrCorruptStore unless it answers "ok".
// When ctx ends first the check is interrupted and the error wraps ctx's
// error (context.DeadlineExceeded for a time budget).
func (s *Store) QuickCheck(ctx context.Context) error {
	return s.check(ctx, "quick check", "PRAGMA quick_check")
}

func (s *Store) check(ctx context.Context, what, pragma string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return errClosed
	}
	fail := func(err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("%s stopped: %w", what, ctx.Err())
		}
		return fmt.Errorf("%s: %w", what, classify(err))
	}
	rows, err := s.db.QueryContext(ctx, pragma)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return fail(err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	if len(msgs) > 3 {
		msgs = append(msgs[:3], fmt.Sprintf("and %d more", len(msgs)-3))
	}
	return fmt.Errorf("%s: %q: %w", what, msgs, rehearse.ErrCorruptStore)
}

// Rekey re-encrypts the whole store under newKey (key rotation). On success
// the store stays open under the new key; on failure it keeps the old one.
func (s *Store) Rekey(ctx context.Context, newKey []byte) error {
	if s.opt.plaintext {
		return errors.New("rekey: store opened without encryption")
	}
	if len(newKey) != KeySize {
		return fmt.Errorf("rekey: the key must be %d bytes, got %d", KeySize, len(newKey))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return errClosed
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("rekey: %w", classify(err))
	}
	// Only this connection may stay open: others would keep the old key.
	s.db.SetMaxIdleConns(0)
	_, err = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	if err == nil {
		_, err = conn.ExecContext(ctx, `PRAGMA rekey = "x'`+hex.EncodeToString(newKey)+`'"`)
	}
	conn.Close()
	if err != nil {
		s.db.SetMaxIdleConns(s.maxConns())
		return fmt.Errorf("rekey: %w", classify(err))
	}
	s.db.Close()
	s.db = nil
	db, err := s.connect(ctx, newKey)
	if err != nil {
		return fmt.Errorf("rekey: reopen under the new key: %w", err)
	}
	s.db = db
	return nil
}

func (s *Store) maxConns() int {
	if s.opt.MaxOpenConns > 0 {
		return s.opt.MaxOpenConns
	}
	return 4
}

var errClosed = errors.New("the practice store is closed")

// Close checkpoints the WAL into the database file and closes it.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	s.pages = nil
	s.removeLeftovers()
	if err != nil {
		return fmt.Errorf("close store: %w", classify(err))
	}
	return nil
}

// removeLeftovers removes the empty WAL, and the shared-memory index, that
// opening a damaged store read-only created.
func (s *Store) removeLeftovers() {
	for _, p := range s.leftovers {
		if fi, err := os.Stat(p); err == nil && (fi.Size() == 0 || strings.HasSuffix(p, "-shm")) {
			os.Remove(p)
		}
	}
	s.leftovers = nil
}

// classifyOpen maps errors met while opening: "not a database" there means
// the key does not fit.
func classifyOpen(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrNotADB {
		return fmt.Errorf("%w: wrong key or passphrase (%v)", rehearse.ErrCannotUnlock, se)
	}
	return classify(err)
}

// classify wraps SQLite and OS errors with the matching rehearse sentinel,
// keeping the original text for diagnosis.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.Code == sqlite3.ErrFull || se.SystemErrno == syscall.ENOSPC:
			return fmt.Errorf("%w: %w", rehearse.ErrDiskFull, err)
		case se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB:
			return fmt.Errorf("%w: %w", rehearse.ErrCorruptStore, err)
		case se.Code == sqlite3.ErrReadonly || se.SystemErrno == syscall.EROFS ||
			se.SystemErrno == syscall.EACCES || se.SystemErrno == syscall.EPERM:
			return fmt.Errorf("%w: %w", rehearse.ErrReadOnly, err)
		case se.Code == sqlite3.ErrCantOpen:
			return fmt.Errorf("%w: cannot create the database or its journal: %w", rehearse.ErrReadOnly, err)
		}
		return err
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%w: %w", rehearse.ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%w: %w", rehearse.ErrReadOnly, err)
	}
	return err
}
