package audio

import (
	"math"
	"testing"
)

func TestMeter(t *testing.T) {
	tests := []struct {
		name      string
		blocks    [][]float32
		rms, peak float64
	}{
		{"empty", nil, 0, 0},
		{"silence", [][]float32{make([]float32, 160)}, 0, 0},
		{"sine 0.5 in pieces", [][]float32{sine(16000, 800, 1000, 0.5)[:300], sine(16000, 800, 1000, 0.5)[300:]}, 0.5 / math.Sqrt2, 0.5},
		{"negative peak", [][]float32{{0.1, -0.9, 0.2}}, math.Sqrt((0.01 + 0.81 + 0.04) / 3), 0.9},
		{"clipped", [][]float32{{2, -3}}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Meter
			for _, b := range tt.blocks {
				m.Add(b)
			}
			rms, peak := m.Read()
			if math.Abs(float64(rms)-tt.rms) > 1e-4 || math.Abs(float64(peak)-tt.peak) > 1e-4 {
				t.Errorf("Read() = %v, %v; want %.4f, %.4f", rms, peak, tt.rms, tt.peak)
			}
			if m.Samples() != 0 {
				t.Error("Read did not start a new block")
			}
		})
	}
	var m Meter
	block := sine(16000, 640, 300, 0.3)
	if a := testing.AllocsPerRun(100, func() { m.Add(block); m.Read() }); a != 0 {
		t.Errorf("Meter allocates %v times per block", a)
	}
}
