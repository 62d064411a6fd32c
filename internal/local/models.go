package local

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/bytesize"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/datadir"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// Models gives the command line the speech model manager of the data
// folder.
type Models struct {
	BaseURL string         // "" = the whisper.cpp project (tests use a local server)
	Entries []models.Entry // nil = the built-in catalogue
}

var _ cli.ModelDeps = Models{}

// manager returns the model manager of g's data folder.
func (d Models) manager(g cli.Global) (*models.Manager, error) {
	l, err := datadir.Resolve(g.DataDir)
	if err != nil {
		return nil, err
	}
	// Mark the folders as Rehearse's before the manager writes in them, so
	// that a wipe recognises them (a read-only folder fails later, clearly).
	_ = l.Ensure()
	return &models.Manager{Dir: l.Models, BaseURL: d.BaseURL, Entries: d.Entries}, nil
}

func status(m models.Model) cli.ModelStatus {
	return cli.ModelStatus{
		Name: m.Name, Installed: m.Installed, Active: m.Active, Size: m.Size,
		Checksum: m.Checksum, ChecksumOK: m.ChecksumOK, Source: m.Source, Partial: m.Partial,
		InCatalog: m.InCatalog, English: m.English, Path: m.Path,
	}
}

func (d Models) List(ctx context.Context, g cli.Global) ([]cli.ModelStatus, error) {
	mgr, err := d.manager(g)
	if err != nil {
		return nil, err
	}
	list, err := mgr.List()
	if err != nil {
		return nil, err
	}
	out := make([]cli.ModelStatus, len(list))
	for i, m := range list {
		out[i] = status(m)
	}
	return out, nil
}

func (d Models) Download(ctx context.Context, g cli.Global, name string, progress func(done, total int64)) (cli.ModelStatus, error) {
	mgr, err := d.manager(g)
	if err != nil {
		return cli.ModelStatus{}, err
	}
	m, err := mgr.Download(ctx, name, progress)
	return status(m), err
}

func (d Models) Import(ctx context.Context, g cli.Global, path, name string) (cli.ModelStatus, error) {
	mgr, err := d.manager(g)
	if err != nil {
		return cli.ModelStatus{}, err
	}
	m, err := mgr.Import(path, name)
	return status(m), err
}

func (d Models) Remove(ctx context.Context, g cli.Global, name string) error {
	mgr, err := d.manager(g)
	if err != nil {
		return err
	}
	return mgr.Remove(name)
}

func (d Models) Use(ctx context.Context, g cli.Global, name string) error {
	mgr, err := d.manager(g)
	if err != nil {
		return err
	}
	return mgr.Use(name)
}

// Recommend runs the speed self-test with whisper.cpp on the thread count
// transcription uses.
func (d Models) Recommend(ctx context.Context, g cli.Global, progress func(string)) (cli.ModelAdvice, error) {
	if !whisper.Available() {
		return cli.ModelAdvice{}, rehearse.ErrNoTranscriber
	}
	mgr, err := d.manager(g)
	if err != nil {
		return cli.ModelAdvice{}, err
	}
	dir, err := os.MkdirTemp("", "rehearse-selftest-")
	if err != nil {
		return cli.ModelAdvice{}, err
	}
	defer os.RemoveAll(dir)
	threads := mgr.Threads()
	probe := func(ctx context.Context, s ggml.Spec) (time.Duration, error) {
		return whisper.SpeedTest(ctx, dir, s, models.SelfTestSeconds, threads)
	}
	rec, err := mgr.Recommend(ctx, probe, threads, progress)
	if err != nil {
		return cli.ModelAdvice{}, err
	}
	adv := cli.ModelAdvice{
		Name: rec.Entry.Name, Size: rec.Entry.Size, Source: rec.URL, Checksum: "SHA-256 " + rec.Entry.SHA256 + " (published), checked after download",
		Accuracy: rec.Accuracy, Installed: rec.Installed, Streams: rec.Streams, RTF: rec.RTF, Limit: models.StreamingLimit,
		Audio: models.SelfTestSeconds, Threads: threads, Engine: whisper.Version(),
	}
	for _, m := range rec.Measured {
		adv.Measured = append(adv.Measured, cli.ModelSpeed{Name: m.Model, RTF: m.RTF, Streams: m.Streams})
	}
	return adv, nil
}

// Doctor reports the installed models and the network use (not needed:
// typed answers work without a model).
func (d Models) Doctor(ctx context.Context, g cli.Global) []cli.Fact {
	mgr, err := d.manager(g)
	if err != nil {
		return []cli.Fact{{Name: "speech models", Value: err.Error()}}
	}
	var facts []cli.Fact
	list, err := mgr.List()
	var inst []string
	allOK := true
	for _, m := range list {
		if !m.Installed {
			continue
		}
		s := fmt.Sprintf("%s (%s, %s", m.Name, bytesize.Format(m.Size), m.Checksum)
		if m.Active {
			s += ", in use"
		}
		inst = append(inst, s+")")
		allOK = allOK && m.ChecksumOK
	}
	switch {
	case err != nil:
		facts = append(facts, cli.Fact{Name: "speech models", Value: err.Error(), Fix: "check the models folder " + mgr.Dir})
	case len(inst) == 0:
		facts = append(facts, cli.Fact{Name: "speech models", Value: "none installed (typed answers still work)", Fix: "rehearse models download tiny.en  (or: rehearse models import FILE)"})
	default:
		facts = append(facts, cli.Fact{Name: "speech models", Value: strings.Join(inst, "; "), OK: allOK, Fix: "remove and download again the models not verified"})
	}
	sent, recv, err := mgr.NetworkTotals()
	if err != nil {
		facts = append(facts, cli.Fact{Name: "network use", Value: err.Error()})
	} else {
		facts = append(facts, cli.Fact{Name: "network use", OK: true,
			Value: fmt.Sprintf("%d bytes sent, %d received, all for model downloads you started", sent, recv)})
	}
	return facts
}
