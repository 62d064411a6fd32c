package audio

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// FuzzReadWAV: no input may panic, errors are ErrBadAudio, and the output is
// bounded by the input (at most 16 samples per input byte, the largest
// up-sampling from the lowest accepted rate of 1 kHz).
func FuzzReadWAV(f *testing.F) {
	f.Add(encodeWAV(f, wavSpec{rate: 8000, channels: 1, bits: 8}, [][]float32{sine(8000, 64, 440, 0.5)}))
	f.Add(encodeWAV(f, wavSpec{rate: 44100, channels: 2, bits: 24, extensible: true}, [][]float32{sine(44100, 64, 440, 0.5)}))
	f.Add(encodeWAV(f, wavSpec{rate: 48000, channels: 1, bits: 32, float: true}, [][]float32{sine(48000, 64, 440, 0.5)}))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVE"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, info, err := ReadWAV(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, rehearse.ErrBadAudio) {
				t.Fatalf("error %v does not wrap ErrBadAudio", err)
			}
			return
		}
		if len(a.Samples) > 16*len(data)+16 {
			t.Fatalf("%d samples from %d bytes", len(a.Samples), len(data))
		}
		if info.SampleRate < minRate || info.Channels < 1 {
			t.Fatalf("accepted %+v", info)
		}
		for _, v := range a.Samples {
			if v != v {
				t.Fatal("NaN in output")
			}
		}
	})
}
