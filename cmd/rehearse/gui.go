package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/modelview"
	"github.com/rehearse-app/rehearse/internal/portaudio"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/ui"
	"github.com/rehearse-app/rehearse/internal/vault"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// runGUI opens the practice window on the user's data: it unlocks the store
// (asking for a passphrase in the window when the keyring cannot), opens
// the microphone and the model manager, and hands them to the UI.
func runGUI(ctx context.Context, g cli.Global) error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ui.ErrNoDisplay
	}
	w, err := newGUIWiring(g)
	if err != nil {
		return err
	}
	defer w.close()
	return ui.Run(ctx, w.deps(ctx))
}

// guiWiring owns everything the window uses and can reopen the store after
// an unlock or a wipe.
type guiWiring struct {
	g      cli.Global
	layout datadir.Layout
	mic    *portaudio.Microphone // nil when PortAudio could not start
	models *models.Manager
	// backlog transcribes the answers waiting for a model, on whichever
	// store is open.
	backlog *practice.Backlog

	mu       sync.Mutex
	pass     []byte // passphrase typed into the window, for this run only
	svc      *practice.Service
	closeSvc func() error
	openErr  error
	fresh    bool // the welcome screen has not been completed yet
}

func newGUIWiring(g cli.Global) (*guiWiring, error) {
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return nil, err
	}
	w := &guiWiring{g: g, layout: l, models: &models.Manager{Dir: l.Models}}
	w.backlog = practice.NewBacklog(w.service)
	if m, err := portaudio.New(); err == nil {
		w.mic = m
	}
	w.open(context.Background())
	if svc, err := w.service(); err == nil {
		w.fresh = !svc.BoolSetting(context.Background(), practice.SettingFirstRunDone, false)
	} else {
		_, statErr := os.Stat(l.DB())
		w.fresh = errors.Is(statErr, os.ErrNotExist)
	}
	return w, nil
}

// asker answers the vault's passphrase questions from what the user typed
// into the unlock screen, else from the passphrase file; without either it
// reports that a passphrase is needed. What was typed comes first, so the
// unlock screen still works when the passphrase file is wrong.
func (w *guiWiring) asker() vault.Asker {
	var file vault.Asker
	if w.g.PassphraseFile != "" {
		file = vault.FileAsker(w.g.PassphraseFile)
	}
	return func(ctx context.Context, p vault.Prompt) ([]byte, error) {
		w.mu.Lock()
		typed := append([]byte(nil), w.pass...)
		w.mu.Unlock()
		switch {
		case len(typed) > 0:
			return typed, nil
		case file != nil:
			return file(ctx, p)
		}
		return nil, rehearse.ErrPassphraseNeeded
	}
}

func (w *guiWiring) open(ctx context.Context) {
	var mic rehearse.Microphone
	if w.mic != nil {
		mic = w.mic
	}
	data := &dataDeps{now: time.Now}
	v, err := data.vault(w.g, w.asker())
	if err != nil {
		w.setOpen(nil, nil, err)
		return
	}
	st, err := v.Open(ctx)
	if err != nil {
		w.setOpen(nil, nil, err)
		return
	}
	svc, err := practice.New(practice.Config{
		Store: st,
		Mic:   mic,
		Transcriber: func(ctx context.Context) (rehearse.Transcriber, error) {
			tr, _, err := speechDeps{}.openTranscriber(w.g, "", 0)
			return tr, err
		},
		Speech: speechOptions(0),
	})
	if err != nil {
		st.Close()
		w.setOpen(nil, nil, err)
		return
	}
	// Expiry runs now and then once a day while the window stays open.
	_, _ = svc.ApplyExpiry(ctx)
	expiry, stopExpiry := context.WithCancel(context.Background())
	expired := make(chan struct{})
	go func() {
		defer close(expired)
		svc.ExpireDaily(expiry, time.Hour)
	}()
	w.setOpen(svc, func() error {
		stopExpiry()
		<-expired
		return st.Close()
	}, nil)
}

func (w *guiWiring) setOpen(svc *practice.Service, closeFn func() error, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.svc, w.closeSvc, w.openErr = svc, closeFn, err
}

func (w *guiWiring) service() (*practice.Service, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.svc == nil {
		if w.openErr != nil {
			return nil, w.openErr
		}
		return nil, rehearse.ErrCannotUnlock
	}
	return w.svc, nil
}

func (w *guiWiring) closeStore() {
	w.backlog.Cancel()
	w.backlog.Wait()
	w.mu.Lock()
	svc, closeFn := w.svc, w.closeSvc
	w.svc, w.closeSvc = nil, nil
	w.mu.Unlock()
	if svc != nil {
		svc.Close()
	}
	if closeFn != nil {
		closeFn()
	}
}

