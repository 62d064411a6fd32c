package audio

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// sine returns n samples of amp·sin(2πf t) at rate.
func sine(rate, n int, f, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*f*float64(i)/float64(rate)))
	}
	return s
}

func rms(s []float32) float64 {
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(s)))
}

func db(x float64) float64 { return 20 * math.Log10(x) }

// noise returns n samples of uniform white noise with the given RMS.
func noise(seed uint64, n int, level float64) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32((r.Float64()*2 - 1) * level * math.Sqrt(3))
	}
	return s
}

// wavSpec describes a test file written by encodeWAV, an encoder kept apart
// from the package's own writer so that the reader is checked against
// independently produced bytes.
type wavSpec struct {
	rate, channels, bits int
	float                bool
	extensible           bool
}

// encodeWAV interleaves chans (one slice per channel) into a WAV file.
func encodeWAV(t testing.TB, sp wavSpec, chans [][]float32) []byte {
	t.Helper()
	le := binary.LittleEndian
	n := len(chans[0])
	bytesPer := sp.bits / 8
	var data bytes.Buffer
	b := make([]byte, 8)
	for i := 0; i < n; i++ {
		for c := 0; c < sp.channels; c++ {
			v := float64(chans[c%len(chans)][i])
			switch {
			case sp.float && sp.bits == 32:
				le.PutUint32(b, math.Float32bits(float32(v)))
			case sp.float && sp.bits == 64:
				le.PutUint64(b, math.Float64bits(v))
			case sp.bits == 8:
				b[0] = byte(int(math.Round(v*127)) + 128)
			case sp.bits == 16:
				le.PutUint16(b, uint16(int16(math.Round(v*32767))))
			case sp.bits == 24:
				x := int32(math.Round(v * 8388607))
				b[0], b[1], b[2] = byte(x), byte(x>>8), byte(x>>16)
			case sp.bits == 32:
				le.PutUint32(b, uint32(int32(math.Round(v*2147483647))))
			}
			data.Write(b[:bytesPer])
		}
	}
	tag := uint16(fmtPCM)
	if sp.float {
		tag = fmtFloat
	}
	var f bytes.Buffer
	fmtLen := 16
	if sp.extensible {
		fmtLen = 40
	}
	w32 := func(v uint32) { binary.Write(&f, le, v) }
	w16 := func(v uint16) { binary.Write(&f, le, v) }
	f.WriteString("RIFF")
	w32(uint32(4 + 8 + fmtLen + 8 + data.Len()))
	f.WriteString("WAVEfmt ")
	w32(uint32(fmtLen))
	if sp.extensible {
		w16(fmtExtensible)
	} else {
		w16(tag)
	}
	w16(uint16(sp.channels))
	w32(uint32(sp.rate))
	w32(uint32(sp.rate * sp.channels * bytesPer))
	w16(uint16(sp.channels * bytesPer))
	w16(uint16(sp.bits))
	if sp.extensible {
		w16(22)
		w16(uint16(sp.bits))
		w32(0)
		w16(tag)
		f.Write([]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
	}
	f.WriteString("LIST") // an unrelated chunk the reader must skip
	w32(3)
	f.WriteString("abc\x00")
	f.WriteString("data")
	w32(uint32(data.Len()))
	f.Write(data.Bytes())
	return f.Bytes()
}
