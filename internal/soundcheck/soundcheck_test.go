package soundcheck

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"So, um, last spring", "so um last spring"},
		{"A follow-up; DON\u2019T stop!", "a follow up don't stop"},
		{"  ", ""},
		{"'quoted' \u2014 dash 3.5", "quoted dash 35"},
		{"and/or", "and or"},
	} {
		got := strings.Join(Normalize(tc.in), " ")
		if got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWER(t *testing.T) {
	for _, tc := range []struct {
		name, ref, hyp string
		s, d, i        int
		rate           float64
		align          string // kinds, one letter each: m s d i
	}{
		{"identical", "the cat sat", "the cat sat", 0, 0, 0, 0, "mmm"},
		{"case and punctuation ignored", "The cat, sat.", "the CAT sat", 0, 0, 0, 0, "mmm"},
		{"one substitution", "the cat sat", "the hat sat", 1, 0, 0, 1.0 / 3, "msm"},
		{"one deletion", "so um last spring", "so last spring", 0, 1, 0, 0.25, "mdmm"},
		{"one insertion", "the cat sat", "the cat sat down", 0, 0, 1, 1.0 / 3, "mmmi"},
		{"hyphen split both sides", "a follow-up", "a follow up", 0, 0, 0, 0, "mmm"},
		{"all different", "a b", "c d", 2, 0, 0, 1, "ss"},
		{"more errors than words", "a", "b c d", 1, 0, 2, 3, "sii"},
		{"empty reference and hypothesis", "", "", 0, 0, 0, 0, ""},
		{"empty reference", "", "hello there", 0, 0, 2, 1, "ii"},
		{"empty hypothesis", "hello there", "", 0, 2, 0, 1, "dd"},
		{"split word", "our checklist and", "our check list and", 1, 0, 1, 2.0 / 3, "msim"},
		{"classic", "kitten sitting on the mat", "sitting on a mat mat", 1, 1, 1, 0.6, "dmmsmi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := WER(Normalize(tc.ref), Normalize(tc.hyp))
			if r.Substitutions != tc.s || r.Deletions != tc.d || r.Insertions != tc.i {
				t.Errorf("S/D/I = %d/%d/%d, want %d/%d/%d", r.Substitutions, r.Deletions, r.Insertions, tc.s, tc.d, tc.i)
			}
			if math.Abs(r.Rate-tc.rate) > 1e-9 {
				t.Errorf("rate = %v, want %v", r.Rate, tc.rate)
			}
			var kinds strings.Builder
			var refs, hyps []string
			for _, op := range r.Alignment {
				kinds.WriteByte("msdi"[op.Kind])
				if op.Kind != Insertion {
					refs = append(refs, op.Ref)
				}
				if op.Kind != Deletion {
					hyps = append(hyps, op.Hyp)
				}
			}
			if tc.align != "" && kinds.String() != tc.align {
				t.Errorf("alignment %q, want %q", kinds.String(), tc.align)
			}
			// The alignment must spell out both word sequences in order.
			if !reflect.DeepEqual(refs, Normalize(tc.ref)) && len(refs)+len(Normalize(tc.ref)) > 0 {
				t.Errorf("alignment reference words %q, want %q", refs, Normalize(tc.ref))
			}
			if !reflect.DeepEqual(hyps, Normalize(tc.hyp)) && len(hyps)+len(Normalize(tc.hyp)) > 0 {
				t.Errorf("alignment heard words %q, want %q", hyps, Normalize(tc.hyp))
			}
			if r.Errors() != tc.s+tc.d+tc.i {
				t.Errorf("Errors() = %d", r.Errors())
			}
		})
	}
}

const rate = 16000

// tone is a sine at amp (0..1) for sec seconds.
func tone(amp, sec float64) []float32 {
	s := make([]float32, int(sec*rate))
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	return s
}

// noise is deterministic pseudo-random noise at roughly rms.
func noise(rms, sec float64) []float32 {
	s := make([]float32, int(sec*rate))
	x := uint32(1)
	for i := range s {
		x = x*1664525 + 1013904223
		s[i] = float32(rms * math.Sqrt(3) * (2*float64(x)/math.MaxUint32 - 1))
	}
	return s
}

