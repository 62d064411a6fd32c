package audio

import (
	"fmt"
	"math"
	"testing"
)

func TestResamplerTones(t *testing.T) {
	tests := []struct {
		in       int
		freq     float64
		wantGain float64 // dB, relative to input
		tol      float64
		maxGain  float64 // for stop-band tones: the output must be below this (dB)
	}{
		{in: 48000, freq: 1000, wantGain: 0, tol: 1},
		{in: 44100, freq: 1000, wantGain: 0, tol: 1},
		{in: 48000, freq: 6000, wantGain: 0, tol: 1},
		{in: 44100, freq: 6000, wantGain: 0, tol: 1},
		{in: 22050, freq: 1000, wantGain: 0, tol: 1},
		{in: 8000, freq: 1000, wantGain: 0, tol: 1},
		{in: 96000, freq: 1000, wantGain: 0, tol: 1},
		{in: 48000, freq: 10000, maxGain: -40},
		{in: 44100, freq: 10000, maxGain: -40},
		{in: 48000, freq: 12000, maxGain: -40},
		{in: 44100, freq: 15000, maxGain: -40},
		{in: 96000, freq: 20000, maxGain: -40},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%gHz", tt.in, tt.freq), func(t *testing.T) {
			const amp = 0.5
			in := sine(tt.in, tt.in, tt.freq, amp) // one second
			r := NewResampler(tt.in, 16000)
			out := r.Process(in, nil)
			out = r.Flush(out)
			if len(out) != 16000 {
				t.Fatalf("output length %d, want 16000", len(out))
			}
			mid := out[2000:14000] // away from the edges
			gain := db(rms(mid) / (amp / math.Sqrt2))
			t.Logf("%d Hz → 16 kHz, %g Hz tone: gain %.3f dB", tt.in, tt.freq, gain)
			if tt.maxGain != 0 {
				if gain > tt.maxGain {
					t.Errorf("aliasing: gain %.1f dB, want ≤ %.0f dB", gain, tt.maxGain)
				}
				return
			}
			if math.Abs(gain-tt.wantGain) > tt.tol {
				t.Errorf("gain %.2f dB, want %.1f ± %.1f dB", gain, tt.wantGain, tt.tol)
			}
		})
	}
}

// TestResamplerAligned checks that the filter delay is compensated: a tone
// resampled to 16 kHz equals the same tone generated at 16 kHz, sample for
// sample.
func TestResamplerAligned(t *testing.T) {
	for _, in := range []int{48000, 44100, 32000, 8000, 16000} {
		src := sine(in, in, 440, 0.5)
		want := sine(16000, 16000, 440, 0.5)
		r := NewResampler(in, 16000)
		got := r.Flush(r.Process(src, nil))
		var maxErr float64
		for i := 1000; i < 15000; i++ {
			maxErr = math.Max(maxErr, math.Abs(float64(got[i]-want[i])))
		}
		if maxErr > 0.005 {
			t.Errorf("%d Hz: max difference from a tone generated at 16 kHz = %.4f, want ≤ 0.005", in, maxErr)
		}
	}
}

// TestResamplerStreaming checks that any block split gives the same output
// as one call.
func TestResamplerStreaming(t *testing.T) {
	src := noise(7, 44100, 0.2)
	one := NewResampler(44100, 16000)
	want := one.Flush(one.Process(src, nil))
	for _, block := range []int{1, 7, 160, 441, 4096} {
		r := NewResampler(44100, 16000)
		var got []float32
		for i := 0; i < len(src); i += block {
			got = r.Process(src[i:min(i+block, len(src))], got)
		}
		got = r.Flush(got)
		if len(got) != len(want) {
			t.Fatalf("block %d: %d samples, want %d", block, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("block %d: sample %d = %v, want %v", block, i, got[i], want[i])
			}
		}
	}
}

func TestResamplerOddRates(t *testing.T) {
	// A rate with a huge reduced ratio uses a bounded phase table.
	for _, in := range []int{44056, 11025, 96001} {
		r := NewResampler(in, 16000)
		if len(r.coef) > maxPhases*4096 {
			t.Errorf("%d Hz: %d coefficients", in, len(r.coef))
		}
		out := r.Flush(r.Process(sine(in, in, 1000, 0.5), nil))
		gain := db(rms(out[2000:14000]) / (0.5 / math.Sqrt2))
		if math.Abs(gain) > 1 {
			t.Errorf("%d Hz: 1 kHz gain %.2f dB", in, gain)
		}
	}
}

func BenchmarkResampler48kTo16k(b *testing.B) {
	src := noise(1, 48000, 0.2) // one second of audio per iteration
	r := NewResampler(48000, 16000)
	out := make([]float32, 0, 17000)
	b.SetBytes(int64(len(src) * 4))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = r.Process(src, out[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/audio-s")
}

func BenchmarkResampler44kTo16k(b *testing.B) {
	src := noise(1, 44100, 0.2)
	r := NewResampler(44100, 16000)
	out := make([]float32, 0, 17000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = r.Process(src, out[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/audio-s")
}
