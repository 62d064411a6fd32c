package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/keyring"
	"github.com/rehearse-app/rehearse/internal/local"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/vault"
)

// The end-to-end tests run the real command line (real OS keyring, key
// custody and SQLCipher store) in child processes: the test binary re-runs
// itself as `rehearse` when REHEARSE_E2E_CHILD is set. Only the Argon2id cost
// is lowered, to keep the suite quick under -race.
func TestMain(m *testing.M) {
	if os.Getenv("REHEARSE_README_CHILD") == "1" {
		os.Exit(readmeChild())
	}
	if os.Getenv("REHEARSE_E2E_CHILD") == "1" {
		d := &local.Data{Stdin: os.Stdin, Prompt: os.Stderr, Now: time.Now,
			KDF: vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}}
		deps := &cli.Deps{Version: "test", Data: d, Keys: d, Practice: local.Practice{Data: d},
			Speech: local.Speech{}, Models: local.Models{}}
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, deps))
	}
	os.Exit(m.Run())
}

const canary = "CANARY-7f3a9c-purple-elephant-0451"

// world is one isolated installation: its data folder, temp folder and the
// environment of its processes.
type world struct {
	t                         *testing.T
	root, data, tmp, in, out  string
	pass, wrongPass, recovery string
	env                       []string
}

func newWorld(t *testing.T, keyringOn bool) *world {
	root := t.TempDir()
	w := &world{t: t, root: root, data: filepath.Join(root, "data"), tmp: filepath.Join(root, "tmp"),
		in: filepath.Join(root, "in"), out: filepath.Join(root, "out")}
	for _, d := range []string{w.tmp, w.in, w.out} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	w.pass = w.secret("pass", "a good long passphrase\n")
	w.wrongPass = w.secret("wrong", "not the passphrase at all\n")
	w.recovery = w.secret("recovery", "my recovery words, kept safe\n")
	w.env = append(os.Environ(), "REHEARSE_E2E_CHILD=1", "REHEARSE_DATA_DIR="+w.data, "TMPDIR="+w.tmp,
		"REHEARSE_PASSPHRASE_FILE=")
	if !keyringOn {
		// A session bus that does not exist: the real keyring is unreachable.
		w.env = append(w.env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(root, "no-bus"))
	}
	return w
}

func (w *world) secret(name, content string) string {
	p := filepath.Join(w.in, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

// run runs `rehearse args...` with stdin from a non-terminal.
func (w *world) run(stdin string, args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = w.env
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		w.t.Fatalf("run %v: %v", args, err)
	}
	w.t.Logf("$ rehearse %s → %d\n%s%s", strings.Join(args, " "), code, o.String(), e.String())
	return code, o.String(), e.String()
}

func (w *world) mustRun(args ...string) string {
	w.t.Helper()
	code, out, errOut := w.run("", args...)
	if code != 0 {
		w.t.Fatalf("rehearse %v: exit %d: %s", args, code, errOut)
	}
	return out
}

// readExport reads and checks the JSON export at path.
func readExport(t *testing.T, path string) []rehearse.SessionRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := archive.ReadJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func exportJSON(t *testing.T) []byte {
	t.Helper()
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	doc := map[string]any{
		"format": "rehearse-export", "version": 1, "exported_at": t0,
		"sessions": []any{map[string]any{
			"session": rehearse.Session{ID: 1, Title: "Interview at " + canary, JobDescription: "JD " + canary, CreatedAt: t0, UpdatedAt: t0},
			"attempts": []any{
				map[string]any{"question_text": "Tell me about yourself", "question_type": "intro", "number": 1, "status": "analyzed",
					"created_at": t0, "started_at": t0, "duration_s": 30,
					"transcript": rehearse.Transcript{Text: "I build things. " + canary, Source: "typed"},
					"analysis":   map[string]any{"metrics": map[string]any{"word_count": 4}, "strengths": []string{"clear " + canary}}},
				map[string]any{"question_text": "Why us?", "question_type": "motivation", "number": 1, "status": "analyzed",
					"created_at": t0, "transcript": rehearse.Transcript{Text: "Because " + canary + " matters.", Source: "typed"}},
			},
		}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scan reports every file under the roots that contains needle, and how
// many files and bytes were looked at.
func scan(t *testing.T, needle []byte, roots ...string) (hits []string, files int, size int64) {
	t.Helper()
	for _, r := range roots {
		filepath.WalkDir(r, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", p, err)
				return nil
			}
			files++
			size += int64(len(b))
			if bytes.Contains(b, needle) || bytes.Contains(bytes.ToLower(b), bytes.ToLower(needle)) {
				hits = append(hits, p)
			}
			return nil
		})
	}
	return hits, files, size
}

func tree(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, rel)
		return nil
	})
	return out
}

