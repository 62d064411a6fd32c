// Package audiotest builds and compares test recordings. For
// voice-activity detection it builds recordings with a known answer:
// sentences synthesised by espeak-ng placed between known pauses, seeded
// coloured noise and babble mixed in at a chosen signal-to-noise ratio, the
// speech regions that the clean recording holds, and the scores of a
// detector's segments against them. It also writes WAV files for tests that
// import one, and measures how closely a recording matches the sound that
// was played into it.
//
// It is imported only by tests.
package audiotest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

const rate = rehearse.SampleRate

// NeedEspeak skips the test when espeak-ng is not installed.
func NeedEspeak(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		tb.Skip("espeak-ng is not installed (make deps installs it): cannot synthesise test speech")
	}
}

// Speak renders text with espeak-ng (voice, words per minute, pitch 0–99)
// as 16 kHz mono audio, with espeak-ng's own leading and trailing silence
// left in.
func Speak(tb testing.TB, voice string, wpm, pitch int, text string) []float32 {
	tb.Helper()
	NeedEspeak(tb)
	cmd := exec.Command("espeak-ng", "-v", voice, "-s", fmt.Sprint(wpm), "-p", fmt.Sprint(pitch), "--stdout", text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("espeak-ng -v %s %q: %v\n%s", voice, text, err, stderr.Bytes())
	}
	if _, err := exec.LookPath("sox"); err == nil {
		// sox resamples to 16 kHz far faster than the package's own
		// resampler runs under the race detector.
		sox := exec.Command("sox", "-t", "wav", "-", "-t", "wav", "-r", "16000", "-c", "1", "-e", "floating-point", "-b", "32", "-")
		sox.Stdin = bytes.NewReader(out)
		stderr.Reset()
		sox.Stderr = &stderr
		if out, err = sox.Output(); err != nil {
			tb.Fatalf("sox: resample espeak-ng output: %v\n%s", err, stderr.Bytes())
		}
	}
	a, _, err := audio.ReadWAV(bytes.NewReader(out))
	if err != nil {
		tb.Fatalf("read espeak-ng output: %v", err)
	}
	return a.Samples
}

// FrameDB returns the energy (dBFS) of each whole 10 ms frame of s.
func FrameDB(s []float32) []float64 {
	const frame = rate / 100
	out := make([]float64, 0, len(s)/frame)
	for i := 0; i+frame <= len(s); i += frame {
		var e float64
		for _, v := range s[i : i+frame] {
			e += float64(v) * float64(v)
		}
		out = append(out, 10*math.Log10(e/frame+1e-20))
	}
	return out
}

// TruthBelowPeakDB and TruthMaxGap define the speech regions of a clean
// recording (see Truth).
const (
	TruthBelowPeakDB = 35
	TruthMaxGap      = 0.30
)

// Truth returns the speech regions of a clean recording, which is the
// ground truth a detector is scored against: a 10 ms frame is speech when
// its energy is within TruthBelowPeakDB of the loudest frame of the
// recording, and speech frames less than TruthMaxGap seconds apart belong
// to one region, so the short gaps between words of a sentence count as
// speech (a detector is not asked to find them) while real pauses do not.
func Truth(clean []float32) []rehearse.Segment {
	dbs := FrameDB(clean)
	peak := math.Inf(-1)
	for _, d := range dbs {
		peak = math.Max(peak, d)
	}
	var out []rehearse.Segment
	for i, d := range dbs {
		if d < peak-TruthBelowPeakDB {
			continue
		}
		start, end := float64(i)/100, float64(i+1)/100
		if n := len(out); n > 0 && start-out[n-1].End < TruthMaxGap {
			out[n-1].End = end
			continue
		}
		out = append(out, rehearse.Segment{Start: start, End: end})
	}
	return out
}

// Scene is a clean recording of sentences separated by known pauses.
type Scene struct {
	Clean []float32
	// Truth holds the speech regions of Clean (see Truth), one per sentence.
	Truth []rehearse.Segment
}

// Duration is the length of the recording in seconds.
func (s Scene) Duration() float64 { return float64(len(s.Clean)) / rate }

