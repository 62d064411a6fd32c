package sqlcipher

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
	case "wrongkey":
		os.Exit(runWrongKeyChild())
	default:
		os.Exit(runWriterChild())
	}
	os.Exit(m.Run())
}

func newKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func openStore(t testing.TB, path string, key []byte) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, key, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func fileHash(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// answer builds a spoken answer whose words spell out text.
func answer(sessionID int64, qid, question, text string) *rehearse.Attempt {
	var words []rehearse.Word
	at := 0.5
	for _, w := range strings.Fields(text) {
		words = append(words, rehearse.Word{Text: w, Start: at, End: at + 0.3, P: 0.91})
		at += 0.4
	}
	return &rehearse.Attempt{
		SessionID:    sessionID,
		QuestionID:   qid,
		QuestionText: question,
		QuestionType: rehearse.Behavioral,
		Status:       rehearse.StatusAnalyzed,
		StartedAt:    time.Date(2026, 11, 20, 10, 0, 0, 123456789, time.UTC),
		DurationS:    at,
		LatencyKnown: true,
		Transcript: rehearse.Transcript{Text: text, Words: words, Timed: true, DurationS: at,
			Source: "whisper:tiny.en"},
		Analysis:        []byte(`{"score":3,"rules":["star"]}`),
		RulebookVersion: "2026.1",
	}
}

func tone(n int) *rehearse.Audio {
	a := &rehearse.Audio{Samples: make([]float32, n)}
	for i := range a.Samples {
		a.Samples[i] = float32(0.5 * math.Sin(float64(i)/8))
	}
	return a
}

// TestStoreRoundTrip drives every Store method against a real SQLCipher file,
// then reopens the file and checks that everything came back.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s := openStore(t, path, key)

	finished := time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	sess := &rehearse.Session{Title: "Backend engineer at Acme", JobDescription: "Go, Postgres",
		Settings: rehearse.SessionSettings{QuestionIDs: []string{"b1", "t2"}, PrepSeconds: 20, AnswerSeconds: 120, KeepRecordings: true, FluencyMetrics: true}}
	other := &rehearse.Session{Title: "Product manager"}
	var first, retake, typed *rehearse.Attempt
	audio := tone(16000)

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"CreateSession", func(t *testing.T) {
			for _, x := range []*rehearse.Session{sess, other} {
				if err := s.CreateSession(ctx, x); err != nil {
					t.Fatal(err)
				}
				if x.ID == 0 || x.CreatedAt.IsZero() || x.UpdatedAt.IsZero() {
					t.Fatalf("ID/times not set: %+v", x)
				}
			}
		}},
		{"Session", func(t *testing.T) {
			got, err := s.Session(ctx, sess.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, sess) {
				t.Fatalf("got %+v\nwant %+v", got, sess)
			}
			if _, err := s.Session(ctx, 9999); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("missing session: %v", err)
			}
		}},
		{"UpdateSession", func(t *testing.T) {
			sess.Title = "Senior backend engineer at Acme"
			sess.Settings.PrepSeconds = 30
			if err := s.UpdateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Session(ctx, sess.ID)
			if got.Title != sess.Title || got.Settings.PrepSeconds != 30 {
				t.Fatalf("not updated: %+v", got)
			}
			if err := s.UpdateSession(ctx, &rehearse.Session{ID: 9999}); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("missing session: %v", err)
			}
		}},
		{"FinishSession", func(t *testing.T) {
			if err := s.FinishSession(ctx, sess.ID, finished); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Session(ctx, sess.ID)
			if got.FinishedAt == nil || !got.FinishedAt.Equal(finished) {
				t.Fatalf("finished_at = %v", got.FinishedAt)
			}
			sess.FinishedAt = got.FinishedAt
		}},
		{"AddAttempt", func(t *testing.T) {
			first = answer(sess.ID, "b1", "Tell me about a conflict.", "So I led the migration and we cut costs by twenty percent")
			if err := s.AddAttempt(ctx, first, audio); err != nil {
				t.Fatal(err)
			}
			retake = answer(sess.ID, "b1", "Tell me about a conflict.", "In my last role the situation was a failing release")
			if err := s.AddAttempt(ctx, retake, nil); err != nil {
				t.Fatal(err)
			}
			typed = &rehearse.Attempt{SessionID: sess.ID, QuestionText: "Why this company?", QuestionType: rehearse.Motivation,
				Status: rehearse.StatusPendingTranscription, Transcript: rehearse.Transcript{Text: "pending"}}
			if err := s.AddAttempt(ctx, typed, nil); err != nil {
				t.Fatal(err)
			}
			if first.Number != 1 || retake.Number != 2 || typed.Number != 1 {
				t.Fatalf("numbers %d %d %d, want 1 2 1", first.Number, retake.Number, typed.Number)
			}
			if !first.HasAudio || retake.HasAudio {
				t.Fatalf("HasAudio %v %v", first.HasAudio, retake.HasAudio)
			}
			if err := s.AddAttempt(ctx, answer(9999, "", "q", "x"), nil); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("attempt for a missing session: %v", err)
			}
		}},
		{"Attempt", func(t *testing.T) {
			got, err := s.Attempt(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, first) {
				t.Fatalf("got %+v\nwant %+v", got, first)
			}
			if _, err := s.Attempt(ctx, 9999); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("missing attempt: %v", err)
			}
		}},
		{"UpdateAttempt", func(t *testing.T) {
			typed.Status = rehearse.StatusAnalyzed
			typed.Transcript = rehearse.Transcript{Text: "I admire the mission", Words: []rehearse.Word{{Text: "I", Start: 0, End: 0.1, P: 0.5}}, Timed: true}
			typed.Corrected = &rehearse.Transcript{Text: "I admire the mission deeply", Source: "edited"}
			typed.Analysis = []byte(`{"score":2}`)
			typed.RulebookVersion = "2026.2"
			if err := s.UpdateAttempt(ctx, typed); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Attempt(ctx, typed.ID)
			if !reflect.DeepEqual(got, typed) {
				t.Fatalf("got %+v\nwant %+v", got, typed)
			}
			if err := s.UpdateAttempt(ctx, &rehearse.Attempt{ID: 9999}); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("missing attempt: %v", err)
			}
		}},
		{"Attempts", func(t *testing.T) {
			got, err := s.Attempts(ctx, sess.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].ID != first.ID || got[1].ID != retake.ID || got[2].ID != typed.ID {
				t.Fatalf("attempts %+v", got)
			}
		}},
		{"PendingAttempts", func(t *testing.T) {
			p := answer(other.ID, "", "Describe yourself", "")
			p.Status = rehearse.StatusPendingTranscription
			if err := s.AddAttempt(ctx, p, tone(800)); err != nil {
				t.Fatal(err)
			}
			got, err := s.PendingAttempts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID != p.ID {
				t.Fatalf("pending %+v", got)
			}
		}},
		{"AllAttempts", func(t *testing.T) {
			all, err := s.AllAttempts(ctx, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 4 {
				t.Fatalf("all: %d", len(all))
			}
			later, err := s.AllAttempts(ctx, time.Now().Add(time.Hour))
			if err != nil || len(later) != 0 {
				t.Fatalf("since the future: %d %v", len(later), err)
			}
		}},
		{"AttemptAudio", func(t *testing.T) {
			got, err := s.AttemptAudio(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Samples) != len(audio.Samples) {
				t.Fatalf("samples %d want %d", len(got.Samples), len(audio.Samples))
			}
			for i, v := range got.Samples {
				if math.Abs(float64(v-audio.Samples[i])) > 1.0/32767 {
					t.Fatalf("sample %d: %v want %v", i, v, audio.Samples[i])
				}
			}
			if _, err := s.AttemptAudio(ctx, retake.ID); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("no audio kept: %v", err)
			}
		}},
		{"Search", func(t *testing.T) {
			hits, err := s.Search(ctx, "migration", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 1 || hits[0].AttemptID != first.ID || hits[0].SessionTitle != sess.Title ||
				!strings.Contains(hits[0].Snippet, "[migration]") {
				t.Fatalf("hits %+v", hits)
			}
			// corrected text, question text, session title, prefixes
			for q, want := range map[string]int{"deeply": 1, "conflict": 2, "senior acme": 3, "migr": 1, `"; DROP`: 0, "": 0} {
				hits, err := s.Search(ctx, q, 10)
				if err != nil || len(hits) != want {
					t.Errorf("Search(%q) = %d hits, %v; want %d", q, len(hits), err, want)
				}
			}
		}},
		{"ListSessions", func(t *testing.T) {
			list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].ID != other.ID || list[1].ID != sess.ID {
				t.Fatalf("list %+v", list)
			}
			if got := list[1]; got.Attempts != 3 || got.Questions != 2 || math.Abs(got.SpokenS-(first.DurationS+retake.DurationS)) > 1e-9 {
				t.Fatalf("summary %+v", got)
			}
			for _, c := range []struct {
				f    rehearse.SessionFilter
				want int
			}{
				{rehearse.SessionFilter{Text: "migration"}, 1},
				{rehearse.SessionFilter{Text: "product"}, 1},
				{rehearse.SessionFilter{Limit: 1}, 1},
				{rehearse.SessionFilter{Offset: 1}, 1},
				{rehearse.SessionFilter{Since: time.Now().Add(time.Hour)}, 0},
				{rehearse.SessionFilter{Until: time.Now().Add(time.Hour)}, 2},
			} {
				got, err := s.ListSessions(ctx, c.f)
				if err != nil || len(got) != c.want {
					t.Errorf("ListSessions(%+v) = %d, %v; want %d", c.f, len(got), err, c.want)
				}
			}
		}},
		{"Questions", func(t *testing.T) {
			q := &rehearse.Question{Text: "Walk me through a design", Type: rehearse.Technical, Tags: []string{"system"}, Tip: "draw it"}
			if err := s.SaveQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(q.ID, "custom-") || !q.Custom {
				t.Fatalf("question %+v", q)
			}
			q.Text = "Walk me through a system design"
			if err := s.SaveQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			got, err := s.CustomQuestions(ctx)
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], *q) {
				t.Fatalf("questions %+v %v", got, err)
			}
			q2 := &rehearse.Question{ID: "mine", Text: "Gone soon", Type: rehearse.Intro}
			if err := s.SaveQuestion(ctx, q2); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteQuestion(ctx, "mine"); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteQuestion(ctx, "mine"); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("delete twice: %v", err)
			}
		}},
		{"Settings", func(t *testing.T) {
			if _, ok, err := s.Setting(ctx, "rulebook.overrides"); ok || err != nil {
				t.Fatalf("unset setting: %v %v", ok, err)
			}
			for _, v := range []string{`{"filler_max":5}`, `{"filler_max":6}`} {
				if err := s.SetSetting(ctx, "rulebook.overrides", v); err != nil {
					t.Fatal(err)
				}
				got, ok, err := s.Setting(ctx, "rulebook.overrides")
				if err != nil || !ok || got != v {
					t.Fatalf("setting = %q %v %v", got, ok, err)
				}
			}
		}},
		{"DeleteAttemptAudio", func(t *testing.T) {
			if err := s.DeleteAttemptAudio(ctx, first.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AttemptAudio(ctx, first.ID); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("audio after delete: %v", err)
			}
			got, _ := s.Attempt(ctx, first.ID)
			if got.HasAudio {
				t.Fatal("HasAudio after delete")
			}
			first.HasAudio = false
		}},
		{"Stats", func(t *testing.T) {
			st, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Sessions != 2 || st.Attempts != 4 || st.Recordings != 1 || st.RecordingBytes != 1600 || st.CustomQuestion != 1 ||
				st.SchemaVersion != len(migrations) || st.FileBytes <= 0 || st.Oldest.IsZero() || st.Newest.Before(st.Oldest) ||
				!strings.HasPrefix(st.CipherVersion, "4.") || st.CipherProvider == "" {
				t.Fatalf("stats %+v", st)
			}
		}},
		{"ImportSessions", func(t *testing.T) {
			when := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
			rec := rehearse.SessionRecord{
				Session:  rehearse.Session{ID: 77, Title: "Imported", CreatedAt: when, UpdatedAt: when},
				Attempts: []rehearse.Attempt{*answer(77, "i1", "Imported question", "imported words"), *answer(77, "i1", "Imported question", "again")},
			}
			rec.Attempts[0].Number, rec.Attempts[1].Number = 1, 2
			if err := s.ImportSessions(ctx, []rehearse.SessionRecord{rec}); err != nil {
				t.Fatal(err)
			}
			list, _ := s.ListSessions(ctx, rehearse.SessionFilter{Text: "Imported"})
			if len(list) != 1 || list[0].ID == 77 || !list[0].CreatedAt.Equal(when) || list[0].Attempts != 2 {
				t.Fatalf("imported %+v", list)
			}
			// all or nothing: a bad record rolls the whole batch back
			bad := rec
			bad.Session.Title = "Half"
			bad.Attempts = []rehearse.Attempt{rec.Attempts[0], rec.Attempts[0]} // same number twice is fine...
			bad.Attempts[1].Transcript.Words = []rehearse.Word{{Start: math.NaN()}}
			if err := s.ImportSessions(ctx, []rehearse.SessionRecord{bad}); err == nil {
				t.Fatal("import with an unencodable transcript succeeded")
			}
			if list, _ := s.ListSessions(ctx, rehearse.SessionFilter{Text: "Half"}); len(list) != 0 {
				t.Fatalf("partial import left %d sessions", len(list))
			}
		}},
		{"DeleteSession", func(t *testing.T) {
			if err := s.DeleteSession(ctx, other.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteSession(ctx, other.ID); !errors.Is(err, rehearse.ErrNotFound) {
				t.Fatalf("delete twice: %v", err)
			}
			if hits, _ := s.Search(ctx, "Describe yourself", 5); len(hits) != 0 {
				t.Fatalf("search still finds a deleted session: %+v", hits)
			}
			st, _ := s.Stats(ctx)
			if st.Recordings != 0 || st.Sessions != 2 {
				t.Fatalf("after delete: %+v", st)
			}
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.FailNow()
		}
	}

	var err error
	if sess, err = s.Session(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, path, key)
	if err := s2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Session(ctx, sess.ID)
	if err != nil || !reflect.DeepEqual(got, sess) {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
	for _, want := range []*rehearse.Attempt{first, retake, typed} {
		got, err := s2.Attempt(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("after reopen: %+v %v\nwant %+v", got, err, want)
		}
	}
}

func TestWrongKeyChangesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s := openStore(t, path, key)
	sess := &rehearse.Session{Title: "kept"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileHash(t, path)
	wrong := newKey(t)
	_, err := Open(ctx, path, wrong, Options{})
	if !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("wrong key: %v, want ErrCannotUnlock", err)
	}
	if msg := err.Error(); strings.Contains(msg, hex.EncodeToString(wrong)) || strings.Contains(msg, "key=") {
		t.Fatalf("the key leaks into the error: %s", msg)
	}
	if _, err := Open(ctx, path, key[:16], Options{}); err == nil || strings.Contains(err.Error(), hex.EncodeToString(key[:16])) {
		t.Fatalf("short key: %v", err)
	}
	if after := fileHash(t, path); after != before {
		t.Fatal("a wrong key modified the database file")
	}
	for _, sfx := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + sfx); err == nil {
			t.Errorf("%s left behind", sfx)
		}
	}
	s = openStore(t, path, key)
	if got, err := s.Session(ctx, sess.ID); err != nil || got.Title != "kept" {
		t.Fatalf("right key after a wrong one: %v %v", got, err)
	}
}

