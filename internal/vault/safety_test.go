package vault

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/keyring"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// userFiles puts a user's own files into dir and returns them, relative to
// dir, as listTree shows them.
func userFiles(t *testing.T, dir string) []string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"cv.txt", "sub/notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"cv.txt", "sub/", "sub/notes.md"}
}

func hasAll(tree, want []string) bool {
	set := map[string]bool{}
	for _, x := range tree {
		set[x] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// TestWipeForeignFolder: a folder Rehearse never used is left exactly as
// it is, with or without --models, and the wipe says why it refused.
func TestWipeForeignFolder(t *testing.T) {
	for _, models := range []bool{false, true} {
		ctx := context.Background()
		dir := filepath.Join(t.TempDir(), "mine")
		mine := userFiles(t, dir)
		// The user's own "models" and "config" folders.
		os.MkdirAll(filepath.Join(dir, "models"), 0o700)
		os.WriteFile(filepath.Join(dir, "models", "ggml-mine.bin"), []byte("m"), 0o600)
		os.MkdirAll(filepath.Join(dir, "config"), 0o700)
		os.WriteFile(filepath.Join(dir, "config", "key.json"), []byte("{}"), 0o600)
		before := listTree(t, dir)
		l, _ := datadir.Resolve(dir)
		v := New(Options{Layout: l, Open: openSQLCipher, Ask: NoAsker, KDF: testKDF})
		rep, err := v.Wipe(ctx, models)
		if !errors.Is(err, ErrNotRehearseFolder) {
			t.Fatalf("models=%v: wipe of a foreign folder: %v, want ErrNotRehearseFolder", models, err)
		}
		t.Logf("refusal: %v", err)
		if !strings.Contains(err.Error(), "nothing was deleted") || !strings.Contains(err.Error(), dir) {
			t.Fatalf("the refusal does not say why: %v", err)
		}
		if len(rep.Removed) != 0 {
			t.Fatalf("removed %v", rep.Removed)
		}
		if after := listTree(t, dir); strings.Join(after, ",") != strings.Join(before, ",") || !hasAll(after, mine) {
			t.Fatalf("models=%v: folder changed by a refused wipe:\nbefore %v\nafter  %v", models, before, after)
		}
	}
}

// TestWipeSharedFolder: a folder the user already had, given to Rehearse as
// its data folder, keeps the user's files and itself; Rehearse's files go.
func TestWipeSharedFolder(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "mine")
	mine := userFiles(t, dir)
	l, _ := datadir.Resolve(dir)
	ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addSession(t, s, "Shared", "words")
	s.Close()
	os.WriteFile(filepath.Join(l.Models, "ggml-tiny.en.bin"), []byte("model"), 0o600)
	os.WriteFile(filepath.Join(l.Config, "my-settings.txt"), []byte("mine"), 0o600)
	rep, err := v.Wipe(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	after := listTree(t, dir)
	t.Logf("after: %v; report: %+v", after, rep)
	// The folder was the user's: it stays, with its marker, as does the
	// config folder that still holds a file of the user's.
	want := []string{"./", ".rehearse-folder", "config/", "config/.rehearse-folder", "config/my-settings.txt", "cv.txt", "sub/", "sub/notes.md"}
	if strings.Join(after, ",") != strings.Join(want, ",") || !hasAll(after, mine) {
		t.Fatalf("after wipe %v, want %v", after, want)
	}
}

// TestWipeStoreWithoutMarkers: a store made before the markers existed is
// recognised by its key and wiped; the user's files stay.
func TestWipeStoreWithoutMarkers(t *testing.T) {
	ctx := context.Background()
	v, l := recoverableVault(t, "Old store")
	mine := userFiles(t, l.Data)
	filepath.WalkDir(l.Data, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == datadir.MarkerName {
			os.Remove(p)
		}
		return nil
	})
	// Without the passphrase the key cannot be checked: nothing happens.
	if _, err := New(Options{Layout: l, Open: openSQLCipher, Ask: NoAsker, KDF: testKDF}).Wipe(ctx, true); !errors.Is(err, ErrNotRehearseFolder) {
		t.Fatalf("wipe without the passphrase: %v", err)
	}
	if _, err := os.Stat(l.DB()); err != nil {
		t.Fatalf("refused wipe touched the store: %v", err)
	}
	if _, err := v.Wipe(ctx, true); err != nil {
		t.Fatal(err)
	}
	after := listTree(t, l.Data)
	if !hasAll(after, mine) {
		t.Fatalf("user files gone: %v", after)
	}
	for _, x := range after {
		if strings.HasPrefix(x, "rehearse.") || strings.Contains(x, "key.json") {
			t.Fatalf("left %s: %v", x, after)
		}
	}
}

// TestMissingStoreKeepsKey: with the database gone (an unmounted drive) no
// open replaces the key; starting over keeps it aside and the returning
// database still opens with it.
func TestMissingStoreKeepsKey(t *testing.T) {
	ctx := context.Background()
	v, l := recoverableVault(t, "Precious")
	away := filepath.Join(t.TempDir(), "away.db")
	if err := os.Rename(l.DB(), away); err != nil {
		t.Fatal(err)
	}
	keyBefore := fileBytes(t, v.custodyPath())
	ans := &answers{byKind: map[PromptKind]string{AskNew: "another passphrase", AskUnlock: pass, AskRecovery: rec}}
	for i := 0; i < 2; i++ {
		_, err := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF}).Open(ctx)
		if !errors.Is(err, rehearse.ErrStoreMissing) {
			t.Fatalf("open with the store missing: %v, want ErrStoreMissing", err)
		}
		if i == 0 {
			t.Logf("refusal: %v", err)
		}
		if errors.Is(err, rehearse.ErrCannotUnlock) || errors.Is(err, rehearse.ErrCorruptStore) {
			t.Fatalf("the refusal must not look like an unlock or damage problem: %v", err)
		}
		for _, w := range []string{"put the database back", "rehearse key reset"} {
			if !strings.Contains(err.Error(), w) {
				t.Fatalf("the refusal does not say %q: %v", w, err)
			}
		}
	}
	if !bytes.Equal(keyBefore, fileBytes(t, v.custodyPath())) {
		t.Fatal("the key file changed")
	}
	if _, err := os.Stat(l.DB()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a store was created: %v", err)
	}
	if h := v.Check(ctx, 2*time.Second); h.OK || !strings.Contains(h.Problem, "missing") {
		t.Fatalf("check %+v", h)
	}

	// Start over: a new store, the old key kept.
	rep, err := v.StartOver(ctx, "set-aside")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("start over: %+v", rep)
	if rep.KeptKey == "" || !bytes.Equal(keyBefore, fileBytes(t, rep.KeptKey)) {
		t.Fatalf("old key not kept: %+v", rep)
	}
	s, err := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF}).Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustTitles(t, s); len(got) != 0 {
		t.Fatalf("new store has %v", got)
	}
	s.Close()
	// The database comes back: as the restore note says, put it and the
	// old key file in place, and it opens with the old passphrase.
	os.Rename(l.DB(), l.DB()+".new")
	os.Rename(v.custodyPath(), v.custodyPath()+".new")
	os.Rename(away, l.DB())
	os.Rename(rep.KeptKey, v.custodyPath())
	opensWithEither(t, l, "Precious")
}

