package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/ggml/ggmltest"
	"github.com/rehearse-app/rehearse/internal/models"
	"github.com/rehearse-app/rehearse/internal/ptytest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

// readmeExample is one command of the README, as written there.
type readmeExample struct {
	line string   // the README text it came from
	args []string // after "rehearse", placeholders still in
}

// readmeExamples returns every rehearse command of the README: the lines
// of its code blocks and its inline code that start with "rehearse " or
// "bin/rehearse ". A line listing alternatives ("sessions list | show ID")
// gives one example per alternative.
func readmeExamples(t *testing.T, readme string) []readmeExample {
	t.Helper()
	var lines []string
	inBlock := false
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			lines = append(lines, strings.TrimSpace(l))
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(l, -1) {
			lines = append(lines, m[1])
		}
	}
	var out []readmeExample
	for _, l := range lines {
		cmd, ok := strings.CutPrefix(l, "bin/")
		if !ok {
			cmd = l
		}
		if !strings.HasPrefix(cmd, "rehearse ") {
			continue
		}
		words, err := shellWords(cmd)
		if err != nil {
			t.Fatalf("README line %q: %v", l, err)
		}
		// Alternatives share the command word(s) before the first one.
		var alts [][]string
		cur := []string{}
		for _, w := range words[1:] {
			if w == "|" {
				alts = append(alts, cur)
				cur = []string{}
				continue
			}
			cur = append(cur, w)
		}
		alts = append(alts, cur)
		for i, a := range alts {
			if i > 0 {
				a = append([]string{alts[0][0]}, a...)
			}
			out = append(out, readmeExample{line: l, args: a})
		}
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the simple
// commands of the README: words, '…' and "…" quoting, # comments, a
// leading ~/ for the home folder (left as it is: the test expands it).
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			return words, nil
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unclosed %c", c)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// readmeWorld is the temporary installation the examples run in: a data
// folder, a home folder, a working folder with the files the examples
// name, and a local server with one downloadable (synthetic) model.
type readmeWorld struct {
	t                *testing.T
	root, data, work string
	pass, recovery   string // what the user types as passphrases
	env              []string
	modelFile        string // a synthetic model to import
}

func newReadmeWorld(t *testing.T) *readmeWorld {
	root := t.TempDir()
	w := &readmeWorld{t: t, root: root, data: filepath.Join(root, "data"), work: filepath.Join(root, "work"),
		pass: "a good long passphrase", recovery: "my recovery words, kept safe"}
	home := filepath.Join(root, "home")
	for _, d := range []string{w.work, filepath.Join(home, "Downloads"), filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	w.write(filepath.Join(root, "passphrase"), w.pass+"\n")
	w.write(filepath.Join(w.work, "answer.txt"), "When two engineers disagreed about a release, I met both, "+
		"listed the risks, and we agreed to ship behind a flag. The release went out on time and incidents fell by 30%.\n")
	w.write(filepath.Join(w.work, "job.txt"), "Site Reliability Engineer. Run our Kubernetes clusters, lead incident response, define SLOs.\n")
	// Three seconds of a tone between silences: a valid recording.
	a := rehearse.Audio{Samples: make([]float32, 3*rehearse.SampleRate)}
	for i := rehearse.SampleRate / 2; i < 5*rehearse.SampleRate/2; i++ {
		a.Samples[i] = 0.3 * float32(math.Sin(2*math.Pi*220*float64(i)/rehearse.SampleRate))
	}
	var wav bytes.Buffer
	if err := audiotest.WriteWAV(&wav, a); err != nil {
		t.Fatal(err)
	}
	w.write(filepath.Join(w.work, "answer.wav"), wav.String())
	w.write(filepath.Join(w.work, "sentence.wav"), wav.String()) // the sound check's recording

	var model bytes.Buffer
	if err := ggml.WriteSynthetic(&model, ggmltest.Micro); err != nil {
		t.Fatal(err)
	}
	w.modelFile = filepath.Join(home, "Downloads", "ggml-base.en.bin")
	w.write(w.modelFile, model.String())
	sum := sha1.Sum(model.Bytes())
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ggml-tiny.en.bin" {
			http.NotFound(rw, r)
			return
		}
		http.ServeContent(rw, r, "ggml-tiny.en.bin", time.Time{}, bytes.NewReader(model.Bytes()))
	}))
	t.Cleanup(srv.Close)
	cat, err := json.Marshal([]models.Entry{{Name: "tiny.en", Size: int64(model.Len()), SHA1: hex.EncodeToString(sum[:]),
		English: true, AudioLayers: 1, Weights: "f16"}})
	if err != nil {
		t.Fatal(err)
	}
	w.env = append(os.Environ(), "REHEARSE_README_CHILD=1", "REHEARSE_E2E_CHILD=",
		"REHEARSE_README_CATALOGUE="+string(cat), "REHEARSE_README_MODELS_URL="+srv.URL,
		"HOME="+home, "TMPDIR="+filepath.Join(root, "tmp"), "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=",
		"REHEARSE_DATA_DIR="+w.data, "REHEARSE_PASSPHRASE_FILE="+filepath.Join(root, "passphrase"),
		// A session bus that does not exist: the key is kept under the passphrase.
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(root, "no-bus"))
	return w
}

