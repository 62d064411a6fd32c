package ui

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

var update = flag.Bool("update", false, "rewrite the golden screenshots in testdata/")

// maxDiffRatio is the share of pixels that may differ from a golden image
// (anti-aliasing can vary slightly between font rasteriser builds).
const maxDiffRatio = 0.005

// screens renders every screen of the window with Fyne's software painter
// and compares each with testdata/<name>.png.
var screens = []struct {
	name  string
	deps  func(f *fakeBackend, d *Deps)
	setup func(t *testing.T, h *harness)
}{
	{name: "first-run", deps: func(f *fakeBackend, d *Deps) { d.FirstRun = true }},
	{name: "home", setup: func(t *testing.T, h *harness) {}},
	{name: "feedback-dark", deps: func(f *fakeBackend, d *Deps) { f.settings.Theme = ThemeDark }, setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
		h.typeAnswer(answerHesitant)
	}},
	{name: "setup", setup: func(t *testing.T, h *harness) {
		h.tap("Start a practice session")
		h.act(func() {
			h.entry("Role or title").SetText("Backend engineer at a logistics company")
			h.entry("Optional: paste the job description").SetText("We run Kubernetes and PostgreSQL; you will own the routing service and mentor two engineers.")
		})
	}},
	{name: "practice", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
	}},
	{name: "practice-typing", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
		h.tap("Type an answer instead")
		h.act(func() { h.entry("Type your answer").SetText(answerSTAR) })
	}},
	{name: "feedback", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
		h.typeAnswer(answerHesitant)
		h.tap("Show evidence")
	}},
	{name: "feedback-retake", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
		h.typeAnswer(answerSTAR)
		h.shortcut(fyne.KeyR)
		h.typeAnswer(answerBetter)
		h.act(func() { scrollDown(h) })
	}},
	{name: "summary", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "We use Kubernetes and PostgreSQL. Kubernetes experience is a must.")
		h.typeAnswer(answerSTAR)
		h.shortcut(fyne.KeyR)
		h.typeAnswer(answerBetter)
		h.tap("Finish session")
	}},
	{name: "history", setup: func(t *testing.T, h *harness) { h.tap("History") }},
	{name: "history-detail", setup: func(t *testing.T, h *harness) {
		h.tap("History")
		h.act(func() {
			for _, o := range h.objects() {
				if l, ok := o.(*widget.List); ok {
					l.Select(1)
				}
			}
		})
	}},
	{name: "progress", setup: func(t *testing.T, h *harness) { h.tap("Progress") }},
	{name: "settings", setup: func(t *testing.T, h *harness) { h.tap("Settings") }},
	{name: "settings-models", setup: func(t *testing.T, h *harness) { h.tap("Settings"); selectTab(h, 2) }},
	{name: "settings-models-more", deps: func(f *fakeBackend, d *Deps) {
		f.models[0].Installed, f.models[0].Active, f.models[0].Trust = true, true, "verified"
		f.models = append(f.models, ModelInfo{Name: "my-model", Title: "my-model", Accuracy: "A model you imported: its accuracy is whatever it was trained for",
			SizeBytes: 31457280, Installed: true, Trust: "checked"})
	}, setup: func(t *testing.T, h *harness) {
		h.tap("Settings")
		selectTab(h, 2)
		h.tap("More models")
		h.act(func() { scrollDown(h) })
	}},
	{name: "settings-rulebook", setup: func(t *testing.T, h *harness) { h.tap("Settings"); selectTab(h, 3) }},
	{name: "how-feedback-works", setup: func(t *testing.T, h *harness) { h.tap("How feedback works") }},
	{name: "privacy", setup: func(t *testing.T, h *harness) { h.tap("Privacy") }},
	{name: "privacy-export", setup: func(t *testing.T, h *harness) {
		h.f.sessions[0].results[0].Attempt.HasAudio = true
		h.f.sessions[0].results[0].Attempt.DurationS = 95
		h.tap("Privacy")
		h.act(func() { scrollDown(h) })
	}},
	{name: "delete-everything", setup: func(t *testing.T, h *harness) { h.tap("Privacy"); h.tap("Delete everything…") }},
	{name: "unlock", deps: func(f *fakeBackend, d *Deps) {
		d.OpenErr = rehearse.ErrPassphraseNeeded
		d.Unlock = f.unlock
	}},
	{name: "create-passphrase", deps: func(f *fakeBackend, d *Deps) {
		d.OpenErr = rehearse.ErrPassphraseNeeded
		d.NewStore = true
		d.Create = func(context.Context, string, string) error { return nil }
	}, setup: func(t *testing.T, h *harness) {
		h.act(func() {
			h.entry("New passphrase").SetText("paper lamp river quietly")
			h.entry("Type the new passphrase again").SetText("paper lamp river quietly")
		})
		h.check("Also set a recovery passphrase")
	}},
	{name: "recover", deps: func(f *fakeBackend, d *Deps) {
		d.OpenErr = rehearse.ErrCorruptStore
		d.StartFresh = func(context.Context) (string, error) { return "", nil }
		d.Salvage = func(context.Context, string) (Salvaged, error) {
			return Salvaged{Sessions: 11, Answers: 27, Lost: []string{
				`session 12 "Product manager" (3 answers): answers of session 12: the practice store is damaged`,
				`the recording of answer 31: the practice store is damaged`}}, nil
		}
	}, setup: func(t *testing.T, h *harness) {
		h.tap("Save what can be read")
		h.waitFor("the salvage report", func() bool { return h.shows("Saved 11 sessions") })
	}},
	{name: "no-microphone", setup: func(t *testing.T, h *harness) {
		startSession(t, h, "Backend engineer", "")
		h.f.devices = nil
		h.space()
		h.settle()
	}},
}

