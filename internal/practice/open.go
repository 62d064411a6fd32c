package practice

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/questions"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
)

// Keys unlocks the practice store: the key custody of the data folder.
type Keys interface {
	// Open unlocks and opens the store, creating it (and its key) on first
	// use. passphrase is one the user typed; nil asks the usual way (the
	// keyring, a passphrase file, the terminal). Errors wrap
	// rehearse.ErrPassphraseNeeded, ErrNoKeyring, ErrCannotUnlock,
	// ErrCorruptStore, ...
	Open(ctx context.Context, passphrase []byte) (rehearse.Store, error)
	// Present says whether the store and a key for it exist, without
	// unlocking anything.
	Present(ctx context.Context) (store, key bool)
}

// Rescue starts over when the store cannot be used as it is.
type Rescue interface {
	// Create makes a new store under passphrase and wraps its key under the
	// recovery passphrase as well.
	Create(ctx context.Context, passphrase, recovery []byte) error
	// StartOver moves the store and its key aside (nothing is deleted) and
	// returns where the store now is.
	StartOver(ctx context.Context) (keptAt string, err error)
	// OpenDamaged opens a damaged store read-only, to save what can still
	// be read.
	OpenDamaged(ctx context.Context, passphrase []byte) (rehearse.Store, error)
	// Wipe destroys the store and its key (and the speech models when
	// withModels is true).
	Wipe(ctx context.Context, withModels bool) error
}

// AppConfig is what Open builds the application from. Keys is required; the
// other parts may be nil when missing on this computer.
type AppConfig struct {
	Keys   Keys
	Rescue Rescue
	// Custody changes where the key is kept; nil: it cannot be changed here.
	Custody Custody
	Bank    *questions.Bank
	Mic     rehearse.Microphone
	Player  rehearse.Player
	// Transcriber opens the active speech model; see Config.
	Transcriber func(ctx context.Context) (rehearse.Transcriber, error)
	Speech      speech.Options
	Now         func() time.Time
	// ExpiryCheck is how often an open store checks whether a day has
	// passed since expiry last ran (0: only when it is opened). The
	// window stays open for days; the command line does not.
	ExpiryCheck time.Duration
}

// App is Rehearse with its practice store open, or not yet: locked, still to
// be created or damaged. The command line and the window both start here.
// It reopens the store after an unlock, a wipe or starting over, and
// transcribes the answers waiting for a speech model in the background.
type App struct {
	cfg     AppConfig
	backlog *Backlog

	mu       sync.Mutex
	pass     []byte // the passphrase typed into the window, for this run only
	svc      *Service
	closeSvc func()
	openErr  error
	expired  int
}

// Open unlocks and opens the store with the keyring or the usual way of
// asking, and deletes the answers past the expiry setting. When the store
// cannot be opened, Err says why and the App offers the ways on: Unlock,
// Create, StartFresh, Salvage.
func Open(ctx context.Context, cfg AppConfig) *App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &App{cfg: cfg}
	a.backlog = NewBacklog(a.Service)
	a.open(ctx)
	return a
}

func (a *App) open(ctx context.Context) {
	a.mu.Lock()
	pass := append([]byte(nil), a.pass...)
	a.mu.Unlock()
	if len(pass) == 0 {
		pass = nil
	}
	st, err := a.cfg.Keys.Open(ctx, pass)
	if err != nil {
		a.set(nil, nil, err, 0)
		return
	}
	svc, err := New(Config{Store: st, Bank: a.cfg.Bank, Mic: a.cfg.Mic,
		Transcriber: a.cfg.Transcriber, Speech: a.cfg.Speech, Now: a.cfg.Now})
	if err != nil {
		st.Close()
		a.set(nil, nil, err, 0)
		return
	}
	n, err := svc.ApplyExpiry(ctx)
	if err != nil && a.cfg.ExpiryCheck == 0 {
		// The command line stops: it says what to fix. The window keeps
		// the answers and tries again later.
		st.Close()
		a.set(nil, nil, err, 0)
		return
	}
	stop := func() {}
	if a.cfg.ExpiryCheck > 0 {
		expiry, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			svc.ExpireDaily(expiry, a.cfg.ExpiryCheck)
		}()
		stop = func() { cancel(); <-done }
	}
	a.set(svc, func() {
		stop()
		svc.Close()
		st.Close()
	}, nil, n)
}

func (a *App) set(svc *Service, closeFn func(), err error, expired int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.svc, a.closeSvc, a.openErr, a.expired = svc, closeFn, err, expired
}

// Service is the practice service on the open store, or why there is none.
func (a *App) Service() (*Service, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.svc == nil {
		if a.openErr != nil {
			return nil, a.openErr
		}
		return nil, rehearse.ErrCannotUnlock
	}
	return a.svc, nil
}

// Err is why the store is not open, or nil.
func (a *App) Err() error {
	_, err := a.Service()
	return err
}

// Expired is how many answers opening the store deleted for being older
// than the expiry setting.
func (a *App) Expired() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.expired
}

// Backlog transcribes the answers waiting for a speech model, on whichever
// store is open.
func (a *App) Backlog() *Backlog { return a.backlog }