func concat(parts ...[]float32) []float32 {
	var out []float32
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func mix(a, b []float32) []float32 {
	out := append([]float32(nil), a...)
	for i := range out {
		if i < len(b) {
			out[i] += b[i]
		}
	}
	return out
}

func TestMeasureLevel(t *testing.T) {
	// 1 s of silence then 1 s of a sine at half scale: peak -6 dBFS, the
	// voice's RMS -9 dBFS (sine RMS = amp/√2), whole-file RMS 3 dB lower.
	l := MeasureLevel(concat(make([]float32, rate), tone(0.5, 1)), rate)
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.2 {
			t.Errorf("%s = %.2f, want %.2f", name, got, want)
		}
	}
	near("peak", l.PeakDBFS, -6.02)
	near("speech", l.SpeechDBFS, -9.03)
	near("rms", l.RMSDBFS, -12.04)
	if l.NoiseDBFS != Silence || l.Clipped != 0 || l.Seconds != 2 {
		t.Errorf("noise %v clipped %d seconds %v, want silence, 0, 2", l.NoiseDBFS, l.Clipped, l.Seconds)
	}
	if e := MeasureLevel(nil, rate); e.PeakDBFS != Silence || e.RMSDBFS != Silence {
		t.Errorf("empty recording: %+v", e)
	}
	loud := MeasureLevel(tone(1.3, 1), rate)
	if !loud.Clipping(rate) || loud.Clipped == 0 {
		t.Errorf("over-driven sine not seen as clipping: %+v", loud)
	}
}

func has(advice []string, part string) bool {
	for _, a := range advice {
		if strings.Contains(a, part) {
			return true
		}
	}
	return false
}

func TestCheckAdvice(t *testing.T) {
	good := concat(noise(0.001, 0.5), mix(tone(0.3, 3), noise(0.001, 3)), noise(0.001, 0.5))
	for _, tc := range []struct {
		name       string
		heard      string
		samples    []float32
		good, kept bool
		want       []string // parts of advice that must appear
		not        []string // ... and must not
	}{
		{"all well", Sentence, good, true, true, []string{"hears you well", "keeps fillers"}, []string{"quiet", "noisy", "larger"}},
		{"filler dropped", "So last spring I rebuilt our release checklist and cut failed deploys by half.", good, false, false,
			[]string{"Fillers were dropped", "lower bound"}, []string{"larger", "hears you well"}},
		{"uh counts as the filler", "So, uh, last spring I rebuilt our release checklist and cut failed deploys by half.", good, true, true, []string{"keeps fillers"}, nil},
		{"misheard at a good level", "Sew I'm past string a rebel hour lease check list", good, false, false, []string{"larger speech model"}, []string{"quiet"}},
		{"quiet", Sentence, concat(noise(0.0001, 0.5), mix(tone(0.01, 3), noise(0.0001, 3))), false, true, []string{"move closer"}, []string{"hears you well"}},
		{"silent", "", make([]float32, 2*rate), false, false, []string{"Almost nothing was heard", "No words"}, []string{"Fillers were dropped"}},
		{"noisy room", Sentence, mix(concat(noise(0, 0.5), tone(0.3, 3), noise(0, 0.5)), noise(0.05, 4)), false, true, []string{"quieter room"}, []string{"hears you well"}},
		{"clipping", Sentence, concat(noise(0.001, 0.5), tone(1.5, 3)), false, true, []string{"overloaded"}, []string{"hears you well"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(Sentence, tc.heard, tc.samples, rate)
			if r.Good != tc.good || r.FillerKept != tc.kept {
				t.Errorf("good %v kept %v, want %v %v; advice %q", r.Good, r.FillerKept, tc.good, tc.kept, r.Advice)
			}
			for _, w := range tc.want {
				if !has(r.Advice, w) {
					t.Errorf("advice %q lacks %q", r.Advice, w)
				}
			}
			for _, w := range tc.not {
				if has(r.Advice, w) {
					t.Errorf("advice %q should not say %q", r.Advice, w)
				}
			}
		})
	}
}