func selectTab(h *harness, i int) {
	h.act(func() {
		for _, o := range h.objects() {
			if tabs, ok := o.(interface{ SelectIndex(int) }); ok {
				tabs.SelectIndex(i)
			}
		}
	})
}

func scrollDown(h *harness) {
	for range 3 {
		relayout(h.w.Canvas().Content())
	}
	for _, o := range h.objects() {
		if s, ok := o.(interface{ ScrollToBottom() }); ok {
			s.ScrollToBottom()
		}
	}
}

func TestScreenshots(t *testing.T) {
	t.Setenv("HOME", "/home/sam")
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			f := newFake()
			if sc.name != "first-run" && sc.name != "unlock" && sc.name != "create-passphrase" && sc.name != "recover" {
				seed(t, f, "Data engineer", "Product manager", "Site reliability", "Backend engineer")
			}
			h := newHarness(t, f, func(d *Deps) {
				if sc.deps != nil {
					sc.deps(f, d)
				}
			})
			if sc.setup != nil {
				sc.setup(t, h)
			}
			h.settle()
			img := h.capture()
			compareGolden(t, sc.name, img)
		})
	}
}

func compareGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *update {
		if err := writePNG(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := readPNG(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update to create it)", path, err)
	}
	ratio, err := diffRatio(want, img)
	if err != nil || ratio > maxDiffRatio {
		got := filepath.Join(t.TempDir(), name+".png")
		if os.Getenv("REHEARSE_KEEP_FAILED") != "" {
			got = filepath.Join(os.TempDir(), "rehearse-"+name+".failed.png")
		}
		_ = writePNG(got, img)
		t.Fatalf("%s differs from the golden image (%.4f of pixels, limit %.4f, err %v); got %s", name, ratio, maxDiffRatio, err, got)
	}
}

// diffRatio is the share of pixels whose colour differs noticeably.
func diffRatio(a, b image.Image) (float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, fmt.Errorf("size %v, want %v", b.Bounds().Size(), a.Bounds().Size())
	}
	ab, bb := a.Bounds(), b.Bounds()
	diff := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if absDiff(r1, r2) > 0x2000 || absDiff(g1, g2) > 0x2000 || absDiff(b1, b2) > 0x2000 {
				diff++
			}
		}
	}
	return float64(diff) / float64(ab.Dx()*ab.Dy()), nil
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
