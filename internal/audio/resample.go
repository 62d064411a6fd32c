package audio

import (
	"math"
	"sync"
)

// Resampler converts a stream of mono samples from one rate to another with a
// polyphase windowed-sinc (Kaiser) low-pass filter, so that content above the
// lower rate's Nyquist frequency is removed before it can alias (about 80 dB
// of stop-band rejection; the pass band is flat to 85% of that Nyquist
// frequency).
//
// Output sample n is time-aligned with input time n·inRate/outRate: the filter
// delay is compensated, so timings measured on the output match the input.
// Process may therefore hold back the last few milliseconds of input until
// more arrives or Flush is called.
type Resampler struct {
	l, m     int64 // output/input rate ratio reduced: out/in = l/m
	taps     int   // coefficients per phase (input samples per output)
	phases   int   // phases in the table (l, or fewer for very large l)
	coef     []float32
	d        int64 // filter centre in up-sampled steps
	buf      []float32
	bufStart int64 // absolute input index of buf[0]
	nIn      int64 // input samples pushed (excluding flush padding)
	nOut     int64 // output samples produced
	identity bool
}

const (
	maxPhases = 1024
	maxCoefs  = 1 << 18
)

// NewResampler returns a resampler from inRate to outRate (both > 0).
func NewResampler(inRate, outRate int) *Resampler {
	if inRate <= 0 || outRate <= 0 {
		panic("audio: NewResampler needs positive rates")
	}
	g := gcd(inRate, outRate)
	r := &Resampler{l: int64(outRate / g), m: int64(inRate / g)}
	if inRate == outRate {
		r.identity = true
		return r
	}
	f := design(inRate, outRate, int(r.l))
	r.taps, r.phases, r.coef = f.taps, f.phases, f.coef
	r.d = int64(f.taps*f.phases/2) * r.l / int64(f.phases) // centre in l-steps
	r.Reset()
	return r
}

// filter is a designed polyphase filter bank; it is shared read-only.
type filter struct {
	taps, phases int
	coef         []float32
}

var designs struct {
	sync.Mutex
	m map[[2]int]*filter
}

// design returns the filter bank for a rate pair, reusing a recent design:
// a bank for an unusual ratio takes milliseconds to compute.
func design(inRate, outRate, l int) *filter {
	designs.Lock()
	defer designs.Unlock()
	key := [2]int{inRate, outRate}
	if f, ok := designs.m[key]; ok {
		return f
	}
	if designs.m == nil || len(designs.m) >= 16 {
		designs.m = make(map[[2]int]*filter)
	}
	f := newFilter(inRate, outRate, l)
	designs.m[key] = f
	return f
}

func newFilter(inRate, outRate, l int) *filter {
	r := &filter{}
	nyq := 0.5 * float64(min(inRate, outRate))
	passEdge := 0.85 * nyq
	transition := nyq - passEdge
	cutoff := passEdge + transition/2
	const atten = 80.0
	beta := 0.1102 * (atten - 8.7)
	// Kaiser's estimate of the window length in seconds, in input samples.
	dur := (atten - 8) / (14.36 * transition)
	taps := int(math.Ceil(dur * float64(inRate)))
	if taps < 8 {
		taps = 8
	}
	if taps%2 == 1 {
		taps++
	}
	r.taps = taps
	// One phase per output position when the ratio is simple (48→16 kHz:
	// 1, 44.1→16 kHz: 160); otherwise a table fine enough that the timing
	// error stays below 1/128 of an input sample, within a bounded size.
	r.phases = l
	if r.phases > maxPhases {
		r.phases = max(128, min(maxPhases, maxCoefs/taps))
	}
	p := r.phases
	n := taps * p                               // prototype length in table steps
	half := float64(n) / 2                      // centre
	fc := cutoff / float64(inRate) / float64(p) // cycles per table step
	i0b := bessI0(beta)
	proto := make([]float64, n)
	for k := range proto {
		x := float64(k) - half
		w := x / half
		win := 0.0
		if w*w < 1 {
			win = bessI0(beta*math.Sqrt(1-w*w)) / i0b
		}
		proto[k] = 2 * fc * sinc(2*fc*x) * win
	}
	// Phase ph, tap j (j = 0 oldest .. taps-1 newest input) uses
	// proto[ph + (taps-1-j)*p]; each phase is normalised to unit DC gain.
	r.coef = make([]float32, p*taps)
	for ph := 0; ph < p; ph++ {
		sum := 0.0
		for j := 0; j < taps; j++ {
			sum += proto[ph+(taps-1-j)*p]
		}
		for j := 0; j < taps; j++ {
			r.coef[ph*taps+j] = float32(proto[ph+(taps-1-j)*p] / sum)
		}
	}
	return r
}

