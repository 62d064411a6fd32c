package soundcheck

import (
	"math"
	"sort"
)

// Silence is the level reported for no signal at all, in dBFS.
const Silence = -120.0

// clipAt is the magnitude treated as full scale: 16-bit capture tops out
// at 32767/32768, and converters that clip often stop a hair short of it.
const clipAt = 0.99

// Level describes the input level of a recording in dB relative to full
// scale (0 dBFS is the loudest a sample can be).
type Level struct {
	PeakDBFS float64 // loudest sample
	RMSDBFS  float64 // whole recording
	// SpeechDBFS is the RMS of the loudest tenth of 50 ms frames: how loud
	// the voice is, independent of the silence around it.
	SpeechDBFS float64
	// NoiseDBFS is the RMS of the quietest tenth of frames: the room.
	NoiseDBFS float64
	Clipped   int     // samples at full scale
	Seconds   float64 // length of the recording
}

// SNR is the speech level over the room's noise, in dB.
func (l Level) SNR() float64 { return l.SpeechDBFS - l.NoiseDBFS }

// Clipping reports whether the voice overloaded the input: more than one
// sample in ten thousand (at least three) at full scale.
func (l Level) Clipping(samples int) bool {
	return l.Clipped >= 3 && float64(l.Clipped) > float64(samples)/10000
}

func dbfs(v float64) float64 {
	if v <= 0 {
		return Silence
	}
	return max(20*math.Log10(v), Silence)
}

// MeasureLevel measures samples (-1..1) recorded at rate Hz.
func MeasureLevel(samples []float32, rate int) Level {
	l := Level{PeakDBFS: Silence, RMSDBFS: Silence, SpeechDBFS: Silence, NoiseDBFS: Silence}
	if len(samples) == 0 || rate <= 0 {
		return l
	}
	l.Seconds = float64(len(samples)) / float64(rate)
	var peak, sum float64
	frame := max(rate/20, 1)
	var frames []float64 // mean square of each whole frame
	var fsum float64
	for i, s := range samples {
		v := math.Abs(float64(s))
		peak = max(peak, v)
		if v >= clipAt {
			l.Clipped++
		}
		sq := float64(s) * float64(s)
		sum += sq
		fsum += sq
		if (i+1)%frame == 0 {
			frames = append(frames, fsum/float64(frame))
			fsum = 0
		}
	}
	if len(frames) == 0 {
		frames = append(frames, fsum/float64(len(samples)))
	}
	l.PeakDBFS = dbfs(peak)
	l.RMSDBFS = dbfs(math.Sqrt(sum / float64(len(samples))))
	sort.Float64s(frames)
	tenth := max(len(frames)/10, 1)
	l.NoiseDBFS = dbfs(math.Sqrt(mean(frames[:tenth])))
	l.SpeechDBFS = dbfs(math.Sqrt(mean(frames[len(frames)-tenth:])))
	return l
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
