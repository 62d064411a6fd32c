package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/keyring"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

// testKDF keeps Argon2id cheap in tests; production uses DefaultKDF.
var testKDF = KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

func openSQLCipher(ctx context.Context, path string, key []byte) (KeyedStore, error) {
	return sqlcipher.Open(ctx, path, key, sqlcipher.Options{})
}

func testLayout(t *testing.T) datadir.Layout { return benchLayout(t) }

func benchLayout(t testing.TB) datadir.Layout {
	t.Helper()
	l, err := datadir.Resolve(filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// answers is an Asker that answers by kind and records the prompts.
type answers struct {
	byKind  map[PromptKind]string
	prompts []Prompt
}

func (a *answers) ask(ctx context.Context, p Prompt) ([]byte, error) {
	a.prompts = append(a.prompts, p)
	s, ok := a.byKind[p.Kind]
	if !ok {
		return NoAsker(ctx, p)
	}
	return []byte(s), nil
}

func secretService(t *testing.T) *keyring.Keyring {
	t.Helper()
	if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") == "" {
		t.Skip("no Secret Service in this environment: run under `bash .ci/with-services.sh`")
	}
	var b [6]byte
	rand.Read(b[:])
	return keyring.NewWith(keyringBackend{}, "rehearse-test-"+hex.EncodeToString(b[:]), keyring.DefaultTimeout)
}

func addSession(t *testing.T, s rehearse.Store, title, text string) int64 {
	t.Helper()
	ctx := context.Background()
	sess := &rehearse.Session{Title: title}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	a := &rehearse.Attempt{SessionID: sess.ID, QuestionText: "Tell me about yourself", QuestionType: rehearse.Intro,
		Status: rehearse.StatusAnalyzed, Transcript: rehearse.Transcript{Text: text}}
	if err := s.AddAttempt(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	return sess.ID
}

func mustTitles(t *testing.T, s rehearse.Store) []string {
	t.Helper()
	list, err := s.ListSessions(context.Background(), rehearse.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range list {
		out = append(out, x.Title)
	}
	sort.Strings(out)
	return out
}

func fileBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertNoKeyIn checks that no file under dir holds key in any common
// encoding.
func assertNoKeyIn(t *testing.T, dir string, key []byte) {
	t.Helper()
	forms := [][]byte{key, []byte(hex.EncodeToString(key)), []byte(base64.StdEncoding.EncodeToString(key))}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		for _, f := range forms {
			if bytes.Contains(b, f) {
				t.Errorf("%s holds the data key", p)
			}
		}
		return nil
	})
}

func currentKey(t *testing.T, v *Vault, pass string) []byte {
	t.Helper()
	c, err := loadCustody(v.custodyPath())
	if err != nil || c == nil || c.Passphrase == nil {
		t.Fatalf("custody %+v, %v", c, err)
	}
	k, err := c.Passphrase.unwrap([]byte(pass), c.StoreID, "passphrase")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestPassphraseMode(t *testing.T) {
	ctx := context.Background()
	l := testLayout(t)
	ans := &answers{byKind: map[PromptKind]string{AskNew: "correct horse battery", AskUnlock: "correct horse battery"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, "Backend role", "I led the migration")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := v.Status(ctx)
	if err != nil || !st.Exists || st.Keyring || !st.Passphrase || st.Recovery {
		t.Fatalf("status %+v, %v", st, err)
	}
	t.Logf("status: %s", st)
	key := currentKey(t, v, "correct horse battery")
	assertNoKeyIn(t, l.Data, key)
	if fi, err := os.Stat(v.custodyPath()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v, %v", fi.Mode(), err)
	}

	s, err = v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustTitles(t, s); len(got) != 1 || got[0] != "Backend role" {
		t.Fatalf("titles %v", got)
	}
	s.Close()

	dbBefore, keyBefore := fileBytes(t, l.DB()), fileBytes(t, v.custodyPath())
	tests := []struct {
		name string
		ask  Asker
		want []error
		msg  string
	}{
		{"wrong passphrase", (&answers{byKind: map[PromptKind]string{AskUnlock: "not the passphrase"}}).ask, []error{rehearse.ErrCannotUnlock}, "wrong passphrase"},
		{"no way to ask", nil, []error{rehearse.ErrPassphraseNeeded}, "--passphrase-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v2 := New(Options{Layout: l, Open: openSQLCipher, Ask: tt.ask, KDF: testKDF})
			_, err := v2.Open(ctx)
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want %v", err, w)
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want it to mention %q", err, tt.msg)
			}
			if !bytes.Equal(fileBytes(t, l.DB()), dbBefore) || !bytes.Equal(fileBytes(t, v.custodyPath()), keyBefore) {
				t.Error("a failed unlock changed the files")
			}
		})
	}
}

func TestNewPassphraseTooShort(t *testing.T) {
	l := testLayout(t)
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: (&answers{byKind: map[PromptKind]string{AskNew: "short"}}).ask, KDF: testKDF})
	_, err := v.Open(context.Background())
	var ie *rehearse.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InputError", err)
	}
	if _, err := os.Stat(l.DB()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a database was created without custody of its key: %v", err)
	}
}