// Reset forgets all state, as if the resampler were new.
func (r *Resampler) Reset() {
	r.nIn, r.nOut = 0, 0
	if r.identity {
		return
	}
	// taps zeros stand for the silence before the first input sample.
	r.buf = append(r.buf[:0], make([]float32, r.taps)...)
	r.bufStart = -int64(r.taps)
}

// Process resamples in, appends the output to out and returns it. State is
// kept across calls, so a stream may be fed in blocks of any size.
func (r *Resampler) Process(in []float32, out []float32) []float32 {
	if r.identity {
		r.nIn += int64(len(in))
		r.nOut += int64(len(in))
		return append(out, in...)
	}
	r.buf = append(r.buf, in...)
	r.nIn += int64(len(in))
	return r.run(out)
}

// Flush produces the output still held back, as if the input were followed
// by silence, so that the total output is ceil(inputs·outRate/inRate)
// samples. The resampler may then be Reset and reused.
func (r *Resampler) Flush(out []float32) []float32 {
	if r.identity {
		return out
	}
	want := (r.nIn*r.l + r.m - 1) / r.m
	pad := make([]float32, r.taps)
	for r.nOut < want {
		r.buf = append(r.buf, pad...)
		out = r.runLimit(out, want)
	}
	return out
}

func (r *Resampler) run(out []float32) []float32 { return r.runLimit(out, math.MaxInt64) }

func (r *Resampler) runLimit(out []float32, limit int64) []float32 {
	end := r.bufStart + int64(len(r.buf)) // one past the newest input index
	taps := int64(r.taps)
	for r.nOut < limit {
		t := r.nOut*r.m + r.d
		newest := t / r.l
		if newest >= end {
			break
		}
		ph := t - newest*r.l
		if r.phases != int(r.l) {
			ph = (ph*int64(r.phases) + r.l/2) / r.l
			if ph == int64(r.phases) {
				ph = 0
				newest++
				if newest >= end {
					break
				}
			}
		}
		lo := newest - taps + 1 - r.bufStart
		x := r.buf[lo : lo+taps]
		c := r.coef[ph*taps : ph*taps+taps]
		out = append(out, dot(c, x))
		r.nOut++
	}
	// Keep only the samples still needed by the next output.
	next := (r.nOut*r.m+r.d)/r.l - taps + 1
	if drop := next - r.bufStart; drop > 0 {
		if drop > int64(len(r.buf)) {
			drop = int64(len(r.buf))
		}
		n := copy(r.buf, r.buf[drop:])
		r.buf = r.buf[:n]
		r.bufStart += drop
	}
	return out
}

func dot(c, x []float32) float32 {
	x = x[:len(c)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(c); i += 4 {
		s0 += c[i] * x[i]
		s1 += c[i+1] * x[i+1]
		s2 += c[i+2] * x[i+2]
		s3 += c[i+3] * x[i+3]
	}
	for ; i < len(c); i++ {
		s0 += c[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// bessI0 is the zeroth-order modified Bessel function of the first kind.
func bessI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / 2) / float64(k)
		sum += term * term
		if term*term < sum*1e-16 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