func sum(t *testing.T, p string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestPassphraseStoreEndToEnd covers a computer without a keyring: the key
// is wrapped under the passphrase given with --passphrase-file.
func TestPassphraseStoreEndToEnd(t *testing.T) {
	w := newWorld(t, false)
	db := filepath.Join(w.data, "rehearse.db")
	in := filepath.Join(w.in, "sessions.json")
	if err := os.WriteFile(in, exportJSON(t), 0o600); err != nil {
		t.Fatal(err)
	}

	// No passphrase and no terminal: a clear message, nothing created.
	code, _, errOut := w.run("", "import", in)
	if code != 1 || !strings.Contains(errOut, "--passphrase-file") {
		t.Fatalf("without a passphrase: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a store was created without a passphrase: %v", err)
	}

	out := w.mustRun("--passphrase-file", w.pass, "import", in)
	if !strings.Contains(out, "imported 1 session(s), 2 answer(s)") {
		t.Fatalf("import said %q", out)
	}
	out = w.mustRun("--passphrase-file", w.pass, "sessions", "list")
	if !regexp.MustCompile(`(?m)^1\s+2026-05-01 \d\d:\d\d\s+2\s+Interview at ` + canary).MatchString(out) {
		t.Fatalf("list:\n%s", out)
	}
	out = w.mustRun("--passphrase-file", w.pass, "sessions", "show", "1", "--json")
	var rec rehearse.SessionRecord
	if err := json.Unmarshal([]byte(out), &rec); err != nil || len(rec.Attempts) != 2 || !strings.Contains(rec.Attempts[1].Transcript.Text, canary) {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "search", "elephant"); !strings.Contains(out, "session 1") {
		t.Fatalf("search:\n%s", out)
	}
	if out := w.mustRun("--passphrase-file", w.pass, "key", "status"); !strings.Contains(out, "your passphrase") {
		t.Fatalf("key status:\n%s", out)
	}

	// The export goes only where asked, readable by the user only.
	md := filepath.Join(w.out, "sessions.md")
	w.mustRun("--passphrase-file", w.pass, "export", "--format", "md", "-o", md)
	fi, err := os.Stat(md)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(md); !bytes.Contains(b, []byte("> Because "+canary+" matters.")) || !bytes.Contains(b, []byte("word_count: 4")) {
		t.Fatalf("markdown:\n%s", b)
	}
	js := filepath.Join(w.out, "sessions.json")
	w.mustRun("--passphrase-file", w.pass, "export", "-o", js)
	if entries, _ := os.ReadDir(w.out); len(entries) != 2 {
		t.Fatalf("out folder holds %d entries (temporary files left?)", len(entries))
	}

	// The canary is nowhere in the data folder or the temp folder.
	hits, files, size := scan(t, []byte(canary), w.data, w.tmp)
	t.Logf("canary scan: %d files, %d bytes under data and temp; hits %v", files, size, hits)
	if len(hits) > 0 || files < 2 {
		t.Fatalf("canary found in %v (%d files scanned)", hits, files)
	}
	head := make([]byte, 16)
	f, _ := os.Open(db)
	f.Read(head)
	f.Close()
	if bytes.Equal(head, []byte("SQLite format 3\x00")) {
		t.Fatal("the database header is plaintext SQLite")
	}
	t.Logf("db header: %x", head)

	// Wrong passphrase: exit 1, "cannot unlock", nothing modified.
	before, beforeKey := sum(t, db), sum(t, filepath.Join(w.data, "config", "key.json"))
	code, _, errOut = w.run("", "--passphrase-file", w.wrongPass, "sessions", "list")
	if code != 1 || !strings.Contains(errOut, "cannot unlock") {
		t.Fatalf("wrong passphrase: exit %d %q", code, errOut)
	}
	if sum(t, db) != before || sum(t, filepath.Join(w.data, "config", "key.json")) != beforeKey {
		t.Fatal("a failed unlock modified the store")
	}

	// A bad import is refused with its line, and nothing is added.
	bad := strings.Replace(string(exportJSON(t)), `"question_type": "motivation"`, `"question_type": "small talk"`, 1)
	badFile := filepath.Join(w.in, "bad.json")
	os.WriteFile(badFile, []byte(bad), 0o600)
	code, _, errOut = w.run("", "--passphrase-file", w.pass, "import", badFile)
	if code != 1 || !regexp.MustCompile(`line \d+: field "sessions\[0\]\.attempts\[1\]\.question_type"`).MatchString(errOut) || !strings.Contains(errOut, "nothing was imported") {
		t.Fatalf("bad import: exit %d %q", code, errOut)
	}
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list", "--json"); strings.Count(out, `"title"`) != 1 {
		t.Fatalf("after a refused import:\n%s", out)
	}

	// Recovery passphrase and key rotation.
	w.mustRun("--passphrase-file", w.pass, "key", "set-recovery", "--recovery-file", w.recovery)
	w.mustRun("--passphrase-file", w.pass, "key", "rotate", "--recovery-file", w.recovery)
	if out := w.mustRun("--passphrase-file", w.recovery, "sessions", "list"); !strings.Contains(out, canary) {
		t.Fatalf("after rotation, with the recovery passphrase:\n%s", out)
	}
	w.mustRun("--passphrase-file", w.pass, "sessions", "delete", "1")
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list"); !strings.Contains(out, "no sessions yet") {
		t.Fatalf("after delete:\n%s", out)
	}
	w.mustRun("--passphrase-file", w.pass, "import", js)
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "expire", "--days", "30"); !strings.Contains(out, "2 older answer(s) deleted") {
		t.Fatalf("expire:\n%s", out)
	}

	// Wipe: refused without confirmation, then done with --yes.
	os.MkdirAll(filepath.Join(w.data, "models"), 0o700)
	os.WriteFile(filepath.Join(w.data, "models", "ggml-tiny.en.bin"), []byte("model"), 0o600)
	copyDB := filepath.Join(w.out, "copy.db")
	b, _ := os.ReadFile(db)
	os.WriteFile(copyDB, b, 0o600)
	if code, _, _ := w.run("", "wipe"); code != 2 {
		t.Fatalf("wipe without --yes off a terminal: exit %d", code)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal("an unconfirmed wipe deleted the store")
	}
	if out := w.mustRun("wipe", "--yes"); !strings.Contains(out, "kept    "+filepath.Join(w.data, "models")) {
		t.Fatalf("wipe report:\n%s", out)
	}
	after := tree(w.data)
	t.Logf("data folder after wipe: %v", after)
	if strings.Join(after, " ") != "./ .rehearse-folder models/ models/.rehearse-folder models/ggml-tiny.en.bin" {
		t.Fatalf("left after wipe: %v", after)
	}
	// The copy taken before cannot be opened with anything left.
	os.WriteFile(db, b, 0o600)
	code, _, errOut = w.run("", "--passphrase-file", w.pass, "sessions", "list")
	if code != 1 || !strings.Contains(errOut, "cannot unlock") {
		t.Fatalf("old copy after wipe: exit %d %q", code, errOut)
	}
	code, _, errOut = w.run("", "--passphrase-file", w.recovery, "sessions", "list")
	if code != 1 || !strings.Contains(errOut, "cannot unlock") {
		t.Fatalf("old copy after wipe, recovery passphrase: exit %d %q", code, errOut)
	}
	os.Remove(db)
	// Starts fresh.
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list"); !strings.Contains(out, "no sessions yet") {
		t.Fatalf("fresh start:\n%s", out)
	}
	w.mustRun("wipe", "--yes", "--models")
	if _, err := os.Stat(w.data); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after wipe --models: %v", tree(w.data))
	}
}

