package printable

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct {
		name, in, line, text string
	}{
		{"plain", "Tell me about a conflict — café", "Tell me about a conflict — café", "Tell me about a conflict — café"},
		{"clear screen", "a\x1b[2J\x1b[Hb", `a\x1b[2J\x1b[Hb`, `a\x1b[2J\x1b[Hb`},
		{"window title (OSC, BEL)", "\x1b]0;pwned\x07x", `\x1b]0;pwned\x07x`, `\x1b]0;pwned\x07x`},
		{"line break and tab", "one\ntwo\tthree", `one\x0atwo\x09three`, "one\ntwo\tthree"},
		{"carriage return", "shown\rhidden\r\nnext", `shown\x0dhidden\x0d\x0anext`, "shown\\x0dhidden\nnext"},
		{"NUL, backspace, DEL", "a\x00b\bc\x7f", `a\x00b\x08c\x7f`, `a\x00b\x08c\x7f`},
		{"C1 CSI and NEL as runes", "a\u009b2Jb\u0085", `a\u009b2Jb\u0085`, `a\u009b2Jb\u0085`},
		{"lone C1 byte", "a\x9b2J", `a\x9b2J`, `a\x9b2J`},
		{"bidi override", "invoice\u202egnp.exe", `invoice\u202egnp.exe`, `invoice\u202egnp.exe`},
		{"bidi isolates and marks", "\u2066x\u2069\u200e\u200f\u061c", `\u2066x\u2069\u200e\u200f\u061c`, `\u2066x\u2069\u200e\u200f\u061c`},
		{"backslash kept", `C:\dir`, `C:\dir`, `C:\dir`},
		{"empty", "", "", ""},
	} {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("%s: Line(%q) = %q, want %q", tc.name, tc.in, got, tc.line)
		}
		if got := Text(tc.in); got != tc.text {
			t.Errorf("%s: Text(%q) = %q, want %q", tc.name, tc.in, got, tc.text)
		}
	}
}

func FuzzLine(f *testing.F) {
	f.Add("a\x1b[2Jb\u202e\u009b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s)} {
			for i, r := range out {
				if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || isBidi(r) {
					t.Fatalf("%q → %q: control %U at %d", s, out, r, i)
				}
			}
		}
		if Line(s) != Text(s) && safe(s, false) {
			t.Fatalf("%q: Line and Text differ on safe text", s)
		}
	})
}

func TestJSON(t *testing.T) {
	in := map[string]string{"title": "a\x7fb\u009bc\u202ed\u2066e — ok", "plain": "café"}
	doc, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := JSON(doc)
	for _, bad := range []string{"\x7f", "\u009b", "\u202e", "\u2066"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("%s holds %q", out, bad)
		}
	}
	if !strings.Contains(string(out), `a\u007fb\u009bc\u202ed\u2066e — ok`) {
		t.Errorf("got %s", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["title"] != in["title"] || back["plain"] != in["plain"] {
		t.Errorf("round trip: %q, %v", back, err)
	}
	if plain := []byte(`{"a":"b"}`); &JSON(plain)[0] != &plain[0] {
		t.Error("a clean document is copied")
	}
}
