package vault

import (
	"context"
	"fmt"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// BenchmarkUnwrapDefaultKDF is the passphrase cost a user waits for at each
// unlock in passphrase mode (Argon2id at DefaultKDF).
func BenchmarkUnwrapDefaultKDF(b *testing.B) {
	key, _ := newKey()
	s, err := wrap(key, []byte("a good long passphrase"), DefaultKDF, "bench", "passphrase")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.unwrap([]byte("a good long passphrase"), "bench", "passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWipe times a full wipe (key, store of 200 sessions with 1000
// answers, caches, settings) of a passphrase-mode store.
func BenchmarkWipe(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		l := benchLayout(b)
		ans := &answers{byKind: map[PromptKind]string{AskNew: "bench passphrase", AskUnlock: "bench passphrase"}}
		v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
		s, err := v.Open(ctx)
		if err != nil {
			b.Fatal(err)
		}
		recs := make([]rehearse.SessionRecord, 200)
		for i := range recs {
			recs[i].Session.Title = fmt.Sprintf("session %d", i)
			for j := 0; j < 5; j++ {
				recs[i].Attempts = append(recs[i].Attempts, rehearse.Attempt{QuestionText: "q", QuestionType: rehearse.Intro,
					Status: rehearse.StatusAnalyzed, Transcript: rehearse.Transcript{Text: "an answer of a few words, repeated a little"}})
			}
		}
		if err := s.ImportSessions(ctx, recs); err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.StartTimer()
		if _, err := v.Wipe(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
}
