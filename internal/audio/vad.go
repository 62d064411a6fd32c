package audio

import (
	"math"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// VADConfig tunes voice-activity detection. Times are in seconds.
type VADConfig struct {
	// Frame is the analysis frame length (default 10 ms).
	Frame float64
	// ThresholdDB is how far above the noise floor a frame's energy must
	// be to start speech; HoldDB (lower) is how far above it must stay to
	// continue speech already started.
	ThresholdDB, HoldDB float64
	// MinLevelDB is an absolute floor in dBFS: quieter frames are never
	// speech, whatever the noise floor (digital silence has none).
	MinLevelDB float64
	// FloorRise and FloorFall are the per-frame smoothing factors with which
	// the noise floor follows non-speech frames louder or quieter than it.
	// SpeechRise is the factor used during speech, so that a permanent rise
	// in background noise is eventually absorbed.
	// The floor starts at the quietest frame of the first Warmup seconds.
	FloorRise, FloorFall, SpeechRise float64
	Warmup                           float64
	// MinSpeech drops speech bursts shorter than this (clicks, bumps).
	MinSpeech float64
	// MinSilence is the pause that ends a segment; shorter pauses stay
	// inside it.
	MinSilence float64
	// Hangover extends each segment past its last loud frame, to keep the
	// quiet ends of words.
	Hangover float64
	// PreRoll starts each segment slightly before its first loud frame.
	PreRoll float64
}

// DefaultVADConfig returns settings tuned on synthetic speech with and
// without background noise (see the package tests).
func DefaultVADConfig() VADConfig {
	return VADConfig{
		Frame:       0.010,
		ThresholdDB: 12,
		HoldDB:      4,
		MinLevelDB:  -55,
		FloorRise:   0.02,
		FloorFall:   0.3,
		SpeechRise:  0.0005,
		Warmup:      0.3,
		MinSpeech:   0.12,
		MinSilence:  0.40,
		Hangover:    0.06,
		PreRoll:     0.02,
	}
}

// VAD finds speech in a 16 kHz mono stream by frame energy against an
// adaptive noise floor. It is fed incrementally with Push and closed with
// Flush; segment times are absolute seconds from the first sample pushed.
type VAD struct {
	cfg        VADConfig
	frameLen   int
	frame      int64 // frames completed
	acc        float64
	accN       int
	floor      float64 // noise floor, dB
	haveFloor  bool
	warm       []float64 // frame energies (dB) held back until the floor is known
	warmN      int
	inSpeech   bool
	start      int64 // first loud frame of the open segment
	lastLoud   int64 // last loud frame of the open segment
	loudFrames int64
	lastEnd    float64 // end of the last emitted segment
	minSilence int64
	out        []rehearse.Segment
}

// NewVAD returns a detector with cfg. The zero VADConfig means
// DefaultVADConfig; otherwise zero levels, factors and frame length take
// their defaults while durations are used as given.
func NewVAD(cfg VADConfig) *VAD {
	d := DefaultVADConfig()
	if cfg == (VADConfig{}) {
		cfg = d
	}
	if cfg.Frame <= 0 {
		cfg.Frame = d.Frame
	}
	if cfg.ThresholdDB <= 0 {
		cfg.ThresholdDB = d.ThresholdDB
	}
	if cfg.MinLevelDB == 0 {
		cfg.MinLevelDB = d.MinLevelDB
	}
	if cfg.HoldDB <= 0 {
		cfg.HoldDB = d.HoldDB
	}
	if cfg.Warmup < 0 {
		cfg.Warmup = 0
	}
	if cfg.FloorRise <= 0 {
		cfg.FloorRise = d.FloorRise
	}
	if cfg.FloorFall <= 0 {
		cfg.FloorFall = d.FloorFall
	}
	if cfg.SpeechRise <= 0 {
		cfg.SpeechRise = d.SpeechRise
	}
	v := &VAD{cfg: cfg}
	v.frameLen = int(math.Round(cfg.Frame * rehearse.SampleRate))
	if v.frameLen < 1 {
		v.frameLen = 1
	}
	v.warmN = int(cfg.Warmup / v.frameSec())
	v.minSilence = int64(math.Ceil(cfg.MinSilence / v.frameSec()))
	if v.minSilence < 1 {
		v.minSilence = 1
	}
	return v
}

func (v *VAD) frameSec() float64 { return float64(v.frameLen) / rehearse.SampleRate }

// NoiseFloor is the current estimate of the background level in dBFS.
func (v *VAD) NoiseFloor() float64 { return v.floor }

// Push analyses more samples and returns the speech segments that have been
// completed by them (a segment completes after MinSilence of quiet).
func (v *VAD) Push(samples []float32) []rehearse.Segment {
	v.out = v.out[:0]
	for _, s := range samples {
		v.acc += float64(s) * float64(s)
		v.accN++
		if v.accN == v.frameLen {
			v.step(v.acc / float64(v.accN))
			v.acc, v.accN = 0, 0
		}
	}
	return v.result()
}

// Flush ends the stream: a partial last frame is analysed and an open
// segment is closed.
func (v *VAD) Flush() []rehearse.Segment {
	v.out = v.out[:0]
	if v.accN > 0 {
		v.step(v.acc / float64(v.accN))
		v.acc, v.accN = 0, 0
	}
	v.startFloor()
	if v.inSpeech {
		v.close(v.frame)
	}
	return v.result()
}

func (v *VAD) result() []rehearse.Segment {
	if len(v.out) == 0 {
		return nil
	}
	return append([]rehearse.Segment(nil), v.out...)
}

func (v *VAD) step(power float64) {
	db := 10 * math.Log10(power+1e-12)
	if !v.haveFloor {
		v.warm = append(v.warm, db)
		if len(v.warm) > v.warmN {
			v.startFloor()
		}
		return
	}
	v.decide(db)
}

// startFloor ends the warm-up: the noise floor starts at the quietest frame
// seen, and the held-back frames are decided.
func (v *VAD) startFloor() {
	if v.haveFloor || len(v.warm) == 0 {
		return
	}
	v.floor = v.warm[0]
	for _, e := range v.warm {
		v.floor = min(v.floor, e)
	}
	v.haveFloor = true
	for _, e := range v.warm {
		v.decide(e)
	}
	v.warm = nil
}

func (v *VAD) decide(db float64) {
	above := v.cfg.ThresholdDB
	if v.inSpeech {
		above = v.cfg.HoldDB
	}
	loud := db > v.floor+above && db > v.cfg.MinLevelDB
	switch {
	case db < v.floor:
		v.floor += v.cfg.FloorFall * (db - v.floor)
	case loud || v.inSpeech:
		v.floor += v.cfg.SpeechRise * (db - v.floor)
	default:
		v.floor += v.cfg.FloorRise * (db - v.floor)
	}
	f := v.frame
	v.frame++
	if loud {
		if !v.inSpeech {
			v.inSpeech = true
			v.start = f
			v.loudFrames = 0
		}
		v.lastLoud = f
		v.loudFrames++
		return
	}
	if v.inSpeech && f-v.lastLoud >= v.minSilence {
		v.close(v.frame)
	}
}

// close ends the open segment; now is the frame count reached so far.
func (v *VAD) close(now int64) {
	v.inSpeech = false
	fs := v.frameSec()
	if float64(v.lastLoud-v.start+1)*fs < v.cfg.MinSpeech {
		return
	}
	start := float64(v.start)*fs - v.cfg.PreRoll
	end := float64(v.lastLoud+1)*fs + v.cfg.Hangover
	if start < v.lastEnd {
		start = v.lastEnd
	}
	if start < 0 {
		start = 0
	}
	if lim := float64(now) * fs; end > lim {
		end = lim
	}
	v.lastEnd = end
	v.out = append(v.out, rehearse.Segment{Start: start, End: end})
}

// DetectSpeech returns the speech segments of a whole recording.
func DetectSpeech(a rehearse.Audio, cfg VADConfig) []rehearse.Segment {
	v := NewVAD(cfg)
	segs := v.Push(a.Samples)
	return append(segs, v.Flush()...)
}
