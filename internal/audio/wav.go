package audio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Info describes the WAV file an Audio value was read from.
type Info struct {
	SampleRate    int
	Channels      int
	BitsPerSample int
	// Format names the sample encoding: pcm_u8, pcm_s16le, pcm_s24le,
	// pcm_s32le, pcm_f32le or pcm_f64le.
	Format string
	// Duration is the length of the audio that was read.
	Duration time.Duration
	// Truncated is true when the file ended before the length its header
	// announced (for example a recording cut short by a crash): everything
	// readable was kept.
	Truncated bool
}

// Limits on what ReadWAV accepts as a plausible recording.
const (
	minRate     = 1000
	maxRate     = 384000
	maxChannels = 64
)

const (
	fmtPCM        = 1
	fmtFloat      = 3
	fmtExtensible = 0xFFFE
)

// ReadWAVFile reads the WAV file at path and converts it to 16 kHz mono.
func ReadWAVFile(path string) (rehearse.Audio, Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return rehearse.Audio{}, Info{}, fmt.Errorf("open audio %q: %w", path, err)
	}
	defer f.Close()
	a, info, err := ReadWAV(f)
	if err != nil {
		return a, info, fmt.Errorf("read audio %q: %w", path, err)
	}
	return a, info, nil
}

func badAudio(format string, args ...any) error {
	return fmt.Errorf("%w: %s", rehearse.ErrBadAudio, fmt.Sprintf(format, args...))
}

