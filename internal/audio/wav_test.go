package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// maxDiff compares got with want over the middle of the signal.
func maxDiff(got, want []float32) float64 {
	var m float64
	n := min(len(got), len(want))
	for i := n / 10; i < n-n/10; i++ {
		m = math.Max(m, math.Abs(float64(got[i]-want[i])))
	}
	return m
}

func TestReadWAVFormats(t *testing.T) {
	tests := []struct {
		name   string
		spec   wavSpec
		format string
		tol    float64
	}{
		{"u8 mono 8k", wavSpec{rate: 8000, channels: 1, bits: 8}, "pcm_u8", 0.02},
		{"s16 mono 16k", wavSpec{rate: 16000, channels: 1, bits: 16}, "pcm_s16le", 0.001},
		{"s16 stereo 44.1k", wavSpec{rate: 44100, channels: 2, bits: 16}, "pcm_s16le", 0.002},
		{"s16 stereo 48k", wavSpec{rate: 48000, channels: 2, bits: 16}, "pcm_s16le", 0.002},
		{"s24 mono 48k", wavSpec{rate: 48000, channels: 1, bits: 24}, "pcm_s24le", 0.002},
		{"s24 stereo 44.1k extensible", wavSpec{rate: 44100, channels: 2, bits: 24, extensible: true}, "pcm_s24le", 0.002},
		{"s32 mono 16k", wavSpec{rate: 16000, channels: 1, bits: 32}, "pcm_s32le", 0.001},
		{"f32 stereo 48k", wavSpec{rate: 48000, channels: 2, bits: 32, float: true}, "pcm_f32le", 0.002},
		{"f64 mono 22.05k", wavSpec{rate: 22050, channels: 1, bits: 64, float: true}, "pcm_f64le", 0.002},
		{"s16 6ch 48k extensible", wavSpec{rate: 48000, channels: 6, bits: 16, extensible: true}, "pcm_s16le", 0.002},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const dur = 0.5
			n := int(dur * float64(tt.spec.rate))
			// Left carries the tone, right silence: the mono mix is half of it.
			chans := [][]float32{sine(tt.spec.rate, n, 440, 0.8)}
			wantAmp := 0.8
			if tt.spec.channels > 1 {
				chans = append(chans, make([]float32, n))
				wantAmp = 0.8 * float64((tt.spec.channels+1)/2) / float64(tt.spec.channels)
			}
			b := encodeWAV(t, tt.spec, chans)
			a, info, err := ReadWAV(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if info.SampleRate != tt.spec.rate || info.Channels != tt.spec.channels || info.BitsPerSample != tt.spec.bits || info.Format != tt.format || info.Truncated {
				t.Errorf("info = %+v", info)
			}
			if math.Abs(info.Duration.Seconds()-dur) > 1e-3 {
				t.Errorf("duration %v, want %gs", info.Duration, dur)
			}
			if len(a.Samples) != 8000 {
				t.Errorf("%d samples, want 8000", len(a.Samples))
			}
			want := sine(16000, 8000, 440, wantAmp)
			if d := maxDiff(a.Samples, want); d > tt.tol {
				t.Errorf("max difference from the expected 16 kHz mono signal %.4f, want ≤ %g", d, tt.tol)
			}
		})
	}
}

// TestReadWAVSox reads files written by sox, an encoder independent of
// Rehearse.
func TestReadWAVSox(t *testing.T) {
	if _, err := exec.LookPath("sox"); err != nil {
		t.Skip("sox is not installed: cannot produce reference WAV files")
	}
	tests := []struct {
		args   []string
		format string
	}{
		{[]string{"-r", "8000", "-c", "1", "-b", "8", "-e", "unsigned-integer"}, "pcm_u8"},
		{[]string{"-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer"}, "pcm_s16le"},
		{[]string{"-r", "48000", "-c", "2", "-b", "24", "-e", "signed-integer"}, "pcm_s24le"},
		{[]string{"-r", "32000", "-c", "1", "-b", "32", "-e", "signed-integer"}, "pcm_s32le"},
		{[]string{"-r", "48000", "-c", "1", "-b", "32", "-e", "floating-point"}, "pcm_f32le"},
		{[]string{"-r", "44100", "-c", "4", "-b", "64", "-e", "floating-point"}, "pcm_f64le"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tone.wav")
			args := append([]string{"-n"}, tt.args...)
			args = append(args, path, "synth", "1", "sine", "440", "vol", "0.5")
			if out, err := exec.Command("sox", args...).CombinedOutput(); err != nil {
				t.Fatalf("sox: %v\n%s", err, out)
			}
			a, info, err := ReadWAVFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tt.format {
				t.Errorf("format %q, want %q", info.Format, tt.format)
			}
			if len(a.Samples) != 16000 {
				t.Errorf("%d samples, want 16000", len(a.Samples))
			}
			tol := 0.003
			if tt.format == "pcm_u8" {
				tol = 0.02
			}
			if d := maxDiff(a.Samples, sine(16000, 16000, 440, 0.5)); d > tol {
				t.Errorf("max difference %.4f, want ≤ %g", d, tol)
			}
		})
	}
}

