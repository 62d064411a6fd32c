package sqlcipher

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Transcripts carry a timing and a probability for every word, which makes
// their JSON large; every stored page costs an encryption and an HMAC, so
// they are kept DEFLATE-compressed. A stored value is either JSON as is
// (first byte '{') or compressedTag followed by the compressed JSON.
const compressedTag = 0x01

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

func encodeTranscript(t *rehearse.Transcript) ([]byte, error) {
	js, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	if len(js) < 256 {
		return js, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(js)/3 + 16)
	buf.WriteByte(compressedTag)
	w := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var flateReaders sync.Pool // of io.ReadCloser that are flate.Resetter

var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func decodeTranscript(b []byte, t *rehearse.Transcript) error {
	if len(b) == 0 || b[0] != compressedTag {
		return json.Unmarshal(b, t)
	}
	src := bytes.NewReader(b[1:])
	r, _ := flateReaders.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return fmt.Errorf("decompress: %w", err)
	}
	defer flateReaders.Put(r)
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer jsonBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return fmt.Errorf("decompress: %w", err)
	}
	return json.Unmarshal(buf.Bytes(), t)
}
