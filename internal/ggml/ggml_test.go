package ggml_test

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

var (
	microOnce  sync.Once
	microBytes []byte
)

func micro(t testing.TB) []byte {
	t.Helper()
	microOnce.Do(func() {
		var b bytes.Buffer
		if err := ggml.WriteSynthetic(&b, ggmltest.Micro); err != nil {
			t.Fatal(err)
		}
		microBytes = b.Bytes()
	})
	if microBytes == nil {
		t.Fatal("micro model not generated")
	}
	return microBytes
}

func TestSyntheticMicroValidates(t *testing.T) {
	b := micro(t)
	if len(b) < 6<<20 || len(b) > 10<<20 {
		t.Errorf("micro model is %d bytes, want about 8 MB", len(b))
	}
	h, err := ggml.Validate(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if h.NAudioState != 64 || h.NVocab != 51864 || h.VocabTokens != 50256 || h.Multilingual() || h.FileBytes != int64(len(b)) {
		t.Errorf("header = %+v", h)
	}
	if want := 7 + 4 + 15 + 24; h.Tensors != want {
		t.Errorf("tensors = %d, want %d (= 7+4+15*1+24*1 as whisper.cpp creates)", h.Tensors, want)
	}
	if h.WeightType() != "f16" {
		t.Errorf("weight type %q", h.WeightType())
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	var b bytes.Buffer
	if err := ggml.WriteSynthetic(&b, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	if sha1.Sum(b.Bytes()) != sha1.Sum(micro(t)) {
		t.Error("two writes of the same spec differ")
	}
	other := ggmltest.Micro
	other.Seed = 2
	var c bytes.Buffer
	if err := ggml.WriteSynthetic(&c, other); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Error("a different seed gave the same bytes")
	}
}

func put32(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(c[off:], v)
	return c
}

func TestValidateRejects(t *testing.T) {
	good := micro(t)
	// offset of the vocabulary count
	vocabOff := 48 + 8 + 80*201*4
	tests := []struct {
		name      string
		data      []byte
		truncated bool
		want      string
	}{
		{"empty", nil, false, "not a whisper.cpp model"},
		{"text", []byte("hello, this is not a model at all"), false, "not a whisper.cpp model"},
		{"gguf", append([]byte("GGUF"), good[4:100]...), false, "GGUF"},
		{"header only", good[:30], true, "model file is truncated"},
		{"in mel filters", good[:1000], true, "model file is truncated"},
		{"in vocabulary", good[:vocabOff+5000], true, "model file is truncated"},
		{"in first tensor", good[:len(good)/2], true, "model file is truncated"},
		{"last byte missing", good[:len(good)-1], true, "model file is truncated"},
		{"bad vocab size", put32(good, 4, 1234), false, "vocabulary size 1234"},
		{"unequal widths", put32(good, 4+4*7, 128), false, "width"},
		{"bad ftype", put32(good, 4+4*10, 5), false, "weight type 5"},
		{"bad mel count", put32(good, 48, 81), false, "mel filters"},
		{"vocab too long", put32(good, vocabOff, 60000), false, "vocabulary entries"},
		{"stray bytes", append(append([]byte(nil), good...), 1, 2, 3), false, "stray bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ggml.Validate(bytes.NewReader(tt.data), int64(len(tt.data)))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, rehearse.ErrBadModel) {
				t.Errorf("%v does not wrap ErrBadModel", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
			if tt.truncated != strings.HasPrefix(err.Error(), "model file is truncated: ") {
				t.Errorf("truncated=%v but error is %q", tt.truncated, err)
			}
		})
	}
}

func TestValidateNoSpaceToken(t *testing.T) {
	good := micro(t)
	// Replace the " " token (id 220, length 1) with "!" in place.
	off := 48 + 8 + 80*201*4 + 4
	for i := 0; i < 220; i++ {
		off += 4 + int(binary.LittleEndian.Uint32(good[off:]))
	}
	if binary.LittleEndian.Uint32(good[off:]) != 1 || good[off+4] != ' ' {
		t.Fatalf("token 220 not where expected")
	}
	bad := append([]byte(nil), good...)
	bad[off+4] = '!'
	_, err := ggml.Validate(bytes.NewReader(bad), int64(len(bad)))
	if !errors.Is(err, rehearse.ErrBadModel) || !strings.Contains(err.Error(), `no " " token`) {
		t.Errorf("err = %v", err)
	}
}

func TestValidateTensorDamage(t *testing.T) {
	good := micro(t)
	h, err := ggml.Validate(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	// Find the first tensor header: after the vocabulary.
	off := 48 + 8 + 80*201*4 + 4
	for i := 0; i < h.VocabTokens; i++ {
		off += 4 + int(binary.LittleEndian.Uint32(good[off:]))
	}
	tests := []struct {
		name  string
		patch func([]byte)
		want  string
	}{
		{"dims", func(b []byte) { binary.LittleEndian.PutUint32(b[off:], 9) }, "dimensions"},
		{"name length", func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], 100000) }, "name of"},
		{"type", func(b []byte) { binary.LittleEndian.PutUint32(b[off+8:], 77) }, "unknown type"},
		{"wrong type", func(b []byte) { binary.LittleEndian.PutUint32(b[off+8:], 1) }, "stored as f16"},
		{"shape", func(b []byte) { binary.LittleEndian.PutUint32(b[off+12:], 65) }, "shape"},
		{"name", func(b []byte) { b[off+20] = 'X' }, "unknown tensor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte(nil), good...)
			tt.patch(b)
			_, err := ggml.Validate(bytes.NewReader(b), int64(len(b)))
			if !errors.Is(err, rehearse.ErrBadModel) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestValidateFile(t *testing.T) {
	path := t.TempDir() + "/m.bin"
	if err := ggml.WriteSyntheticFile(path, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	if _, err := ggml.ValidateFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := ggml.ValidateFile(path + ".missing"); err == nil || errors.Is(err, rehearse.ErrBadModel) {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzValidate(f *testing.F) {
	good := micro(f)
	f.Add(good[:4096])
	f.Add(good[:48])
	f.Add([]byte("GGUF\x03\x00\x00\x00"))
	f.Add([]byte{})
	// A tiny file claiming the micro header with a damaged tail.
	f.Add(append(append([]byte(nil), good[:64]...), 0xff, 0xff, 0xff, 0x7f))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ggml.Validate(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			t.Fatalf("accepted %d bytes as %+v", len(data), h)
		}
		if !errors.Is(err, rehearse.ErrBadModel) {
			t.Fatalf("error %v does not wrap ErrBadModel", err)
		}
	})
}