func TestReadWAVBad(t *testing.T) {
	good := encodeWAV(t, wavSpec{rate: 16000, channels: 1, bits: 16}, [][]float32{sine(16000, 1600, 440, 0.5)})
	patch := func(off int, v uint32, size int) []byte {
		b := bytes.Clone(good)
		if size == 2 {
			binary.LittleEndian.PutUint16(b[off:], uint16(v))
		} else {
			binary.LittleEndian.PutUint32(b[off:], v)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"truncated header", good[:7], "RIFF header"},
		{"wrong magic", append([]byte("RIFX"), good[4:]...), "not a RIFF/WAVE"},
		{"not wave", append(append([]byte{}, good[:8]...), append([]byte("AVI "), good[12:]...)...), "not a RIFF/WAVE"},
		{"mp3 bytes", []byte("ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64"), "not a RIFF/WAVE"},
		{"ends before fmt", good[:14], "chunk header"},
		{"no fmt", append([]byte("RIFF\x04\x00\x00\x00WAVE"), []byte("data\x00\x00\x00\x00")...), "data chunk before the format"},
		{"zero channels", patch(22, 0, 2), "zero channels"},
		{"absurd sample rate", patch(24, 7, 4), "sample rate 7 Hz"},
		{"huge sample rate", patch(24, 50_000_000, 4), "sample rate"},
		{"12-bit", patch(34, 12, 2), "12-bit"},
		{"compressed", patch(20, 2, 2), "compressed"},
		{"block align", patch(32, 7, 2), "block align"},
		{"fmt too small", patch(16, 4, 4), "format chunk has an invalid size"},
		{"no data", good[:36+12], "no data chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadWAV(bytes.NewReader(tt.data))
			if !errors.Is(err, rehearse.ErrBadAudio) {
				t.Fatalf("err = %v, want ErrBadAudio", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, _, err := ReadWAVFile(filepath.Join(t.TempDir(), "missing.wav")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// onlyReader hides Seek, as a pipe would.
type onlyReader struct{ io.Reader }

// TestReadWAVTruncated: a recording cut short keeps what was written.
func TestReadWAVTruncated(t *testing.T) {
	full := encodeWAV(t, wavSpec{rate: 48000, channels: 2, bits: 16}, [][]float32{sine(48000, 48000, 440, 0.5)})
	cut := full[:len(full)-48000*2] // half a second missing, header unchanged
	cut = cut[:len(cut)-1]          // and a partial frame at the end
	for name, r := range map[string]func() io.Reader{
		"seekable": func() io.Reader { return bytes.NewReader(cut) },
		"pipe":     func() io.Reader { return onlyReader{bytes.NewReader(cut)} },
	} {
		t.Run(name, func(t *testing.T) {
			a, info, err := ReadWAV(r())
			if err != nil {
				t.Fatal(err)
			}
			if !info.Truncated {
				t.Error("Truncated not set")
			}
			if d := info.Duration.Seconds(); math.Abs(d-0.5) > 0.001 {
				t.Errorf("duration %gs, want 0.5s", d)
			}
			if n := len(a.Samples); n < 7990 || n > 8010 {
				t.Errorf("%d samples, want ≈ 8000", n)
			}
		})
	}
	// A streaming writer's unknown length (0xFFFFFFFF) is not truncation.
	stream := bytes.Clone(full)
	binary.LittleEndian.PutUint32(stream[len(stream)-48000*4-4:], 0xFFFFFFFF)
	a, info, err := ReadWAV(onlyReader{bytes.NewReader(stream)})
	if err != nil || info.Truncated || len(a.Samples) != 16000 {
		t.Errorf("streamed WAV: %d samples, %+v, %v", len(a.Samples), info, err)
	}
}

func TestPCM16(t *testing.T) {
	src := rehearse.Audio{Samples: []float32{0, 0.5, -0.5, 1, -1, 2, -2, 1.0 / 32768}}
	b := PCM16(src)
	if len(b) != 2*len(src.Samples) {
		t.Fatalf("%d bytes", len(b))
	}
	got := FromPCM16(b).Samples
	want := []float32{0, 0.5, -0.5, 32767.0 / 32768, -1, 32767.0 / 32768, -1, 1.0 / 32768}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d: %v, want %v", i, got[i], want[i])
		}
	}
	if n := len(FromPCM16([]byte{1, 2, 3}).Samples); n != 1 {
		t.Errorf("odd length: %d samples", n)
	}
}

// TestReadWAVMemory checks that conversion streams: reading 60 s of 48 kHz
// stereo allocates little more than the 16 kHz result itself.
func TestReadWAVMemory(t *testing.T) {
	const secs = 60
	path := filepath.Join(t.TempDir(), "long.wav")
	b := encodeWAV(t, wavSpec{rate: 48000, channels: 2, bits: 16}, [][]float32{noise(3, 48000*secs, 0.1)})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	b = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a, _, err := ReadWAVFile(path)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	outBytes := uint64(len(a.Samples) * 4)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("file %d MB, result %.1f MB, allocated %.1f MB", 48000*secs*4>>20, float64(outBytes)/1e6, float64(alloc)/1e6)
	if alloc > outBytes+outBytes/10+1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte result", alloc, outBytes)
	}
}
