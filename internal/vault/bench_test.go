package vault

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

// BenchmarkCheck10000Answers is what `rehearse doctor` spends on the store
// check of a store with 10,000 answers of about 150 words (unlock, open,
// quick check of every page). The check is bounded to 2 s; the benchmark
// reports whether it finished inside that bound.
func BenchmarkCheck10000Answers(b *testing.B) {
	ctx := context.Background()
	l := benchLayout(b)
	ans := &answers{byKind: map[PromptKind]string{AskNew: "bench passphrase", AskUnlock: "bench passphrase"}}
	v := New(Options{Layout: l, Open: openSQLCipher, Ask: ans.ask, KDF: testKDF})
	s, err := v.Open(ctx)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("I led the migration of our billing service and measured the result carefully ", 12)
	recs := make([]rehearse.SessionRecord, 1000)
	for i := range recs {
		recs[i].Session.Title = fmt.Sprintf("session %d", i)
		for j := 0; j < 10; j++ {
			recs[i].Attempts = append(recs[i].Attempts, rehearse.Attempt{QuestionText: "Tell me about a project", QuestionType: rehearse.Intro,
				Status: rehearse.StatusAnalyzed, Transcript: rehearse.Transcript{Text: fmt.Sprintf("%d %s", j, text)}})
		}
	}
	if err := s.ImportSessions(ctx, recs); err != nil {
		b.Fatal(err)
	}
	s.Close()
	complete := 0
	for b.Loop() {
		h := v.Check(ctx, 2*time.Second)
		if !h.OK {
			b.Fatalf("check: %+v", h)
		}
		if h.Complete {
			complete++
		}
	}
	b.ReportMetric(float64(complete)/float64(b.N), "complete/op")
}
