package local

import (
	"context"
	"time"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/portaudio"
	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
	"github.com/rehearse-app/rehearse/internal/ui"
	"github.com/rehearse-app/rehearse/internal/vault"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// Window is the window's parts: the practice core on the data folder, the
// microphone (PortAudio) and the speech models.
type Window struct {
	g      cli.Global
	layout datadir.Layout
	keys   vault.Keys
	speech Speech
	mic    *portaudio.Microphone // nil when PortAudio could not start
	models *models.Manager
	app    *practice.App
	// before is what the user's shared folders held before the window
	// started, to tell what the window toolkit adds to them.
	before map[string]bool
}

// NewWindow opens the practice core on g's data folder for the window:
// the store is unlocked with the keyring or the passphrase file when
// possible, otherwise the window asks.
func NewWindow(ctx context.Context, g cli.Global, sp Speech) (*Window, error) {
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return nil, err
	}
	w := &Window{g: g, layout: l, speech: sp, models: &models.Manager{Dir: l.Models}, before: datadir.Snapshot()}
	// Without a typed passphrase the window uses the passphrase file, if
	// any, and otherwise shows the unlock screen.
	ask := func(context.Context, vault.Prompt) ([]byte, error) { return nil, rehearse.ErrPassphraseNeeded }
	if g.PassphraseFile != "" {
		ask = vault.FileAsker(g.PassphraseFile)
	}
	w.keys = NewData().Keys(l, ask)
	cfg := practiceConfig(g, w.keys, sp)
	if m, err := portaudio.New(); err == nil {
		w.mic = m
		cfg.Mic, cfg.Player = m, m
	}
	// Expiry runs at the start and then once a day while the window stays open.
	cfg.ExpiryCheck = time.Hour
	w.app = practice.Open(ctx, cfg)
	return w, nil
}

// App is the practice core the window runs on.
func (w *Window) App() *practice.App { return w.app }

// Models is the speech model manager of the data folder.
func (w *Window) Models() *models.Manager { return w.models }

// Close closes the store and the microphone.
func (w *Window) Close() {
	w.app.Close()
	if w.mic != nil {
		w.mic.Close()
	}
}

// Deps is what the window needs, as it is now.
func (w *Window) Deps(ctx context.Context) ui.Deps {
	return ui.Deps{
		Practice:    w.app,
		Planner:     w.app,
		Questions:   w.app,
		History:     w.app,
		Rulebook:    w.app,
		Preferences: w.app,
		Data:        &guiData{w: w},
		Models:      &guiModels{m: w.models, changed: w.app.ModelChanged},
		Mic:         &guiMic{w: w},
		Keys:        w.app,
		Exports:     w.app,
		RememberOutside: func(ctx context.Context, o ui.OutsideFiles) error {
			return w.layout.RememberOutside(datadir.Outside{AppFolder: o.AppFolder, Created: o.Created})
		},
		CreatedSince: func() []string { return w.layout.NewSince(w.before) },
		Pending:      w.app.Backlog(),
		Interviews:   NewInterviews(w.app),
		Voice:        NewVoice(),
		FirstRun:     w.app.FirstRun(ctx),
		FirstRunDone: w.app.SetFirstRunDone,
		OpenErr:      w.app.Err(),
		NewStore:     w.app.State(ctx).New,
		Create:       w.app.Create,
		State:        w.app.State,
		Unlock:       w.app.Unlock,
		StartFresh:   w.app.StartFresh,
		Salvage:      w.app.Salvage,
	}
}

// guiData is the privacy center's view of the data folder.
type guiData struct{ w *Window }

func (d *guiData) Stats(ctx context.Context) (ui.DataStats, error) {
	st, days, err := d.w.app.StoreStats(ctx)
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
		ExpiryDays: days,
	}
	if s, err := d.w.keys.Status(ctx); err == nil {
		out.KeyLocation = s.Location()
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

func (d *guiData) Export(ctx context.Context, path, format string) error {
	return d.w.app.Export(ctx, path, format)
}

func (d *guiData) WipeAll(ctx context.Context, withModels bool) error {
	return d.w.app.Wipe(ctx, withModels)
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

// guiModels is the model manager for the settings and first-run screens;
// changed is called once the model in use may be another.
type guiModels struct {
	m       *models.Manager
	changed func()
}

func (g *guiModels) done(err error) error {
	if err == nil {
		g.changed()
	}
	return err
}

func (g *guiModels) Available() bool { return whisper.Available() }

func modelInfo(m models.Model) ui.ModelInfo {
	info := ui.ModelInfo{Name: m.Name, SizeBytes: m.Size, Installed: m.Installed, Active: m.Active, SHA1: m.SHA1}
	if m.InCatalog {
		info.Source = m.Source
	}
	if e, ok := (&models.Manager{}).Lookup(m.Name); ok {
		info.SHA1 = e.SHA1
	}
	switch {
	case !m.Installed:
	case m.ChecksumOK && info.SHA1 != "":
		info.Checksum = "verified"
	case m.ChecksumOK:
		info.Checksum = "not pinned"
	default:
		info.Checksum = "mismatch"
	}
	return info
}

func (g *guiModels) List(ctx context.Context) ([]ui.ModelInfo, error) {
	ms, err := g.m.List()
	if err != nil {
		return nil, err
	}
	out := make([]ui.ModelInfo, len(ms))
	for i, m := range ms {
		out[i] = modelInfo(m)
	}
	return out, nil
}

func (g *guiModels) Download(ctx context.Context, name string, progress func(done, total int64)) error {
	_, err := g.m.Download(ctx, name, progress)
	return g.done(err)
}

func (g *guiModels) Import(ctx context.Context, path string) (ui.ModelInfo, error) {
	m, err := g.m.Import(path, "")
	return modelInfo(m), g.done(err)
}

func (g *guiModels) Remove(ctx context.Context, name string) error { return g.done(g.m.Remove(name)) }
func (g *guiModels) Use(ctx context.Context, name string) error    { return g.done(g.m.Use(name)) }
func (g *guiModels) Threads() int                                  { return g.m.Threads() }
func (g *guiModels) SetThreads(n int) error                        { return g.m.SetThreads(n) }

// guiMic lists microphones and runs the level test of the first-run and
// settings screens.
type guiMic struct{ w *Window }

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
	return soundcheck.Peak(ctx, m.w.mic, device, d, level)
}
