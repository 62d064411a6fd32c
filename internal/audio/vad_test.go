package audio

import (
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// voiced returns a speech-like burst: a 140 Hz buzz with harmonics whose
// loudness rises and falls at syllable rate, at the given peak RMS.
func voiced(n int, level float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		t := float64(i) / 16000
		env := 0.55 + 0.45*math.Sin(2*math.Pi*4*t) // syllables, never fully silent
		var v float64
		for h := 1; h <= 8; h++ {
			v += math.Sin(2*math.Pi*140*float64(h)*t) / float64(h)
		}
		s[i] = float32(v * env * level / 0.9)
	}
	return s
}

// scene mixes speech bursts at spans into noise, over dur seconds.
func scene(dur float64, spans []rehearse.Segment, speech, noiseLevel float64) rehearse.Audio {
	n := int(dur * 16000)
	s := make([]float32, n)
	if noiseLevel > 0 {
		copy(s, noise(11, n, noiseLevel))
	}
	for _, sp := range spans {
		a, b := int(sp.Start*16000), int(sp.End*16000)
		for i, v := range voiced(b-a, speech) {
			s[a+i] += v
		}
	}
	return rehearse.Audio{Samples: s}
}

// boundaryErrors compares detected with expected segments one to one and
// returns the largest start/end error in seconds.
func boundaryErrors(t *testing.T, got, want []rehearse.Segment) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("detected %d segments %v, want %d %v", len(got), got, len(want), want)
	}
	var worst float64
	for i := range want {
		worst = math.Max(worst, math.Abs(got[i].Start-want[i].Start))
		worst = math.Max(worst, math.Abs(got[i].End-want[i].End))
	}
	return worst
}

func seg(a, b float64) rehearse.Segment { return rehearse.Segment{Start: a, End: b} }

func TestVADSynthetic(t *testing.T) {
	tests := []struct {
		name   string
		dur    float64
		spans  []rehearse.Segment
		speech float64
		noise  float64
		want   []rehearse.Segment
	}{
		{"digital silence", 7, []rehearse.Segment{seg(0.5, 1.7), seg(2.5, 3.0), seg(4, 6)}, 0.1, 0, nil},
		{"quiet room -50 dBFS", 7, []rehearse.Segment{seg(0.5, 1.7), seg(2.5, 3.0), seg(4, 6)}, 0.1, 0.003, nil},
		{"noisy room, 15 dB SNR", 7, []rehearse.Segment{seg(1, 2), seg(3, 4.5), seg(5.5, 6.5)}, 0.1, 0.018, nil},
		{"quiet speaker", 6, []rehearse.Segment{seg(1, 2.5), seg(3.5, 5)}, 0.01, 0.0005, nil},
		{"speech from the first sample", 5, []rehearse.Segment{seg(0, 1.5), seg(2.5, 3.5)}, 0.1, 0.002, nil},
		{"short pause stays inside", 5, []rehearse.Segment{seg(1, 2), seg(2.25, 3)}, 0.1, 0.002, []rehearse.Segment{seg(1, 3)}},
		{"click is not speech", 5, []rehearse.Segment{seg(1, 1.03), seg(2, 3)}, 0.1, 0.002, []rehearse.Segment{seg(2, 3)}},
		{"noise only", 5, nil, 0, 0.01, []rehearse.Segment{}},
		{"silence only", 3, nil, 0, 0, []rehearse.Segment{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = tt.spans
			}
			got := DetectSpeech(scene(tt.dur, tt.spans, tt.speech, tt.noise), DefaultVADConfig())
			worst := boundaryErrors(t, got, want)
			t.Logf("segments %v; worst boundary error %.0f ms", got, worst*1000)
			if worst > 0.15 {
				t.Errorf("boundary error %.0f ms > 150 ms: got %v, want %v", worst*1000, got, want)
			}
		})
	}
}

// TestVADStreaming: pushing in blocks of any size finds what one pass finds,
// and a segment is reported only once the pause after it is long enough.
func TestVADStreaming(t *testing.T) {
	a := scene(6, []rehearse.Segment{seg(0.5, 1.5), seg(2.5, 3.2), seg(4, 5.8)}, 0.1, 0.003)
	cfg := DefaultVADConfig()
	want := DetectSpeech(a, cfg)
	for _, block := range []int{1, 160, 333, 16000} {
		v := NewVAD(cfg)
		var got []rehearse.Segment
		for i := 0; i < len(a.Samples); i += block {
			got = append(got, v.Push(a.Samples[i:min(i+block, len(a.Samples))])...)
		}
		got = append(got, v.Flush()...)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("block %d: %v, want %v", block, got, want)
		}
	}
	v := NewVAD(cfg)
	if s := v.Push(a.Samples[:int(1.7*16000)]); len(s) != 0 {
		t.Errorf("segment reported 200 ms into the pause: %v", s)
	}
	if s := v.Push(a.Samples[int(1.7*16000):int(2.2*16000)]); len(s) != 1 {
		t.Errorf("segment not reported 700 ms into the pause: %v", s)
	}
	if s := v.Flush(); len(s) != 0 {
		t.Errorf("flush during silence: %v", s)
	}
}

