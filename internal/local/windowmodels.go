package local

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/ui"
)

// SpeedTest times the real recogniser transcribing sec seconds of audio
// with a synthetic model of shape spec written into dir (whisper.SpeedTest).
type SpeedTest func(ctx context.Context, dir string, spec ggml.Spec, sec float64, threads int) (time.Duration, error)

// WindowModels presents the speech-model manager to the window: the
// catalogue and the installed models described in words, downloads, and
// the speed self-test that chooses a model for this computer. It turns
// models.Manager into the window's ui.Models.
type WindowModels struct {
	Manager *models.Manager
	// Voice is true when transcription is compiled into this copy.
	Voice bool
	// SpeedTest measures the recogniser for Recommend.
	SpeedTest SpeedTest
	// Changed, when set, is called once the model in use may be another.
	Changed func()
}

var _ ui.Models = (*WindowModels)(nil)

func (m *WindowModels) done(err error) error {
	if err == nil && m.Changed != nil {
		m.Changed()
	}
	return err
}

// Available reports whether transcription is compiled in.
func (m *WindowModels) Available() bool { return m.Voice }

// windowModelInfo describes a model for the window.
func windowModelInfo(md models.Model, published bool) ui.ModelInfo {
	d := models.Describe(md.Name)
	info := ui.ModelInfo{
		Name: md.Name, Title: d.Title, File: models.FileName(md.Name), Accuracy: d.Accuracy, SizeBytes: md.Size,
		Installed: md.Installed, Active: md.Active, Partial: md.Partial, Published: published,
	}
	if md.InCatalog {
		info.Source = md.Source
	}
	if md.Installed {
		info.Trust = md.Trust
	}
	return info
}

func (m *WindowModels) published(name string) bool {
	e, ok := m.Manager.Lookup(name)
	return ok && (e.SHA256 != "" || e.SHA1 != "")
}

// List returns the catalogue and the installed models.
func (m *WindowModels) List(ctx context.Context) ([]ui.ModelInfo, error) {
	ms, err := m.Manager.List()
	if err != nil {
		return nil, err
	}
	out := make([]ui.ModelInfo, len(ms))
	for i, md := range ms {
		out[i] = windowModelInfo(md, m.published(md.Name))
	}
	return out, nil
}

// Download fetches a catalogue model; see models.Manager.Download.
func (m *WindowModels) Download(ctx context.Context, name string, progress func(done, total int64)) error {
	_, err := m.Manager.Download(ctx, name, progress)
	return m.done(err)
}

// Import checks a model file and copies it in.
func (m *WindowModels) Import(ctx context.Context, path string) (ui.ModelInfo, error) {
	md, err := m.Manager.Import(path, "")
	if err != nil {
		return ui.ModelInfo{}, err
	}
	return windowModelInfo(md, m.published(md.Name)), m.done(nil)
}

// Remove deletes an installed model.
func (m *WindowModels) Remove(ctx context.Context, name string) error {
	return m.done(m.Manager.Remove(name))
}

// Use chooses the model to transcribe with.
func (m *WindowModels) Use(ctx context.Context, name string) error {
	return m.done(m.Manager.Use(name))
}

// Threads is the recogniser's thread count.
func (m *WindowModels) Threads() int { return m.Manager.Threads() }

// SetThreads remembers the thread count.
func (m *WindowModels) SetThreads(n int) error { return m.Manager.SetThreads(n) }

// Recommend runs the speed self-test on the thread count transcription
// uses, with synthetic models written to a temporary folder that is
// removed afterwards.
func (m *WindowModels) Recommend(ctx context.Context, progress func(model string)) (ui.ModelAdvice, error) {
	if m.SpeedTest == nil {
		return ui.ModelAdvice{}, fmt.Errorf("%w: no recogniser to measure", models.ErrSelfTest)
	}
	dir, err := os.MkdirTemp("", "rehearse-selftest-")
	if err != nil {
		return ui.ModelAdvice{}, fmt.Errorf("speed self-test: %w", err)
	}
	defer os.RemoveAll(dir)
	threads := m.Manager.Threads()
	probe := func(ctx context.Context, s ggml.Spec) (time.Duration, error) {
		return m.SpeedTest(ctx, dir, s, models.SelfTestSeconds, threads)
	}
	// The window shows the model being measured in words.
	named := func(name string) {
		if progress != nil {
			progress(models.Describe(name).Title)
		}
	}
	rec, err := m.Manager.Recommend(ctx, probe, threads, named)
	if err != nil {
		return ui.ModelAdvice{}, err
	}
	adv := ui.ModelAdvice{Streams: rec.Streams, RTF: rec.RTF, Threads: threads}
	if free, err := m.Manager.FreeSpace(); err == nil {
		adv.Free = free
	}
	for _, ms := range rec.Measured {
		adv.Measured = append(adv.Measured, ui.ModelSpeed{Name: ms.Model, RTF: ms.RTF, Streams: ms.Streams})
	}
	list, err := m.Manager.List()
	if err != nil {
		return ui.ModelAdvice{}, err
	}
	for _, md := range list {
		if md.Name == rec.Entry.Name {
			adv.Model = windowModelInfo(md, m.published(md.Name))
		}
	}
	return adv, nil
}
