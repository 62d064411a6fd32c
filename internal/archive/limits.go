package archive

import (
	"fmt"
)

// Limits on single values of an import, checked before anything is decoded,
// so that one huge value is refused at the cost of reading the file rather
// than of decoding it several times over.
const (
	// MaxTextBytes bounds a text value (a transcript is a few kilobytes
	// for a ten-minute answer; its word list a few hundred).
	MaxTextBytes = 1 << 20
	// MaxRecordingBytes bounds one recording's base64 data: about 25
	// minutes of 16 kHz audio.
	MaxRecordingBytes = 64 << 20
)

// checkSizes finds the first string value longer than its limit and names
// it with its key and line. It only looks at string literals; malformed JSON
// is left for the parser to report.
func (p *parser) checkSizes() error {
	d := p.data
	var key string // the key of the value being read
	for i := 0; i < len(d); i++ {
		if d[i] != '"' {
			continue
		}
		start := i
		j := i + 1
		for j < len(d) && d[j] != '"' {
			if d[j] == '\\' {
				j++
			}
			j++
		}
		n := j - start - 1
		// A key is a string followed by a colon.
		k := j + 1
		for k < len(d) && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r' || d[k] == '\n') {
			k++
		}
		if k < len(d) && d[k] == ':' {
			if n > 256 {
				return p.fail(int64(start), "(a key)", "", fmt.Sprintf("a key of %d bytes: not a Rehearse export", n))
			}
			key = string(d[start+1 : j])
		} else {
			limit, what := MaxTextBytes, "a text value"
			if key == "data" {
				limit, what = MaxRecordingBytes, "a recording"
			}
			if n > limit {
				return p.fail(int64(start), key, "", fmt.Sprintf("%d MiB, more than %s may hold (%d MiB)", n>>20, what, limit>>20))
			}
		}
		i = j
	}
	return nil
}