// TestMissingStoreKeepsKeyringEntry is the same in keyring mode, against
// the real Secret Service.
func TestMissingStoreKeepsKeyringEntry(t *testing.T) {
	ctx := context.Background()
	kr := secretService(t)
	v, l := keyringVault(t, kr, "In the keyring")
	c, _ := loadCustody(v.custodyPath())
	key, err := kr.Get(ctx, account(c.StoreID))
	if err != nil {
		t.Fatal(err)
	}
	away := filepath.Join(t.TempDir(), "away.db")
	os.Rename(l.DB(), away)
	if _, err := v.Open(ctx); !errors.Is(err, rehearse.ErrStoreMissing) {
		t.Fatalf("open: %v", err)
	}
	if got, err := kr.Get(ctx, account(c.StoreID)); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("keyring entry changed: %v", err)
	}
	rep, err := v.StartOver(ctx, "set-aside")
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got, err := kr.Get(ctx, account(c.StoreID)); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("starting over changed the old keyring entry: %v", err)
	}
	os.Rename(l.DB(), l.DB()+".new")
	os.Rename(v.custodyPath(), v.custodyPath()+".new")
	os.Rename(away, l.DB())
	os.Rename(rep.KeptKey, v.custodyPath())
	s, err = v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustTitles(t, s); len(got) != 1 {
		t.Fatalf("titles %v", got)
	}
	s.Close()
	// A wipe removes the keyring entries of both stores.
	os.Rename(v.custodyPath()+".new", filepath.Join(l.Config, "key-1.json.old"))
	if _, err := v.Wipe(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(ctx, account(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("keyring entry after wipe: %v", err)
	}
}

// TestDamagedStoreIsNamed: each kind of damage is reported as damage (not
// as a new store or a wrong passphrase), the file is left as it was, and
// Check fails on it.
func TestDamagedStoreIsNamed(t *testing.T) {
	ctx := context.Background()
	v, l := recoverableVault(t, "Damaged")
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		addSession(t, s, "more", strings.Repeat("words ", 200))
	}
	s.Close()
	good := fileBytes(t, l.DB())
	const page = 4096
	flip := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0x5a
		return b
	}
	cases := []struct {
		name    string
		content []byte
		says    string
	}{
		{"zero bytes", []byte{}, "empty"},
		{"truncated mid-page", good[:len(good)/2+100], "truncated"},
		{"truncated at a page boundary", good[:len(good)/page/2*page], "truncated"},
		{"first page zeroed", append(make([]byte, page), good[page:]...), "first page"},
		{"first page flipped byte", flip(200), "first page"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(l.DB() + "-wal")
			os.Remove(l.DB() + "-shm")
			if err := os.WriteFile(l.DB(), tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass, AskRecovery: rec}}
			s, err := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF}).Open(ctx)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, rehearse.ErrCorruptStore) || errors.Is(err, rehearse.ErrCannotUnlock) {
				t.Fatalf("open: %v, want a damaged store", err)
			}
			if !strings.HasPrefix(err.Error(), "the practice store is damaged: ") || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("open: %q does not name the damage (%q)", err, tc.says)
			}
			t.Logf("open: %v", err)
			if !bytes.Equal(fileBytes(t, l.DB()), tc.content) {
				t.Fatal("the damaged file was changed")
			}
			h := New(Options{Layout: l, Open: openSQLCipher, Ask: FileAskerFor(t, pass), KDF: testKDF}).Check(ctx, 2*time.Second)
			if h.OK || !strings.Contains(h.Problem, "damaged") {
				t.Fatalf("check: %+v", h)
			}
		})
	}
	t.Run("wrong passphrase is still a wrong passphrase", func(t *testing.T) {
		os.WriteFile(l.DB(), good, 0o600)
		a := &answers{byKind: map[PromptKind]string{AskUnlock: "not the passphrase", AskRecovery: "not the recovery"}}
		_, err := New(Options{Layout: l, Open: openSQLCipher, Ask: a.ask, KDF: testKDF}).Open(ctx)
		if !errors.Is(err, rehearse.ErrCannotUnlock) || errors.Is(err, rehearse.ErrCorruptStore) {
			t.Fatalf("open: %v, want ErrCannotUnlock", err)
		}
	})
	t.Run("inner page flipped: quick check finds it", func(t *testing.T) {
		os.WriteFile(l.DB(), flip(len(good)-page/2), 0o600)
		h := New(Options{Layout: l, Open: openSQLCipher, Ask: FileAskerFor(t, pass), KDF: testKDF}).Check(ctx, 2*time.Second)
		t.Logf("check: %+v", h)
		if h.OK || !strings.Contains(h.Problem, "damaged") {
			t.Fatalf("check: %+v", h)
		}
	})
	t.Run("healthy, and a budget too small to finish", func(t *testing.T) {
		os.WriteFile(l.DB(), good, 0o600)
		v := New(Options{Layout: l, Open: openSQLCipher, Ask: FileAskerFor(t, pass), KDF: testKDF})
		if h := v.Check(ctx, 2*time.Second); !h.OK || !h.Complete {
			t.Fatalf("check: %+v", h)
		}
		h := v.Check(ctx, time.Nanosecond)
		if !h.OK || h.Complete || !strings.Contains(h.Summary, "stopped early") {
			t.Fatalf("check with no time: %+v", h)
		}
	})
}

