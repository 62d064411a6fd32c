package audiotest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// WriteWAV writes a as a 16-bit PCM mono WAV file at rehearse.SampleRate,
// the file a person would import. Samples outside [-1, 1] are clipped.
func WriteWAV(w io.Writer, a rehearse.Audio) error {
	n := len(a.Samples)
	if int64(n)*2 > math.MaxUint32-36 {
		return fmt.Errorf("write WAV: %d samples is too long for a WAV file", n)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	le := binary.LittleEndian
	var h [44]byte
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+2*n))
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1) // PCM
	le.PutUint16(h[22:], 1) // mono
	le.PutUint32(h[24:], rehearse.SampleRate)
	le.PutUint32(h[28:], rehearse.SampleRate*2)
	le.PutUint16(h[32:], 2)
	le.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(2*n))
	if _, err := bw.Write(h[:]); err != nil {
		return fmt.Errorf("write WAV: %w", err)
	}
	if _, err := bw.Write(audio.PCM16(a)); err != nil {
		return fmt.Errorf("write WAV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write WAV: %w", err)
	}
	return nil
}
