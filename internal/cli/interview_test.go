package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInterviewInputErrors: bad flags and answer files are refused before
// the store is opened (the Deps here have no store), each naming what to do.
func TestInterviewInputErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"1.txt": "I led the migration.", "2.txt": "  \n", "1-followup.txt": "It went well."} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	role := []string{"--role", "backend engineer"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no answers folder", role, 2, []string{"exactly one of --text-dir or --wav-dir"}},
		{"both folders", append([]string{"--text-dir", dir, "--wav-dir", dir}, role...), 2, []string{"exactly one of"}},
		{"no questions", append([]string{"--questions", "0", "--text-dir", dir}, role...), 2, []string{"--questions must be 1 to 20"}},
		{"no role", []string{"--text-dir", dir}, 2, []string{"--role is required"}},
		{"seed zero", append([]string{"--seed", "0", "--text-dir", dir}, role...), 2, []string{"--seed must be at least 1"}},
		{"not a folder", append([]string{"--text-dir", filepath.Join(dir, "1.txt")}, role...), 1, []string{"not a folder"}},
		{"missing answers", append([]string{"--questions", "3", "--text-dir", empty}, role...), 1,
			[]string{"question 1 is missing", filepath.Join(empty, "1.txt") + ", " + filepath.Join(empty, "2.txt") + " and " + filepath.Join(empty, "3.txt") + " do not exist", "--questions", "nothing was saved"}},
		{"empty answer", append([]string{"--questions", "2", "--text-dir", dir}, role...), 1, []string{filepath.Join(dir, "2.txt"), "is empty"}},
		{"missing WAV", append([]string{"--questions", "1", "--wav-dir", dir}, role...), 1, []string{filepath.Join(dir, "1.wav") + " does not exist"}},
		{"report with a plan", []string{"--report", "1", "--role", "x"}, 2, []string{"--role does not go with --report"}},
		{"all there, no store", append([]string{"--questions", "1", "--text-dir", dir}, role...), 1, []string{"practice store is not available"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(&Deps{}, "", append([]string{"interview"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestReadInterviewAnswers(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"1.txt": " First answer. \n", "2.txt": "Second.", "2-followup.txt": "More.", "3-followup.txt": "unused"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ans, err := readInterviewAnswers(dir, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.main) != 2 || ans.main[0].text != "First answer." || len(ans.follow) != 1 || ans.follow[2].text != "More." {
		t.Errorf("answers: %+v", ans)
	}
	if got := followUpName(filepath.Join(dir, "2.wav")); got != filepath.Join(dir, "2-followup.wav") {
		t.Errorf("follow-up file of 2.wav: %s", got)
	}
}
