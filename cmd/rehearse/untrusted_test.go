package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestCraftedImportPrintsEscaped imports an export whose title, question,
// answer and job description carry terminal control sequences (clear the
// screen, set the window title, a C1 CSI, a right-to-left override) and
// shows it with every command that prints stored text: none of those
// characters reaches the output; each is shown as an escape.
func TestCraftedImportPrintsEscaped(t *testing.T) {
	w := newWorld(t, false)
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	const (
		title    = "\x1b]0;pwned\x07\x1b[2J\x1b[HCrafted title"
		question = "Why \x1b[31mred\x1b[0m? \u009b2J"
		answer   = "I led the team\r\x1b[1Ahidden \u202eeulav\u202c and\n\tthen shipped \x7f it"
		job      = "Platform role \x1b[8m hidden"
	)
	doc := map[string]any{
		"format": "rehearse-export", "version": 1, "exported_at": t0,
		"sessions": []any{map[string]any{
			"session": rehearse.Session{ID: 1, Title: title, JobDescription: job, CreatedAt: t0, UpdatedAt: t0},
			"attempts": []any{map[string]any{
				"question_text": question, "question_type": "behavioral", "number": 1, "status": "analyzed",
				"created_at": t0, "duration_s": 30,
				"transcript": rehearse.Transcript{Text: answer, Source: "typed"},
				"analysis": map[string]any{"metrics": map[string]any{"note\x1b[2J": "x\x1b]0;t\x07"},
					"suggestions": []string{"say \x1b[5mmore\x1b[0m"}},
			}},
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	crafted := filepath.Join(w.in, "crafted.json")
	if err := os.WriteFile(crafted, b, 0o600); err != nil {
		t.Fatal(err)
	}
	pass := "--passphrase-file=" + w.pass
	w.mustRun(pass, "import", crafted)

	for _, tc := range []struct {
		args []string
		want []string // escaped forms that must be shown
	}{
		{[]string{"sessions", "list"}, []string{`\x1b]0;pwned\x07\x1b[2J\x1b[HCrafted title`}},
		{[]string{"sessions", "show", "1"}, []string{`\x1b]0;pwned\x07`, `Why \x1b[31mred\x1b[0m? \u009b2J`,
			`I led the team\x0d\x1b[1Ahidden \u202eeulav\u202c and`, "\tthen shipped \\x7f it", `Platform role \x1b[8m hidden`}},
		{[]string{"sessions", "search", "shipped"}, []string{`\x1b]0;pwned\x07`, `Why \x1b[31mred\x1b[0m?`}},
		{[]string{"sessions", "list", "--json"}, []string{`"title": "\u001b]0;pwned\u0007\u001b[2J\u001b[HCrafted title"`}},
		{[]string{"sessions", "show", "1", "--json"}, []string{`Why \u001b[31mred\u001b[0m? \u009b2J`, `hidden \u202eeulav\u202c and`}},
		{[]string{"export", "--format", "md", "-o", "-"}, []string{`## \x1b]0;pwned\x07\x1b[2J\x1b[HCrafted title`,
			`### 1. Why \x1b[31mred\x1b[0m? \u009b2J`, `> I led the team\x0d\x1b[1Ahidden \u202eeulav\u202c and`,
			`> Platform role \x1b[8m hidden`, `say \x1b[5mmore\x1b[0m`, `note\x1b[2J: x\x1b]0;t\x07`}},
	} {
		code, out, errOut := w.run("", append([]string{pass}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		for _, bad := range []string{"\x1b", "\x07", "\x7f", "\u009b", "\u202e", "\u202c", "\r"} {
			if strings.Contains(out+errOut, bad) {
				t.Errorf("%v prints %q as it is", tc.args, bad)
			}
		}
		for _, s := range tc.want {
			if !strings.Contains(out, s) {
				t.Errorf("%v does not show %q", tc.args, s)
			}
		}
	}
	// The JSON output keeps the exact text for programs that read it.
	var list []rehearse.SessionSummary
	if err := json.Unmarshal([]byte(w.mustRun(pass, "sessions", "list", "--json")), &list); err != nil || len(list) != 1 || list[0].Title != title {
		t.Errorf("sessions list --json does not decode to the stored title: %+v, %v", list, err)
	}
}