// TestVADEspeak tunes and checks the detector on synthesised speech: espeak-ng
// sentences separated by known silences, mixed with sox white noise.
func TestVADEspeak(t *testing.T) {
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: cannot synthesise test speech", tool)
		}
	}
	dir := t.TempDir()
	run := func(name string, args ...string) {
		t.Helper()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	sentences := []string{
		"Tell me about a time you led a difficult project.",
		"I moved the billing system to a new database and cut costs by twenty percent.",
		"The result was fewer outages and a happier team.",
		"Thank you.",
	}
	var parts []string
	for i, s := range sentences {
		raw := filepath.Join(dir, fmt.Sprintf("s%d.wav", i))
		run("espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, s)
		// Trim espeak's own leading and trailing silence so that the speech
		// spans are known exactly, then resample to 16 kHz mono.
		p := filepath.Join(dir, fmt.Sprintf("p%d.wav", i))
		run("sox", raw, "-r", "16000", "-c", "1", "-b", "16", p,
			"silence", "1", "0.005", "0.5%", "reverse", "silence", "1", "0.005", "0.5%", "reverse")
		parts = append(parts, p)
	}
	pauses := []float64{1.2, 0.8, 1.5, 0.6, 1.0} // before, between and after the sentences
	var spans []rehearse.Segment
	var files []string
	at := 0.0
	for i, p := range parts {
		a, _, err := ReadWAVFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sil := filepath.Join(dir, fmt.Sprintf("sil%d.wav", i))
		run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", sil, "trim", "0", fmt.Sprint(pauses[i]))
		files = append(files, sil, p)
		at += pauses[i]
		spans = append(spans, seg(at, at+a.Duration()))
		at += a.Duration()
	}
	clean := filepath.Join(dir, "clean.wav")
	run("sox", append(append([]string{}, files...), clean, "pad", "0", fmt.Sprint(pauses[len(parts)]))...)
	total := at + pauses[len(parts)]
	ca, _, err := ReadWAVFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	var speechRMS float64 // RMS over the speech spans only
	{
		var sum float64
		var n int
		for _, sp := range spans {
			for _, v := range ca.Samples[int(sp.Start*16000):min(int(sp.End*16000), len(ca.Samples))] {
				sum += float64(v) * float64(v)
				n++
			}
		}
		speechRMS = math.Sqrt(sum / float64(n))
	}

	tests := []struct {
		name string
		vol  string  // white-noise amplitude for sox; "" = no noise
		tol  float64 // allowed boundary error, seconds
	}{
		{"clean", "", 0.15},
		{"quiet hiss", "0.003", 0.15},
		{"room noise", "0.02", 0.15},
		{"loud fan", "0.05", 0.15},
		// At 10 dB SNR weak onsets ("th", "f") drown in the noise: every
		// sentence is still found, with looser edges.
		{"very loud fan", "0.09", 0.35},
	}
	var sumErr float64
	var nErr int
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := clean
			if tt.vol != "" {
				nz := filepath.Join(dir, "noise"+tt.vol+".wav")
				run("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", nz, "synth", fmt.Sprint(total), "whitenoise", "vol", tt.vol)
				in = filepath.Join(dir, "mix"+tt.vol+".wav")
				run("sox", "-m", "-v", "1", clean, "-v", "1", nz, in)
			}
			a, _, err := ReadWAVFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := DetectSpeech(a, DefaultVADConfig())
			worst := boundaryErrors(t, got, spans)
			snr := "∞"
			if tt.vol != "" {
				nz, _, err := ReadWAVFile(filepath.Join(dir, "noise"+tt.vol+".wav"))
				if err != nil {
					t.Fatal(err)
				}
				snr = fmt.Sprintf("%.0f dB", db(speechRMS/rms(nz.Samples)))
			}
			for i := range spans {
				sumErr += math.Abs(got[i].Start-spans[i].Start) + math.Abs(got[i].End-spans[i].End)
				nErr += 2
			}
			t.Logf("noise %-5s (SNR %s): worst boundary error %3.0f ms; detected %v", tt.vol, snr, worst*1000, got)
			if worst > tt.tol {
				t.Errorf("boundary error %.0f ms > %.0f ms\n got %v\nwant %v", worst*1000, tt.tol*1000, got, spans)
			}
		})
	}
	if nErr > 0 {
		t.Logf("mean boundary error over %d boundaries: %.0f ms", nErr, sumErr/float64(nErr)*1000)
	}
}

func BenchmarkVAD(b *testing.B) {
	a := scene(1, []rehearse.Segment{seg(0.2, 0.8)}, 0.1, 0.003) // one second
	v := NewVAD(DefaultVADConfig())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Push(a.Samples)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/audio-s")
}
