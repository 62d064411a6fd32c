package sqlcipher

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// pageStore writes a real store with SQLCipher under the given page HMAC:
// one session with a short answer and one long enough to need overflow
// pages. It returns the closed file's path, its key and the answers.
func pageStore(t *testing.T, hmac string) (string, []byte, []*rehearse.Attempt) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	s, err := Open(ctx, path, key, Options{hmac: hmac})
	if err != nil {
		t.Fatal(err)
	}
	sess := &rehearse.Session{Title: "Page scan", CreatedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	var atts []*rehearse.Attempt
	for i, text := range []string{"a short answer", "a long answer " + strings.Repeat("with many distinct words ", 900)} {
		a := &rehearse.Attempt{SessionID: sess.ID, QuestionText: "Tell me about a time?", QuestionType: rehearse.Behavioral,
			Number: i + 1, Status: rehearse.StatusAnalyzed, DurationS: 12.5, Transcript: rehearse.Transcript{Text: text, Source: "typed"}}
		if err := s.AddAttempt(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		atts = append(atts, a)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, key, atts
}

func TestPageFileDecryptsSQLCipherPages(t *testing.T) {
	for _, tc := range []struct {
		hmac    string
		macSize int
	}{{hmacSHA256, 32}, {hmacSHA512, 64}} {
		t.Run(tc.hmac, func(t *testing.T) {
			path, key, atts := pageStore(t, tc.hmac)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := openPageFile(path, key)
			if err != nil {
				t.Fatal(err)
			}
			if p.macSize != tc.macSize {
				t.Errorf("page HMAC of %d bytes, want %d", p.macSize, tc.macSize)
			}
			page1, err := p.decrypt(1, raw[:pageSize])
			if err != nil {
				t.Fatal(err)
			}
			// SQLite's header and the first b-tree page header, as SQLite
			// wrote them before SQLCipher encrypted the page.
			if !bytes.HasPrefix(page1, []byte("SQLite format 3\x00")) || binary.BigEndian.Uint16(page1[16:]) != pageSize {
				t.Fatalf("page 1 does not decrypt to SQLite's header: % x", page1[:24])
			}
			if page1[100] != 0x0D && page1[100] != 0x05 {
				t.Errorf("page 1's b-tree page type is %#x, want a table page", page1[100])
			}
			if got := binary.BigEndian.Uint32(page1[28:]); int(got) != len(raw)/pageSize {
				t.Errorf("the header names %d pages, the file has %d", got, len(raw)/pageSize)
			}
			// Every page of an undamaged store authenticates.
			for pg := uint32(2); pg <= p.pages; pg++ {
				if _, err := p.decrypt(pg, raw[(pg-1)*pageSize:pg*pageSize]); err != nil {
					t.Fatalf("page %d: %v", pg, err)
				}
			}

			rows, bad, err := p.scanTables(context.Background(), isAttemptRecord)
			if err != nil || len(bad) > 0 {
				t.Fatalf("scan: %v, bad pages %v", err, bad)
			}
			if len(rows) != len(atts) {
				t.Fatalf("found %d answers, want %d", len(rows), len(atts))
			}
			for i, r := range rows {
				a, err := scanAttempt(attemptRecord{rowid: r.rowid, values: r.values})
				if err != nil {
					t.Fatal(err)
				}
				want := atts[i]
				if a.ID != want.ID || a.SessionID != want.SessionID || a.Transcript.Text != want.Transcript.Text ||
					a.QuestionText != want.QuestionText || a.Number != want.Number || a.DurationS != want.DurationS ||
					!a.CreatedAt.Equal(want.CreatedAt) {
					t.Errorf("answer %d read from the pages differs from what was saved: %+v", want.ID, a)
				}
			}
		})
	}
}

func TestPageFileRejectsTamperedPages(t *testing.T) {
	path, key, _ := pageStore(t, hmacSHA256)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := openPageFile(path, key)
	if err != nil {
		t.Fatal(err)
	}
	page := func(pg int) []byte { return bytes.Clone(raw[(pg-1)*pageSize : pg*pageSize]) }
	for _, tc := range []struct {
		name string
		pgno uint32
		raw  []byte
	}{
		{"a ciphertext byte flipped", 2, func() []byte { b := page(2); b[100] ^= 1; return b }()},
		{"an IV byte flipped", 2, func() []byte { b := page(2); b[pageSize-p.reserve] ^= 1; return b }()},
		{"an HMAC byte flipped", 2, func() []byte { b := page(2); b[pageSize-p.reserve+ivSize] ^= 1; return b }()},
		{"zeroed", 2, make([]byte, pageSize)},
		{"moved to another page number", 3, page(2)},
		{"page 1 flipped after the salt", 1, func() []byte { b := page(1); b[saltSize] ^= 1; return b }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := p.decrypt(tc.pgno, tc.raw); !errors.Is(err, errPageAuth) {
				t.Errorf("decrypt: %v, want %v", err, errPageAuth)
			}
		})
	}
	if _, err := p.decrypt(2, page(2)); err != nil {
		t.Errorf("the untouched page: %v", err)
	}
	if _, err := openPageFile(path, newKey(t)); err == nil {
		t.Error("the pages authenticate under another key")
	}
}
