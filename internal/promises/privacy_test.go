package promises

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// The promise: what the user says and types is kept only inside the
// encrypted store, and in plaintext only in an export the user asked for.
//
// TestNoPlaintextAtRest pushes canary words (random, unique to the run)
// through every path that handles the user's words or voice — a typed answer
// from a file and from standard input, a session title and job description,
// a spoken answer from a WAV file (espeak-ng speaking, so real speech), a
// transcript correction, re-scoring, an export to a chosen file, an import of
// it, deleting a session, expiry, and a run killed with SIGKILL while it
// saves — and then reads every file in the sandbox: the private HOME with
// all XDG folders, the TMPDIR of the program, the working folder. None may
// contain a canary (in UTF-8 of any case or in UTF-16), a run of the
// recording's samples (PCM16 or float32) or a WAV header, except the export
// file. The export must contain the text canaries: that shows the search
// works on this run's data.
//
// It runs with the key under a passphrase (no keyring reachable), and again
// with the key in the real Secret Service when REHEARSE_TEST_SECRET_SERVICE=1
// (make test provides one).

func TestNoPlaintextAtRest(t *testing.T) {
	t.Run("passphrase", func(t *testing.T) { testNoPlaintext(t, false) })
	t.Run("keyring", func(t *testing.T) {
		if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") != "1" {
			t.Skip("no Secret Service in this session: REHEARSE_TEST_SECRET_SERVICE is not 1 (run through .ci/with-services.sh, as make test does)")
		}
		testNoPlaintext(t, true)
	})
}

