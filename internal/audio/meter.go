package audio

import "math"

// Meter measures the level of a block of samples: root mean square and
// absolute peak. It never allocates, so it may run next to capture.
type Meter struct {
	sum  float64
	peak float32
	n    int
}

// Add accumulates samples into the current block.
func (m *Meter) Add(samples []float32) {
	var sum float64
	peak := m.peak
	for _, s := range samples {
		sum += float64(s) * float64(s)
		if s < 0 {
			s = -s
		}
		if s > peak {
			peak = s
		}
	}
	m.sum += sum
	m.peak = peak
	m.n += len(samples)
}

// Samples is how many samples the current block holds.
func (m *Meter) Samples() int { return m.n }

// Read returns the RMS and peak of the current block, clipped to [0, 1], and
// starts a new block.
func (m *Meter) Read() (rms, peak float32) {
	if m.n > 0 {
		rms = float32(math.Sqrt(m.sum / float64(m.n)))
	}
	peak = m.peak
	m.sum, m.peak, m.n = 0, 0, 0
	return min(rms, 1), min(peak, 1)
}
