package audio

import (
	"math"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// VADConfig tunes voice-activity detection. Times are in seconds.
type VADConfig struct {
	// Frame is the analysis frame length (default 10 ms).
	Frame float64
	// HighPass is the cut-off (Hz) of the high-pass filter in front of the
	// detector (default 200 Hz). Fans, air conditioning, traffic and a
	// laptop's own rumble put most of their energy below it, speech very
	// little.
	HighPass float64
	// ThresholdDB is how far above the background level a frame's energy
	// must be to start speech; HoldDB (lower) is how far above it must stay
	// to continue speech already started. Both grow with the background's
	// own fluctuation (see Spread).
	ThresholdDB, HoldDB float64
	// Spread scales the background's measured fluctuation (the mean
	// absolute deviation of its frame energies, in dB) into a minimum for
	// both ThresholdDB and HoldDB. Steady noise (a fan) fluctuates little;
	// other people talking fluctuate a lot, and their louder moments must
	// neither start speech nor keep it going.
	Spread float64
	// MinLevelDB is an absolute floor in dBFS: quieter frames are never
	// speech, whatever the background (digital silence has none).
	MinLevelDB float64
	// FloorWindow is how far back (seconds) the noise floor looks: it is
	// the lowest smoothed frame energy of that window, so it follows the
	// background up or down within FloorWindow, through speech or not, as
	// long as the speaker pauses or drops between words at least once in
	// that time.
	FloorWindow float64
	// Warmup is held back at the start until the floor is known (the
	// quietest frame of that time).
	Warmup float64
	// VoiceRangeDB: once the speaker has been heard, sound more than this
	// below their loudest recent frames does not start speech, and sound
	// (ThresholdDB-HoldDB) further below does not continue it (0: off).
	VoiceRangeDB float64
	// MinSpeech drops speech bursts shorter than this (clicks, bumps).
	MinSpeech float64
	// MinSilence is the pause that ends a segment; shorter pauses stay
	// inside it.
	MinSilence float64
	// Hangover extends each segment past its last loud frame, to keep the
	// quiet ends of words. In noise, more of the fading end of a sentence
	// lies below the level that holds speech: a segment whose loudest frame
	// stood less than TailDB above that level gets HangoverPerDB more
	// hangover for every dB missing (speech fades by some 30–40 dB at the
	// end of a sentence, and by roughly 4 ms per dB).
	Hangover      float64
	TailDB        float64
	HangoverPerDB float64
	// PreRoll starts each segment earlier than the first frame of the rise
	// that started it (that rise is followed back at most 0.25 s).
	PreRoll float64
}

// DefaultVADConfig returns settings tuned on synthesised speech in white,
// pink, brown and babble noise (see the package tests).
func DefaultVADConfig() VADConfig {
	return VADConfig{
		Frame:         0.010,
		HighPass:      200,
		ThresholdDB:   9,
		HoldDB:        4,
		Spread:        3.5,
		MinLevelDB:    -55,
		VoiceRangeDB:  25,
		FloorWindow:   5,
		Warmup:        0.3,
		MinSpeech:     0.12,
		MinSilence:    0.40,
		Hangover:      0.01,
		TailDB:        35,
		HangoverPerDB: 0.004,
		PreRoll:       0,
	}
}

// biquad is one second-order section of an IIR filter (direct form I).
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

// highPass returns a Butterworth high-pass section at fc Hz with quality q.
func highPass(fc, q float64) biquad {
	w := 2 * math.Pi * fc / rehearse.SampleRate
	alpha := math.Sin(w) / (2 * q)
	c := math.Cos(w)
	a0 := 1 + alpha
	return biquad{
		b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0,
		a1: -2 * c / a0, a2: (1 - alpha) / a0,
	}
}

func (f *biquad) step(x float64) float64 {
	y := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
	f.x2, f.x1 = f.x1, x
	f.y2, f.y1 = f.y1, y
	return y
}

// VAD finds speech in a 16 kHz mono stream. It is fed incrementally with
// Push and closed with Flush; segment times are absolute seconds from the
// first sample pushed.
//
// Each 10 ms frame is high-passed and its energy smoothed over a few
// frames. The noise floor is the lowest smoothed energy of the last
// FloorWindow seconds (minimum statistics, kept in sub-windows so that the
// cost per frame is constant), which follows the background through speech
// and is not fooled by the slow swings of low-frequency noise. The
// background's level above that floor and its fluctuation are learnt from
// the frames of pauses. A frame starts speech when it stands
// out from the background by ThresholdDB (or by its fluctuation scaled by
// Spread, if more), and speech goes on while frames stay HoldDB above it;
// MinSilence of quiet ends a segment.
type VAD struct {
	cfg      VADConfig
	frameLen int
	hp       [2]biquad

	frame    int64 // frames completed
	acc      float64
	accN     int
	pw       [smoothLen]float64 // powers of the last frames, by frame number
	analysed int64              // frames whose power is known

	// Minimum statistics: sub-window minima of the smoothed energy (dB).
	subMin []float64
	subLen int
	subN   int // frames in the current sub-window
	subAt  int // index of the current sub-window in subMin
	floor  float64

	// The background above the floor, learnt from the frames of pauses:
	// mean (dB above the floor) and mean absolute deviation.
	bias, dev float64
	// The speaker's level: the loudest frame of recent segments (dB),
	// lowered by voiceDecay a frame.
	voice float64

	haveFloor bool
	warm      []float64 // frame energies (dB) held back until the floor is known
	warmN     int

	inSpeech   bool
	runStart   int64 // first frame of the current run above the hold level
	inRun      bool
	start      int64              // first frame of the open segment
	peak       float64            // the open segment's loudest frame above the hold level, dB
	peakDB     float64            // and its energy, dB
	lastLoud   int64              // last loud frame of the open segment
	lastStrong int64              // last frame above the onset level
	lagged     [learnLag]float64  // energies of the last frames, for learn
	recent     [recentLen]float64 // energies of the last frames decided, for trimStart
	lastEnd    float64
	minSilence int64
	out        []rehearse.Segment
}

// NewVAD returns a detector with cfg. The zero VADConfig means
// DefaultVADConfig; otherwise zero levels, factors, cut-off, floor window
// and frame length take their defaults while durations, TailDB,
// HangoverPerDB and VoiceRangeDB are used as given.
func NewVAD(cfg VADConfig) *VAD {
	d := DefaultVADConfig()
	if cfg == (VADConfig{}) {
		cfg = d
	}
	if cfg.Frame <= 0 {
		cfg.Frame = d.Frame
	}
	if cfg.HighPass <= 0 {
		cfg.HighPass = d.HighPass
	}
	if cfg.ThresholdDB <= 0 {
		cfg.ThresholdDB = d.ThresholdDB
	}
	if cfg.HoldDB <= 0 {
		cfg.HoldDB = d.HoldDB
	}
	if cfg.Spread <= 0 {
		cfg.Spread = d.Spread
	}
	if cfg.MinLevelDB == 0 {
		cfg.MinLevelDB = d.MinLevelDB
	}
	if cfg.FloorWindow <= 0 {
		cfg.FloorWindow = d.FloorWindow
	}
	if cfg.Warmup < 0 {
		cfg.Warmup = 0
	}
	v := &VAD{cfg: cfg, lastStrong: math.MinInt64 / 2, voice: math.Inf(-1)}
	v.frameLen = max(int(math.Round(cfg.Frame*rehearse.SampleRate)), 1)
	// Two sections make a fourth-order Butterworth high-pass.
	v.hp = [2]biquad{highPass(cfg.HighPass, 0.5412), highPass(cfg.HighPass, 1.3066)}
	v.warmN = int(cfg.Warmup / v.frameSec())
	v.warm = make([]float64, 0, v.warmN+1)
	v.minSilence = max(int64(math.Ceil(cfg.MinSilence/v.frameSec())), 1)
	const subs = 8
	v.subMin = make([]float64, subs)
	for i := range v.subMin {
		v.subMin[i] = math.Inf(1)
	}
	v.subLen = max(int(math.Round(cfg.FloorWindow/v.frameSec()/subs)), 1)
	return v
}

func (v *VAD) frameSec() float64 { return float64(v.frameLen) / rehearse.SampleRate }

// Push analyses more samples and returns the speech segments that have been
// completed by them (a segment completes after MinSilence of quiet).
func (v *VAD) Push(samples []float32) []rehearse.Segment {
	v.out = v.out[:0]
	for _, s := range samples {
		x := v.hp[1].step(v.hp[0].step(float64(s)))
		v.acc += x * x
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
	for c := max(v.analysed-smoothHalf, 0); c < v.analysed; c++ {
		v.judge(c, v.analysed-1)
	}
	v.startFloor()
	if v.inSpeech {
		v.close(v.frame)
	}
	return v.result()
}

// InSpeech reports whether a segment is open, and since when (seconds).
func (v *VAD) InSpeech() (since float64, ok bool) {
	if !v.inSpeech {
		return 0, false
	}
	return float64(v.start) * v.frameSec(), true
}

func (v *VAD) result() []rehearse.Segment {
	if len(v.out) == 0 {
		return nil
	}
	return append([]rehearse.Segment(nil), v.out...)
}

// Each frame is judged by the mean power of the frames around it
// (smoothHalf on each side): over 50 ms, noise and other people's voices
// fluctuate much less than in single frames, while speech edges move by
// at most a frame or two. Decisions lag the input by smoothHalf frames.
const (
	smoothHalf = 2
	smoothLen  = 2*smoothHalf + 1
)

const (
	// The warm-up may hold speech already (a user who speaks at once): the
	// background level and fluctuation it suggests are capped at what
	// steady noise and even a room of other talkers show (dB).
	maxWarmBias, maxWarmDev = 4, 2
	// A segment's start is followed back along the rise that led to it by
	// at most maxRise frames.
	maxRise = 25
	// The background is learnt learnLag frames late (see learn), at
	// learnRate per frame: over about half a second.
	learnLag  = 32
	learnRate = 0.02
	// The speaker's level is taken from segments of voiceMinSpeech seconds
	// or more (not from clicks and bumps) and decays by 1 dB a second.
	voiceMinSpeech = 0.3
	voiceDecay     = 0.01
	// A segment's start is checked against its own loudest frame over the
	// last recentLen frames (see trimStart).
	recentLen = 300
)

func (v *VAD) step(power float64) {
	v.pw[v.analysed%smoothLen] = power
	v.analysed++
	if c := v.analysed - 1 - smoothHalf; c >= 0 {
		v.judge(c, v.analysed-1)
	}
}

// judge decides frame c by the mean power of frames c−smoothHalf … last.
func (v *VAD) judge(c, last int64) {
	var sum float64
	from := max(c-smoothHalf, 0)
	for i := from; i <= last; i++ {
		sum += v.pw[i%smoothLen]
	}
	db := 10 * math.Log10(sum/float64(last-from+1)+1e-12)
	v.track(db)
	if !v.haveFloor {
		v.warm = append(v.warm, db)
		if len(v.warm) > v.warmN {
			v.startFloor()
		}
		return
	}
	v.decide(db)
}

// track adds a frame's energy to the minimum statistics.
func (v *VAD) track(db float64) {
	v.subMin[v.subAt] = math.Min(v.subMin[v.subAt], db)
	v.subN++
	if v.subN == v.subLen {
		v.subN = 0
		v.subAt = (v.subAt + 1) % len(v.subMin)
		v.subMin[v.subAt] = math.Inf(1)
	}
	v.floor = math.Inf(1)
	for _, m := range v.subMin {
		v.floor = math.Min(v.floor, m)
	}
}

// startFloor ends the warm-up: the held-back frames are decided against the
// floor of the warm-up.
func (v *VAD) startFloor() {
	if v.haveFloor || len(v.warm) == 0 {
		return
	}
	v.haveFloor = true
	// The warm-up is taken for background: its level above the floor and
	// its fluctuation start the running estimates.
	var sum float64
	for _, e := range v.warm {
		sum += e - v.floor
	}
	v.bias = sum / float64(len(v.warm))
	sum = 0
	for _, e := range v.warm {
		sum += math.Abs(e - v.floor - v.bias)
	}
	v.dev = sum / float64(len(v.warm))
	// Later pauses correct what a warm-up holding speech suggests.
	v.bias, v.dev = min(v.bias, maxWarmBias), min(v.dev, maxWarmDev)
	for _, e := range v.warm {
		v.decide(e)
	}
	v.warm = v.warm[:0]
}

func (v *VAD) decide(db float64) {
	level := v.floor + v.bias
	onset := level + math.Max(v.cfg.ThresholdDB, v.cfg.Spread*v.dev)
	hold := level + math.Max(v.cfg.HoldDB, v.cfg.Spread*v.dev)
	// Far below the speaker's own voice is somebody else: chatter at the
	// next table, a television. The speaker's level decays slowly, so a
	// speaker who turns away or lowers their voice is soon heard again.
	if v.cfg.VoiceRangeDB > 0 {
		onset = math.Max(onset, v.voice-v.cfg.VoiceRangeDB)
		hold = math.Max(hold, v.voice-v.cfg.VoiceRangeDB-(v.cfg.ThresholdDB-v.cfg.HoldDB))
	}
	v.voice -= voiceDecay
	audible := db > v.cfg.MinLevelDB
	above := audible && db > hold
	f := v.frame
	v.frame++
	v.recent[f%recentLen] = db
	if above && !v.inRun {
		v.inRun, v.runStart = true, f
	} else if !above {
		v.inRun = false
	}
	strong := audible && db > onset
	if strong {
		v.lastStrong = f
	}
	loud := strong || v.inSpeech && above
	v.learn(f, db)
	if loud {
		if !v.inSpeech {
			v.inSpeech = true
			v.start = max(v.runStart, f-maxRise)
			v.peak, v.peakDB = 0, db
		}
		v.peak = math.Max(v.peak, db-hold)
		v.peakDB = math.Max(v.peakDB, db)
		v.lastLoud = f
		v.trimStart(f)
		return
	}
	if v.inSpeech && f-v.lastLoud >= v.minSilence {
		v.close(v.frame)
	}
}

// trimStart moves the open segment's start past what lies more than
// VoiceRangeDB below its loudest frame so far. Before the speaker has been
// heard, other voices in the room can start a segment that the speaker's own
// voice then carries on; once the speaker is heard, that start is taken for
// background, as it would have been had their level been known. Only the
// last recentLen frames are kept, so a start further back stays.
func (v *VAD) trimStart(f int64) {
	if v.cfg.VoiceRangeDB <= 0 {
		return
	}
	for v.start < f && v.start > f-recentLen && v.recent[v.start%recentLen] < v.peakDB-v.cfg.VoiceRangeDB {
		v.start++
	}
}

// close ends the open segment; now is the frame count reached so far.
func (v *VAD) close(now int64) {
	v.inSpeech = false
	fs := v.frameSec()
	if float64(v.lastLoud-v.start+1)*fs < v.cfg.MinSpeech {
		return
	}
	if float64(v.lastLoud-v.start+1)*fs >= voiceMinSpeech {
		v.voice = math.Max(v.voice, v.peakDB)
	}
	start := float64(v.start)*fs - v.cfg.PreRoll
	end := float64(v.lastLoud+1)*fs + v.cfg.Hangover + max(v.cfg.TailDB-v.peak, 0)*v.cfg.HangoverPerDB
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

// learn adds frame f to the picture of the background: it is held back
// learnLag frames and used only if no frame from MinSilence before it to
// now reached the onset level. So every frame of a pause teaches the
// background, including those that only hold a segment open (otherwise
// louder moments of background chatter could keep a segment open for
// good), while the rise at the start of speech, which comes before the
// frame that reaches the onset level, does not.
func (v *VAD) learn(f int64, db float64) {
	v.lagged[f%learnLag] = db
	g := f - learnLag + 1
	if g < 0 || v.lastStrong >= g-v.minSilence {
		return
	}
	d := v.lagged[g%learnLag] - v.floor
	v.bias += learnRate * (d - v.bias)
	v.dev += learnRate * (math.Abs(d-v.bias) - v.dev)
}
