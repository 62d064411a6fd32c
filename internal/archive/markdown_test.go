package archive

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Imported text reaches the Markdown export with its control characters
// escaped, so that printing the export on a terminal runs none of them.
func TestMarkdownEscapesControlCharacters(t *testing.T) {
	recs := []rehearse.SessionRecord{{
		Session: rehearse.Session{ID: 1, Title: "\x1b]0;pwned\x07Title", JobDescription: "line one\n\x1b[2Jline two", CreatedAt: t0},
		Attempts: []rehearse.Attempt{{
			QuestionText: "Why\x1b[31m?", QuestionType: "behavioral\x1b[0m", Number: 1, CreatedAt: t0,
			Transcript: rehearse.Transcript{Text: "first\r\x1b[1Aover \u202eevil\n\tsecond \u009b2J"},
			Corrected:  &rehearse.Transcript{Text: "fixed \x9b"},
			Analysis:   []byte(`{"metrics":{"k\u001b[2J":"v\u0007"},"strengths":["good\u001b[5m"],"suggestions":[{"text":"more\u202e"}]}`),
		}},
	}}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, recs, t0); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b", "\x9b"} {
		if strings.Contains(md, bad) {
			t.Errorf("export holds %q as it is", bad)
		}
	}
	for _, want := range []string{
		`## \x1b]0;pwned\x07Title`,
		"> line one\n> \\x1b[2Jline two",
		`### 1. Why\x1b[31m?`,
		`*behavioral\x1b[0m*`,
		"> first\\x0d\\x1b[1Aover \\u202eevil\n> \tsecond \\u009b2J",
		`> fixed \x9b`,
		`- k\x1b[2J: v\x07`,
		`- good\x1b[5m`,
		`- more\u202e`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q:\n%s", want, md)
		}
	}
}
