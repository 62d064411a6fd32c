package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/cli"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// manySessions is an export of n sessions with a long answer each.
func manySessions(t *testing.T, n int) string {
	t.Helper()
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var ss []any
	for i := 0; i < n; i++ {
		ss = append(ss, map[string]any{
			"session": rehearse.Session{ID: int64(i + 1), Title: fmt.Sprintf("Interview %d", i), CreatedAt: t0, UpdatedAt: t0},
			"attempts": []any{map[string]any{"question_text": "Tell me about yourself", "question_type": "intro", "number": 1, "created_at": t0,
				"status": "analyzed", "transcript": rehearse.Transcript{Text: strings.Repeat(fmt.Sprintf("answer %d words ", i), 60), Source: "typed"}}},
		})
	}
	b, err := json.Marshal(map[string]any{"format": "rehearse-export", "version": 1, "exported_at": t0, "sessions": ss})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWipeLeavesForeignFolder runs `rehearse --data-dir DIR wipe --yes` on a
// folder Rehearse never used: nothing is deleted and the exit status is 1.
func TestWipeLeavesForeignFolder(t *testing.T) {
	w := newWorld(t, false)
	os.MkdirAll(filepath.Join(w.data, "sub"), 0o700)
	os.WriteFile(filepath.Join(w.data, "cv.txt"), []byte("hi"), 0o600)
	os.WriteFile(filepath.Join(w.data, "sub", "a.txt"), []byte("hi"), 0o600)
	before := strings.Join(tree(w.data), " ")
	for _, args := range [][]string{{"wipe", "--yes"}, {"wipe", "--yes", "--models"}} {
		code, _, errOut := w.run("", args...)
		if code != 1 || !strings.Contains(errOut, "not a Rehearse folder") || !strings.Contains(errOut, "nothing was deleted") {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if after := strings.Join(tree(w.data), " "); after != before {
			t.Fatalf("%v changed the folder: %s -> %s", args, before, after)
		}
	}
	// Once Rehearse has used the folder, a wipe takes only its own files.
	w.mustRun("--passphrase-file", w.pass, "sessions", "list")
	out := w.mustRun("wipe", "--yes")
	if !strings.Contains(out, "left    "+filepath.Join(w.data, "cv.txt")) {
		t.Fatalf("wipe report:\n%s", out)
	}
	if after := strings.Join(tree(w.data), " "); after != "./ .rehearse-folder cv.txt sub/ sub/a.txt" {
		t.Fatalf("after wipe: %s", after)
	}
}

// TestMissingStoreCommands: with the database gone, commands refuse and
// leave the key alone, doctor fails with the fix, and `key reset` starts
// over keeping the old key aside.
func TestMissingStoreCommands(t *testing.T) {
	w := newWorld(t, false)
	w.mustRun("--passphrase-file", w.pass, "import", w.secret("one.json", string(exportJSON(t))))
	db := filepath.Join(w.data, "rehearse.db")
	keyFile := filepath.Join(w.data, "config", "key.json")
	away := filepath.Join(w.out, "away.db")
	if err := os.Rename(db, away); err != nil {
		t.Fatal(err)
	}
	key := sum(t, keyFile)
	for _, args := range [][]string{{"sessions", "list"}, {"export", "-o", filepath.Join(w.out, "x.json")}, {"key", "rotate"}} {
		code, _, errOut := w.run("", append([]string{"--passphrase-file", w.pass}, args...)...)
		if code == 0 || !strings.Contains(errOut, "is missing, but its key is still kept") || !strings.Contains(errOut, "rehearse key reset") {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a new store was created")
	}
	if sum(t, keyFile) != key {
		t.Fatal("the key file changed")
	}
	code, out, _ := w.run("", "--passphrase-file", w.pass, "doctor")
	if code != 1 || !regexp.MustCompile(`(?m)^FAIL\s+practice store\s+the practice store \S+ is missing, but its key is still kept`).MatchString(out) || !strings.Contains(out, "key reset") {
		t.Fatalf("doctor: exit %d\n%s", code, out)
	}
	out = w.mustRun("key", "reset", "--yes")
	m := regexp.MustCompile(`kept the old key file as (\S+)`).FindStringSubmatch(out)
	if m == nil || sum(t, m[1]) != key {
		t.Fatalf("key reset:\n%s", out)
	}
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list"); !strings.Contains(out, "no sessions yet") {
		t.Fatalf("after reset:\n%s", out)
	}
	// The old database comes back and opens with the kept key.
	os.Rename(db, db+".new")
	os.Rename(keyFile, keyFile+".new")
	os.Rename(away, db)
	os.Rename(m[1], keyFile)
	if out := w.mustRun("--passphrase-file", w.pass, "sessions", "list"); !strings.Contains(out, canary) {
		t.Fatalf("returning database:\n%s", out)
	}
}

// TestDamagedStoreCommands: a zero-byte, truncated or first-page-damaged
// store is named as damaged, never replaced, and doctor fails on it.
func TestDamagedStoreCommands(t *testing.T) {
	w := newWorld(t, false)
	w.mustRun("--passphrase-file", w.pass, "import", w.secret("many.json", manySessions(t, 40)))
	db := filepath.Join(w.data, "rehearse.db")
	good, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), good...)
	flipped[300] ^= 0x41
	inner := append([]byte(nil), good...)
	inner[len(inner)-1000] ^= 0x41
	for _, tc := range []struct {
		name    string
		content []byte
		list    bool // sessions list fails too (inner damage shows only when read)
	}{
		{"zero bytes", []byte{}, true},
		{"truncated", good[:len(good)/2+123], true},
		{"first page", flipped, true},
		{"inner page", inner, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(db + "-wal")
			os.Remove(db + "-shm")
			os.WriteFile(db, tc.content, 0o600)
			if tc.list {
				code, _, errOut := w.run("", "--passphrase-file", w.pass, "sessions", "list")
				if code == 0 || !strings.Contains(errOut, "the practice store is damaged: ") || strings.Contains(errOut, "No sessions") {
					t.Fatalf("sessions list: exit %d %s", code, errOut)
				}
			}
			code, out, _ := w.run("", "--passphrase-file", w.pass, "doctor")
			if code == 0 || !regexp.MustCompile(`(?m)^FAIL\s+practice store\s+the practice store is damaged`).MatchString(out) {
				t.Fatalf("doctor: exit %d\n%s", code, out)
			}
			if b, _ := os.ReadFile(db); string(b) != string(tc.content) {
				t.Fatal("the damaged file was changed")
			}
		})
	}
}

// TestGUIMissingStore: the window shows the problem instead of making a
// fresh store over a missing one.
func TestGUIMissingStore(t *testing.T) {
	if !inGUIChild() {
		runGUIChild(t)
		return
	}
	isolate(t)
	data := filepath.Join(t.TempDir(), "data")
	g := cli.Global{DataDir: data, PassphraseFile: passFile(t, "a good long passphrase\n")}
	seedGUIStore(t, g, "Away "+guiCanary)
	db := filepath.Join(data, "rehearse.db")
	if err := os.Rename(db, db+".away"); err != nil {
		t.Fatal(err)
	}
	h := openGUI(t, g)
	defer h.close()
	h.waitShow("is missing, but its key is still kept", "rehearse key reset")
	if _, err := os.Stat(db); err == nil {
		t.Fatal("the window created a new store")
	}
}