// runWrongKeyChild opens a store with the wrong key in a fresh process, so
// the parent can watch what SQLCipher prints.
func runWrongKeyChild() int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rehearse-wrongkey-")
	if err != nil {
		return 2
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "rehearse.db")
	k1, k2 := make([]byte, KeySize), make([]byte, KeySize)
	k2[0] = 1
	s, err := Open(ctx, path, k1, Options{})
	if err != nil {
		return 2
	}
	if err := s.SetSetting(ctx, "a", "b"); err != nil {
		return 2
	}
	s.Close()
	if _, err := Open(ctx, path, k2, Options{}); !errors.Is(err, rehearse.ErrCannotUnlock) {
		return 1
	}
	return 0
}

func TestWrongKeyIsQuiet(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=wrongkey")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("hmac")) || bytes.Contains(out, []byte("ERROR")) {
		t.Fatalf("SQLCipher logged on a wrong key:\n%s", out)
	}
}

// storeFile builds a closed store with some content and returns its path.
func storeFile(t *testing.T, key []byte, sessions int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	s := openStore(t, path, key)
	for i := 0; i < sessions; i++ {
		sess := &rehearse.Session{Title: fmt.Sprintf("session %d", i)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAttempt(ctx, answer(sess.ID, "q", "Question?", strings.Repeat("words and more words ", 50)), tone(4000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCorruptStore(t *testing.T) {
	ctx := context.Background()
	key := newKey(t)
	good := storeFile(t, key, 40)
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(goodBytes) < 20*pageSize {
		t.Fatalf("fixture too small: %d bytes", len(goodBytes))
	}
	plain := filepath.Join(t.TempDir(), "plain.db")
	ps, err := Open(ctx, plain, nil, Options{plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	ps.Close()
	plainBytes, _ := os.ReadFile(plain)

	cases := []struct {
		name    string
		content []byte
		want    error
	}{
		{"truncated mid-page", goodBytes[:len(goodBytes)/2+100], rehearse.ErrCorruptStore},
		{"truncated at a page boundary", goodBytes[:10*pageSize], rehearse.ErrCorruptStore},
		{"shorter than a page", goodBytes[:1000], rehearse.ErrCorruptStore},
		{"a text file", []byte("these are my interview notes, not a database\n"), rehearse.ErrCorruptStore},
		{"plain SQLite database", plainBytes, rehearse.ErrCorruptStore},
		// A damaged first page cannot be told apart from a wrong key: both
		// fail SQLCipher's HMAC on page 1.
		{"first page zeroed", append(make([]byte, pageSize), goodBytes[pageSize:]...), rehearse.ErrCannotUnlock},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rehearse.db")
			if err := os.WriteFile(path, c.content, 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileHash(t, path)
			s, err := Open(ctx, path, key, Options{})
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Open = %v, want %v", err, c.want)
			}
			if fileHash(t, path) != before {
				t.Fatal("Open modified a damaged file")
			}
		})
	}

	t.Run("damaged inner page", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "rehearse.db")
		b := bytes.Clone(goodBytes)
		for off := len(b) / 2; off < len(b); off += pageSize { // one flipped byte per page in the second half
			b[off+100] ^= 0xA5
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(ctx, path, key, Options{})
		if err != nil {
			if !errors.Is(err, rehearse.ErrCorruptStore) {
				t.Fatalf("Open = %v", err)
			}
			return
		}
		defer s.Close()
		if err := s.IntegrityCheck(ctx); !errors.Is(err, rehearse.ErrCorruptStore) {
			t.Fatalf("IntegrityCheck = %v, want ErrCorruptStore", err)
		}
		// Reading everything must run into the damaged page and say so.
		all, err := s.AllAttempts(ctx, time.Time{})
		for i := 0; err == nil && i < len(all); i++ {
			_, err = s.AttemptAudio(ctx, all[i].ID)
		}
		if !errors.Is(err, rehearse.ErrCorruptStore) {
			t.Fatalf("reading a damaged page: %v, want ErrCorruptStore", err)
		}
		t.Logf("damaged page reported as: %v", err)
	})
}

func TestNothingInPlaintextAtRest(t *testing.T) {
	ctx := context.Background()
	const canary = "Zanzibar-canary-7f3e"
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s := openStore(t, path, key)
	sess := &rehearse.Session{Title: canary + " title", JobDescription: canary}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	a := answer(sess.ID, canary, canary+" question", "my answer mentions "+canary+" twice "+canary)
	if err := s.AddAttempt(ctx, a, tone(1000)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "note", canary); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveQuestion(ctx, &rehearse.Question{Text: canary, Type: rehearse.Intro}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Search(ctx, canary, 5); err != nil {
		t.Fatal(err)
	}
	check := func(when string, mustExist ...string) {
		t.Helper()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			b, err := os.ReadFile(p)
			if errors.Is(err, os.ErrNotExist) {
				for _, m := range mustExist {
					if p == m {
						t.Errorf("%s: %s missing", when, p)
					}
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte(strings.ToLower(canary))) {
				t.Errorf("%s: canary found in plaintext in %s", when, filepath.Base(p))
			}
			if p == path && bytes.HasPrefix(b, []byte("SQLite format 3\x00")) {
				t.Errorf("%s: %s has a plain SQLite header", when, filepath.Base(p))
			}
		}
	}
	check("while open", path, path+"-wal")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check("after close", path)
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files next to the store after close: %v", names)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < pageSize {
		t.Fatalf("store is %d bytes: nothing was written", fi.Size())
	}
}

func TestOddPaths(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"my store.db", "what?.db", "50%#1.db", "ünïcødé.db"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub dir", name)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			key := newKey(t)
			s := openStore(t, path, key)
			if err := s.SetSetting(ctx, "k", name); err != nil {
				t.Fatal(err)
			}
			s.Close()
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 || entries[0].Name() != name {
				t.Fatalf("files: %v", entries)
			}
			s = openStore(t, path, key)
			if v, ok, err := s.Setting(ctx, "k"); err != nil || !ok || v != name {
				t.Fatalf("reopen: %q %v %v", v, ok, err)
			}
		})
	}
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "missing", "rehearse.db"), newKey(t), Options{}); err == nil {
		t.Fatal("opened a store in a missing folder")
	}
}