// refusing is a keyring backend that answers every call with the error a
// locked Secret Service collection gives.
type refusing struct{}

func (refusing) Set(string, string, string) error {
	return errors.New("failed to unlock correct collection")
}
func (refusing) Get(string, string) (string, error) {
	return "", errors.New("failed to unlock correct collection")
}
func (refusing) Delete(string, string) error {
	return errors.New("failed to unlock correct collection")
}

// hanging is a keyring backend stuck behind a password prompt.
type hanging struct{ release chan struct{} }

func (h hanging) Set(string, string, string) error   { <-h.release; return nil }
func (h hanging) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hanging) Delete(string, string) error        { <-h.release; return nil }

func TestKeyringUnusableFallsBackToPassphrase(t *testing.T) {
	h := hanging{release: make(chan struct{})}
	t.Cleanup(func() { close(h.release) })
	tests := []struct {
		name string
		kr   Keyring
	}{
		{"refuses", keyring.NewWith(refusing{}, "rehearse-test", time.Second)},
		{"hangs", keyring.NewWith(h, "rehearse-test", 100*time.Millisecond)},
		{"absent", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l := testLayout(t)
			ans := &answers{byKind: map[PromptKind]string{AskNew: "a long passphrase", AskUnlock: "a long passphrase"}}
			v := New(Options{Layout: l, Open: openSQLCipher, Keyring: tt.kr, Ask: ans.ask, KDF: testKDF})
			s, err := v.Open(ctx)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			if len(ans.prompts) != 1 || ans.prompts[0].Kind != AskNew || !strings.Contains(ans.prompts[0].Message, "keyring") {
				t.Fatalf("prompts %+v", ans.prompts)
			}
			t.Logf("prompt: %s", ans.prompts[0].Message)
			st, _ := v.Status(ctx)
			if st.Keyring || !st.Passphrase {
				t.Fatalf("status %+v", st)
			}
			// Without a passphrase source the error says how to give one.
			_, err = New(Options{Layout: l, Open: openSQLCipher, Keyring: tt.kr, KDF: testKDF}).Open(ctx)
			if !errors.Is(err, rehearse.ErrPassphraseNeeded) || !strings.Contains(err.Error(), "--passphrase-file") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// TestNoSessionBus uses the real OS keyring in a child process whose session
// bus does not exist: the store is created in passphrase mode and reopens.
func TestNoSessionBus(t *testing.T) {
	if dir := os.Getenv("REHEARSE_VAULT_CHILD"); dir != "" {
		ctx := context.Background()
		l, _ := datadir.Resolve(dir)
		pf := filepath.Join(dir+"-pass", "p")
		v := New(Options{Layout: l, Open: openSQLCipher, Keyring: keyring.New(), Ask: FileAsker(pf), KDF: testKDF})
		s, err := v.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		addSession(t, s, "No keyring", "text")
		s.Close()
		s, err = v.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustTitles(t, s); len(got) != 1 {
			t.Fatalf("titles %v", got)
		}
		s.Close()
		st, _ := v.Status(ctx)
		if st.Keyring || !st.Passphrase {
			t.Fatalf("status %+v", st)
		}
		return
	}
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	os.MkdirAll(dir+"-pass", 0o700)
	os.WriteFile(filepath.Join(dir+"-pass", "p"), []byte("child passphrase\n"), 0o600)
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoSessionBus$", "-test.v")
	cmd.Env = append(os.Environ(), "REHEARSE_VAULT_CHILD="+dir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(root, "no-bus"))
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNoSessionBus") {
		t.Fatalf("child: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", custodyName)); err != nil {
		t.Fatal(err)
	}
}

func TestSecondInstanceIsKeptOut(t *testing.T) {
	ctx := context.Background()
	l := testLayout(t)
	ans := &answers{byKind: map[PromptKind]string{AskNew: "a long passphrase", AskUnlock: "a long passphrase"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() error{
		"open":   func() error { _, err := v.Open(ctx); return err },
		"rotate": func() error { return v.Rotate(ctx, nil) },
		"wipe":   func() error { _, err := v.Wipe(ctx, true); return err },
	} {
		err := f()
		if !errors.Is(err, rehearse.ErrAlreadyRunning) || !strings.Contains(err.Error(), "close it first") {
			t.Errorf("%s while open: %v, want ErrAlreadyRunning", name, err)
		}
	}
	if _, err := os.Stat(l.DB()); err != nil {
		t.Fatal("the refused wipe removed the store")
	}
	s.Close()
	s, err = v.Open(ctx)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s.Close()
}

// The passphrase and recovery passphrase of recoverableVault's stores.
const pass, rec = "the passphrase", "the recovery phrase"

// recoverableVault makes a store under pass, with the recovery passphrase
// rec, holding one session titled title.
func recoverableVault(t *testing.T, title string) (*Vault, datadir.Layout) {
	t.Helper()
	ctx := context.Background()
	l := testLayout(t)
	ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass, AskRecovery: rec}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, title, "x")
	s.Close()
	if err := v.SetRecovery(ctx, []byte(rec)); err != nil {
		t.Fatal(err)
	}
	return v, l
}

// opensWithEither checks that the passphrase alone, and the recovery
// passphrase alone, open the store of l and show its one session, title.
func opensWithEither(t *testing.T, l datadir.Layout, title string) {
	t.Helper()
	for _, kind := range []PromptKind{AskUnlock, AskRecovery} {
		a := &answers{byKind: map[PromptKind]string{AskUnlock: "wrong wrong wrong", AskRecovery: "wrong wrong wrong"}}
		a.byKind[kind] = map[PromptKind]string{AskUnlock: pass, AskRecovery: rec}[kind]
		s, err := New(Options{Layout: l, Open: openSQLCipher, Ask: a.ask, KDF: testKDF}).Open(context.Background())
		if err != nil {
			t.Fatalf("open with prompt kind %d: %v", kind, err)
		}
		if got := mustTitles(t, s); len(got) != 1 || got[0] != title {
			t.Fatalf("titles %v", got)
		}
		s.Close()
	}
}

func TestRotatePassphraseAndRecovery(t *testing.T) {
	ctx := context.Background()
	v, l := recoverableVault(t, "Before rotation")
	old := currentKey(t, v, pass)
	if err := v.Rotate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	newK := currentKey(t, v, pass)
	if bytes.Equal(old, newK) {
		t.Fatal("the key did not change")
	}
	// The old key no longer opens the database.
	if _, err := sqlcipher.Open(ctx, l.DB(), old, sqlcipher.Options{}); !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("old key: %v, want ErrCannotUnlock", err)
	}
	opensWithEither(t, l, "Before rotation")
	// A wrong recovery passphrase stops the rotation before anything changes.
	bad := &answers{byKind: map[PromptKind]string{AskUnlock: pass, AskRecovery: "wrong wrong wrong"}}
	err := New(Options{Layout: l, Open: openSQLCipher, Ask: bad.ask, KDF: testKDF}).Rotate(ctx, nil)
	if !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("rotate with a wrong recovery passphrase: %v", err)
	}
	if !bytes.Equal(newK, currentKey(t, v, pass)) {
		t.Fatal("a refused rotation changed the key file")
	}
	s, err := sqlcipher.Open(ctx, l.DB(), newK, sqlcipher.Options{})
	if err != nil {
		t.Fatalf("a refused rotation changed the key of the database: %v", err)
	}
	s.Close()
}

