package models

import (
	"context"
	"fmt"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
)

// Probe times the real recogniser transcribing SelfTestSeconds of audio
// with a synthetic model of the given shape (whisper.SpeedTest).
type Probe func(ctx context.Context, spec ggml.Spec) (time.Duration, error)

// SelfTestSeconds is the audio each measurement transcribes: about one
// spoken sentence, the unit of work streaming hands the recogniser.
const SelfTestSeconds = 8.0

// StreamingLimit is the slowest real-time factor (transcription time ÷
// audio time) at which a model is offered for streaming. At 0.5 a sentence
// is transcribed in half the time it took to say, so the recogniser keeps
// up with the speaker with room for the machine to be twice as busy
// (another program, the window, a slower passage), and the last sentence
// is ready soon after the user stops.
const StreamingLimit = 0.5

// Candidate is a model the self-test can recommend, smallest first.
type Candidate struct {
	Name     string
	Shape    ggml.Spec
	Accuracy string // in words, for the user
}

// Candidates are the English full-precision models, smallest first.
var Candidates = []Candidate{
	{"tiny.en", ggml.TinyEn, "the least accurate: fine for clear speech in a quiet room, misses more words with accents, noise or fast speech"},
	{"base.en", ggml.BaseEn, "clearly better than tiny.en on everyday speech; the usual choice for a laptop"},
	{"small.en", ggml.SmallEn, "the most accurate of the three: holds up better with accents, mumbling and background noise"},
}

// Measurement is the self-test's figure for one model shape.
type Measurement struct {
	Model string `json:"model"`
	// OneLayer and TwoLayers are the measured times with 1 and 2 encoder
	// and decoder layers.
	OneLayer  time.Duration `json:"one_layer_ns"`
	TwoLayers time.Duration `json:"two_layers_ns"`
	Layers    int32         `json:"layers"` // of the real model
	// Estimated is the time for the real depth, RTF that over the audio.
	Estimated time.Duration `json:"estimated_ns"`
	RTF       float64       `json:"rtf"`
	Streams   bool          `json:"streams"` // RTF ≤ StreamingLimit
}

// Measure runs the self-test for one model shape. It measures the real
// engine at full width and vocabulary with 1 and then 2 layers (each layer
// of a model costs the same, so the cost is fixed + layers × per-layer)
// and extrapolates to the real depth. To stay honest on a busy machine,
// where the difference of two timings is noisy, the estimate is kept
// between the 2-layer time (a lower bound) and layers/2 × the 2-layer time
// (an upper bound, since the fixed part is not negative).
func Measure(ctx context.Context, probe Probe, c Candidate) (Measurement, error) {
	m := Measurement{Model: c.Name, Layers: max(c.Shape.NAudioLayer, c.Shape.NTextLayer)}
	var err error
	if m.OneLayer, err = probe(ctx, c.Shape.WithLayers(1)); err != nil {
		return m, fmt.Errorf("self-test of %s: %w", c.Name, err)
	}
	if m.TwoLayers, err = probe(ctx, c.Shape.WithLayers(2)); err != nil {
		return m, fmt.Errorf("self-test of %s: %w", c.Name, err)
	}
	m.Estimated = extrapolate(m.OneLayer, m.TwoLayers, m.Layers)
	m.RTF = m.Estimated.Seconds() / SelfTestSeconds
	m.Streams = m.RTF <= StreamingLimit
	return m, nil
}

// extrapolate estimates the time with n layers from the times with 1 and 2.
func extrapolate(t1, t2 time.Duration, n int32) time.Duration {
	if n <= 2 {
		return t2
	}
	per := t2 - t1
	est := t1 - per + time.Duration(n)*per
	lo, hi := t2, t2*time.Duration(n)/2
	return min(max(est, lo), hi)
}

// Recommendation is the model the self-test offers.
type Recommendation struct {
	Entry     Entry         `json:"entry"`
	URL       string        `json:"url"`
	Installed bool          `json:"installed"`
	Accuracy  string        `json:"accuracy"`
	Threads   int           `json:"threads"`
	Measured  []Measurement `json:"measured"`
	// Streams is false when even the smallest model is too slow to stream:
	// it is still offered, and answers are transcribed after they end.
	Streams bool    `json:"streams"`
	RTF     float64 `json:"rtf"`
}

// ErrSelfTest wraps a failed measurement.
var ErrSelfTest = rehearse.ErrSelfTest

// Recommend measures the candidates smallest first, stopping at the first
// that cannot stream (a larger one is slower still), and recommends the
// largest that can. progress, when not nil, is told each model before it
// is measured.
func (m *Manager) Recommend(ctx context.Context, probe Probe, threads int, progress func(model string)) (Recommendation, error) {
	var rec Recommendation
	rec.Threads = threads
	best, first := -1, -1
	var bestRTF float64
	for i, c := range Candidates {
		if _, ok := m.Lookup(c.Name); !ok {
			continue // only a model the catalogue offers can be recommended
		}
		if progress != nil {
			progress(c.Name)
		}
		ms, err := Measure(ctx, probe, c)
		if err != nil {
			if ctx.Err() != nil {
				return rec, ctx.Err()
			}
			return rec, fmt.Errorf("%w: %w", ErrSelfTest, err)
		}
		rec.Measured = append(rec.Measured, ms)
		if first < 0 {
			first, bestRTF = i, ms.RTF
		}
		if !ms.Streams {
			break
		}
		best, bestRTF = i, ms.RTF
	}
	if first < 0 {
		return rec, fmt.Errorf("the model catalogue offers none of the English models the self-test measures")
	}
	rec.Streams = best >= 0
	if best < 0 {
		best = first
	}
	c := Candidates[best]
	e, _ := m.Lookup(c.Name)
	rec.Entry, rec.URL, rec.Accuracy, rec.RTF = e, m.URL(c.Name), c.Accuracy, bestRTF
	if _, err := m.Find(c.Name); err == nil {
		rec.Installed = true
	}
	return rec, nil
}
