package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestInterviewEndToEnd runs `rehearse interview --text-dir` on the real
// wiring and a real encrypted store: the follow-ups printed follow the
// rules for each question's type, a follow-up answered completes its
// exchange, a missing answer file saves nothing, the second interview is
// compared with the first, and the export carries the report.
func TestInterviewEndToEnd(t *testing.T) {
	w := newWorld(t, false)
	pick := []string{"--role", "backend engineer", "--seed", "11"}
	var picked struct {
		Questions []rehearse.Question `json:"questions"`
	}
	if err := json.Unmarshal([]byte(w.mustRun(append([]string{"questions", "pick", "--count", "3", "--json"}, pick...)...)), &picked); err != nil || len(picked.Questions) != 3 {
		t.Fatalf("questions pick: %v %+v", err, picked)
	}
	dir := filepath.Join(w.in, "answers")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	put := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Story questions get habits (no specific time); the others a reply
	// far too short for any type, about one term.
	var want []string
	for i, q := range picked.Questions {
		k := i + 1
		if q.Type == rehearse.Behavioral || q.Type == rehearse.Situational {
			put(fmt.Sprintf("%d.txt", k), "I usually listen to everyone first. I always write the plan down, and I would ask my manager if nothing else worked.")
			want = append(want, fmt.Sprintf("Follow-up %d: Can you tell me about a specific time?", k))
		} else {
			put(fmt.Sprintf("%d.txt", k), "Kubernetes, mostly. Kubernetes is what I know best.")
			want = append(want, fmt.Sprintf("Follow-up %d: Could you say more about Kubernetes?", k))
		}
	}
	put("1-followup.txt", "Last March our nightly billing job failed twice in one week. I was asked to fix it. I traced the failures to a full disk and I moved the job's temporary files to object storage. The job has not failed since, and it now finishes forty minutes earlier.")

	var (
		code       int
		js, errOut string
	)
	out := w.mustRun(append([]string{"--passphrase-file", w.pass, "interview", "--questions", "3", "--text-dir", dir}, pick...)...)
	for i, q := range picked.Questions {
		if !strings.Contains(out, fmt.Sprintf("Question %d: %s", i+1, q.Text)) || !strings.Contains(out, want[i]) {
			t.Errorf("question %d: want %q in:\n%s", i+1, want[i], out)
		}
	}
	for _, s := range []string{"(no 2-followup.txt: the follow-up stays unanswered)", "Interview report:", "This is your first interview", "Saved as session 1."} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}

	// A missing answer file is named, with what to do, and nothing is saved.
	code, _, errOut = w.run("", append([]string{"--passphrase-file", w.pass, "interview", "--questions", "4", "--text-dir", dir}, pick...)...)
	if code != 1 || !strings.Contains(errOut, filepath.Join(dir, "4.txt")) || !strings.Contains(errOut, "--questions") || !strings.Contains(errOut, "nothing was saved") {
		t.Fatalf("missing answer file: exit %d: %s", code, errOut)
	}
	var list []json.RawMessage
	if err := json.Unmarshal([]byte(w.mustRun("--passphrase-file", w.pass, "sessions", "list", "--json")), &list); err != nil || len(list) != 1 {
		t.Fatalf("after a refused interview the store holds %d sessions (%v), want the first one only", len(list), err)
	}

	// The second run reports as JSON and compares with the first.
	code, js, errOut = w.run("", append([]string{"--passphrase-file", w.pass, "interview", "--questions", "3", "--text-dir", dir, "--json"}, pick...)...)

	if code != 0 || !strings.Contains(errOut, want[0]) {
		t.Fatalf("--json run: exit %d, follow-ups on standard error: %s", code, errOut)
	}
	var rep struct {
		Seed      int64 `json:"seed"`
		SessionID int64 `json:"session_id"`
		Exchanges []struct {
			Question string `json:"question"`
			FollowUp *struct {
				Rule   string `json:"rule"`
				Answer *struct {
					Transcript string `json:"transcript"`
				} `json:"answer"`
			} `json:"follow_up"`
			Star *struct {
				Episode bool `json:"episode"`
				Result  bool `json:"result"`
			} `json:"star"`
		} `json:"exchanges"`
		SinceLast *struct {
			PreviousSessionID int64 `json:"previous_session_id"`
		} `json:"since_last"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	e := rep.Exchanges[0]
	if rep.Seed != 11 || rep.SessionID != 2 || rep.SinceLast == nil || rep.SinceLast.PreviousSessionID != 1 || len(rep.Exchanges) != 3 ||
		e.FollowUp == nil || e.FollowUp.Answer == nil || rep.Exchanges[1].FollowUp == nil || rep.Exchanges[1].FollowUp.Answer != nil {
		t.Fatalf("JSON report: %s", js)
	}
	if (picked.Questions[0].Type == rehearse.Behavioral || picked.Questions[0].Type == rehearse.Situational) && (e.Star == nil || !e.Star.Episode || !e.Star.Result) {
		t.Errorf("the follow-up's episode did not complete exchange 1: %+v", e.Star)
	}

	// The report of a saved interview, again, and of one that is not there.
	if got := w.mustRun("--passphrase-file", w.pass, "interview", "--report", "1"); !strings.Contains(got, "Interview report:") || !strings.Contains(got, "3 follow-up questions asked, 1 answered") {
		t.Errorf("interview --report 1:\n%s", got)
	}
	if code, _, errOut := w.run("", "--passphrase-file", w.pass, "interview", "--report", "99"); code != 1 || !strings.Contains(errOut, "session 99") {
		t.Errorf("report of no session: exit %d: %s", code, errOut)
	}

	// Stored like any session and exported with its report.
	exp := filepath.Join(w.out, "export.json")
	w.mustRun("--passphrase-file", w.pass, "export", "--format", "json", "-o", exp)
	recs := readExport(t, exp)
	if len(recs) != 2 || recs[0].Session.Settings.Mode != rehearse.ModeInterview || len(recs[0].Session.Settings.FollowUps) != 3 {
		t.Fatalf("export: %+v", recs)
	}
	raw, err := os.ReadFile(exp)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(raw), `"interview_report"`) != 2 {
		t.Errorf("the export does not carry both reports")
	}
	// Imported into another store, the interview reports the same exchanges.
	dst := newWorld(t, false)
	dst.mustRun("--passphrase-file", dst.pass, "import", exp)
	var again struct {
		Exchanges []struct {
			FollowUp *struct {
				Question string `json:"question"`
				Answer   *struct {
					Transcript string `json:"transcript"`
				} `json:"answer"`
			} `json:"follow_up"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal([]byte(dst.mustRun("--passphrase-file", dst.pass, "interview", "--report", "2", "--json")), &again); err != nil {
		t.Fatal(err)
	}
	if len(again.Exchanges) != 3 || again.Exchanges[0].FollowUp == nil || again.Exchanges[0].FollowUp.Answer == nil ||
		!strings.Contains(again.Exchanges[0].FollowUp.Answer.Transcript, "nightly billing job") || again.Exchanges[1].FollowUp.Answer != nil {
		t.Errorf("the imported interview reports %+v", again)
	}

	md := filepath.Join(w.out, "export.md")
	w.mustRun("--passphrase-file", w.pass, "export", "--format", "markdown", "-o", md)
	if b, err := os.ReadFile(md); err != nil || !strings.Contains(string(b), "Interview report:") || !strings.Contains(string(b), "**Follow-up:**") {
		t.Errorf("Markdown export: %v\n%s", err, b)
	}
}