func TestRotateSurvivesCrash(t *testing.T) {
	tests := []struct {
		at        string
		keyChange bool
	}{
		{"saved-next", false},
		{"rekeyed", true},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			ctx := context.Background()
			v, l := recoverableVault(t, "Kept")
			old := currentKey(t, v, pass)
			v.crashAt = tt.at
			if err := v.Rotate(ctx, nil); !errors.Is(err, errSimulatedCrash) {
				t.Fatalf("rotate: %v", err)
			}
			v.crashAt = ""
			if st, _ := v.Status(ctx); !st.Rotating {
				t.Fatalf("status after crash %+v", st)
			}
			// Both the passphrase and the recovery passphrase still open it.
			opensWithEither(t, l, "Kept")
			st, _ := v.Status(ctx)
			if st.Rotating {
				t.Fatal("the interrupted rotation was not settled")
			}
			if changed := !bytes.Equal(old, currentKey(t, v, pass)); changed != tt.keyChange {
				t.Fatalf("key changed = %v, want %v", changed, tt.keyChange)
			}
		})
	}
}

// keyringVault makes a store whose key is in kr, holding one session titled
// title.
func keyringVault(t *testing.T, kr Keyring, title string) (*Vault, datadir.Layout) {
	t.Helper()
	l := testLayout(t)
	v := New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, KDF: testKDF})
	s, err := v.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, title, "x")
	s.Close()
	return v, l
}

