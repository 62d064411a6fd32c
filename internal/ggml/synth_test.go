package ggml

import (
	"strings"
	"testing"
)

// small is a 64-wide model with one encoder and one decoder layer (the
// shape of ggmltest.Micro, which this package's own tests cannot import).
var small = Spec{HParams: HParams{
	NVocab: 51864, NAudioCtx: 1500, NAudioState: 64, NAudioHead: 2, NAudioLayer: 1,
	NTextCtx: 448, NTextState: 64, NTextHead: 2, NTextLayer: 1, NMels: 80, FType: 1,
}, Seed: 1}

// counter counts the bytes written to it.
type counter int64

func (c *counter) Write(b []byte) (int, error) {
	*c += counter(len(b))
	return len(b), nil
}

func TestSyntheticSize(t *testing.T) {
	var n counter
	if err := WriteSynthetic(&n, small); err != nil {
		t.Fatal(err)
	}
	if int64(n) != small.size() {
		t.Errorf("wrote %d bytes, size says %d", n, small.size())
	}
	if got, want := len(tensorSpecs(small.HParams)), 7+4+15+24; got != want {
		t.Errorf("tensors = %d, want %d (= 7+4+15*1+24*1 as whisper.cpp creates)", got, want)
	}
	// tiny.en: 384 wide, 4+4 layers, f16: the real file is 77,704,715 bytes;
	// the synthetic vocabulary differs in length only.
	if n := TinyEn.size(); n < 74<<20 || n > 80<<20 {
		t.Errorf("TinyEn size = %d, want about 75 MiB", n)
	}
	if TinyEn.size() == TinyEn.WithLayers(1).size() {
		t.Error("sizes equal with 4 and with 1 layers")
	}
}

func TestVocabulary(t *testing.T) {
	v := vocabulary(small.HParams)
	if v[220] != " " {
		t.Errorf("token 220 = %q", v[220])
	}
	seen := map[string]int{}
	for i, s := range v {
		if s == "" {
			t.Fatalf("token %d empty", i)
		}
		if j, dup := seen[s]; dup && !strings.HasPrefix(s, " ") {
			t.Errorf("tokens %d and %d both %q", j, i, s)
		}
		seen[s] = i
	}
	ml := small.HParams
	ml.NVocab = 51865
	if n := len(vocabulary(ml)); n != 50257 {
		t.Errorf("multilingual text tokens = %d", n)
	}
}
