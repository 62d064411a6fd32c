package practice

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/sqlcipher"
)

// passKeys stands in for key custody on purpose: the store is a real
// SQLCipher file whose key is the passphrase padded to 32 bytes, so these
// tests check what Open does with each answer of the custody, not the
// custody itself (package vault and the window tests cover that).
type passKeys struct {
	dir string

	mu        sync.Mutex
	file      []byte // the passphrase file's answer, nil: none
	startOver int
	wiped     bool
}

func (k *passKeys) path() string { return filepath.Join(k.dir, "rehearse.db") }

func (k *passKeys) Open(ctx context.Context, pass []byte) (rehearse.Store, error) {
	k.mu.Lock()
	if pass == nil {
		pass = k.file
	}
	k.mu.Unlock()
	if pass == nil {
		return nil, rehearse.ErrPassphraseNeeded
	}
	key := make([]byte, 32)
	copy(key, pass)
	st, err := sqlcipher.Open(ctx, k.path(), key, sqlcipher.Options{})
	if err != nil {
		return nil, err
	}
	return st, nil
}

func (k *passKeys) Present(ctx context.Context) (bool, bool) {
	ok := exists(k.path())
	return ok, ok
}

func (k *passKeys) Create(ctx context.Context, pass, recovery []byte) error { return nil }

func (k *passKeys) StartOver(ctx context.Context) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.startOver++
	return k.path() + ".damaged", nil
}

func (k *passKeys) OpenDamaged(ctx context.Context, pass []byte) (rehearse.Store, error) {
	return k.Open(ctx, pass)
}

func (k *passKeys) Wipe(ctx context.Context, withModels bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.wiped = true
	return nil
}

func exists(p string) bool {
	m, _ := filepath.Glob(p)
	return len(m) == 1
}

func TestOpenLockedThenUnlock(t *testing.T) {
	ctx := context.Background()
	k := &passKeys{dir: t.TempDir()}
	app := Open(ctx, AppConfig{Keys: k, Rescue: k})
	t.Cleanup(func() { app.Close() })
	if !errors.Is(app.Err(), rehearse.ErrPassphraseNeeded) {
		t.Fatalf("Err = %v; want a passphrase needed", app.Err())
	}
	if st := app.State(ctx); !st.New || st.Err == nil {
		t.Fatalf("State = %+v; want a new store, not open", st)
	}
	if !app.FirstRun(ctx) {
		t.Fatal("no store yet, yet the welcome screen counts as done")
	}
	if _, err := app.Questions(ctx); !errors.Is(err, rehearse.ErrPassphraseNeeded) {
		t.Fatalf("Questions on a locked store: %v", err)
	}
	if err := app.Unlock(ctx, "typed passphrase"); err != nil {
		t.Fatal(err)
	}
	if st := app.State(ctx); st.Err != nil || st.New {
		t.Fatalf("after unlock State = %+v", st)
	}
	set, err := app.Settings(ctx)
	if err != nil || set.PrepSeconds != 30 || set.AnswerSeconds != 180 || set.Theme != ThemeSystem {
		t.Fatalf("settings on a new store: %+v, %v", set, err)
	}
	if err := app.SetFirstRunDone(ctx); err != nil || app.FirstRun(ctx) {
		t.Fatalf("first run done: %v, still first run %v", err, app.FirstRun(ctx))
	}
	sess, err := app.StartSession(ctx, Plan{Title: "t", Questions: []rehearse.Question{conflictQ}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := app.SubmitTyped(ctx, sess.ID, conflictQ, goodAnswer, 40*time.Second)
	if err != nil || res.Feedback == nil || res.Pending || res.Attempt.ID == 0 {
		t.Fatalf("typed answer: %+v, %v", res, err)
	}
	rev, err := app.Summary(ctx, sess.ID)
	if err != nil || len(rev.Items) != 1 || len(rev.Items[0].Results) != 1 || rev.Items[0].Results[0].Feedback == nil {
		t.Fatalf("review: %+v, %v", rev, err)
	}
	if err := app.Play(ctx, res.Attempt.ID, 0); !errors.Is(err, rehearse.ErrNoOutputDevice) {
		t.Fatalf("Play without a speaker: %v; want no output device", err)
	}
}

// TestOpenExpiry: opening runs expiry and counts what it deleted; a
// damaged expiry setting stops the command line (which says what to fix)
// but not the window, which keeps every answer.
func TestOpenExpiry(t *testing.T) {
	ctx := context.Background()
	k := &passKeys{dir: t.TempDir(), file: []byte("file passphrase")}
	now := time.Now()
	app := Open(ctx, AppConfig{Keys: k})
	svc, err := app.Service()
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := svc.StartSession(ctx, "old", "", rehearse.SessionSettings{})
	if _, err := svc.SubmitText(ctx, sess.ID, conflictQ, goodAnswer, 40); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetExpiryDays(ctx, 2); err != nil {
		t.Fatal(err)
	}
	app.Close()

	later := func() time.Time { return now.AddDate(0, 0, 3) }
	app = Open(ctx, AppConfig{Keys: k, Now: later})
	if err := app.Err(); err != nil || app.Expired() != 1 {
		t.Fatalf("reopened three days later: expired %d, %v; want 1", app.Expired(), err)
	}
	svc, _ = app.Service()
	if err := svc.cfg.Store.SetSetting(ctx, SettingExpiryDays, "soon"); err != nil {
		t.Fatal(err)
	}
	app.Close()

	cli := Open(ctx, AppConfig{Keys: k})
	if err := cli.Err(); err == nil {
		t.Fatal("the command line opened with a damaged expiry setting and no word about it")
	}
	cli.Close()
	window := Open(ctx, AppConfig{Keys: k, ExpiryCheck: time.Hour})
	defer window.Close()
	if err := window.Err(); err != nil {
		t.Fatalf("the window did not open with a damaged expiry setting: %v", err)
	}
}

func TestStartFreshReopens(t *testing.T) {
	ctx := context.Background()
	k := &passKeys{dir: t.TempDir(), file: []byte("file passphrase")}
	app := Open(ctx, AppConfig{Keys: k, Rescue: k})
	defer app.Close()
	kept, err := app.StartFresh(ctx)
	if err != nil || kept == "" || k.startOver != 1 {
		t.Fatalf("StartFresh = %q, %v (start over %d times)", kept, err, k.startOver)
	}
	if err := app.Err(); err != nil {
		t.Fatalf("not open again after starting fresh: %v", err)
	}
	if err := app.Wipe(ctx, false); err != nil || !k.wiped || app.Err() != nil {
		t.Fatalf("Wipe: %v, wiped %v, open %v", err, k.wiped, app.Err())
	}
}