// ReadWAV reads a RIFF/WAVE stream holding 8-, 16-, 24- or 32-bit integer
// PCM or 32/64-bit float samples at any rate and channel count, and returns
// it as 16 kHz mono (channels averaged, resampled with an anti-aliasing
// filter). The samples are converted while they are read, so memory use is
// about the size of the result. A file that is not a readable WAV gives an
// error wrapping rehearse.ErrBadAudio; a file cut short is accepted with
// Info.Truncated set.
func ReadWAV(r io.Reader) (rehearse.Audio, Info, error) {
	var remaining int64 = -1 // bytes left in the input, when known
	if s, ok := r.(io.Seeker); ok {
		if cur, err := s.Seek(0, io.SeekCurrent); err == nil {
			if end, err := s.Seek(0, io.SeekEnd); err == nil {
				if _, err := s.Seek(cur, io.SeekStart); err == nil {
					remaining = end - cur
				}
			}
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var hdr [12]byte
	if n, err := io.ReadFull(br, hdr[:]); err != nil {
		if n == 0 {
			return rehearse.Audio{}, Info{}, badAudio("the file is empty")
		}
		return rehearse.Audio{}, Info{}, badAudio("the file ends inside the RIFF header (%d bytes)", n)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		if string(hdr[0:4]) == "RF64" {
			return rehearse.Audio{}, Info{}, badAudio("RF64 (over 4 GB) WAV files are not supported")
		}
		return rehearse.Audio{}, Info{}, badAudio("not a RIFF/WAVE file (starts with %q)", printable(hdr[0:4]))
	}
	consumed := int64(12)

	var info Info
	var blockAlign int
	haveFmt := false
	for {
		var ch [8]byte
		if n, err := io.ReadFull(br, ch[:]); err != nil {
			if !haveFmt {
				if n == 0 {
					return rehearse.Audio{}, info, badAudio("no format (fmt) chunk")
				}
				return rehearse.Audio{}, info, badAudio("the file ends inside a chunk header")
			}
			return rehearse.Audio{}, info, badAudio("no data chunk")
		}
		consumed += 8
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if size < 16 || size > 1<<16 {
				return rehearse.Audio{}, info, badAudio("format chunk has an invalid size %d", size)
			}
			b := make([]byte, size+size&1)
			if _, err := io.ReadFull(br, b); err != nil && !(errors.Is(err, io.ErrUnexpectedEOF) && size&1 == 1) {
				return rehearse.Audio{}, info, badAudio("the file ends inside the format chunk")
			}
			consumed += int64(len(b))
			var err error
			info, blockAlign, err = parseFmt(b[:size])
			if err != nil {
				return rehearse.Audio{}, info, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return rehearse.Audio{}, info, badAudio("data chunk before the format chunk")
			}
			avail := size
			if size == 0xFFFFFFFF {
				avail = -1 // written by a streaming encoder: read to the end
			}
			if remaining >= 0 {
				left := remaining - consumed
				if avail < 0 || avail > left {
					if avail >= 0 {
						info.Truncated = true
					}
					avail = left
				}
			}
			a, n, truncated, err := convert(br, info, blockAlign, avail, remaining >= 0)
			if err != nil {
				return rehearse.Audio{}, info, err
			}
			if truncated && size != 0xFFFFFFFF {
				info.Truncated = true
			}
			info.Duration = time.Duration(float64(n) / float64(info.SampleRate) * float64(time.Second))
			return a, info, nil
		default:
			skip := size + size&1
			n, err := io.CopyN(io.Discard, br, skip)
			consumed += n
			if err != nil {
				if !haveFmt {
					return rehearse.Audio{}, info, badAudio("the file ends inside a %q chunk before the format chunk", printable(ch[0:4]))
				}
				return rehearse.Audio{}, info, badAudio("no data chunk")
			}
		}
	}
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}

// parseFmt validates a format chunk and returns the stream's description
// and its block align (bytes per frame).
func parseFmt(b []byte) (Info, int, error) {
	le := binary.LittleEndian
	format := int(le.Uint16(b[0:2]))
	info := Info{
		Channels:      int(le.Uint16(b[2:4])),
		SampleRate:    int(le.Uint32(b[4:8])),
		BitsPerSample: int(le.Uint16(b[14:16])),
	}
	blockAlign := int(le.Uint16(b[12:14]))
	if format == fmtExtensible {
		if len(b) < 40 {
			return info, 0, badAudio("extensible format chunk is too short (%d bytes)", len(b))
		}
		format = int(le.Uint16(b[24:26])) // first two bytes of the sub-format GUID
	}
	switch {
	case info.Channels == 0:
		return info, 0, badAudio("the format chunk declares zero channels")
	case info.Channels > maxChannels:
		return info, 0, badAudio("%d channels is more than the %d supported", info.Channels, maxChannels)
	case info.SampleRate < minRate || info.SampleRate > maxRate:
		return info, 0, badAudio("sample rate %d Hz is outside %d–%d Hz", info.SampleRate, minRate, maxRate)
	}
	switch {
	case format == fmtPCM && info.BitsPerSample == 8:
		info.Format = "pcm_u8"
	case format == fmtPCM && info.BitsPerSample == 16:
		info.Format = "pcm_s16le"
	case format == fmtPCM && info.BitsPerSample == 24:
		info.Format = "pcm_s24le"
	case format == fmtPCM && info.BitsPerSample == 32:
		info.Format = "pcm_s32le"
	case format == fmtFloat && info.BitsPerSample == 32:
		info.Format = "pcm_f32le"
	case format == fmtFloat && info.BitsPerSample == 64:
		info.Format = "pcm_f64le"
	case format == fmtPCM || format == fmtFloat:
		return info, 0, badAudio("%d-bit samples are not supported", info.BitsPerSample)
	default:
		return info, 0, badAudio("compressed WAV (format tag %#x) is not supported; only PCM and float", format)
	}
	if want := info.Channels * info.BitsPerSample / 8; blockAlign != want {
		return info, 0, badAudio("block align %d does not match %d channels of %d bits", blockAlign, info.Channels, info.BitsPerSample)
	}
	return info, blockAlign, nil
}

// convert streams avail bytes (-1: until EOF) of interleaved frames into
// 16 kHz mono; known says whether avail was checked against the real input
// size. It returns the audio, the number of source frames read and
// whether the input ended early (or in the middle of a frame).
func convert(br *bufio.Reader, info Info, blockAlign int, avail int64, known bool) (rehearse.Audio, int64, bool, error) {
	ch := info.Channels
	bytesPer := info.BitsPerSample / 8
	decode := decoder(info.Format)
	rs := NewResampler(info.SampleRate, rehearse.SampleRate)

	// Size the result once when the length is known (bounded by the bytes
	// really present), so a long file is not copied while it grows.
	var out []float32
	if avail >= 0 {
		frames := avail / int64(blockAlign)
		est := frames*rehearse.SampleRate/int64(info.SampleRate) + 2
		if !known && est > 1<<24 {
			est = 1 << 24 // an unverified header claim: grow as data arrives
		}
		out = make([]float32, 0, est)
	} else {
		out = make([]float32, 0, 1<<16)
	}

	const blockFrames = 4096
	raw := make([]byte, blockFrames*blockAlign)
	mono := make([]float32, blockFrames)
	var frames int64
	truncated := false
	scale := 1 / float32(ch)
	for avail != 0 {
		want := int64(len(raw))
		if avail > 0 && avail < want {
			want = avail
		}
		n, err := io.ReadFull(br, raw[:want])
		if avail > 0 {
			avail -= int64(n)
		}
		nf := n / blockAlign
		if n%blockAlign != 0 {
			truncated = true
		}
		for f := 0; f < nf; f++ {
			base := f * blockAlign
			var s float32
			for c := 0; c < ch; c++ {
				s += decode(raw[base+c*bytesPer:])
			}
			mono[f] = s * scale
		}
		frames += int64(nf)
		out = rs.Process(mono[:nf], out)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				if avail > 0 {
					truncated = true
				}
				break
			}
			return rehearse.Audio{}, frames, truncated, fmt.Errorf("read samples: %w", err)
		}
	}
	out = rs.Flush(out)
	for i, v := range out { // keep the result a valid signal even for odd float input
		if v != v || v > 1e6 || v < -1e6 {
			out[i] = 0
		}
	}
	return rehearse.Audio{Samples: out}, frames, truncated, nil
}

