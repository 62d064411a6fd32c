// Package ggml reads and writes whisper.cpp's legacy ggml model files: it
// checks a file thoroughly before the recogniser sees it (a malformed file can
// abort whisper.cpp), and it generates structurally valid models with random
// weights, which the speed self-test times (tests and benchmarks load them too).
package ggml

import (
	"fmt"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Magic is the first four bytes of a legacy ggml file ("ggml", little-endian).
const Magic = 0x67676d6c

const (
	magicGGUF = 0x46554747 // "GGUF"
	magicGGJT = 0x67676a74 // "ggjt" (llama.cpp legacy)
	magicGGMF = 0x67676d66 // "ggmf" (llama.cpp legacy)
	nFFT      = 201        // whisper's mel filter bank width (1 + 400/2)

	qntVersionFactor = 1000
)

// HParams are the eleven hyper-parameters at the start of a whisper model.
type HParams struct {
	NVocab      int32 `json:"n_vocab"`
	NAudioCtx   int32 `json:"n_audio_ctx"`
	NAudioState int32 `json:"n_audio_state"`
	NAudioHead  int32 `json:"n_audio_head"`
	NAudioLayer int32 `json:"n_audio_layer"`
	NTextCtx    int32 `json:"n_text_ctx"`
	NTextState  int32 `json:"n_text_state"`
	NTextHead   int32 `json:"n_text_head"`
	NTextLayer  int32 `json:"n_text_layer"`
	NMels       int32 `json:"n_mels"`
	FType       int32 `json:"ftype"`
}

// Multilingual reports whether the vocabulary has language tokens.
func (h HParams) Multilingual() bool { return h.NVocab >= 51865 }

// WeightType names the storage type of the large matrices ("f16", "q5_1" ...).
func (h HParams) WeightType() string {
	if t, ok := ftypeToType(h.FType % qntVersionFactor); ok {
		return types[t].name
	}
	return fmt.Sprintf("ftype %d", h.FType)
}

// Header is what Validate learned about a model file.
type Header struct {
	HParams
	VocabTokens int   `json:"vocab_tokens"` // text tokens stored in the file
	Tensors     int   `json:"tensors"`
	WeightBytes int64 `json:"weight_bytes"`
	FileBytes   int64 `json:"file_bytes"`
}

// FormatError explains why a file is not a usable whisper.cpp model. It
// wraps rehearse.ErrBadModel.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

// Unwrap makes errors.Is(err, rehearse.ErrBadModel) true.
func (e *FormatError) Unwrap() error { return rehearse.ErrBadModel }

func badf(format string, a ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, a...)}
}

func truncatedf(format string, a ...any) error {
	return &FormatError{Msg: "model file is truncated: " + fmt.Sprintf(format, a...)}
}

// ggml tensor types Rehearse understands: size in bytes of one block and
// elements per block.
type typeInfo struct {
	name  string
	size  int64
	block int64
}

var types = map[int32]typeInfo{
	0:  {"f32", 4, 1},
	1:  {"f16", 2, 1},
	2:  {"q4_0", 18, 32},
	3:  {"q4_1", 20, 32},
	6:  {"q5_0", 22, 32},
	7:  {"q5_1", 24, 32},
	8:  {"q8_0", 34, 32},
	10: {"q2_k", 84, 256},
	11: {"q3_k", 110, 256},
	12: {"q4_k", 144, 256},
	13: {"q5_k", 176, 256},
	14: {"q6_k", 210, 256},
	30: {"bf16", 2, 1},
}

const (
	typeF32 int32 = 0
	typeF16 int32 = 1
)

// ftypeToType maps a file type (hparams.ftype) to the tensor type of the
// large matrices, as ggml_ftype_to_ggml_type does, for the types above.
func ftypeToType(ftype int32) (int32, bool) {
	switch ftype {
	case 0:
		return 0, true
	case 1:
		return 1, true
	case 2:
		return 2, true
	case 3:
		return 3, true
	case 7:
		return 8, true
	case 8:
		return 6, true
	case 9:
		return 7, true
	case 10, 11, 12, 13, 14:
		return ftype, true
	case 24:
		return 30, true
	}
	return 0, false
}

