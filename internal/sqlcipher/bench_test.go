package sqlcipher

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Every benchmark runs the same workload twice: on SQLCipher ("cipher") and,
// through the same code path opened without a key, on plain SQLite
// ("plain"), so the cost of encryption can be read as the ratio of the pair.

const benchSessions = 1000

var benchModes = []struct {
	name  string
	plain bool
}{{"cipher", false}, {"plain", true}}

var benchKey = func() []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = byte(0x5a ^ i)
	}
	return k
}()

func benchOpen(b *testing.B, path string, plain bool) *Store {
	b.Helper()
	opt := Options{plaintext: plain}
	key := benchKey
	if plain {
		key = nil
	}
	s, err := Open(context.Background(), path, key, opt)
	if err != nil {
		b.Fatal(err)
	}
	if v, p := s.CipherVersion(); !plain && (v == "" || p == "") {
		b.Fatal("cipher mode without encryption")
	}
	return s
}

// benchText is a realistic two-minute answer (about 150 words).
func benchText(i int) string {
	base := "In my last role the team missed two releases so I proposed a migration plan, " +
		"split the work into weekly milestones, paired with the two newest engineers, and we " +
		"shipped the new billing service a week early which cut support tickets by thirty percent. " +
		"What I learned is to make the risk visible early and to ask for help before it is urgent. "
	return fmt.Sprintf("Answer %d. %s%s", i, base, base)
}

func benchRecords(n int) []rehearse.SessionRecord {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	recs := make([]rehearse.SessionRecord, n)
	for i := range recs {
		at := start.Add(time.Duration(i) * time.Hour)
		recs[i].Session = rehearse.Session{Title: fmt.Sprintf("Practice %d: backend engineer", i),
			Settings: rehearse.SessionSettings{PrepSeconds: 20, AnswerSeconds: 120}, CreatedAt: at, UpdatedAt: at}
		for j := 0; j < 3; j++ {
			a := answer(0, fmt.Sprintf("b%d", j), fmt.Sprintf("Question %d about teamwork", j), benchText(i*3+j))
			a.Number, a.CreatedAt = 1, at.Add(time.Duration(j)*time.Minute)
			recs[i].Attempts = append(recs[i].Attempts, *a)
		}
	}
	return recs
}

var (
	templateMu  sync.Mutex
	templateDir string
	templates   = map[bool]string{}
)

// benchTemplate returns a closed store holding benchSessions sessions of
// three answers each, built once per mode and copied by the benchmarks.
func benchTemplate(b *testing.B, plain bool) string {
	b.Helper()
	templateMu.Lock()
	defer templateMu.Unlock()
	if p, ok := templates[plain]; ok {
		return p
	}
	if templateDir == "" {
		d, err := os.MkdirTemp("", "rehearse-bench-")
		if err != nil {
			b.Fatal(err)
		}
		templateDir = d
	}
	path := filepath.Join(templateDir, fmt.Sprintf("template-plain=%v.db", plain))
	s := benchOpen(b, path, plain)
	if err := s.ImportSessions(context.Background(), benchRecords(benchSessions)); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	templates[plain] = path
	return path
}

func copyFile(b *testing.B, dst, src string) {
	b.Helper()
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// benchStore opens a private copy of the template.
func benchStore(b *testing.B, plain bool) *Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "rehearse.db")
	copyFile(b, path, benchTemplate(b, plain))
	s := benchOpen(b, path, plain)
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkStore(b *testing.B) {
	ctx := context.Background()
	b.Cleanup(func() {
		if templateDir != "" {
			os.RemoveAll(templateDir)
		}
	})
	ops := []struct {
		name string
		run  func(b *testing.B, plain bool)
	}{
		{"insert", func(b *testing.B, plain bool) {
			s := benchOpen(b, filepath.Join(b.TempDir(), "rehearse.db"), plain)
			defer s.Close()
			sess := &rehearse.Session{Title: "insert"}
			if err := s.CreateSession(ctx, sess); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.AddAttempt(ctx, answer(sess.ID, "b1", "Tell me about a conflict.", benchText(i)), nil); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"list1000", func(b *testing.B, plain bool) {
			s := benchStore(b, plain)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
				if err != nil || len(list) != benchSessions {
					b.Fatalf("%d sessions, %v", len(list), err)
				}
			}
		}},
		{"search", func(b *testing.B, plain bool) {
			s := benchStore(b, plain)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				hits, err := s.Search(ctx, fmt.Sprintf("answer %d", (i*7)%(3*benchSessions)), 20)
				if err != nil || len(hits) == 0 {
					b.Fatalf("%d hits, %v", len(hits), err)
				}
			}
		}},
		{"export1000", func(b *testing.B, plain bool) {
			s := benchStore(b, plain)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for _, sum := range list {
					atts, err := s.Attempts(ctx, sum.ID)
					if err != nil {
						b.Fatal(err)
					}
					n += len(atts)
				}
				if n != 3*benchSessions {
					b.Fatalf("exported %d answers", n)
				}
			}
		}},
		{"wipe1000", func(b *testing.B, plain bool) {
			dir := b.TempDir()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := filepath.Join(dir, "rehearse.db")
				copyFile(b, path, benchTemplate(b, plain))
				s := benchOpen(b, path, plain)
				b.StartTimer()
				// Wipe: close and remove the whole file set.
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				for _, p := range []string{path, path + "-wal", path + "-shm"} {
					if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				b.Fatalf("%d files left after the wipe", len(entries))
			}
		}},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			for _, m := range benchModes {
				b.Run(m.name, func(b *testing.B) {
					b.ReportAllocs()
					op.run(b, m.plain)
				})
			}
		})
	}
}

// BenchmarkInsertInterleaved saves the same answers alternately into an
// encrypted and a plain store, in alternating order, so that both sides see
// the same machine load; on a busy machine this gives a steadier ratio than
// comparing BenchmarkStore/insert/cipher with /plain, which run at different
// times. It reports the mean time per answer on each side and their ratio,
// and the ratio of the median times (which leaves out the occasional WAL
// checkpoint, the same work on both sides).
func BenchmarkInsertInterleaved(b *testing.B) {
	ctx := context.Background()
	var (
		stores [2]*Store
		sess   [2]*rehearse.Session
		total  [2]time.Duration
		each   [2][]time.Duration
	)
	for i, m := range benchModes {
		stores[i] = benchOpen(b, filepath.Join(b.TempDir(), "rehearse.db"), m.plain)
		defer stores[i].Close()
		sess[i] = &rehearse.Session{Title: "insert"}
		if err := stores[i].CreateSession(ctx, sess[i]); err != nil {
			b.Fatal(err)
		}
		each[i] = make([]time.Duration, 0, b.N)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for k := 0; k < 2; k++ {
			i := (n + k) % 2
			a := answer(sess[i].ID, "b1", "Tell me about a conflict.", benchText(n))
			start := time.Now()
			if err := stores[i].AddAttempt(ctx, a, nil); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			total[i] += d
			each[i] = append(each[i], d)
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) float64 {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[len(s)/2])
	}
	c, p := float64(total[0])/float64(b.N), float64(total[1])/float64(b.N)
	b.ReportMetric(c, "cipher-ns/op")
	b.ReportMetric(p, "plain-ns/op")
	b.ReportMetric(c/p, "cipher/plain")
	b.ReportMetric(median(each[0])/median(each[1]), "p50-cipher/plain")
}
