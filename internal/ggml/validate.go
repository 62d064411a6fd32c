package ggml

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Limits beyond which a header is not believed: they keep a hostile or
// damaged file from making whisper.cpp allocate without bound.
const (
	maxState    = 8192
	maxLayers   = 128
	maxTextCtx  = 4096
	maxTokenLen = 1024
	maxNameLen  = 256
)

// reader reads little-endian values at a moving offset and reports where a
// short file ended.
type reader struct {
	r    io.ReaderAt
	size int64
	off  int64
	buf  [8]byte
}

func (r *reader) need(n int64, what string) error {
	if n < 0 || r.off+n > r.size || r.off+n < r.off {
		return truncatedf("%s needs %d bytes at offset %d but the file ends at %d", what, n, r.off, r.size)
	}
	return nil
}

func (r *reader) bytes(n int64, what string) ([]byte, error) {
	if err := r.need(n, what); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := r.r.ReadAt(b, r.off); err != nil && !(errors.Is(err, io.EOF) && len(b) == int(n)) {
		return nil, fmt.Errorf("read %s at offset %d: %w", what, r.off, err)
	}
	r.off += n
	return b, nil
}

func (r *reader) i32(what string) (int32, error) {
	if err := r.need(4, what); err != nil {
		return 0, err
	}
	n, err := r.r.ReadAt(r.buf[:4], r.off)
	if n < 4 {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return 0, fmt.Errorf("read %s at offset %d: %w", what, r.off, err)
	}
	r.off += 4
	return int32(binary.LittleEndian.Uint32(r.buf[:4])), nil
}

// ValidateFile opens path and checks it with Validate.
func ValidateFile(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("open model %q: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Header{}, fmt.Errorf("open model %q: %w", path, err)
	}
	h, err := Validate(f, st.Size())
	if err != nil {
		return h, fmt.Errorf("check model %q: %w", path, err)
	}
	return h, nil
}

func readHParams(rd *reader) (HParams, error) {
	var h HParams
	if rd.size < 4 {
		return h, badf("not a whisper.cpp model: the file is only %d bytes long", rd.size)
	}
	magic, err := rd.i32("magic")
	if err != nil {
		return h, err
	}
	switch uint32(magic) {
	case Magic:
	case magicGGUF:
		return h, badf("not a whisper.cpp model: this is a GGUF file; whisper.cpp needs a legacy ggml .bin model (ggml-<name>.bin)")
	case magicGGJT, magicGGMF:
		return h, badf("not a whisper.cpp model: this is an old llama.cpp model file")
	default:
		return h, badf("not a whisper.cpp model: unknown file signature %#08x", uint32(magic))
	}
	fields := []*int32{&h.NVocab, &h.NAudioCtx, &h.NAudioState, &h.NAudioHead, &h.NAudioLayer,
		&h.NTextCtx, &h.NTextState, &h.NTextHead, &h.NTextLayer, &h.NMels, &h.FType}
	for _, p := range fields {
		if *p, err = rd.i32("hyper-parameters"); err != nil {
			return h, err
		}
	}
	return h, checkHParams(h)
}

func checkHParams(h HParams) error {
	switch h.NVocab {
	case 51864, 51865, 51866:
	default:
		return badf("not a whisper.cpp model: vocabulary size %d (want 51864, 51865 or 51866)", h.NVocab)
	}
	if h.NAudioCtx != 1500 {
		return badf("unsupported model: audio context %d (want 1500)", h.NAudioCtx)
	}
	if h.NMels != 80 && h.NMels != 128 {
		return badf("unsupported model: %d mel bands (want 80 or 128)", h.NMels)
	}
	if h.NTextCtx < 1 || h.NTextCtx > maxTextCtx {
		return badf("unsupported model: text context %d", h.NTextCtx)
	}
	if h.NAudioState < 1 || h.NAudioState > maxState || h.NTextState != h.NAudioState {
		return badf("unsupported model: encoder width %d and decoder width %d (must be equal, 1..%d)", h.NAudioState, h.NTextState, maxState)
	}
	if h.NAudioHead < 1 || h.NAudioState%h.NAudioHead != 0 || h.NTextHead < 1 || h.NTextState%h.NTextHead != 0 {
		return badf("unsupported model: %d/%d attention heads do not divide width %d", h.NAudioHead, h.NTextHead, h.NAudioState)
	}
	if h.NAudioLayer < 1 || h.NAudioLayer > maxLayers || h.NTextLayer < 1 || h.NTextLayer > maxLayers {
		return badf("unsupported model: %d encoder and %d decoder layers", h.NAudioLayer, h.NTextLayer)
	}
	if h.FType < 0 {
		return badf("unsupported model: weight type %d", h.FType)
	}
	wtype, ok := ftypeToType(h.FType % qntVersionFactor)
	if !ok {
		return badf("unsupported model: weight type %d", h.FType)
	}
	if b := types[wtype].block; int64(h.NAudioState)%b != 0 {
		return badf("unsupported model: width %d is not a multiple of the %s block size %d", h.NAudioState, types[wtype].name, b)
	}
	return nil
}

