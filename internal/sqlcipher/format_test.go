package sqlcipher

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// addAnswer stores one answer whose transcript is text in a new session.
func addAnswer(ctx context.Context, s *Store, text string) error {
	sess := &rehearse.Session{Title: "format"}
	if err := s.CreateSession(ctx, sess); err != nil {
		return err
	}
	return s.AddAttempt(ctx, answer(sess.ID, "b1", "Tell me about a conflict.", text), nil)
}

// transcripts lists the transcript of every stored answer, oldest first.
func transcripts(ctx context.Context, s *Store) ([]string, error) {
	list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
	if err != nil {
		return nil, err
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		atts, err := s.Attempts(ctx, list[i].ID)
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			out = append(out, a.Transcript.Text)
		}
	}
	return out, nil
}

// checkAnswers checks the store's integrity and that its answers are want,
// oldest first.
func checkAnswers(t *testing.T, s *Store, want ...string) {
	t.Helper()
	ctx := context.Background()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := transcripts(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("answers %q, want %q", got, want)
	}
}

func pageHMACOf(t *testing.T, s *Store) string {
	t.Helper()
	var alg string
	if err := s.db.QueryRow("PRAGMA cipher_hmac_algorithm").Scan(&alg); err != nil {
		t.Fatal(err)
	}
	return alg
}

// TestPageHMAC checks that new stores authenticate pages with HMAC-SHA256,
// that stores written with SQLCipher's default HMAC-SHA512 (every store
// created before) still open, read and save, and that neither a wrong key
// nor the wrong HMAC changes a byte of the file.
func TestPageHMAC(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		create string // the page HMAC the store is created with; "" = the default
		want   string // the page HMAC Open settles on
		other  string // an HMAC the file must not authenticate under
	}{
		{"new store", "", hmacSHA256, hmacSHA512},
		{"store created with HMAC-SHA512", hmacSHA512, hmacSHA512, hmacSHA256},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := newKey(t)
			path := filepath.Join(t.TempDir(), "rehearse.db")
			s, err := Open(ctx, path, key, Options{hmac: tc.create})
			if err != nil {
				t.Fatal(err)
			}
			if err := addAnswer(ctx, s, "first answer"); err != nil {
				t.Fatal(err)
			}
			if got := pageHMACOf(t, s); got != tc.want {
				t.Errorf("created with %s, want %s", got, tc.want)
			}
			s.Close()

			before := fileHash(t, path)
			if _, err := Open(ctx, path, key, Options{hmac: tc.other}); !errors.Is(err, rehearse.ErrCannotUnlock) {
				t.Errorf("opened under %s: %v, want ErrCannotUnlock", tc.other, err)
			}
			if _, err := Open(ctx, path, newKey(t), Options{}); !errors.Is(err, rehearse.ErrCannotUnlock) {
				t.Errorf("wrong key: %v, want ErrCannotUnlock", err)
			}
			if fileHash(t, path) != before {
				t.Fatal("a refused open changed the file")
			}

			s = openStore(t, path, key)
			if got := pageHMACOf(t, s); got != tc.want {
				t.Fatalf("reopened with %s, want %s", got, tc.want)
			}
			if err := addAnswer(ctx, s, "second answer"); err != nil {
				t.Fatal(err)
			}
			checkAnswers(t, s, "first answer", "second answer")
		})
	}
}
