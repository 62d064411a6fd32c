package archive

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/interview/report"
	"github.com/rehearse-app/rehearse/internal/printable"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// maxMetrics caps the metrics listed per answer in Markdown.
const maxMetrics = 24

// WriteMarkdown writes the records for people to read: per session, per
// answer the question, what was said and a summary of the feedback.
func WriteMarkdown(w io.Writer, recs []rehearse.SessionRecord, now time.Time) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Rehearse practice sessions\n\nExported %s. %d session(s).\n", now.UTC().Format("2006-01-02 15:04 MST"), len(recs))
	for ri, r := range recs {
		s := r.Session
		title := s.Title
		if strings.TrimSpace(title) == "" {
			title = "Untitled session"
		}
		fmt.Fprintf(bw, "\n## %s\n\n", oneLine(title))
		fmt.Fprintf(bw, "- Date: %s\n", s.CreatedAt.Local().Format("2006-01-02 15:04"))
		if s.FinishedAt != nil {
			fmt.Fprintf(bw, "- Finished: %s\n", s.FinishedAt.Local().Format("2006-01-02 15:04"))
		}
		fmt.Fprintf(bw, "- Answers: %d\n", len(r.Attempts))
		if jd := strings.TrimSpace(s.JobDescription); jd != "" {
			fmt.Fprintf(bw, "\n**Job description**\n\n%s\n", quote(jd))
		}
		if rep := interviewReport(recs, ri); rep != nil {
			fmt.Fprintln(bw)
			if err := report.WriteMarkdown(bw, rep, 3); err != nil {
				return err
			}
			continue
		}
		for i, a := range r.Attempts {
			fmt.Fprintf(bw, "\n### %d. %s\n\n", i+1, oneLine(a.QuestionText))
			meta := []string{oneLine(string(a.QuestionType))}
			if a.Number > 1 {
				meta = append(meta, fmt.Sprintf("retake %d", a.Number))
			}
			if a.DurationS > 0 {
				meta = append(meta, fmt.Sprintf("%.0f s", a.DurationS))
			}
			if a.Status == rehearse.StatusPendingTranscription {
				meta = append(meta, "not transcribed yet")
			}
			fmt.Fprintf(bw, "*%s*\n", strings.Join(meta, " · "))
			if t := strings.TrimSpace(a.Transcript.Text); t != "" {
				fmt.Fprintf(bw, "\n**Transcript**\n\n%s\n", quote(t))
			}
			if a.Corrected != nil && strings.TrimSpace(a.Corrected.Text) != "" {
				fmt.Fprintf(bw, "\n**Corrected transcript**\n\n%s\n", quote(strings.TrimSpace(a.Corrected.Text)))
			}
			writeAnalysis(bw, a.Analysis)
		}
	}
	return bw.Flush()
}

// writeAnalysis summarises the feedback JSON without depending on its exact
// shape: the scalar values of its "metrics" object (or of the whole object),
// then any "strengths" and "suggestions" texts.
func writeAnalysis(w io.Writer, raw []byte) {
	if len(raw) == 0 {
		return
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return
	}
	src := root
	if m, ok := root["metrics"].(map[string]any); ok {
		src = m
	}
	var lines []string
	flatten("", src, 0, &lines)
	sort.Strings(lines)
	if len(lines) > 0 {
		fmt.Fprint(w, "\n**Key metrics**\n\n")
		for i, l := range lines {
			if i == maxMetrics {
				fmt.Fprintf(w, "- … and %d more\n", len(lines)-maxMetrics)
				break
			}
			fmt.Fprintf(w, "- %s\n", printable.Line(l))
		}
	}
	for _, sec := range []struct{ key, title string }{{"strengths", "Strengths"}, {"suggestions", "Suggestions"}} {
		items := texts(root[sec.key])
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n**%s**\n\n", sec.title)
		for _, t := range items {
			fmt.Fprintf(w, "- %s\n", oneLine(t))
		}
	}
}

func flatten(prefix string, m map[string]any, depth int, out *[]string) {
	for k, v := range m {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		switch x := v.(type) {
		case nil:
		case map[string]any:
			if depth < 1 {
				flatten(name, x, depth+1, out)
			}
		case []any:
			if len(x) > 0 {
				*out = append(*out, fmt.Sprintf("%s: %d item(s)", name, len(x)))
			}
		case string:
			*out = append(*out, fmt.Sprintf("%s: %s", name, oneLine(x)))
		case float64:
			*out = append(*out, fmt.Sprintf("%s: %s", name, strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")))
		default:
			*out = append(*out, fmt.Sprintf("%s: %v", name, x))
		}
	}
}

// texts returns the strings of a list, or the "text" fields of its objects.
func texts(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, it := range list {
		switch x := it.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if t, ok := x["text"].(string); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// oneLine is stored or imported text on one line, with control characters
// escaped so that reading the export on a terminal runs nothing.
func oneLine(s string) string { return printable.Line(strings.Join(strings.Fields(s), " ")) }

// quote is multi-line text as a Markdown quote, control characters other
// than line breaks and tabs escaped.
func quote(s string) string {
	lines := strings.Split(printable.Text(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}
