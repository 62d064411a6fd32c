package whisper

import (
	"math"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// SpeedTestAudio returns sec seconds of generated, speech-like audio: a
// voiced sound with a gliding pitch and eight harmonics, opening and closing
// four times a second like syllables, over a little noise. The recogniser's
// work does not depend on what is said (the encoder's cost is fixed by the
// length, the decoder's by the token cap), so generated audio measures the
// same cost as speech without shipping a recording.
func SpeedTestAudio(sec float64) rehearse.Audio {
	n := int(sec * rehearse.SampleRate)
	s := make([]float32, n)
	seed := uint32(1)
	for i := range s {
		t := float64(i) / rehearse.SampleRate
		f0 := 140 + 30*math.Sin(2*math.Pi*0.5*t)
		env := 0.5 + 0.5*math.Sin(2*math.Pi*4*t)
		v := 0.0
		for h := 1.0; h <= 8; h++ {
			v += math.Sin(2*math.Pi*f0*h*t) / h
		}
		seed = seed*1664525 + 1013904223
		noise := float64(int32(seed)) / (1 << 31) * 0.02
		s[i] = float32(0.2*env*v + noise)
	}
	return rehearse.Audio{Samples: s}
}
