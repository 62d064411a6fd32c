package models

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
)

// costProbe is a stand-in recogniser whose time is fixed + per-layer cost,
// both growing with the model's width: it isolates the selection rule.
func costProbe(perLayerPerWidth time.Duration, calls *[]ggml.HParams) Probe {
	return func(ctx context.Context, s ggml.Spec) (time.Duration, error) {
		*calls = append(*calls, s.HParams)
		w := time.Duration(s.NAudioState)
		return w*perLayerPerWidth + time.Duration(s.NAudioLayer)*w*perLayerPerWidth, nil
	}
}

func TestExtrapolate(t *testing.T) {
	for _, tc := range []struct {
		t1, t2 time.Duration
		n      int32
		want   time.Duration
	}{
		{100, 150, 6, 350},  // fixed 50 + 6 × 50
		{100, 150, 12, 650}, // fixed 50 + 12 × 50
		{100, 150, 2, 150},
		{150, 100, 6, 100}, // noise made 2 layers faster: the 2-layer time at least
		{10, 200, 6, 600},  // noise made 1 layer very fast: at most 3 × the 2-layer time
		{100, 200, 4, 400}, // no fixed part
	} {
		if got := extrapolate(tc.t1, tc.t2, tc.n); got != tc.want {
			t.Errorf("extrapolate(%d, %d, %d) = %d, want %d", tc.t1, tc.t2, tc.n, got, tc.want)
		}
	}
}

func TestRecommend(t *testing.T) {
	m := &Manager{Dir: filepath.Join(t.TempDir(), "models")}
	for _, tc := range []struct {
		name     string
		cost     time.Duration // per layer per unit of width
		want     string
		measured int
		streams  bool
	}{
		// tiny.en: 384 × 5 × c; base.en 512 × 7 × c; small.en 768 × 13 × c (8 s of audio).
		{"fast computer", 100 * time.Microsecond, "small.en", 3, true},    // small 1.0 s: 0.12 ×
		{"middling computer", 700 * time.Microsecond, "base.en", 3, true}, // base 2.5 s: 0.31 ×; small 7.0 s: 0.87 ×
		{"slow computer", 1500 * time.Microsecond, "tiny.en", 2, true},    // tiny 2.9 s: 0.36 ×; base 5.4 s: 0.67 ×
		{"very slow computer", 3 * time.Millisecond, "tiny.en", 1, false}, // tiny 5.8 s: 0.72 ×
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []ggml.HParams
			var told []string
			rec, err := m.Recommend(context.Background(), costProbe(tc.cost, &calls), 2, func(n string) { told = append(told, n) })
			if err != nil {
				t.Fatal(err)
			}
			if rec.Entry.Name != tc.want || len(rec.Measured) != tc.measured || rec.Streams != tc.streams || rec.Threads != 2 {
				t.Errorf("recommended %s after %d measurements (streams %v), want %s after %d (%v): %+v", rec.Entry.Name, len(rec.Measured), rec.Streams, tc.want, tc.measured, tc.streams, rec.Measured)
			}
			if len(told) != tc.measured || len(calls) != 2*tc.measured {
				t.Errorf("progress %v, %d probes", told, len(calls))
			}
			for _, h := range calls {
				if h.NAudioLayer > 2 || h.NTextLayer != h.NAudioLayer {
					t.Errorf("probed %d+%d layers; the self-test measures 1 and 2", h.NAudioLayer, h.NTextLayer)
				}
			}
			if rec.Entry.SHA256 == "" || rec.URL == "" || rec.Accuracy == "" || rec.Installed {
				t.Errorf("recommendation %+v", rec)
			}
		})
	}
	// A catalogue that offers only tiny.en and small.en: base.en is not
	// measured, and nothing outside the catalogue is recommended.
	var partial []Entry
	for _, name := range []string{"tiny.en", "small.en"} {
		e, ok := m.Lookup(name)
		if !ok {
			t.Fatalf("%s is not in the catalogue", name)
		}
		partial = append(partial, e)
	}
	pm := &Manager{Dir: m.Dir, Entries: partial}
	var told []string
	rec, err := pm.Recommend(context.Background(), costProbe(100*time.Microsecond, new([]ggml.HParams)), 2, func(n string) { told = append(told, n) })
	if err != nil || rec.Entry.Name != "small.en" || strings.Join(told, ",") != "tiny.en,small.en" || len(rec.Measured) != 2 {
		t.Errorf("partial catalogue: recommended %q after measuring %v (err %v)", rec.Entry.Name, told, err)
	}
	if _, err := (&Manager{Dir: m.Dir, Entries: []Entry{}}).Recommend(context.Background(), costProbe(time.Microsecond, new([]ggml.HParams)), 2, nil); err == nil {
		t.Error("a catalogue with no English model to measure gave a recommendation")
	}
	boom := errors.New("engine broke")
	_, err = m.Recommend(context.Background(), func(context.Context, ggml.Spec) (time.Duration, error) { return 0, boom }, 1, nil)
	if !errors.Is(err, ErrSelfTest) || !errors.Is(err, boom) {
		t.Errorf("failing probe: %v", err)
	}
}