// speechWAV returns a 16 kHz mono PCM16 WAV of espeak-ng saying text.
func speechWAV(t *testing.T, dir, text string) []byte {
	t.Helper()
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it): it makes the spoken answer", tool)
		}
	}
	raw := filepath.Join(dir, "espeak.wav")
	out := filepath.Join(dir, "answer.wav")
	if b, err := exec.Command("espeak-ng", "-w", raw, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v\n%s", err, b)
	}
	if b, err := exec.Command("sox", raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", out).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v\n%s", err, b)
	}
	os.Remove(raw)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testNoPlaintext(t *testing.T, useKeyring bool) {
	ctx := context.Background()
	s := newSandbox(t)
	s.keyring = useKeyring
	if useKeyring {
		t.Cleanup(func() { s.run("", "wipe", "--yes") }) // remove the key from the shared keyring
	}
	c := map[string]string{}
	for _, k := range []string{"title", "job", "question", "typed", "stdin", "spoken", "edit", "killed", "custom", "analyze"} {
		c[k] = canary(t, k)
	}
	// Inputs live in the sandbox's input folder, which is not searched.
	answerFile := s.write("answer.txt", []byte("I took ownership of the outage review, "+c["typed"]+
		", and I rewrote the alerting so pages dropped by 40 percent within two months."))
	jobFile := s.write("job.txt", []byte("Senior engineer at "+c["job"]+" working on payments"))
	wav := speechWAV(t, s.inDir(), "Hello, my answer is "+c["spoken"]+". I improved the deploy time by half.")
	wavFile := s.write("spoken.wav", wav)
	exportFile := filepath.Join(s.root, "chosen", "my-export.json")
	if err := os.MkdirAll(filepath.Dir(exportFile), 0o700); err != nil {
		t.Fatal(err)
	}

	// 1. A typed answer from a file, in a new session with a title and a
	// job description.
	r := s.must("", "practice", "--text", answerFile, "--question", "Tell me about "+c["question"]+" and ownership.",
		"--title", "Interview at "+c["title"], "--job", jobFile)
	m := sessionRE.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no session in the output:\n%s", r)
	}
	session := m[1]
	firstID := savedIDs(r.stdout)
	time.Sleep(1100 * time.Millisecond)
	cutoff := time.Now()

	// 2. A typed answer from standard input in the same session.
	stdinID := s.practiceText("What did you learn?", "I learned to ask early. "+c["stdin"]+" was the project.", "--session", session)

	// 3. A spoken answer from a WAV file (kept encrypted to transcribe later
	// when no speech model is installed, transcribed otherwise).
	r = s.must("", "practice", "--wav", wavFile, "--question", "Describe "+c["spoken"]+" briefly.", "--session", session)
	if len(savedIDs(r.stdout)) != 1 {
		t.Fatalf("the spoken answer was not saved:\n%s", r)
	}

	// 4. A transcript correction and re-scoring (no command line for them:
	// through the practice service, as the window does, on the real store).
	t.Setenv("TMPDIR", s.tmp)
	func() {
		st, _ := s.openStore(ctx)
		defer st.Close()
		svc, err := practice.New(practice.Config{Store: st})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		if _, err := svc.EditTranscript(ctx, stdinID, "I learned to ask early. "+c["edit"]+" was the project, corrected."); err != nil {
			t.Fatalf("edit transcript: %v", err)
		}
		if _, err := svc.Reanalyze(ctx, stdinID); err != nil {
			t.Fatalf("re-analyse: %v", err)
		}
		if _, err := svc.RescoreAll(ctx, nil); err != nil {
			t.Fatalf("re-score all: %v", err)
		}
		q := rehearse.Question{Text: "My own question about " + c["custom"] + "?", Type: rehearse.Behavioral}
		if err := svc.SaveQuestion(ctx, &q); err != nil {
			t.Fatalf("save a custom question: %v", err)
		}
	}()

	// Text-mode feedback without saving, and transcription of the
	// recording (which fails when no speech model is installed; what
	// matters here is what it leaves behind).
	s.must("", "analyze", s.write("analyze.txt", []byte("I think "+c["analyze"]+" went well and I measured a 20 percent gain.")))
	s.run("", "transcribe", wavFile)

	// 5. Searching, listing and showing read the store (and must not
	// leave a copy behind).
	s.must("", "sessions", "list")
	s.must("", "sessions", "show", session)
	if r := s.must("", "sessions", "search", c["edit"]); !strings.Contains(r.stdout, c["edit"]) {
		t.Fatalf("search does not find the corrected transcript:\n%s", r)
	}

	// 6. Export to the chosen file, then import it back (every session is
	// already there, so nothing is added).
	s.must("", "export", "--format", "json", "-o", exportFile)
	s.must("", "export", "--format", "md", "-o", exportFile+".md")
	s.must("", "import", exportFile)

	// 7. Expiry: everything created before the cut-off (the first answer)
	// goes, with its space reclaimed.
	func() {
		st, _ := s.openStore(ctx)
		defer st.Close()
		n, err := st.Expire(ctx, cutoff)
		if err != nil {
			t.Fatalf("expire: %v", err)
		}
		if want := len(firstID); n != want {
			t.Errorf("expiry deleted %d answers, want %d", n, want)
		}
	}()
	s.must("", "sessions", "expire", "--days", "30")

	// 8. Delete one session through the command line.
	s.must("", "sessions", "delete", session)

	// 9. A run killed while it saves (a few times, at different moments).
	var words []string
	for _, w := range c {
		words = append(words, w)
	}
	needles := append(textNeedles(words...), audioNeedles(t, wav)...)
	skip := map[string]bool{exportFile: true, exportFile + ".md": true}
	killed := 0
	plans := []killPlan{{delay: 50 * time.Millisecond}, {delay: 150 * time.Millisecond},
		{onWrite: true}, {onWrite: true, extra: 500 * time.Microsecond}, {onWrite: true, extra: time.Millisecond}}
	for _, d := range plans {
		kr := s.runAndKillWhen("My killed answer mentions "+c["killed"]+" twice: "+c["killed"]+". "+longAnswer[:20000], d,
			"practice", "--text", "-", "--question", "Killed "+c["killed"])
		if kr.signaled {
			killed++
		}
		// What a crash leaves behind (write-ahead log, journal, partial
		// files) is searched before the next run tidies it up.
		hits, _, _ := scanFiles(t, []string{s.root}, needles, withInputs(skip, s))
		for _, h := range hits {
			t.Errorf("plaintext left by a run killed after %v: %v", kr.killedAfter, h)
		}
	}
	t.Logf("%d of %d runs killed while saving", killed, len(plans))
	s.must("", "sessions", "list")

	// The search. The sandbox root holds HOME (every XDG folder), TMPDIR,
	// the working folder and the chosen export folder; the inputs the test
	// wrote are skipped.
	hits, files, size := scanFiles(t, []string{s.root}, needles, withInputs(skip, s))
	for _, h := range hits {
		t.Errorf("plaintext at rest: %v", h)
	}
	if files < 3 {
		t.Fatalf("only %d files found under %s: the program did not store anything where expected", files, s.root)
	}
	if _, err := os.Stat(s.layout().DB()); err != nil {
		t.Fatalf("the store is not where the layout says: %v", err)
	}
	t.Logf("searched %d files (%d bytes) under %s for %d needles: %d hits", files, size, s.root, len(needles), len(hits))

	// Positive control: the export holds the text the user typed, spoke
	// about and corrected, and the search finds it there.
	exp, err := os.ReadFile(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"title", "job", "question", "typed", "edit"} {
		if len(scanBytes(exportFile, exp, textNeedles(c[k])[:1])) == 0 {
			t.Errorf("the export does not contain the %s canary: the search would not have found it either", k)
		}
	}

	// 10. Wipe: nothing of the store is left, the export stays.
	r = s.must("", "wipe", "--yes")
	for _, p := range []string{s.layout().DB(), s.layout().DB() + "-wal", filepath.Join(s.configDir(), "key.json")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("after wipe %s is still there (%v)\n%s", p, err, r)
		}
	}
	if _, err := os.Stat(exportFile); err != nil {
		t.Errorf("wipe removed the export the user chose to keep: %v", err)
	}
	hits, _, _ = scanFiles(t, []string{s.root}, needles, withInputs(skip, s))
	for _, h := range hits {
		t.Errorf("plaintext after wipe: %v", h)
	}
	if t.Failed() {
		t.Logf("program output:\n%s", s.log.String())
	}
}

// withInputs adds the sandbox's own inputs (answers, WAV, passphrase) to skip.
func withInputs(skip map[string]bool, s *sandbox) map[string]bool {
	out := map[string]bool{}
	for k, v := range skip {
		out[k] = v
	}
	for _, dir := range []string{s.inDir(), filepath.Dir(s.passFile)} {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			out[filepath.Join(dir, e.Name())] = true
		}
	}
	return out
}