// Validate checks that r holds a whisper.cpp legacy ggml model that
// whisper_model_load (v1.8.4) will accept: signature, hyper-parameters, mel
// filters, vocabulary (including the " " token whisper.cpp looks up), and
// every tensor with its exact name, shape and type, each fitting in the file.
// Errors wrap rehearse.ErrBadModel; a short file gives "model file is
// truncated: ...".
func Validate(r io.ReaderAt, size int64) (Header, error) {
	rd := &reader{r: r, size: size}
	var hd Header
	hd.FileBytes = size
	h, err := readHParams(rd)
	if err != nil {
		return hd, err
	}
	hd.HParams = h

	// Mel filters.
	nMel, err := rd.i32("mel filter count")
	if err != nil {
		return hd, err
	}
	nfft, err := rd.i32("mel filter width")
	if err != nil {
		return hd, err
	}
	if nMel != h.NMels || nfft != nFFT {
		return hd, badf("not a whisper.cpp model: mel filters are %d×%d (want %d×%d)", nMel, nfft, h.NMels, nFFT)
	}
	filterBytes := int64(nMel) * int64(nfft) * 4
	if err := rd.need(filterBytes, "mel filters"); err != nil {
		return hd, err
	}
	rd.off += filterBytes

	// Vocabulary.
	nTok, err := rd.i32("vocabulary size")
	if err != nil {
		return hd, err
	}
	if nTok < 221 || nTok > h.NVocab {
		return hd, badf("not a whisper.cpp model: %d vocabulary entries for a vocabulary of %d", nTok, h.NVocab)
	}
	hasSpace := false
	for i := int32(0); i < nTok; i++ {
		l, err := rd.i32("vocabulary")
		if err != nil {
			return hd, err
		}
		if l < 0 || l > maxTokenLen {
			return hd, badf("not a whisper.cpp model: token %d has length %d", i, l)
		}
		if l == 1 {
			b, err := rd.bytes(1, "vocabulary")
			if err != nil {
				return hd, err
			}
			if b[0] == ' ' {
				hasSpace = true
			}
			continue
		}
		if err := rd.need(int64(l), "vocabulary"); err != nil {
			return hd, err
		}
		rd.off += int64(l)
	}
	if !hasSpace {
		return hd, badf("not a whisper.cpp model: the vocabulary has no \" \" token")
	}
	hd.VocabTokens = int(nTok)

	// Tensors.
	want := map[string]tensorSpec{}
	for _, t := range tensorSpecs(h) {
		want[t.name] = t
	}
	seen := map[string]bool{}
	for rd.off < rd.size {
		nDims, err := rd.i32("tensor header")
		if err != nil {
			return hd, err
		}
		nameLen, err := rd.i32("tensor header")
		if err != nil {
			return hd, err
		}
		ttype, err := rd.i32("tensor header")
		if err != nil {
			return hd, err
		}
		if nDims < 1 || nDims > 4 {
			return hd, badf("not a whisper.cpp model: tensor %d has %d dimensions", len(seen), nDims)
		}
		if nameLen < 1 || nameLen > maxNameLen {
			return hd, badf("not a whisper.cpp model: tensor %d has a name of %d bytes", len(seen), nameLen)
		}
		ne := [4]int64{1, 1, 1, 1}
		n := int64(1)
		for i := 0; i < int(nDims); i++ {
			d, err := rd.i32("tensor shape")
			if err != nil {
				return hd, err
			}
			if d < 1 {
				return hd, badf("not a whisper.cpp model: tensor %d has dimension %d", len(seen), d)
			}
			ne[i] = int64(d)
			n *= int64(d)
			if n > 1<<31-1 {
				return hd, badf("not a whisper.cpp model: tensor %d is too large", len(seen))
			}
		}
		nb, err := rd.bytes(int64(nameLen), "tensor name")
		if err != nil {
			return hd, err
		}
		name := string(nb)
		spec, ok := want[name]
		if !ok {
			return hd, badf("not a whisper.cpp model: unknown tensor %q", name)
		}
		if seen[name] {
			return hd, badf("not a whisper.cpp model: tensor %q appears twice", name)
		}
		exp := [4]int64{1, 1, 1, 1}
		copy(exp[:], spec.ne)
		if ne != exp {
			return hd, badf("not a whisper.cpp model: tensor %q has shape %v, want %v", name, ne[:nDims], spec.ne)
		}
		ti, ok := types[ttype]
		if !ok {
			return hd, badf("not a whisper.cpp model: tensor %q has unknown type %d", name, ttype)
		}
		dataBytes := spec.bytes()
		if n*ti.size/types[spec.typ].block != dataBytes {
			return hd, badf("not a whisper.cpp model: tensor %q is stored as %s, want %s", name, ti.name, types[spec.typ].name)
		}
		if err := rd.need(dataBytes, fmt.Sprintf("tensor %q", name)); err != nil {
			return hd, err
		}
		rd.off += dataBytes
		hd.WeightBytes += dataBytes
		seen[name] = true
		if rd.size-rd.off > 0 && rd.size-rd.off < 12 {
			return hd, badf("not a whisper.cpp model: %d stray bytes at the end", rd.size-rd.off)
		}
	}
	hd.Tensors = len(seen)
	if len(seen) != len(want) {
		for _, t := range tensorSpecs(h) {
			if !seen[t.name] {
				return hd, truncatedf("%d of %d tensors present; %q is missing", len(seen), len(want), t.name)
			}
		}
	}
	return hd, nil
}
