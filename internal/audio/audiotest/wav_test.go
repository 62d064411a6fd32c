package audiotest

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// tone is n samples of a sine at f Hz and amplitude amp, at 16 kHz.
func tone(n int, f, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*f*float64(i)/rehearse.SampleRate))
	}
	return s
}

func TestWriteWAVRoundTrip(t *testing.T) {
	src := rehearse.Audio{Samples: append(tone(16000, 300, 0.7), 1.5, -1.5, 0)}
	path := filepath.Join(t.TempDir(), "out.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteWAV(f, src); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	a, info, err := audio.ReadWAVFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.SampleRate != 16000 || info.Channels != 1 || info.BitsPerSample != 16 || len(a.Samples) != len(src.Samples) {
		t.Fatalf("info %+v, %d samples", info, len(a.Samples))
	}
	for i, v := range src.Samples[:16000] {
		if math.Abs(float64(a.Samples[i]-v)) > 1.0/32768 {
			t.Fatalf("sample %d: %v, want %v", i, a.Samples[i], v)
		}
	}
	if a.Samples[16000] < 0.999 || a.Samples[16001] != -1 {
		t.Errorf("clipping: %v %v", a.Samples[16000], a.Samples[16001])
	}
	if sox, err := exec.LookPath("soxi"); err == nil {
		out, err := exec.Command(sox, "-r", path).Output()
		if err != nil || strings.TrimSpace(string(out)) != "16000" {
			t.Errorf("soxi -r: %q %v", out, err)
		}
	}
}