func (w *guiWiring) close() {
	w.backlog.Close()
	w.closeStore()
	if w.mic != nil {
		w.mic.Close()
	}
}

func (w *guiWiring) deps(ctx context.Context) ui.Deps {
	w.mu.Lock()
	openErr := w.openErr
	w.mu.Unlock()
	d := ui.Deps{
		Practice: &guiPractice{service: w.service, player: w.player()},
		Data:     &guiData{w: w},
		Models:   &modelview.Models{Manager: w.models, Voice: whisper.Available(), SpeedTest: whisper.SpeedTest, Changed: w.modelChanged},
		Mic:      &guiMic{w: w},
		Pending:  guiPending{b: w.backlog},
		FirstRun: w.fresh,
		FirstRunDone: func(ctx context.Context) error {
			svc, err := w.service()
			if err != nil {
				return err
			}
			return svc.Store().SetSetting(ctx, practice.SettingFirstRunDone, "true")
		},
		OpenErr:  openErr,
		NewStore: w.state(ctx).New,
		Create:   w.create,
		State:    w.state,
		Unlock: func(ctx context.Context, passphrase string) error {
			w.mu.Lock()
			w.pass = []byte(passphrase)
			w.mu.Unlock()
			w.open(ctx)
			_, err := w.service()
			return err
		},
		StartFresh: func(ctx context.Context) (string, error) {
			w.closeStore()
			v, err := (&dataDeps{now: time.Now}).vault(w.g, vault.NoAsker)
			if err != nil {
				return "", err
			}
			rep, err := v.StartOver(ctx, "damaged")
			if err != nil {
				return "", err
			}
			w.open(ctx)
			_, err = w.service()
			return rep.KeptStore, err
		},
		Salvage: w.salvage,
	}
	return d
}

// state is whether the store is open and, if not, whether it is still to
// be created: neither the database nor its key file exists yet.
func (w *guiWiring) state(ctx context.Context) ui.StoreState {
	_, err := w.service()
	if err == nil {
		return ui.StoreState{}
	}
	st := ui.StoreState{Err: err}
	if v, verr := (&dataDeps{now: time.Now}).vault(w.g, vault.NoAsker); verr == nil {
		if s, serr := v.Status(ctx); serr == nil {
			st.New = !s.Exists && s.KeyID == ""
		}
	}
	return st
}

// create makes the new store under the passphrase chosen in the window,
// setting the recovery passphrase in the same step when one was given.
func (w *guiWiring) create(ctx context.Context, passphrase, recovery string) error {
	w.closeStore()
	w.mu.Lock()
	w.pass = []byte(passphrase)
	w.mu.Unlock()
	if recovery != "" {
		v, err := (&dataDeps{now: time.Now}).vault(w.g, w.asker())
		if err != nil {
			return err
		}
		// Creates the store (the asker gives the new passphrase), then
		// wraps its key under the recovery passphrase too.
		if err := v.SetRecovery(ctx, []byte(recovery)); err != nil {
			return err
		}
	}
	w.open(ctx)
	_, err := w.service()
	return err
}

// salvage writes what can still be read of the damaged store to a JSON
// export at path; the store is opened read-only and left as it is.
func (w *guiWiring) salvage(ctx context.Context, path string) (ui.Salvaged, error) {
	w.closeStore()
	v, err := (&dataDeps{now: time.Now}).vault(w.g, w.asker())
	if err != nil {
		return ui.Salvaged{}, err
	}
	s, err := v.OpenDamaged(ctx, openDamagedSQLCipher)
	if err != nil {
		return ui.Salvaged{}, err
	}
	defer s.Close()
	got, err := archive.Salvage(ctx, s)
	if err != nil {
		return ui.Salvaged{}, err
	}
	write := func(out io.Writer) error { return archive.WriteJSON(ctx, out, got.Records, time.Now(), got.Recording) }
	if err := archive.WriteFile(filepath.Clean(path), nil, write); err != nil {
		return ui.Salvaged{}, err
	}
	res := ui.Salvaged{Sessions: len(got.Records), Lost: got.Lost}
	for _, r := range got.Records {
		res.Answers += len(r.Attempts)
	}
	return res, nil
}

func (w *guiWiring) player() rehearse.Player {
	if w.mic == nil {
		return nil
	}
	return w.mic
}

// guiData is the privacy center's view of the data folder.
type guiData struct{ w *guiWiring }