func (w *readmeWorld) write(path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs `rehearse args...` in the working folder on a terminal, typing
// typed into it, and returns the exit status and what was printed.
func (w *readmeWorld) run(typed string, args ...string) (int, string, string) {
	w.t.Helper()
	user, term, err := ptytest.Open()
	if err != nil {
		w.t.Fatalf("a terminal to type into: %v", err)
	}
	defer user.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env, cmd.Dir, cmd.Stdin = w.env, w.work, term
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		term.Close()
		w.t.Fatal(err)
	}
	term.Close()
	go io.Copy(io.Discard, user) // the terminal's echo of what is typed
	if typed != "" {
		if _, err := io.WriteString(user, typed); err != nil {
			w.t.Errorf("type %q: %v", typed, err)
		}
	}
	err = cmd.Wait()
	code := 0
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		w.t.Fatalf("rehearse %s did not finish in 3 minutes (waiting for input that was not typed?)\n%s%s", strings.Join(args, " "), o.String(), e.String())
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		w.t.Fatalf("run %v: %v", args, err)
	}
	w.t.Logf("$ rehearse %s → %d\n%s%s", strings.Join(args, " "), code, o.String(), e.String())
	return code, o.String(), e.String()
}

// setup runs a command the examples depend on; it must succeed.
func (w *readmeWorld) setup(args ...string) string {
	w.t.Helper()
	w.t.Logf("(set-up)")
	code, out, errOut := w.run("", args...)
	if code != 0 {
		w.t.Fatalf("set-up rehearse %v: exit %d: %s", args, code, errOut)
	}
	return out
}

// sessionIDs lists the stored sessions, making two when there are fewer.
func (w *readmeWorld) sessionIDs() []int64 {
	for {
		var list []rehearse.SessionSummary
		if err := json.Unmarshal([]byte(w.setup("sessions", "list", "--json")), &list); err != nil {
			w.t.Fatal(err)
		}
		if len(list) >= 2 {
			ids := make([]int64, len(list))
			for i, s := range list {
				ids[i] = s.ID
			}
			return ids
		}
		w.setup("practice", "--text", "answer.txt", "--question", "Tell me about a conflict at work")
	}
}

func (w *readmeWorld) haveStore() bool {
	_, err := os.Stat(filepath.Join(w.data, "rehearse.db"))
	return err == nil
}

func (w *readmeWorld) installed(name string) bool {
	_, err := os.Stat(filepath.Join(w.data, "models", "ggml-"+name+".bin"))
	return err == nil
}

