package cli

import (
	"encoding/json"
	"io"
)

// encodeIndented prints v as indented JSON followed by a newline.
func encodeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