// TestKeyringStoreEndToEnd keeps the key in a real Secret Service.
func TestKeyringStoreEndToEnd(t *testing.T) {
	if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") == "" {
		t.Skip("no Secret Service in this environment: run under `bash .ci/with-services.sh`")
	}
	w := newWorld(t, true)
	in := filepath.Join(w.in, "sessions.json")
	os.WriteFile(in, exportJSON(t), 0o600)
	w.mustRun("import", in)
	if out := w.mustRun("sessions", "list"); !strings.Contains(out, canary) {
		t.Fatalf("list:\n%s", out)
	}
	out := w.mustRun("key", "status", "--json")
	var st vault.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil || !st.Keyring || !st.KeyringOK || st.Passphrase {
		t.Fatalf("status %+v %v", st, err)
	}
	w.mustRun("key", "rotate")
	w.mustRun("key", "set-passphrase", "--new-passphrase-file", w.pass)
	if code, _, _ := w.run("", "sessions", "list"); code != 1 {
		t.Fatal("passphrase mode opened without the passphrase")
	}
	w.mustRun("--passphrase-file", w.pass, "key", "use-keyring")
	if out := w.mustRun("sessions", "list"); !strings.Contains(out, canary) {
		t.Fatalf("list:\n%s", out)
	}
	hits, files, size := scan(t, []byte(canary), w.data, w.tmp)
	t.Logf("canary scan: %d files, %d bytes; hits %v", files, size, hits)
	if len(hits) > 0 {
		t.Fatalf("canary found in %v", hits)
	}
	out = w.mustRun("wipe", "--yes")
	m := regexp.MustCompile(`removed key from the OS keyring: (store-[0-9a-f]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("wipe did not remove a keyring entry:\n%s", out)
	}
	if _, err := keyring.New().Get(context.Background(), m[1]); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("keyring entry %s after wipe: %v", m[1], err)
	}
	if after := tree(w.data); len(after) != 0 {
		t.Fatalf("left after wipe: %v", after)
	}
}

// TestSecondInstance opens the store in this process, as the window would,
// and runs the command line beside it.
func TestSecondInstance(t *testing.T) {
	// This process and the child must agree on whether a keyring answers,
	// so both use the environment's session bus.
	w := newWorld(t, true)
	v, err := local.NewData().Vault(cli.Global{DataDir: w.data, PassphraseFile: w.pass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := v.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// With the store open and its write-ahead log not yet folded back, the
	// canary is still nowhere on disk in the clear.
	recs, err := archive.ReadJSON(bytes.NewReader(exportJSON(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportSessions(ctx, recs); err != nil {
		t.Fatal(err)
	}
	hits, files, size := scan(t, []byte(canary), w.data, w.tmp)
	t.Logf("canary scan while open: %d files, %d bytes: %v; hits %v", files, size, tree(w.data), hits)
	if len(hits) > 0 {
		t.Fatalf("canary found in %v", hits)
	}
	code, _, errOut := w.run("", "--passphrase-file", w.pass, "sessions", "list")
	if code != 1 || !strings.Contains(errOut, "another copy of Rehearse is already using this data folder; close it first") {
		t.Fatalf("second instance: exit %d %q", code, errOut)
	}
	if code, _, _ := w.run("", "wipe", "--yes"); code != 1 {
		t.Fatalf("wipe beside a running instance: exit %d", code)
	}
	s.Close()
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list"); !strings.Contains(out, canary) {
		t.Fatalf("after the first closed:\n%s", out)
	}
}

func TestDoctorData(t *testing.T) {
	w := newWorld(t, false)
	code, out, _ := w.run("", "doctor")
	if !regexp.MustCompile(`(?m)^ok\s+encryption\s+active: SQLCipher 4\.`).MatchString(out) {
		t.Fatalf("doctor (exit %d):\n%s", code, out)
	}
	if !regexp.MustCompile(`(?m)^note\s+keyring\s+`).MatchString(out) || !strings.Contains(out, "data folder") {
		t.Fatalf("doctor:\n%s", out)
	}
}

// TestExportKeepsRecordings saves a spoken answer for later transcription
// (this build may have no speech model), exports the store, imports the file
// into a fresh installation and checks that the answer came back with its
// recording, sample for sample, so it can still be transcribed there.
func TestExportKeepsRecordings(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed (make deps): no speech to record")
	}
	src := newWorld(t, false)
	wav := filepath.Join(src.in, "answer.wav")
	if out, err := exec.Command("espeak-ng", "-w", wav, "We shipped the billing service a week early.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	// What the store keeps: the recording at 16 kHz mono.
	speech, _, err := audio.ReadWAVFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	src.mustRun("--passphrase-file", src.pass, "practice", "--wav", wav, "--question", "Tell me about a conflict.")

	for _, tc := range []struct {
		name       string
		flags      []string
		recordings int
	}{
		{"with recordings", nil, 1},
		{"without recordings", []string{"--no-recordings"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(src.out, strings.ReplaceAll(tc.name, " ", "-")+".json")
			src.mustRun(append(append([]string{"--passphrase-file", src.pass, "export", "--format", "json"}, tc.flags...), "-o", out)...)
			recs := readExport(t, out)
			if len(recs) != 1 || len(recs[0].Attempts) != 1 || len(recs[0].Recordings) != tc.recordings {
				t.Fatalf("export holds %d session(s), recordings %v", len(recs), recs[0].Recordings)
			}
			if tc.recordings > 0 {
				got := recs[0].Recordings[0]
				if len(got.Samples) != len(speech.Samples) {
					t.Fatalf("%d samples, want %d", len(got.Samples), len(speech.Samples))
				}
				for i, v := range got.Samples {
					if math.Abs(float64(v-speech.Samples[i])) > 1.0/32768 {
						t.Fatalf("sample %d: %v, want %v", i, v, speech.Samples[i])
					}
				}
			}

			dst := newWorld(t, false)
			if got := dst.mustRun("--passphrase-file", dst.pass, "import", out); !strings.Contains(got,
				fmt.Sprintf("imported 1 session(s), 1 answer(s), %d recording(s)", tc.recordings)) {
				t.Fatalf("import said %q", got)
			}
			again := filepath.Join(dst.out, "again.json")
			dst.mustRun("--passphrase-file", dst.pass, "export", "--format", "json", "-o", again)
			back := readExport(t, again)
			if len(back) != 1 || len(back[0].Recordings) != tc.recordings ||
				back[0].Attempts[0].Status != recs[0].Attempts[0].Status {
				t.Fatalf("the imported store exports %+v", back)
			}
			if tc.recordings > 0 && !slices.Equal(back[0].Recordings[0].Samples, recs[0].Recordings[0].Samples) {
				t.Fatal("the recording changed on the way through the second store")
			}
		})
	}
}

// TestSalvageCommand damages a store made through the command line and
// walks the way back: the refusal names what to do, `export --salvage`
// saves every session still readable without changing the damaged file, and
// after `wipe` an import brings those sessions into a new store.
func TestSalvageCommand(t *testing.T) {
	w := newWorld(t, false)
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var recs []rehearse.SessionRecord
	for i := 0; i < 24; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		r := rehearse.SessionRecord{Session: rehearse.Session{Title: fmt.Sprintf("Session %02d", i), CreatedAt: at, UpdatedAt: at}}
		for j := 0; j < 2; j++ {
			r.Attempts = append(r.Attempts, rehearse.Attempt{QuestionText: "Tell me about a deadline.", QuestionType: rehearse.Behavioral,
				Number: j + 1, Status: rehearse.StatusAnalyzed, CreatedAt: at,
				Transcript: rehearse.Transcript{Text: strings.Repeat(fmt.Sprintf("session %d answer %d ", i, j), 60), Source: "typed"}})
		}
		recs = append(recs, r)
	}
	in := filepath.Join(w.in, "sessions.json")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := archive.WriteJSON(context.Background(), f, recs, t0, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	w.mustRun("--passphrase-file", w.pass, "import", in)

	db := filepath.Join(w.data, "rehearse.db")
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for off := len(b) / 2; off+4096 <= len(b); off += 3 * 4096 {
		b[off+300] ^= 0x3C
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}

	code, _, errOut := w.run("", "--passphrase-file", w.pass, "export", "-o", filepath.Join(w.out, "all.json"))
	if code != 1 || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, "export --salvage") {
		t.Fatalf("export of a damaged store: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, b) {
		t.Fatal("the refused export changed the damaged store")
	}
	saved := filepath.Join(w.out, "saved.json")
	code, _, errOut = w.run("", "--passphrase-file", w.pass, "export", "--salvage", "-o", saved)
	if code != 0 || !strings.Contains(errOut, "could not be read") {
		t.Fatalf("export --salvage: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, b) {
		t.Fatal("export --salvage changed the damaged store")
	}
	back := readExport(t, saved)
	answers := 0
	for _, r := range back {
		answers += len(r.Attempts)
	}
	// Salvage reads answer by answer: each lost one is named.
	lost := strings.Count(errOut, "\n  answer ")
	t.Logf("saved %d answers in %d sessions, lost %d", answers, len(back), lost)
	if answers == 0 || lost == 0 || answers+lost != 2*len(recs) {
		t.Fatalf("saved %d and lost %d of %d answers", answers, lost, 2*len(recs))
	}

	w.mustRun("wipe", "--yes")
	if out := w.mustRun("--passphrase-file", w.pass, "import", saved); !strings.Contains(out, fmt.Sprintf("imported %d session(s)", len(back))) {
		t.Fatalf("import said %q", out)
	}
	out := w.mustRun("--passphrase-file", w.pass, "sessions", "list", "--json")
	var list []rehearse.SessionSummary
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != len(back) {
		t.Fatalf("after the import: %d sessions, %v", len(list), err)
	}
}