// FileAskerFor answers every prompt with pass from a file.
func FileAskerFor(t *testing.T, pass string) Asker {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(p, []byte(pass+"\n"), 0o600)
	return FileAsker(p)
}

// lateSet is the real Secret Service whose Set answers only after release:
// a keyring stuck behind a prompt that the user confirms later.
type lateSet struct {
	keyringBackend
	release chan struct{}
	landed  chan struct{}
}

func (b lateSet) Set(s, u, p string) error {
	<-b.release
	err := b.keyringBackend.Set(s, u, p)
	close(b.landed)
	return err
}

// TestTimedOutKeyringWriteIsRemoved: a keyring write that timed out, so the
// key went under a passphrase, and that lands later does not leave a copy
// of the key in the keyring.
func TestTimedOutKeyringWriteIsRemoved(t *testing.T) {
	ctx := context.Background()
	secretService(t) // skips without a Secret Service
	svc := "rehearse-test-late-" + time.Now().Format("150405.000000")
	b := lateSet{release: make(chan struct{}), landed: make(chan struct{})}
	slow := keyring.NewWith(b, svc, 100*time.Millisecond)
	fast := keyring.NewWith(keyringBackend{}, svc, keyring.DefaultTimeout)
	l := testLayout(t)
	ans := &answers{byKind: map[PromptKind]string{AskNew: pass, AskUnlock: pass}}
	v := New(Options{Layout: l, Open: openSQLCipher, Keyring: slow, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if st, _ := v.Status(ctx); st.Keyring || !st.Passphrase {
		t.Fatalf("status %+v", st)
	}
	c, _ := loadCustody(v.custodyPath())
	close(b.release) // the user answers the keyring's prompt now
	<-b.landed
	if _, err := fast.Get(ctx, account(c.StoreID)); err != nil {
		t.Fatalf("the late write did not land (the test needs it): %v", err)
	}
	s, err = New(Options{Layout: l, Open: openSQLCipher, Keyring: fast, Ask: ans.ask, KDF: testKDF}).Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := fast.Get(ctx, account(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("a copy of the key stays in the keyring in passphrase mode: %v", err)
	}
}

// TestKeyringSecretOfWrongLength falls through to the recovery passphrase.
func TestKeyringSecretOfWrongLength(t *testing.T) {
	ctx := context.Background()
	kr := secretService(t)
	v, l := keyringVault(t, kr, "Recoverable")
	if err := v.SetRecovery(ctx, []byte(rec)); err != nil {
		t.Fatal(err)
	}
	c, _ := loadCustody(v.custodyPath())
	if err := kr.Set(ctx, account(c.StoreID), []byte("short")); err != nil {
		t.Fatal(err)
	}
	ans := &answers{byKind: map[PromptKind]string{AskRecovery: rec}}
	s, err := New(Options{Layout: l, Open: openSQLCipher, Keyring: kr, Ask: ans.ask, KDF: testKDF}).Open(ctx)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	if got := mustTitles(t, s); len(got) != 1 || len(ans.prompts) != 1 || ans.prompts[0].Kind != AskRecovery {
		t.Fatalf("titles %v prompts %+v", got, ans.prompts)
	}
	t.Logf("prompt: %s", ans.prompts[0].Message)
}

// TestAbsurdKDFInKeyFile: Argon2 costs in the key file above the caps are
// refused with a clear error before any work is done.
func TestAbsurdKDFInKeyFile(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		edit func(s *slot)
	}{
		{"memory", func(s *slot) { s.MemoryKiB = 1 << 30 }},
		{"time", func(s *slot) { s.Time = 1 << 30 }},
		{"threads", func(s *slot) { s.Threads = 255 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, l := recoverableVault(t, "x")
			c, _ := loadCustody(v.custodyPath())
			tc.edit(c.Passphrase)
			tc.edit(c.Recovery)
			if err := saveCustody(v.custodyPath(), c); err != nil {
				t.Fatal(err)
			}
			ans := &answers{byKind: map[PromptKind]string{AskUnlock: pass, AskRecovery: rec}}
			_, err := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF}).Open(ctx)
			if err == nil || !strings.Contains(err.Error(), "above what Rehearse accepts") {
				t.Fatalf("open: %v", err)
			}
			t.Logf("open: %v", err)
		})
	}
}

// TestWipeUnreadableKeyFile: the keyring entry goes even when the key file
// cannot be read.
func TestWipeUnreadableKeyFile(t *testing.T) {
	ctx := context.Background()
	kr := secretService(t)
	v, l := keyringVault(t, kr, "Gone")
	c, _ := loadCustody(v.custodyPath())
	if err := os.WriteFile(v.custodyPath(), []byte("\x00\x01 not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := v.Wipe(ctx, true)
	t.Logf("wipe: %+v, %v", rep, err)
	if _, err := kr.Get(ctx, account(c.StoreID)); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("keyring entry after wipe: %v", err)
	}
	if _, err := os.Stat(l.DB()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("store after wipe: %v", err)
	}
}
