//go:build whisper

package whisper_test

import (
	"context"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

func probe(tb testing.TB, threads int) models.Probe {
	dir := tb.TempDir()
	return func(ctx context.Context, s ggml.Spec) (time.Duration, error) {
		return whisper.SpeedTest(ctx, dir, s, models.SelfTestSeconds, threads)
	}
}

// TestSpeedTest runs the self-test's measurement on the real engine with
// the smallest model shape.
func TestSpeedTest(t *testing.T) {
	c := models.Candidate{Name: "micro", Shape: ggmltest.Micro.WithLayers(4)}
	m, err := models.Measure(context.Background(), probe(t, 1), c)
	if err != nil {
		t.Fatal(err)
	}
	if m.OneLayer <= 0 || m.TwoLayers <= 0 || m.Estimated < m.TwoLayers || m.Estimated > 2*m.TwoLayers || m.RTF <= 0 {
		t.Errorf("measurement %+v", m)
	}
	t.Logf("micro, 4 layers: 1 layer %v, 2 layers %v, estimated %v, %.3f × real time", m.OneLayer, m.TwoLayers, m.Estimated, m.RTF)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := whisper.SpeedTest(ctx, t.TempDir(), ggmltest.Micro, 2, 1); err == nil {
		t.Error("a cancelled self-test succeeded")
	}
}

// BenchmarkModelSelfTest runs the self-test for the base.en shape on 2
// threads (8 s of generated audio, 1- and 2-layer models extrapolated to 6
// layers) and reports its real-time factor, then measures the full 6-layer
// model the same way, to show how close the extrapolation comes.
func BenchmarkModelSelfTest(b *testing.B) {
	c := models.Candidates[1]
	p := probe(b, 2)
	var m models.Measurement
	for i := 0; i < b.N; i++ {
		var err error
		if m, err = models.Measure(context.Background(), p, c); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	full, err := p(context.Background(), c.Shape)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(m.RTF, "rtf")
	b.ReportMetric(full.Seconds()/models.SelfTestSeconds, "full-depth-rtf")
	b.ReportMetric(float64(m.Layers), "layers")
	b.ReportMetric(float64(c.Shape.NAudioState), "width")
	b.Logf("%s shape: self-test %.3f × real time (1 layer %v, 2 layers %v), full %d layers %.3f ×", c.Name, m.RTF, m.OneLayer, m.TwoLayers, m.Layers, full.Seconds()/models.SelfTestSeconds)
}
