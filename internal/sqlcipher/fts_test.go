package sqlcipher

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// checkSearchIndex asks FTS5 to compare the search index with the text it
// was built from (the answers and their session titles): any removal that
// named other values than were indexed shows up here.
func checkSearchIndex(t *testing.T, s *Store) {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, err := s.db.Exec(`INSERT INTO attempts_fts(attempts_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("search index out of step with the answers: %v", err)
	}
}

func searchIDs(t *testing.T, s *Store, q string) []int64 {
	t.Helper()
	hits, err := s.Search(context.Background(), q, 100)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	ids := []int64{}
	for _, h := range hits {
		ids = append(ids, h.AttemptID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// TestSearchIndexFollowsEveryChange drives every statement that changes an
// answer or a session title and checks after each that the index holds
// exactly the current text.
func TestSearchIndexFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rehearse.db"), newKey(t))
	old := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)

	a1 := &rehearse.Session{Title: "Backend platform", CreatedAt: old}
	a2 := &rehearse.Session{Title: "Frontend agency"}
	for _, sess := range []*rehearse.Session{a1, a2} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	x := answer(a1.ID, "b1", "Tell me about a conflict.", "we argued about kubernetes quotas")
	x.CreatedAt = old
	y := answer(a1.ID, "b2", "Why this role?", "observability excites me")
	y.CreatedAt = old
	z := answer(a2.ID, "b1", "Tell me about a conflict.", "the designer preferred serif fonts")
	for _, a := range []*rehearse.Attempt{x, y, z} {
		if err := s.AddAttempt(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}

	steps := []struct {
		name   string
		change func(t *testing.T)
		want   map[string][]int64
	}{
		{"added", func(*testing.T) {}, map[string][]int64{
			"kubernetes": {x.ID}, "conflict": {x.ID, z.ID}, "backend": {x.ID, y.ID}, "agency": {z.ID},
		}},
		{"transcript and correction rewritten", func(t *testing.T) {
			x.Transcript.Text = "we argued about cloud budgets"
			c := rehearse.Transcript{Text: "we argued about cloud budgets calmly"}
			x.Corrected = &c
			if err := s.UpdateAttempt(ctx, x); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"kubernetes": {}, "budgets": {x.ID}, "calmly": {x.ID}}},
		{"rewritten with the same text", func(t *testing.T) {
			x.Status = rehearse.StatusAnalyzed
			if err := s.UpdateAttempt(ctx, x); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"budgets": {x.ID}, "calmly": {x.ID}}},
		{"correction removed", func(t *testing.T) {
			x.Corrected = nil
			if err := s.UpdateAttempt(ctx, x); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"calmly": {}, "budgets": {x.ID}}},
		{"session renamed", func(t *testing.T) {
			a1.Title = "Platform reliability"
			if err := s.UpdateSession(ctx, a1); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"backend": {}, "reliability": {x.ID, y.ID}, "platform": {x.ID, y.ID}}},
		{"session kept its title", func(t *testing.T) {
			if err := s.UpdateSession(ctx, a1); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"reliability": {x.ID, y.ID}}},
		{"imported", func(t *testing.T) {
			rec := rehearse.SessionRecord{Session: rehearse.Session{Title: "Imported mock"},
				Attempts: []rehearse.Attempt{*answer(0, "b1", "Tell me about a conflict.", "a quarrel over tabs")}}
			if err := s.ImportSessions(ctx, []rehearse.SessionRecord{rec}); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"quarrel": {z.ID + 1}, "conflict": {x.ID, z.ID, z.ID + 1}}},
		{"expired", func(t *testing.T) {
			n, err := s.Expire(ctx, old.Add(time.Hour))
			if err != nil || n != 2 {
				t.Fatalf("Expire = %d, %v", n, err)
			}
		}, map[string][]int64{"budgets": {}, "observability": {}, "reliability": {}, "conflict": {z.ID, z.ID + 1}}},
		{"session deleted", func(t *testing.T) {
			if err := s.DeleteSession(ctx, a2.ID); err != nil {
				t.Fatal(err)
			}
		}, map[string][]int64{"serif": {}, "agency": {}, "conflict": {z.ID + 1}}},
	}
	for _, st := range steps {
		st.change(t)
		checkSearchIndex(t, s)
		for q, want := range st.want {
			got := searchIDs(t, s, q)
			if len(got) != len(want) {
				t.Fatalf("%s: Search(%q) = %v, want %v", st.name, q, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: Search(%q) = %v, want %v", st.name, q, got, want)
				}
			}
		}
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