func decoder(format string) func([]byte) float32 {
	switch format {
	case "pcm_u8":
		return func(b []byte) float32 { return (float32(b[0]) - 128) / 128 }
	case "pcm_s16le":
		return func(b []byte) float32 { return float32(int16(binary.LittleEndian.Uint16(b))) / 32768 }
	case "pcm_s24le":
		return func(b []byte) float32 {
			v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
			return float32(v) / (1 << 23)
		}
	case "pcm_s32le":
		return func(b []byte) float32 { return float32(float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)) }
	case "pcm_f32le":
		return func(b []byte) float32 {
			v := math.Float32frombits(binary.LittleEndian.Uint32(b))
			if v != v || math.IsInf(float64(v), 0) {
				return 0
			}
			return v
		}
	default: // pcm_f64le
		return func(b []byte) float32 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(b))
			if v != v || math.IsInf(v, 0) || v > 1e6 || v < -1e6 {
				return 0
			}
			return float32(v)
		}
	}
}

func toInt16(v float32) int16 {
	x := math.Round(float64(v) * 32768)
	if x > 32767 {
		return 32767
	}
	if x < -32768 || x != x {
		if x != x {
			return 0
		}
		return -32768
	}
	return int16(x)
}

// PCM16 encodes a as little-endian signed 16-bit samples (2 bytes each):
// the compact form in which recordings are stored.
func PCM16(a rehearse.Audio) []byte {
	b := make([]byte, 2*len(a.Samples))
	for i, v := range a.Samples {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(toInt16(v)))
	}
	return b
}

// FromPCM16 decodes what PCM16 produced. A trailing odd byte is ignored.
func FromPCM16(b []byte) rehearse.Audio {
	s := make([]float32, len(b)/2)
	for i := range s {
		s[i] = float32(int16(binary.LittleEndian.Uint16(b[2*i:]))) / 32768
	}
	return rehearse.Audio{Samples: s}
}
