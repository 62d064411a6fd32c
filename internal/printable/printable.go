// Package printable makes text that Rehearse did not write itself (stored
// answers, imported sessions) safe to show on a terminal or in a document:
// control characters are shown as escapes instead of being sent as they
// are, so a crafted title cannot clear the screen, retitle the terminal,
// move the cursor or reverse the order of what follows.
package printable

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s with every control character escaped, line breaks and
// tabs included: for text shown on one line (a title, a question).
func Line(s string) string { return escape(s, false) }

// Text returns s with every control character escaped except line breaks
// and tabs: for multi-line bodies (a transcript, a job description). A
// carriage return is escaped unless it ends a line ("\r\n" becomes "\n"),
// since on its own it moves the cursor back over what was printed.
func Text(s string) string { return escape(strings.ReplaceAll(s, "\r\n", "\n"), true) }

// escape writes C0 controls and DEL as \xNN, C1 controls and the
// bidirectional formatting characters as \uNNNN, and bytes that are not
// UTF-8 as \xNN (a lone 0x9b byte is CSI to a terminal in 8-bit mode).
func escape(s string, multiline bool) string {
	if safe(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isC1(r) || isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safe reports whether s needs no escape (the common case, without
// allocating).
func safe(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || isC1(r) || isBidi(r) {
			return false
		}
		i += n
	}
	return true
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// isBidi reports the characters that change the display order of the
// text around them: the Arabic letter mark, the left-to-right and
// right-to-left marks, embeddings, overrides and isolates.
func isBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// JSON returns the JSON document doc with DEL, the C1 controls and the
// bidirectional formatting characters written as \uNNNN escapes, which
// every JSON reader decodes back to the same text. (encoding/json already
// escapes the C0 controls and replaces bytes that are not UTF-8, but
// writes these as they are.) They can only occur inside strings, so the
// document keeps its meaning.
func JSON(doc []byte) []byte {
	clean := true
	for i := 0; i < len(doc); {
		r, n := utf8.DecodeRune(doc[i:])
		if r == 0x7f || isC1(r) || isBidi(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return doc
	}
	out := make([]byte, 0, len(doc)+32)
	for i := 0; i < len(doc); {
		r, n := utf8.DecodeRune(doc[i:])
		if r == 0x7f || isC1(r) || isBidi(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, doc[i:i+n]...)
		}
		i += n
	}
	return out
}
