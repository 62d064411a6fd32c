package ggml

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Spec describes a synthetic model: real whisper.cpp structure, random
// weights drawn from a generator seeded with Seed (the same Spec always
// gives the same bytes).
type Spec struct {
	HParams
	Seed uint64
}

// TinyEn has the dimensions of whisper's tiny.en (384 wide, 4+4 layers, 6
// heads, f16 matrices, about 78 MB), so it costs what the real model costs.
var TinyEn = Spec{HParams: HParams{
	NVocab: 51864, NAudioCtx: 1500, NAudioState: 384, NAudioHead: 6, NAudioLayer: 4,
	NTextCtx: 448, NTextState: 384, NTextHead: 6, NTextLayer: 4, NMels: 80, FType: 1,
}, Seed: 1}

// BaseEn has the dimensions of whisper's base.en (512 wide, 6+6 layers, 8
// heads, f16 matrices, about 148 MB).
var BaseEn = Spec{HParams: HParams{
	NVocab: 51864, NAudioCtx: 1500, NAudioState: 512, NAudioHead: 8, NAudioLayer: 6,
	NTextCtx: 448, NTextState: 512, NTextHead: 8, NTextLayer: 6, NMels: 80, FType: 1,
}, Seed: 1}

// SmallEn has the dimensions of whisper's small.en (768 wide, 12+12 layers,
// 12 heads, f16 matrices, about 488 MB).
var SmallEn = Spec{HParams: HParams{
	NVocab: 51864, NAudioCtx: 1500, NAudioState: 768, NAudioHead: 12, NAudioLayer: 12,
	NTextCtx: 448, NTextState: 768, NTextHead: 12, NTextLayer: 12, NMels: 80, FType: 1,
}, Seed: 1}

// WithLayers is s with n encoder and n decoder layers: the same width and
// vocabulary, so each layer costs what one layer of s costs.
func (s Spec) WithLayers(n int32) Spec {
	s.NAudioLayer, s.NTextLayer = n, n
	return s
}

// size is the exact number of bytes WriteSynthetic writes for s.
func (s Spec) size() int64 {
	n := int64(4 + 11*4)
	n += 8 + int64(s.NMels)*nFFT*4
	n += 4
	for _, t := range vocabulary(s.HParams) {
		n += 4 + int64(len(t))
	}
	for _, t := range tensorSpecs(s.HParams) {
		n += 12 + 4*int64(len(t.ne)) + int64(len(t.name)) + t.bytes()
	}
	return n
}

// textTokens is the number of text tokens a model's file stores; whisper.cpp
// adds the special and timestamp tokens after them.
func textTokens(h HParams) int {
	if h.Multilingual() {
		return 50257
	}
	return 50256
}

// commonWords gives synthetic models a few real words, so that the default
// prompt ("Um, uh, so, like, hmm.") tokenizes.
var commonWords = []string{" Um", " um", " uh", " so", " like", " hmm", " the", " I", " and", " a",
	" to", " we", " my", " team", " project", " result", " Um,", " so,", " like,"}

// vocabulary returns the synthetic text tokens: printable ASCII at ids
// 0..93 (as in GPT-2's byte-level vocabulary), " " at id 220, a few common
// words, then distinct pronounceable pseudo-words.
func vocabulary(h HParams) []string {
	n := textTokens(h)
	v := make([]string, n)
	for i := 0; i < 94; i++ {
		v[i] = string(rune('!' + i))
	}
	cons := "bdfgklmnprstvz"
	vow := "aeiou"
	next := 0
	word := func() string {
		k := next
		next++
		b := []byte{' '}
		for {
			b = append(b, cons[k%len(cons)], vow[(k/len(cons))%len(vow)])
			k /= len(cons) * len(vow)
			if k == 0 {
				break
			}
			k--
		}
		return string(b)
	}
	w := 0
	for i := 94; i < n; i++ {
		switch {
		case i == 220:
			v[i] = " "
		case w < len(commonWords):
			v[i] = commonWords[w]
			w++
		default:
			v[i] = word()
		}
	}
	return v
}

// rng is a small deterministic generator (SplitMix64).
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// uniform returns a value in [-a, a).
func (r *rng) uniform(a float32) float32 {
	return (float32(r.next()>>40)/float32(1<<24)*2 - 1) * a
}

