package cli

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/rehearse-app/rehearse/internal/printable"
)

// encodeIndented prints v as indented JSON followed by a newline, with
// the characters that steer a terminal escaped (stored text may hold them).
func encodeIndented(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(printable.JSON(b.Bytes()))
	return err
}