// NewScene renders each sentence with espeak-ng (en-us, 160 words per
// minute), trims espeak-ng's own silence from both ends of each, and places
// them lead seconds from the start, gap seconds apart, followed by tail
// seconds of silence. It fails the test unless Truth finds exactly one
// region per sentence.
func NewScene(tb testing.TB, sentences []string, lead, gap, tail float64) Scene {
	tb.Helper()
	var clean []float32
	pad := func(sec float64) { clean = append(clean, make([]float32, int(math.Round(sec*rate)))...) }
	pad(lead)
	for i, s := range sentences {
		if i > 0 {
			pad(gap)
		}
		clean = append(clean, trim(Speak(tb, "en-us", 160, 50, s))...)
	}
	pad(tail)
	sc := Scene{Clean: clean, Truth: Truth(clean)}
	if len(sc.Truth) != len(sentences) {
		tb.Fatalf("the clean recording has %d speech regions %v, want one per sentence (%d)", len(sc.Truth), sc.Truth, len(sentences))
	}
	return sc
}

// trim removes the whole 10 ms frames at both ends of s that are more than
// 60 dB below its loudest frame (espeak-ng's leading and trailing silence).
func trim(s []float32) []float32 {
	dbs := FrameDB(s)
	peak := math.Inf(-1)
	for _, d := range dbs {
		peak = math.Max(peak, d)
	}
	first, last := 0, len(dbs)-1
	for first < last && dbs[first] < peak-60 {
		first++
	}
	for last > first && dbs[last] < peak-60 {
		last--
	}
	return s[first*rate/100 : (last+1)*rate/100]
}

// White returns n samples of Gaussian white noise with unit RMS.
func White(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return normalise(s)
}

// Pink returns n samples of pink (1/f, −3 dB per octave) noise with unit
// RMS: white noise through Paul Kellet's refined pink filter, accurate to
// ±0.05 dB above 9 Hz at 44.1 kHz and so at 16 kHz too above about 3 Hz.
// Fans and air conditioning sound like this.
func Pink(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x9121))
	s := make([]float32, n)
	var b0, b1, b2, b3, b4, b5, b6 float64
	for i := range s {
		w := r.NormFloat64()
		b0 = 0.99886*b0 + w*0.0555179
		b1 = 0.99332*b1 + w*0.0750759
		b2 = 0.96900*b2 + w*0.1538520
		b3 = 0.86650*b3 + w*0.3104856
		b4 = 0.55000*b4 + w*0.5329522
		b5 = -0.7616*b5 - w*0.0168980
		s[i] = float32(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w*0.5362)
		b6 = w * 0.115926
	}
	return normalise(s)
}

// Brown returns n samples of brown (1/f², −6 dB per octave) noise with unit
// RMS: white noise through a leaky integrator whose corner is near 5 Hz, so
// that the signal does not wander off. Laptop and traffic rumble sound
// like this.
func Brown(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0xb0b))
	s := make([]float32, n)
	var y float64
	for i := range s {
		y = 0.998*y + r.NormFloat64()
		s[i] = float32(y)
	}
	return normalise(s)
}

// babbleText is read by the voices of Babble: different words from any
// scene's, so that the babble is not an echo of the speech.
var babbleText = []string{
	"The weather has been strange this week, with rain in the morning and sun by lunch time, and nobody knows what to wear.",
	"Did you see the match last night? They scored twice in the last ten minutes and the whole stadium went quiet.",
	"We should book the table for eight people, not six, because her cousins are coming from the coast on Friday.",
	"The printer on the third floor is broken again, so I carried the whole report down to the library to print it.",
	"My brother planted tomatoes and beans in the garden, but the birds took most of them before they were ripe.",
	"If the train is late again tomorrow I will drive, even though parking near the office costs a fortune.",
}

// babbleVoices are the espeak-ng voices of Babble, with their speeds and
// pitches: men and women, several accents.
var babbleVoices = []struct {
	voice      string
	wpm, pitch int
}{
	{"en-gb", 170, 40},
	{"en-us+f3", 150, 70},
	{"en-gb-scotland", 180, 35},
	{"en-029+f2", 160, 60},
	{"en-gb-x-rp+m3", 145, 45},
	{"en-us+f4", 175, 80},
}

// Babble returns n samples of multi-talker babble with unit RMS: six
// espeak-ng voices reading different text, each looped, started at a
// seeded offset and brought to the same level, overlaid. It is what a
// café or an open-plan office sounds like, and speech-like in every
// spectral feature, so only its level tells it from the speaker.
func Babble(tb testing.TB, seed uint64, n int) []float32 {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 0xbab))
	s := make([]float64, n)
	for i, v := range babbleVoices {
		var talk []float32
		for j := range babbleText {
			talk = append(talk, Speak(tb, v.voice, v.wpm, v.pitch, babbleText[(i+j)%len(babbleText)])...)
		}
		talk = normalise(talk)
		off := r.IntN(len(talk))
		for k := range s {
			s[k] += float64(talk[(off+k)%len(talk)])
		}
	}
	out := make([]float32, n)
	for i, v := range s {
		out[i] = float32(v)
	}
	return normalise(out)
}

