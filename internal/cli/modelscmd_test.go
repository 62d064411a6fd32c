package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

type fakeModels struct {
	list       []ModelStatus
	downloaded []string
	used       string
	advice     ModelAdvice
	adviceErr  error
}

func (f *fakeModels) Recommend(ctx context.Context, g Global, progress func(string)) (ModelAdvice, error) {
	for _, m := range f.advice.Measured {
		progress(m.Name)
	}
	return f.advice, f.adviceErr
}

func (f *fakeModels) Doctor(context.Context, Global) []Fact { return nil }
func (f *fakeModels) List(context.Context, Global) ([]ModelStatus, error) {
	return f.list, nil
}
func (f *fakeModels) Download(ctx context.Context, g Global, name string, progress func(done, total int64)) (ModelStatus, error) {
	f.downloaded = append(f.downloaded, name)
	progress(50, 100)
	progress(100, 100)
	return ModelStatus{Name: name, Installed: true, Size: 100, Checksum: "SHA-1 verified", ChecksumOK: true}, nil
}
func (f *fakeModels) Import(ctx context.Context, g Global, path, name string) (ModelStatus, error) {
	return ModelStatus{}, fmt.Errorf("import: %w", rehearse.ErrBadModel)
}
func (f *fakeModels) Remove(ctx context.Context, g Global, name string) error { return nil }
func (f *fakeModels) Use(ctx context.Context, g Global, name string) error {
	f.used = name
	return nil
}

func TestModelsCommand(t *testing.T) {
	f := &fakeModels{list: []ModelStatus{
		{Name: "tiny.en", Size: 75 << 20, Checksum: "SHA-1 c78c (published)", InCatalog: true, Source: "https://example/ggml-tiny.en.bin"},
		{Name: "tiny.en-q5_1", Size: 31 << 20, Checksum: "no published checksum — size and header are checked", InCatalog: true},
		{Name: "mine", Size: 8 << 20, Installed: true, Active: true, Checksum: "imported", ChecksumOK: true},
	}}
	deps := &Deps{Models: f}
	code, out, _ := run(deps, "", "models", "list")
	if code != 0 || !strings.Contains(out, "no published checksum — size and header are checked") || !strings.Contains(out, "* mine") || !strings.Contains(out, "75.0 MiB") {
		t.Errorf("list %d:\n%s", code, out)
	}
	code, out, _ = run(deps, "", "models", "list", "--json")
	var list []ModelStatus
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 3 {
		t.Errorf("list --json %d: %s", code, out)
	}
	// Not a terminal and no --yes: nothing is downloaded.
	code, _, errOut := run(deps, "y\n", "models", "download", "tiny.en")
	if code != 1 || !strings.Contains(errOut, "--yes") || len(f.downloaded) != 0 {
		t.Errorf("download without --yes: %d %q %v", code, errOut, f.downloaded)
	}
	code, out, errOut = run(deps, "", "models", "download", "tiny.en", "--yes")
	if code != 0 || len(f.downloaded) != 1 || !strings.Contains(errOut, "https://example/ggml-tiny.en.bin") || !strings.Contains(errOut, "75.0 MiB") || !strings.Contains(out, "installed tiny.en") {
		t.Errorf("download --yes: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(deps, "", "models", "download", "--yes", "nonesuch"); code != 1 || !strings.Contains(errOut, "no model called") {
		t.Errorf("unknown model: %d %q", code, errOut)
	}
	if code, _, errOut := run(deps, "", "models", "import", "x.bin"); code != 1 || !strings.Contains(errOut, rehearse.ErrBadModel.Error()) {
		t.Errorf("bad import: %d %q", code, errOut)
	}
	if code, _, _ := run(deps, "", "models", "use", "mine"); code != 0 || f.used != "mine" {
		t.Errorf("use: %d %q", code, f.used)
	}
	for _, args := range [][]string{{"models"}, {"models", "fly"}, {"models", "use"}, {"models", "list", "x"}} {
		if code, _, _ := run(deps, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestModelsRecommend(t *testing.T) {
	f := &fakeModels{advice: ModelAdvice{
		Name: "base.en", Size: 147964211, Source: "https://example/ggml-base.en.bin", Checksum: "SHA-256 a037 (published)",
		Accuracy: "clearly better than tiny.en", Streams: true, RTF: 0.31, Limit: 0.5, Audio: 8, Threads: 2, Engine: "1.8.4",
		Measured: []ModelSpeed{{"tiny.en", 0.12, true}, {"base.en", 0.31, true}, {"small.en", 0.93, false}},
	}}
	deps := &Deps{Models: f}
	code, out, errOut := run(deps, "", "models", "recommend")
	for _, want := range []string{"Recommended: base.en", "141.1 MiB", "https://example/ggml-base.en.bin", "0.31 × real time",
		"too slow to stream (limit 0.50 ×)", "clearly better than tiny.en", "rehearse models download base.en", "SHA-256"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if code != 0 || !strings.Contains(errOut, "measuring a small.en-sized model") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	t.Logf("\n%s", out)
	code, out, _ = run(deps, "", "models", "recommend", "--json")
	var adv ModelAdvice
	if code != 0 || json.Unmarshal([]byte(out), &adv) != nil || adv.Name != "base.en" || len(adv.Measured) != 3 {
		t.Errorf("--json %d: %s", code, out)
	}
	f.advice.Installed = true
	if _, out, _ := run(deps, "", "models", "recommend"); !strings.Contains(out, "rehearse models use base.en") {
		t.Errorf("installed: %s", out)
	}
	f.adviceErr = fmt.Errorf("self-test: %w", rehearse.ErrNoTranscriber)
	code, _, errOut = run(deps, "", "models", "recommend")
	if code == 0 || !strings.Contains(errOut, "not compiled into this copy") || !strings.Contains(errOut, "Voice transcription") {
		t.Errorf("no whisper: exit %d %q", code, errOut)
	}
	if code, _, _ := run(deps, "", "models", "recommend", "x"); code != 2 {
		t.Errorf("recommend x: exit %d", code)
	}
}
