package sqlcipher

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// shadowHolds reports whether the raw pages of the search index (its FTS5
// shadow tables) hold word. FTS5 stores a term after the prefix it shares
// with the term before it, so the first two letters are left out.
func shadowHolds(t *testing.T, s *Store, word string) bool {
	t.Helper()
	found := false
	for _, q := range []string{"SELECT block FROM attempts_fts_data", "SELECT term FROM attempts_fts_idx"} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			found = found || bytes.Contains(b, []byte(word[2:]))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// TestSearchIndexForgetsDeletedWords deletes answers and checks that their
// words are gone from the search index's own storage, not only hidden from
// searches.
func TestSearchIndexForgetsDeletedWords(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rehearse.db"), newKey(t))
	keep := &rehearse.Session{Title: "Kept"}
	gone := &rehearse.Session{Title: "Deleted"}
	for _, sess := range []*rehearse.Session{keep, gone} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	// The words are long and rare so that the index stores them whole.
	const secret, kept = "qvxzylophonicsecretword", "wkjbramblekeptword"
	if err := s.AddAttempt(ctx, answer(keep.ID, "b1", "Why this role?", "I care about "+kept), nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := s.AddAttempt(ctx, answer(gone.ID, "b1", "Tell me about a conflict.", "my manager "+secret+" said no"), nil); err != nil {
			t.Fatal(err)
		}
	}
	if !shadowHolds(t, s, secret) || !shadowHolds(t, s, kept) {
		t.Fatal("the words are not in the index before the deletion: the check cannot see them")
	}
	if err := s.DeleteSession(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, secret); len(got) != 0 {
		t.Fatalf("search still finds the deleted answers: %v", got)
	}
	if shadowHolds(t, s, secret) {
		t.Error("the deleted answers' words are still in the search index's pages")
	}
	if !shadowHolds(t, s, kept) || len(searchIDs(t, s, kept)) != 1 {
		t.Error("the kept answer is no longer in the index")
	}
	checkSearchIndex(t, s)
}