func TestSetPassphraseAndBack(t *testing.T) {
	kr := secretService(t)
	ctx := context.Background()
	v, l := keyringVault(t, kr, "Keyring store")
	st, _ := v.Status(ctx)
	if !st.Keyring || !st.KeyringOK || st.Passphrase {
		t.Fatalf("status %+v", st)
	}
	c, _ := loadCustody(v.custodyPath())
	key, err := kr.Get(ctx, account(c.StoreID))
	if err != nil {
		t.Fatal(err)
	}
	assertNoKeyIn(t, l.Data, key)

	if err := v.SetPassphrase(ctx, []byte("now a passphrase")); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(ctx, account(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("keyring still has the key: %v", err)
	}
	ans := &answers{byKind: map[PromptKind]string{AskUnlock: "now a passphrase"}}
	v2 := New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF})
	s, err := v2.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := v2.UseKeyring(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ = v.Status(ctx)
	if !st.Keyring || !st.KeyringOK || st.Passphrase {
		t.Fatalf("status after use-keyring %+v", st)
	}
	if s, err = v.Open(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestRecoveryWhenKeyringLosesKey(t *testing.T) {
	kr := secretService(t)
	ctx := context.Background()
	v, l := keyringVault(t, kr, "Recover me")
	c, _ := loadCustody(v.custodyPath())
	key, _ := kr.Get(ctx, account(c.StoreID))

	// Without a recovery passphrase a lost keyring entry is fatal...
	if err := kr.Delete(ctx, account(c.StoreID)); err != nil {
		t.Fatal(err)
	}
	_, err := v.Open(ctx)
	if !errors.Is(err, rehearse.ErrCannotUnlock) || !strings.Contains(err.Error(), "no recovery passphrase") {
		t.Fatalf("err = %v", err)
	}
	// ...with one it is not.
	if err := kr.Set(ctx, account(c.StoreID), key); err != nil {
		t.Fatal(err)
	}
	if err := v.SetRecovery(ctx, []byte("my recovery words")); err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete(ctx, account(c.StoreID)); err != nil {
		t.Fatal(err)
	}
	ans := &answers{byKind: map[PromptKind]string{AskRecovery: "my recovery words"}}
	s, err := New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF}).Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustTitles(t, s); len(got) != 1 || got[0] != "Recover me" {
		t.Fatalf("titles %v", got)
	}
	s.Close()
	if len(ans.prompts) != 1 || !strings.Contains(ans.prompts[0].Message, "keyring has no key for this store; enter your recovery passphrase") {
		t.Fatalf("prompts %+v", ans.prompts)
	}
}