// TestReadmeExamples runs every rehearse command the README shows, as
// written there (placeholders such as ID or NAME filled in), in a fresh
// data folder, on a terminal, in the README's order. Each must exit 0.
// Commands that ask on a terminal get their answers typed. A README
// example this test does not know how to run fails it: add it to the
// table below.
func TestReadmeExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole command line many times")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples := readmeExamples(t, string(readme))
	if len(examples) < 20 {
		t.Fatalf("found only %d examples in README.md: is the parser broken?", len(examples))
	}
	w := newReadmeWorld(t)

	var commands []string // every command, from the usage
	_, usage, _ := w.run("", "--help")
	_, list, _ := strings.Cut(usage, "Commands:\n")
	for _, l := range strings.Split(list, "\n") {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		commands = append(commands, strings.Fields(l)[0])
	}
	if len(commands) < 10 {
		t.Fatalf("commands from the usage: %q", commands)
	}

	// How to run each kind of example: what it needs first, what the user
	// types, what to put for its placeholders, and what it must print.
	type how struct {
		prepare func() // make what the example needs exist
		typed   string
		fill    map[string]func() string
		want    string // in stdout or stderr
		voice   bool   // runs only when whisper.cpp is compiled in
	}
	storeNeeded := func() {
		if !w.haveStore() {
			w.setup("practice", "--text", "answer.txt", "--question", "Set-up answer")
		}
	}
	firstID := func() string { return strconv.FormatInt(w.sessionIDs()[0], 10) }
	lastID := func() string { ids := w.sessionIDs(); return strconv.FormatInt(ids[len(ids)-1], 10) }
	modelNeeded := func(name string) func() {
		return func() {
			if !w.installed(name) {
				w.setup("models", "import", w.modelFile, "--name", name)
			}
		}
	}
	doubled := func(s string) string { return s + "\n" + s + "\n" }
	table := map[string]how{
		"doctor":     {want: "encryption"},
		"analyze":    {want: "words"},
		"practice":   {want: "Saved answer"},
		"transcribe": {voice: true, prepare: func() { modelNeeded("tiny.en")(); w.setup("models", "use", "tiny.en") }, want: `"text"`},
		// The README's practice --wav example leaves an answer pending until
		// a model is there.
		"soundcheck": {voice: true, prepare: func() { modelNeeded("tiny.en")(); w.setup("models", "use", "tiny.en") },
			want: "word error rate"},
		"transcribe --pending": {voice: true, prepare: func() { modelNeeded("tiny.en")(); w.setup("models", "use", "tiny.en") }, want: "0 still pending"},
		"sessions list":        {prepare: storeNeeded, want: "ANSWERS"},
		"sessions show":        {fill: map[string]func() string{"ID": firstID}, want: "answer"},
		"sessions search":      {prepare: func() { w.sessionIDs() }, fill: map[string]func() string{"TEXT": func() string { return "conflict" }}, want: "conflict"},
		"sessions delete":      {fill: map[string]func() string{"ID": lastID}, want: "deleted session"},
		"export":               {prepare: storeNeeded, fill: map[string]func() string{"FILE": func() string { return "saved.json" }}, want: "exported"},
		"import":               {fill: map[string]func() string{"FILE": func() string { return "rehearse-export.json" }}, want: "imported"},
		"wipe":                 {typed: "delete everything\n", want: "wiped"},
		"models list":          {want: "tiny.en"},
		"models recommend":     {voice: true, want: "Recommended"},
		"version":              {want: "rehearse "},
		"models download": {prepare: func() {
			if w.installed("tiny.en") { // download it again, rather than hear that it is there
				w.setup("models", "remove", "tiny.en")
			}
		}, typed: "y\n", fill: map[string]func() string{"NAME": func() string { return "tiny.en" }}, want: "installed tiny.en"},
		"models import":      {fill: map[string]func() string{"FILE": func() string { return w.modelFile }}, want: "imported"},
		"models remove":      {prepare: modelNeeded("base.en"), fill: map[string]func() string{"NAME": func() string { return "base.en" }}, want: "removed"},
		"models use":         {prepare: modelNeeded("tiny.en"), fill: map[string]func() string{"NAME": func() string { return "tiny.en" }}, want: "transcribing with tiny.en"},
		"key status":         {want: "key"},
		"key rotate":         {prepare: storeNeeded, want: "new key"},
		"key set-passphrase": {prepare: storeNeeded, typed: doubled(w.pass), want: "passphrase"},
		"key set-recovery":   {prepare: storeNeeded, typed: doubled(w.recovery), want: "recovery passphrase set"},
		"key reset":          {prepare: storeNeeded, typed: "start over\n", want: "new, empty store"},
		"rules":              {want: "filler"},
		"questions list":     {want: "questions"},
		"questions pick":     {want: "Seed"},
		"help":               {want: "Usage: rehearse"},
		"interview": {prepare: func() {
			dir := filepath.Join(w.work, "answers")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			for k := 1; k <= 3; k++ {
				w.write(filepath.Join(dir, fmt.Sprintf("%d.txt", k)), "I usually listen first, and I always write the plan down.\n")
			}
		}, want: "Interview report"},
	}
	withSub := map[string]bool{"sessions": true, "models": true, "key": true, "questions": true}
	ran := 0
	for _, ex := range examples {
		args := ex.args
		key := args[0]
		if withSub[key] && len(args) > 1 || key == "transcribe" && len(args) > 1 && args[1] == "--pending" {
			key += " " + args[1]
		}
		runs := [][]string{args}
		if args[0] == "COMMAND" { // rehearse COMMAND --help: every command
			key, runs = "help", nil
			for _, c := range commands {
				runs = append(runs, append([]string{c}, args[1:]...))
			}
		}
		h, ok := table[key]
		if !ok {
			t.Errorf("README example %q: this test does not know how to run %q; add it to the table", ex.line, key)
			continue
		}
		if h.voice && !whisper.Available() {
			t.Logf("SKIPPED README example %q: this build has no whisper.cpp (voice transcription not compiled in); it runs where voice is built", ex.line)
			continue
		}
		if h.prepare != nil {
			h.prepare()
		}
		for _, a := range runs {
			a = append([]string(nil), a...)
			for i, word := range a {
				if f, ok := h.fill[word]; ok {
					a[i] = f()
				} else if strings.HasPrefix(word, "~/") {
					a[i] = filepath.Join(w.root, "home", word[2:])
				} else if regexp.MustCompile(`^[A-Z]+$`).MatchString(word) {
					t.Fatalf("README example %q: no value for the placeholder %s", ex.line, word)
				}
			}
			code, out, errOut := w.run(h.typed, a...)
			if code != 0 || !strings.Contains(out+errOut, h.want) {
				t.Errorf("README example %q (rehearse %s): exit %d, want 0 and %q in the output", ex.line, strings.Join(a, " "), code, h.want)
			}
			ran++
		}
	}
	t.Logf("ran %d commands from %d README examples", ran, len(examples))
}