func normalise(s []float32) []float32 {
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		return s
	}
	g := 1 / math.Sqrt(sum/float64(len(s)))
	for i := range s {
		s[i] = float32(float64(s[i]) * g)
	}
	return s
}

// Mix returns clean plus noise scaled so that the signal-to-noise ratio is
// snrDB, both powers measured over the speech regions only (the pauses
// would make the speech look quieter than it is). noise must be at least as
// long as clean.
func Mix(clean, noise []float32, speech []rehearse.Segment, snrDB float64) []float32 {
	var ps, pn float64
	var n int
	for _, sp := range speech {
		a, b := int(sp.Start*rate), min(int(sp.End*rate), len(clean))
		for i := a; i < b; i++ {
			ps += float64(clean[i]) * float64(clean[i])
			pn += float64(noise[i]) * float64(noise[i])
		}
		n += b - a
	}
	if n == 0 || pn == 0 {
		panic("audiotest.Mix: no speech or no noise to measure")
	}
	g := math.Sqrt(ps / pn / math.Pow(10, snrDB/10))
	out := make([]float32, len(clean))
	for i := range out {
		out[i] = clean[i] + float32(g*float64(noise[i]))
	}
	return out
}

// Score is how well detected segments match the speech regions of a scene.
type Score struct {
	// Recall is the share of speech time inside detected segments.
	Recall float64
	// FalseAlarm is the share of the time without speech inside detected
	// segments.
	FalseAlarm float64
	// Pauses is the number of gaps between speech regions, and Found the
	// number of them that the segments reproduce: exactly one detected gap
	// overlaps the pause, with both of its edges within Tolerance of the
	// pause's.
	Pauses, Found int
	// WorstEdge is the largest error (seconds) of a detected speech edge
	// against the true one, over the start and end of every region; it is
	// +Inf when the segments do not match the regions one to one.
	WorstEdge float64
	Segments  int
}

// Tolerance is how far a detected pause edge may lie from the true one.
const Tolerance = 0.150

// Evaluate scores detected segments against the speech regions truth of a
// recording dur seconds long, on a 1 ms grid.
func Evaluate(got, truth []rehearse.Segment, dur float64) Score {
	const grid = 1000
	n := int(math.Ceil(dur * grid))
	mark := func(segs []rehearse.Segment) []bool {
		m := make([]bool, n)
		for _, s := range segs {
			for i := max(int(math.Round(s.Start*grid)), 0); i < min(int(math.Round(s.End*grid)), n); i++ {
				m[i] = true
			}
		}
		return m
	}
	det, ref := mark(got), mark(truth)
	var sp, hit, ns, fa int
	for i := range n {
		if ref[i] {
			sp++
			if det[i] {
				hit++
			}
		} else {
			ns++
			if det[i] {
				fa++
			}
		}
	}
	sc := Score{Segments: len(got), Pauses: max(len(truth)-1, 0), WorstEdge: math.Inf(1)}
	if sp > 0 {
		sc.Recall = float64(hit) / float64(sp)
	}
	if ns > 0 {
		sc.FalseAlarm = float64(fa) / float64(ns)
	}
	for i := 0; i+1 < len(truth); i++ {
		ps, pe := truth[i].End, truth[i+1].Start
		var gaps [][2]float64
		for j := 0; j+1 < len(got); j++ {
			gs, ge := got[j].End, got[j+1].Start
			if gs < pe && ge > ps {
				gaps = append(gaps, [2]float64{gs, ge})
			}
		}
		if len(gaps) == 1 && math.Abs(gaps[0][0]-ps) <= Tolerance && math.Abs(gaps[0][1]-pe) <= Tolerance {
			sc.Found++
		}
	}
	if len(got) == len(truth) {
		sc.WorstEdge = 0
		for i := range got {
			sc.WorstEdge = math.Max(sc.WorstEdge, math.Abs(got[i].Start-truth[i].Start))
			sc.WorstEdge = math.Max(sc.WorstEdge, math.Abs(got[i].End-truth[i].End))
		}
	}
	return sc
}
