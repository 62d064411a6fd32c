package sqlcipher

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// buildAtVersion creates an encrypted store at schema version v (migrations
// 1..v) holding the frozen data testdata/seed_v<v>.sql, as an older Rehearse
// would have left it.
func buildAtVersion(t *testing.T, path string, key []byte, v int) {
	t.Helper()
	ctx := context.Background()
	register()
	if _, err := prepareFile(path, false); err != nil {
		t.Fatal(err)
	}
	s := &Store{path: path}
	db, err := s.connect(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrate(ctx, db, v); err != nil {
		t.Fatal(err)
	}
	if got, _ := schemaVersion(ctx, db); got != v {
		t.Fatalf("built version %d, want %d", got, v)
	}
	if v == 0 {
		return
	}
	seed, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("seed_v%d.sql", v)))
	if err != nil {
		t.Fatalf("no frozen data for schema %d: %v", v, err)
	}
	if _, err := db.ExecContext(ctx, string(seed)); err != nil {
		t.Fatalf("seed v%d: %v", v, err)
	}
}

func TestMigrationsUpgradeEveryEarlierVersion(t *testing.T) {
	if len(migrations) < 2 {
		t.Fatal("need at least two schema versions for an upgrade to mean anything")
	}
	ctx := context.Background()
	for v := 0; v < len(migrations); v++ {
		t.Run(fmt.Sprintf("from_v%d", v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rehearse.db")
			key := newKey(t)
			buildAtVersion(t, path, key, v)

			s := openStore(t, path, key)
			st, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.SchemaVersion != len(migrations) {
				t.Fatalf("schema %d after upgrade, want %d", st.SchemaVersion, len(migrations))
			}
			if err := s.IntegrityCheck(ctx); err != nil {
				t.Fatal(err)
			}
			// Since version 4 the search index reads the answers' text
			// instead of keeping its own copy, and it matches that text.
			checkSearchIndex(t, s)
			var copies int
			s.mu.RLock()
			err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
				WHERE name IN ('attempts_fts_content', 'attempts_fts_docsize')`).Scan(&copies)
			s.mu.RUnlock()
			if err != nil || copies != 0 {
				t.Fatalf("search index keeps %d tables of its own text (%v)", copies, err)
			}
			if v >= 1 {
				sess, err := s.Session(ctx, 1)
				if err != nil || sess.Title != "Data analyst at Northwind" || sess.Settings.AnswerSeconds != 90 || sess.FinishedAt == nil {
					t.Fatalf("old session: %+v %v", sess, err)
				}
				atts, err := s.Attempts(ctx, 1)
				if err != nil || len(atts) != 2 || atts[0].Transcript.Words[1].Text != "disagreed" ||
					atts[1].Corrected == nil || atts[1].Effective().Text != "My manager wanted weekly spreadsheets" {
					t.Fatalf("old answers: %+v %v", atts, err)
				}
				// Answers written before search existed are searchable.
				for q, want := range map[string]int64{"forecast": 1, "spreadsheets": 2} {
					hits, err := s.Search(ctx, q, 5)
					if err != nil || len(hits) != 1 || hits[0].AttemptID != want {
						t.Fatalf("Search(%q) = %+v %v", q, hits, err)
					}
				}
				if qs, _ := s.CustomQuestions(ctx); len(qs) != 1 || qs[0].Tags[0] != "company" {
					t.Fatalf("old questions: %+v", qs)
				}
				if val, ok, _ := s.Setting(ctx, "expiry_days"); !ok || val != "90" {
					t.Fatalf("old setting: %q %v", val, ok)
				}
				// A retake after the upgrade continues the numbering.
				a := answer(1, "b1", "Tell me about a time you disagreed with a manager.", "third try")
				if err := s.AddAttempt(ctx, a, tone(100)); err != nil || a.Number != 3 {
					t.Fatalf("new retake: number %d, %v", a.Number, err)
				}
			}
			if v >= 2 {
				// Samples 32767, 0, -32767, 0 as 16-bit PCM (audio.FromPCM16).
				au, err := s.AttemptAudio(ctx, 1)
				if err != nil || !slices.Equal(au.Samples, []float32{32767.0 / 32768, 0, -32767.0 / 32768, 0}) {
					t.Fatalf("old recording: %+v %v", au, err)
				}
			}
			// The upgraded store takes new data everywhere.
			sess := &rehearse.Session{Title: "after upgrade"}
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			a := answer(sess.ID, "", "Q", "brand new words")
			if err := s.AddAttempt(ctx, a, tone(160)); err != nil {
				t.Fatal(err)
			}
			if hits, err := s.Search(ctx, "brand", 5); err != nil || len(hits) != 1 {
				t.Fatalf("search new data: %+v %v", hits, err)
			}
			// Old and new answers leave the index cleanly.
			if v >= 1 {
				sess.Title = "renamed after upgrade"
				if err := s.UpdateSession(ctx, sess); err != nil {
					t.Fatal(err)
				}
				if err := s.DeleteSession(ctx, 1); err != nil {
					t.Fatal(err)
				}
				if hits, err := s.Search(ctx, "forecast", 5); err != nil || len(hits) != 0 {
					t.Fatalf("deleted answer still found: %+v %v", hits, err)
				}
				if hits, err := s.Search(ctx, "renamed brand", 5); err != nil || len(hits) != 1 {
					t.Fatalf("renamed session: %+v %v", hits, err)
				}
			}
			checkSearchIndex(t, s)
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s := openStore(t, path, key)
	s.mu.RLock()
	_, err := s.db.ExecContext(ctx, "INSERT INTO schema_version(version, name, applied_at) VALUES (?, 'future', 0)", len(migrations)+1)
	s.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, key, Options{}); err == nil {
		t.Fatal("a store from a newer Rehearse was opened")
	}
}
