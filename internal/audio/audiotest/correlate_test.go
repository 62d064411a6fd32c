package audiotest

import (
	"math"
	"testing"
)

func TestCorrelate(t *testing.T) {
	sig := make([]float32, 2000)
	for i := range sig {
		sig[i] = float32(math.Sin(float64(i)/7) + 0.5*math.Sin(float64(i)/3.1))
	}
	shifted := func(s []float32, by int) []float32 {
		out := make([]float32, len(s))
		for i := range out {
			if j := i - by; j >= 0 && j < len(s) {
				out[i] = s[j]
			}
		}
		return out
	}
	scaled := make([]float32, len(sig))
	inverted := make([]float32, len(sig))
	for i, v := range sig {
		scaled[i], inverted[i] = 0.25*v, -v
	}
	tests := []struct {
		name    string
		b       []float32
		minCorr float64
		maxCorr float64
		lag     int
	}{
		{"identical", sig, 0.99999, 1.00001, 0},
		{"quieter copy", scaled, 0.99999, 1.00001, 0},
		{"delayed by 5", shifted(sig, 5), 0.99, 1.00001, 5},
		{"early by 3", shifted(sig, -3), 0.99, 1.00001, -3},
		{"inverted", inverted, -1, 0.5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, lag := Correlate(sig, tc.b, 8)
			if c < tc.minCorr || c > tc.maxCorr || (tc.minCorr > 0.5 && lag != tc.lag) {
				t.Fatalf("Correlate = %.5f at lag %d, want [%.5f, %.5f] at lag %d", c, lag, tc.minCorr, tc.maxCorr, tc.lag)
			}
		})
	}
	if c, _ := Correlate(make([]float32, 100), sig[:100], 2); !math.IsNaN(c) {
		t.Errorf("silence: %v, want NaN", c)
	}
}