func TestRotateKeyring(t *testing.T) {
	kr := secretService(t)
	for _, crashAt := range []string{"", "saved-next", "rekeyed"} {
		t.Run("crash="+crashAt, func(t *testing.T) {
			ctx := context.Background()
			v, _ := keyringVault(t, kr, "Rotate me")
			c, _ := loadCustody(v.custodyPath())
			old, _ := kr.Get(ctx, account(c.StoreID))
			v.crashAt = crashAt
			err := v.Rotate(ctx, nil)
			v.crashAt = ""
			if crashAt == "" && err != nil || crashAt != "" && !errors.Is(err, errSimulatedCrash) {
				t.Fatalf("rotate: %v", err)
			}
			s, err := v.Open(ctx)
			if err != nil {
				t.Fatalf("open after rotate: %v", err)
			}
			if got := mustTitles(t, s); len(got) != 1 {
				t.Fatalf("titles %v", got)
			}
			s.Close()
			cur, _ := kr.Get(ctx, account(c.StoreID))
			if changed := !bytes.Equal(cur, old); changed != (crashAt != "saved-next") {
				t.Fatalf("key changed = %v", changed)
			}
			if _, err := kr.Get(ctx, nextAccount(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("the rotation's keyring entry is left: %v", err)
			}
			if st, _ := v.Status(ctx); st.Rotating || !st.KeyringOK {
				t.Fatalf("status %+v", st)
			}
			v.Wipe(ctx, true)
		})
	}
}

func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, rel)
		return nil
	})
	return out
}

func TestWipe(t *testing.T) {
	type mode struct {
		name string
		kr   func(t *testing.T) Keyring
	}
	for _, m := range []mode{
		{"passphrase", func(t *testing.T) Keyring { return nil }},
		{"keyring", func(t *testing.T) Keyring { return secretService(t) }},
	} {
		for _, models := range []bool{false, true} {
			t.Run(m.name+map[bool]string{false: "/keep-models", true: "/with-models"}[models], func(t *testing.T) {
				ctx := context.Background()
				kr := m.kr(t)
				l := testLayout(t)
				const pass = "wipe test passphrase"
				ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass, AskRecovery: pass}}
				v := New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF})
				s, err := v.Open(ctx)
				if err != nil {
					t.Fatal(err)
				}
				addSession(t, s, "Wipe me", "private words")
				s.Close()
				if err := v.SetRecovery(ctx, []byte(pass)); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(l.Models, "ggml-tiny.en.bin"), []byte("model"), 0o600)
				os.WriteFile(filepath.Join(l.Cache, "..rehearse-folder.tmp-123"), []byte("cache"), 0o600)
				os.WriteFile(filepath.Join(l.Config, ".key.json.tmp-456"), []byte("{}"), 0o600)
				os.WriteFile(l.DB()+"-wal", []byte("wal"), 0o600)
				c, _ := loadCustody(v.custodyPath())
				copyDB := filepath.Join(t.TempDir(), "copy.db")
				os.WriteFile(copyDB, fileBytes(t, l.DB()), 0o600)
				t.Logf("before: %v", listTree(t, l.Data))

				rep, err := v.Wipe(ctx, models)
				if err != nil {
					t.Fatal(err)
				}
				after := listTree(t, l.Data)
				t.Logf("report: %+v", rep)
				t.Logf("after: %v", after)
				want := []string{"./", ".rehearse-folder", "models/", "models/.rehearse-folder", "models/ggml-tiny.en.bin"}
				if models {
					want = nil
				}
				if strings.Join(after, ",") != strings.Join(want, ",") {
					t.Fatalf("left after wipe: %v, want %v", after, want)
				}
				if kr != nil {
					if len(rep.KeyringEntries) != 1 {
						t.Fatalf("keyring entries removed: %v", rep.KeyringEntries)
					}
					if _, err := kr.Get(ctx, account(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
						t.Fatalf("keyring after wipe: %v", err)
					}
				}
				// A copy of the database taken before the wipe cannot be
				// opened with anything the system still has.
				l.Ensure()
				os.WriteFile(l.DB(), fileBytes(t, copyDB), 0o600)
				_, err = New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF}).Open(ctx)
				if !errors.Is(err, rehearse.ErrCannotUnlock) {
					t.Fatalf("open the old copy after wipe: %v, want ErrCannotUnlock", err)
				}
				t.Logf("old copy: %v", err)
				os.Remove(l.DB())
				// The app starts fresh.
				s, err = New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF}).Open(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := mustTitles(t, s); len(got) != 0 {
					t.Fatalf("fresh store has %v", got)
				}
				s.Close()
				v.Wipe(ctx, true)
			})
		}
	}
}