// closeStore stops the background work on the store and closes it.
func (a *App) closeStore() {
	a.backlog.Cancel()
	a.backlog.Wait()
	a.mu.Lock()
	closeFn := a.closeSvc
	a.svc, a.closeSvc = nil, nil
	a.mu.Unlock()
	if closeFn != nil {
		closeFn()
	}
}

// Close ends the background work and closes the store.
func (a *App) Close() error {
	a.backlog.Close()
	a.closeStore()
	return nil
}

// StoreState is whether the practice store is open and, if not, why.
type StoreState struct {
	// Err is why the store is not open (nil: open).
	Err error
	// New is true when no store exists yet: a passphrase asked for now is
	// a new one, to choose, not one to unlock with.
	New bool
}

// State is whether the store is open now and, if not, why.
func (a *App) State(ctx context.Context) StoreState {
	err := a.Err()
	if err == nil {
		return StoreState{}
	}
	store, key := a.cfg.Keys.Present(ctx)
	return StoreState{Err: err, New: !store && !key}
}

// FirstRun reports that the welcome screen is still to be completed: it
// was never completed on the open store, or there is no store yet.
func (a *App) FirstRun(ctx context.Context) bool {
	if svc, err := a.Service(); err == nil {
		return !svc.FirstRunDone(ctx)
	}
	store, _ := a.cfg.Keys.Present(ctx)
	return !store
}

// SetFirstRunDone remembers that the welcome screen was completed.
func (a *App) SetFirstRunDone(ctx context.Context) error {
	svc, err := a.Service()
	if err != nil {
		return err
	}
	return svc.SetFirstRunDone(ctx)
}

// Unlock tries a passphrase typed by the user; it returns nil once the
// store is open. The typed passphrase comes before the passphrase file, so
// that unlocking works when the file is wrong.
func (a *App) Unlock(ctx context.Context, passphrase string) error {
	a.mu.Lock()
	a.pass = []byte(passphrase)
	a.mu.Unlock()
	a.open(ctx)
	return a.Err()
}

// Create makes the new store under the passphrase chosen by the user, and
// also under the recovery passphrase when one is given.
func (a *App) Create(ctx context.Context, passphrase, recovery string) error {
	a.closeStore()
	a.mu.Lock()
	a.pass = []byte(passphrase)
	a.mu.Unlock()
	if recovery != "" {
		if a.cfg.Rescue == nil {
			return errors.New("a recovery passphrase cannot be set here")
		}
		if err := a.cfg.Rescue.Create(ctx, []byte(passphrase), []byte(recovery)); err != nil {
			return err
		}
	}
	a.open(ctx)
	return a.Err()
}

// StartFresh moves a damaged store aside (it is kept, never deleted) and
// creates an empty one; it returns where the damaged file now is.
func (a *App) StartFresh(ctx context.Context) (string, error) {
	if a.cfg.Rescue == nil {
		return "", errors.ErrUnsupported
	}
	a.closeStore()
	kept, err := a.cfg.Rescue.StartOver(ctx)
	if err != nil {
		return "", err
	}
	a.open(ctx)
	return kept, a.Err()
}

// Salvaged is what Salvage saved, and what it could not read.
type Salvaged struct {
	Sessions, Answers int
	Lost              []string // one line for each session or recording left behind
}

// Salvage writes what can still be read of a damaged store to a JSON
// export at path; the store is opened read-only and left as it is.
func (a *App) Salvage(ctx context.Context, path string) (Salvaged, error) {
	if a.cfg.Rescue == nil {
		return Salvaged{}, errors.ErrUnsupported
	}
	a.closeStore()
	a.mu.Lock()
	pass := append([]byte(nil), a.pass...)
	a.mu.Unlock()
	if len(pass) == 0 {
		pass = nil
	}
	s, err := a.cfg.Rescue.OpenDamaged(ctx, pass)
	if err != nil {
		return Salvaged{}, err
	}
	defer s.Close()
	got, err := archive.Salvage(ctx, s)
	if err != nil {
		return Salvaged{}, err
	}
	write := func(out io.Writer) error {
		return archive.WriteJSON(ctx, out, got.Records, a.cfg.Now(), got.Recording)
	}
	if err := archive.WriteFile(filepath.Clean(path), nil, write); err != nil {
		return Salvaged{}, err
	}
	res := Salvaged{Sessions: len(got.Records), Lost: got.Lost}
	for _, r := range got.Records {
		res.Answers += len(r.Attempts)
	}
	return res, nil
}

// Wipe destroys the store and its key (and the speech models when
// withModels is true), then opens a fresh, empty store with a new key when
// the keyring can keep one.
func (a *App) Wipe(ctx context.Context, withModels bool) error {
	if a.cfg.Rescue == nil {
		return errors.ErrUnsupported
	}
	a.closeStore()
	if err := a.cfg.Rescue.Wipe(ctx, withModels); err != nil {
		return err
	}
	a.mu.Lock()
	a.pass = nil
	a.mu.Unlock()
	a.open(ctx)
	return nil
}

// ModelChanged makes the open service load the model in use next time.
func (a *App) ModelChanged() {
	if svc, err := a.Service(); err == nil {
		svc.ModelChanged()
	}
}