func TestFileMode(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rehearse.db")
	s := openStore(t, path, newKey(t))
	if err := s.SetSetting(ctx, "x", "y"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

func TestKeyNotAppliedRefused(t *testing.T) {
	// The same SQLCipher library, opened without a key: cipher_version is
	// there but no provider, so the fail-closed check must refuse.
	register()
	db, err := sql.Open(driverName, "file:"+filepath.Join(t.TempDir(), "nokey.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	_, _, err = checkEncrypted(context.Background(), db)
	if !errors.Is(err, rehearse.ErrNotEncrypted) || !strings.Contains(err.Error(), "key was not applied") {
		t.Fatalf("checkEncrypted without a key = %v, want ErrNotEncrypted (key not applied)", err)
	}
}

func TestProbe(t *testing.T) {
	v, p, err := Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "4.") || p == "" {
		t.Fatalf("Probe = %q %q", v, p)
	}
}

func TestRekey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	oldKey, newK := newKey(t), newKey(t)
	s := openStore(t, path, oldKey)
	sess := &rehearse.Session{Title: "before rotation"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAttempt(ctx, answer(sess.ID, "", "Q", "rotated words"), tone(500)); err != nil {
		t.Fatal(err)
	}
	if err := s.Rekey(ctx, newK); err != nil {
		t.Fatal(err)
	}
	// still usable after the rotation
	if err := s.AddAttempt(ctx, answer(sess.ID, "", "Q", "after rotation"), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, oldKey, Options{}); !errors.Is(err, rehearse.ErrCannotUnlock) {
		t.Fatalf("old key after rekey: %v", err)
	}
	s2 := openStore(t, path, newK)
	if err := s2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Attempts(ctx, sess.ID)
	if err != nil || len(got) != 2 || got[1].Number != 2 {
		t.Fatalf("after rekey: %+v %v", got, err)
	}
	if hits, _ := s2.Search(ctx, "rotated", 5); len(hits) != 1 {
		t.Fatalf("search after rekey: %d hits", len(hits))
	}
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s := openStore(t, path, key)
	other := openStore(t, path, key) // a second handle, as the CLI next to the GUI
	sess := &rehearse.Session{Title: "busy"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	const workers, each = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		st := s
		if w%2 == 1 {
			st = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := st.AddAttempt(ctx, answer(sess.ID, "same", "Same question", "retake"), nil); err != nil {
					errs <- err
					return
				}
				if _, err := st.ListSessions(ctx, rehearse.SessionFilter{}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.Attempts(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, a := range got {
		seen[a.Number] = true
	}
	if len(got) != workers*each || len(seen) != workers*each {
		t.Fatalf("%d answers with %d distinct numbers, want %d", len(got), len(seen), workers*each)
	}
	for n := 1; n <= workers*each; n++ {
		if !seen[n] {
			t.Fatalf("number %d missing", n)
		}
	}
}

func TestExpire(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	s := openStore(t, path, newKey(t))
	cut := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	old := &rehearse.Session{Title: "old", CreatedAt: cut.AddDate(0, -2, 0)}
	mixed := &rehearse.Session{Title: "mixed", CreatedAt: cut.AddDate(0, -1, 0)}
	fresh := &rehearse.Session{Title: "fresh", CreatedAt: cut.AddDate(0, 1, 0)}
	emptyOld := &rehearse.Session{Title: "empty old", CreatedAt: cut.AddDate(0, -3, 0)}
	for _, x := range []*rehearse.Session{old, mixed, fresh, emptyOld} {
		if err := s.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	add := func(sid int64, at time.Time, samples int) {
		a := answer(sid, "", "Q", strings.Repeat("long answer text ", 200))
		a.CreatedAt = at
		var au *rehearse.Audio
		if samples > 0 {
			au = tone(samples)
		}
		if err := s.AddAttempt(ctx, a, au); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		add(old.ID, old.CreatedAt.Add(time.Hour), 160000)
	}
	add(mixed.ID, mixed.CreatedAt, 0)
	add(mixed.ID, cut.Add(time.Hour), 0) // after the cut-off: stays, and keeps its session
	add(fresh.ID, fresh.CreatedAt, 0)
	before, _ := s.Stats(ctx)
	n, err := s.Expire(ctx, cut)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Fatalf("Expire = %d, want 6", n)
	}
	list, _ := s.ListSessions(ctx, rehearse.SessionFilter{})
	var titles []string
	for _, x := range list {
		titles = append(titles, x.Title)
	}
	if !reflect.DeepEqual(titles, []string{"fresh", "mixed"}) {
		t.Fatalf("sessions left: %v", titles)
	}
	after, _ := s.Stats(ctx)
	if after.Attempts != 2 || after.Recordings != 0 {
		t.Fatalf("after expire: %+v", after)
	}
	if after.FileBytes >= before.FileBytes-1_000_000 {
		t.Fatalf("space not reclaimed: %d -> %d bytes", before.FileBytes, after.FileBytes)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestOpenWritesNothing opens an existing store, reads everything and closes
// it: the file must not change (a damaged store opened only to be looked at
// must stay as it was).
func TestOpenWritesNothing(t *testing.T) {
	ctx := context.Background()
	key := newKey(t)
	path := storeFile(t, key, 5)
	before := fileHash(t, path)
	s, err := Open(ctx, path, key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
	if err != nil || len(list) != 5 {
		t.Fatalf("%d sessions, %v", len(list), err)
	}
	if _, err := s.AllAttempts(ctx, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, path) != before {
		t.Fatal("opening and reading the store changed its file")
	}
}