// f16 converts a float32 in the normal half-precision range to IEEE half
// bits (round toward zero; tiny values flush to zero).
func f16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32((b>>23)&0xff) - 127 + 15
	mant := b & 0x7fffff
	if exp <= 0 {
		return sign
	}
	if exp >= 31 {
		return sign | 0x7bff
	}
	return sign | uint16(exp)<<10 | uint16(mant>>13)
}

// WriteSynthetic writes a complete whisper.cpp model for s to w.
func WriteSynthetic(w io.Writer, s Spec) error {
	if err := checkHParams(s.HParams); err != nil {
		return fmt.Errorf("synthetic model: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var scratch [4]byte
	i32 := func(v int32) {
		binary.LittleEndian.PutUint32(scratch[:], uint32(v))
		bw.Write(scratch[:])
	}
	i32(Magic)
	h := s.HParams
	for _, v := range []int32{h.NVocab, h.NAudioCtx, h.NAudioState, h.NAudioHead, h.NAudioLayer,
		h.NTextCtx, h.NTextState, h.NTextHead, h.NTextLayer, h.NMels, h.FType} {
		i32(v)
	}
	r := &rng{s: s.Seed}
	// Mel filters: non-negative weights, as a real filter bank has.
	i32(h.NMels)
	i32(nFFT)
	for i := 0; i < int(h.NMels)*nFFT; i++ {
		binary.LittleEndian.PutUint32(scratch[:], math.Float32bits((r.uniform(1)+1)/100))
		bw.Write(scratch[:])
	}
	voc := vocabulary(h)
	i32(int32(len(voc)))
	for _, t := range voc {
		i32(int32(len(t)))
		bw.WriteString(t)
	}
	for _, t := range tensorSpecs(h) {
		i32(int32(len(t.ne)))
		i32(int32(len(t.name)))
		i32(t.typ)
		for _, d := range t.ne {
			i32(int32(d))
		}
		bw.WriteString(t.name)
		writeWeights(bw, r, t)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write synthetic model: %w", err)
	}
	return nil
}

// writeWeights writes random values: layer-norm gains of 1, zero-mean small
// biases and matrices scaled by 1/sqrt(fan-in) so activations stay finite.
func writeWeights(w *bufio.Writer, r *rng, t tensorSpec) {
	n := t.elements()
	var scale float32 = 0.02
	switch {
	case len(t.name) > 7 && t.name[len(t.name)-7:] == ".weight" && len(t.ne) == 1:
		// layer-norm gain
		for i := int64(0); i < n; i++ {
			writeValue(w, t.typ, 1+r.uniform(0.05))
		}
		return
	case len(t.ne) >= 2 && t.name != "encoder.positional_embedding" && t.name != "decoder.positional_embedding":
		fanIn := t.ne[0]
		if len(t.ne) == 3 {
			fanIn = t.ne[0] * t.ne[1]
		}
		scale = float32(1 / math.Sqrt(float64(fanIn)))
		if t.ne[0] == 1 { // conv bias
			scale = 0.02
		}
	}
	if t.typ != typeF32 && t.typ != typeF16 {
		// Quantised blocks: zero bytes are valid blocks (scale 0).
		w.Write(make([]byte, t.bytes()))
		return
	}
	buf := make([]byte, 0, 64<<10)
	for i := int64(0); i < n; i++ {
		v := r.uniform(scale)
		if t.typ == typeF16 {
			buf = binary.LittleEndian.AppendUint16(buf, f16(v))
		} else {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		if len(buf) >= 60<<10 {
			w.Write(buf)
			buf = buf[:0]
		}
	}
	w.Write(buf)
}

func writeValue(w *bufio.Writer, typ int32, v float32) {
	var b [4]byte
	if typ == typeF16 {
		binary.LittleEndian.PutUint16(b[:2], f16(v))
		w.Write(b[:2])
		return
	}
	binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
	w.Write(b[:])
}

// WriteSyntheticFile writes the model for s to path (atomically: a
// temporary file renamed into place).
func WriteSyntheticFile(path string, s Spec) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".synthetic-*")
	if err != nil {
		return fmt.Errorf("write synthetic model %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := WriteSynthetic(tmp, s); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write synthetic model %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write synthetic model %q: %w", path, err)
	}
	return nil
}