func (d *guiData) Stats(ctx context.Context) (ui.DataStats, error) {
	svc, err := d.w.service()
	if err != nil {
		return ui.DataStats{}, err
	}
	st, err := svc.Store().Stats(ctx)
	if err != nil {
		return ui.DataStats{}, err
	}
	l := d.w.layout
	out := ui.DataStats{
		Store: st,
		Paths: []ui.NamedPath{
			{Label: "Encrypted database (answers, transcripts, kept recordings)", Path: l.DB()},
			{Label: "Key-wrapping file (no key in clear)", Path: l.Config},
			{Label: "Speech models", Path: l.Models},
			{Label: "Cache", Path: l.Cache},
		},
		ExpiryDays: svc.IntSetting(ctx, practice.SettingExpiryDays, 0),
	}
	if v, err := (&dataDeps{now: time.Now}).vault(d.w.g, vault.NoAsker); err == nil {
		if s, err := v.Status(ctx); err == nil {
			out.KeyLocation = keyLocation(s)
		}
	}
	if ms, err := d.w.models.List(); err == nil {
		for _, m := range ms {
			if m.Installed {
				out.ModelBytes += m.Size
			}
		}
	}
	return out, nil
}

func keyLocation(s vault.Status) string {
	switch {
	case s.Keyring && s.Recovery:
		return "OS keyring (Secret Service / Keychain / Credential Manager), with a recovery passphrase"
	case s.Keyring:
		return "OS keyring (Secret Service / Keychain / Credential Manager)"
	case s.Passphrase && s.Recovery:
		return "wrapped by your passphrase (Argon2id), with a recovery passphrase; never stored in clear"
	case s.Passphrase:
		return "wrapped by your passphrase (Argon2id); never stored in clear"
	}
	return "not created yet"
}

func (d *guiData) Export(ctx context.Context, path, format string, recordings bool) error {
	svc, err := d.w.service()
	if err != nil {
		return err
	}
	recs, err := archive.Collect(ctx, svc.Store())
	if err != nil {
		return err
	}
	var audio archive.Recordings
	if recordings {
		audio = svc.Store().AttemptAudio
	}
	write := func(w io.Writer) error { return archive.WriteJSON(ctx, w, recs, time.Now(), audio) }
	if format == "markdown" || format == "md" {
		write = func(w io.Writer) error { return archive.WriteMarkdown(w, recs, time.Now()) }
	}
	return archive.WriteFile(filepath.Clean(path), nil, write)
}

func (d *guiData) WipeAll(ctx context.Context, withModels bool) error {
	d.w.closeStore()
	v, err := (&dataDeps{now: time.Now}).vault(d.w.g, vault.NoAsker)
	if err != nil {
		return err
	}
	if _, err := v.Wipe(ctx, withModels); err != nil {
		return err
	}
	d.w.mu.Lock()
	d.w.pass = nil
	d.w.mu.Unlock()
	d.w.open(ctx) // a fresh, empty store with a new key
	return nil
}

func (d *guiData) Network(ctx context.Context) ([]ui.NetworkUse, error) {
	log, err := d.w.models.NetworkLog()
	if err != nil {
		return nil, err
	}
	var out []ui.NetworkUse
	for _, t := range log {
		out = append(out, ui.NetworkUse{What: "model download: " + t.Model + " from " + t.URL, Bytes: t.Sent + t.Received, At: t.Started})
	}
	return out, nil
}

// modelChanged makes the open service load the model in use next time.
func (w *guiWiring) modelChanged() {
	if svc, err := w.service(); err == nil {
		svc.ModelChanged()
	}
}

// guiMic lists microphones and runs the level test of the first-run and
// settings screens.
type guiMic struct{ w *guiWiring }

func (m *guiMic) Devices(ctx context.Context) ([]rehearse.InputDevice, error) {
	if m.w.mic == nil {
		return nil, rehearse.ErrNoInputDevice
	}
	return m.w.mic.Devices(ctx)
}

func (m *guiMic) Test(ctx context.Context, device string, d time.Duration, level func(rehearse.Level)) (float32, error) {
	if m.w.mic == nil {
		return 0, rehearse.ErrNoInputDevice
	}
	rec, err := m.w.mic.Record(ctx, device)
	if err != nil {
		return 0, err
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	var peak float32
	levels := rec.Levels()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-timer.C:
			break loop
		case l, ok := <-levels:
			if !ok {
				break loop
			}
			peak = max(peak, l.Peak)
			if level != nil {
				level(l)
			}
		}
	}
	a, err := rec.Stop()
	if err != nil {
		return peak, err
	}
	for _, v := range a.Samples {
		peak = max(peak, v, -v)
	}
	return peak, ctx.Err()
}
