// Package ggmltest provides whisper.cpp model shapes for tests: models small
// enough to write and load in a fraction of a second, with the real file
// structure and random weights (write them with ggml.WriteSynthetic or
// ggml.WriteSyntheticFile).
//
// It is imported only by tests.
package ggmltest

import "github.com/rehearse-app/rehearse/internal/ggml"

// Micro is the smallest model whisper.cpp loads and runs: 64 wide, one
// encoder and one decoder layer, f16 matrices (about 8 MB). An English-only
// vocabulary, so "en" is its only language.
var Micro = ggml.Spec{HParams: ggml.HParams{
	NVocab: 51864, NAudioCtx: 1500, NAudioState: 64, NAudioHead: 2, NAudioLayer: 1,
	NTextCtx: 448, NTextState: 64, NTextHead: 2, NTextLayer: 1, NMels: 80, FType: 1,
}, Seed: 1}