// tensorSpec is one weight whisper_model_load expects.
type tensorSpec struct {
	name string
	ne   []int64 // ggml order: ne[0] is the fastest-varying dimension
	typ  int32
}

func (t tensorSpec) elements() int64 {
	n := int64(1)
	for _, d := range t.ne {
		n *= d
	}
	return n
}

func (t tensorSpec) bytes() int64 {
	ti := types[t.typ]
	return t.elements() / ti.block * ti.size
}

// tensorSpecs lists every tensor of a model with these hparams, with the
// names, shapes and types whisper.cpp v1.8.4 creates in whisper_model_load.
func tensorSpecs(h HParams) []tensorSpec {
	wtype, _ := ftypeToType(h.FType % qntVersionFactor)
	vtype := typeF16 // convolution weights
	if wtype == typeF32 {
		vtype = typeF32
	}
	as, ac, tsx, tc := int64(h.NAudioState), int64(h.NAudioCtx), int64(h.NTextState), int64(h.NTextCtx)
	mels, vocab := int64(h.NMels), int64(h.NVocab)
	var s []tensorSpec
	add := func(name string, typ int32, ne ...int64) {
		s = append(s, tensorSpec{name: name, ne: ne, typ: typ})
	}
	add("encoder.positional_embedding", typeF32, as, ac)
	add("encoder.conv1.weight", vtype, 3, mels, as)
	add("encoder.conv1.bias", typeF32, 1, as)
	add("encoder.conv2.weight", vtype, 3, as, as)
	add("encoder.conv2.bias", typeF32, 1, as)
	add("encoder.ln_post.weight", typeF32, as)
	add("encoder.ln_post.bias", typeF32, as)
	// block adds the self-attention and MLP tensors that encoder and decoder
	// layers share, for a layer of width w.
	block := func(p string, w int64) {
		add(p+"mlp_ln.weight", typeF32, w)
		add(p+"mlp_ln.bias", typeF32, w)
		add(p+"mlp.0.weight", wtype, w, 4*w)
		add(p+"mlp.0.bias", typeF32, 4*w)
		add(p+"mlp.2.weight", wtype, 4*w, w)
		add(p+"mlp.2.bias", typeF32, w)
		add(p+"attn_ln.weight", typeF32, w)
		add(p+"attn_ln.bias", typeF32, w)
		add(p+"attn.query.weight", wtype, w, w)
		add(p+"attn.query.bias", typeF32, w)
		add(p+"attn.key.weight", wtype, w, w)
		add(p+"attn.value.weight", wtype, w, w)
		add(p+"attn.value.bias", typeF32, w)
		add(p+"attn.out.weight", wtype, w, w)
		add(p+"attn.out.bias", typeF32, w)
	}
	for i := 0; i < int(h.NAudioLayer); i++ {
		block(fmt.Sprintf("encoder.blocks.%d.", i), as)
	}
	add("decoder.positional_embedding", typeF32, tsx, tc)
	add("decoder.token_embedding.weight", wtype, tsx, vocab)
	add("decoder.ln.weight", typeF32, tsx)
	add("decoder.ln.bias", typeF32, tsx)
	for i := 0; i < int(h.NTextLayer); i++ {
		p := fmt.Sprintf("decoder.blocks.%d.", i)
		block(p, tsx)
		add(p+"cross_attn_ln.weight", typeF32, tsx)
		add(p+"cross_attn_ln.bias", typeF32, tsx)
		add(p+"cross_attn.query.weight", wtype, tsx, tsx)
		add(p+"cross_attn.query.bias", typeF32, tsx)
		add(p+"cross_attn.key.weight", wtype, tsx, tsx)
		add(p+"cross_attn.value.weight", wtype, tsx, tsx)
		add(p+"cross_attn.value.bias", typeF32, tsx)
		add(p+"cross_attn.out.weight", wtype, tsx, tsx)
		add(p+"cross_attn.out.bias", typeF32, tsx)
	}
	return s
}