// TestWipeSeparateFolders wipes the platform layout, where settings and
// caches live outside the data folder.
func TestWipeSeparateFolders(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	data := filepath.Join(root, "share", "rehearse")
	l := datadir.Layout{Data: data, Config: filepath.Join(root, "config", "rehearse"),
		Cache: filepath.Join(root, "cache", "rehearse"), Models: filepath.Join(data, "models")}
	ans := &answers{byKind: map[PromptKind]string{AskNew: "separate folders", AskUnlock: "separate folders"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, "x", "y")
	s.Close()
	os.WriteFile(filepath.Join(l.Cache, "thumb"), []byte("c"), 0o600)
	rep, err := v.Wipe(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	// The cache folder holds a file Rehearse did not make: it stays. The
	// folders made only to hold Rehearse's (config/, share/) go.
	if got := listTree(t, root); strings.Join(got, " ") != "./ cache/ cache/rehearse/ cache/rehearse/.rehearse-folder cache/rehearse/thumb" {
		t.Fatalf("left after wipe: %v (report %+v)", got, rep)
	}
	// A second wipe, and a wipe of a data folder that is gone, are no-ops.
	if rep, err := v.Wipe(ctx, true); err != nil || len(rep.Removed) != 0 {
		t.Fatalf("second wipe: %+v, %v", rep, err)
	}
}

func TestWipeRefusesHome(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	l := datadir.Layout{Data: home, Config: filepath.Join(home, "x"), Cache: filepath.Join(home, "y"), Models: filepath.Join(home, "z")}
	_, err = New(Options{Layout: l}).Wipe(context.Background(), true)
	var ie *rehearse.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
}

// memKeyring is an in-memory keyring whose writes to one account can be
// refused, to stop a rotation between its steps.
type memKeyring struct {
	m      map[string][]byte
	refuse string
}

func (k *memKeyring) Get(_ context.Context, a string) ([]byte, error) {
	v, ok := k.m[a]
	if !ok {
		return nil, rehearse.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(_ context.Context, a string, v []byte) error {
	if a == k.refuse {
		return rehearse.ErrNoKeyring
	}
	k.m[a] = append([]byte(nil), v...)
	return nil
}

func (k *memKeyring) Delete(_ context.Context, a string) error {
	if _, ok := k.m[a]; !ok {
		return rehearse.ErrNotFound
	}
	delete(k.m, a)
	return nil
}

func TestRotateFinishesLater(t *testing.T) {
	ctx := context.Background()
	kr := &memKeyring{m: map[string][]byte{}}
	v, _ := keyringVault(t, kr, "Later")
	c, _ := loadCustody(v.custodyPath())
	kr.refuse = account(c.StoreID) // the keyring stops taking the main entry
	err := v.Rotate(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "finishes the next time") {
		t.Fatalf("rotate: %v", err)
	}
	for i, refusing := range []bool{true, false} {
		if !refusing {
			kr.refuse = ""
		}
		s, err := v.Open(ctx)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if got := mustTitles(t, s); len(got) != 1 {
			t.Fatalf("titles %v", got)
		}
		s.Close()
		st, _ := v.Status(ctx)
		if st.Rotating != refusing {
			t.Fatalf("open %d: rotating = %v", i, st.Rotating)
		}
	}
	if _, ok := kr.m[nextAccount(c.StoreID)]; ok {
		t.Fatal("the rotation's entry was left in the keyring")
	}
}

// TestKeysPresent: the practice core asks whether a store is still to be
// created; an unreadable key file never counts as "nothing there".
func TestKeysPresent(t *testing.T) {
	ctx := context.Background()
	l := testLayout(t)
	k := Keys{Options: Options{Layout: l, Open: openSQLCipher, Ask: (&answers{byKind: map[PromptKind]string{AskNew: "present passphrase", AskUnlock: "present passphrase"}}).ask, KDF: testKDF}}
	if store, key := k.Present(ctx); store || key {
		t.Fatalf("empty folder: store %v, key %v", store, key)
	}
	s, err := k.Open(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if store, key := k.Present(ctx); !store || !key {
		t.Fatalf("after creating: store %v, key %v", store, key)
	}
	if err := os.WriteFile(filepath.Join(l.Config, custodyName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if store, key := k.Present(ctx); !store || !key {
		t.Fatalf("unreadable key file: store %v, key %v; want both counted as present", store, key)
	}
}
