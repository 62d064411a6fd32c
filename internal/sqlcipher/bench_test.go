package sqlcipher

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/feedback"
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
	if !plain && (s.version == "" || s.provider == "") {
		b.Fatal("cipher mode without encryption")
	}
	return s
}

// benchAnswer is answer i of the insert benchmark as practice saves it: the
// words of benchText with timings in whisper.cpp's 10 ms steps and float32
// probabilities, and the feedback engine's analysis of them.
func benchAnswer(sessionID int64, i int) *rehearse.Attempt {
	a := answer(sessionID, "b1", "Tell me about a conflict.", benchText(i))
	r := rand.New(rand.NewPCG(uint64(i), 7))
	cs := 30 // centiseconds
	for k := range a.Transcript.Words {
		w := &a.Transcript.Words[k]
		cs += r.IntN(40)
		d := 12 + r.IntN(40)
		w.Start, w.End = float64(cs)/100, float64(cs+d)/100
		w.P = float64(float32(0.55 + 0.45*r.Float64()))
		cs += d
	}
	a.DurationS = float64(cs) / 100
	a.Transcript.DurationS = a.DurationS
	res := feedback.Analyze(feedback.InputFor(a, nil), nil)
	a.Analysis, a.RulebookVersion = res.JSON(), feedback.DefaultRulebook().Version
	return a
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
			a := benchAnswer(0, i*3+j)
			a.QuestionID, a.QuestionText = fmt.Sprintf("b%d", j), fmt.Sprintf("Question %d about teamwork", j)
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

// storeOp is one workload of BenchmarkStore. setup prepares a store of the
// given kind and returns the step that runs the workload once and reports how
// long the step took (setup a step needs, such as copying a template, is left
// out of that time).
type storeOp struct {
	name  string
	setup func(b *testing.B, plain bool) func(i int) time.Duration
	// minRounds is the fewest rounds a ratio is taken from; a workload
	// that takes about a second would otherwise be run once.
	minRounds int
}

func timed(b *testing.B, f func() error) time.Duration {
	b.Helper()
	start := time.Now()
	if err := f(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

var storeOps = []storeOp{
	{name: "insert", setup: func(b *testing.B, plain bool) func(int) time.Duration {
		ctx := context.Background()
		s := benchOpen(b, filepath.Join(b.TempDir(), "rehearse.db"), plain)
		b.Cleanup(func() { s.Close() })
		sess := &rehearse.Session{Title: "insert"}
		if err := s.CreateSession(ctx, sess); err != nil {
			b.Fatal(err)
		}
		return func(i int) time.Duration {
			a := benchAnswer(sess.ID, i)
			return timed(b, func() error { return s.AddAttempt(ctx, a, nil) })
		}
	}},
	{name: "list1000", setup: func(b *testing.B, plain bool) func(int) time.Duration {
		s := benchStore(b, plain)
		return func(int) time.Duration {
			return timed(b, func() error {
				list, err := s.ListSessions(context.Background(), rehearse.SessionFilter{})
				if err == nil && len(list) != benchSessions {
					err = fmt.Errorf("%d sessions", len(list))
				}
				return err
			})
		}
	}},
	{name: "search", setup: func(b *testing.B, plain bool) func(int) time.Duration {
		s := benchStore(b, plain)
		return func(i int) time.Duration {
			return timed(b, func() error {
				hits, err := s.Search(context.Background(), fmt.Sprintf("answer %d", (i*7)%(3*benchSessions)), 20)
				if err == nil && len(hits) == 0 {
					err = fmt.Errorf("no hits")
				}
				return err
			})
		}
	}},
	{name: "export1000", minRounds: 7, setup: func(b *testing.B, plain bool) func(int) time.Duration {
		s := benchStore(b, plain)
		return func(int) time.Duration {
			return timed(b, func() error {
				ctx := context.Background()
				list, err := s.ListSessions(ctx, rehearse.SessionFilter{})
				if err != nil {
					return err
				}
				n := 0
				for _, sum := range list {
					atts, err := s.Attempts(ctx, sum.ID)
					if err != nil {
						return err
					}
					n += len(atts)
				}
				if n != 3*benchSessions {
					return fmt.Errorf("exported %d answers", n)
				}
				return nil
			})
		}
	}},
	{name: "wipe1000", setup: func(b *testing.B, plain bool) func(int) time.Duration {
		dir := b.TempDir()
		b.Cleanup(func() {
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				b.Errorf("%d files left after the wipe", len(entries))
			}
		})
		return func(int) time.Duration {
			path := filepath.Join(dir, "rehearse.db")
			copyFile(b, path, benchTemplate(b, plain))
			s := benchOpen(b, path, plain)
			// Wipe: close and remove the whole file set.
			return timed(b, func() error {
				if err := s.Close(); err != nil {
					return err
				}
				for _, p := range []string{path, path + "-wal", path + "-shm"} {
					if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
						return err
					}
				}
				return nil
			})
		}
	}},
}

// BenchmarkStore runs each workload on an encrypted and on a plain store in
// alternating order (cipher first on even iterations, plain first on odd
// ones), so that both see the same machine: on a shared machine the time of
// an fsync alone drifts by more than the cost of encryption, which makes
// runs taken one after the other hard to compare. It reports the mean time
// of each side, the ratio of the means, and the ratio of the medians (which
// leaves out the occasional WAL checkpoint, the same work on both sides).
// The ns/op figure counts both sides, any untimed set-up and, for a slow
// workload, the extra rounds it is given (minRounds).
func BenchmarkStore(b *testing.B) {
	b.Cleanup(func() {
		templateMu.Lock()
		defer templateMu.Unlock()
		if templateDir != "" {
			os.RemoveAll(templateDir)
			templateDir, templates = "", map[bool]string{}
		}
	})
	for _, op := range storeOps {
		b.Run(op.name, func(b *testing.B) {
			var (
				step  [2]func(int) time.Duration
				total [2]time.Duration
				each  [2][]time.Duration
			)
			rounds := max(b.N, op.minRounds)
			for k, m := range benchModes {
				step[k] = op.setup(b, m.plain)
				each[k] = make([]time.Duration, 0, rounds)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < rounds; n++ {
				for j := 0; j < 2; j++ {
					k := (n + j) % 2
					d := step[k](n)
					total[k] += d
					each[k] = append(each[k], d)
				}
			}
			b.StopTimer()
			c, p := float64(total[0])/float64(rounds), float64(total[1])/float64(rounds)
			b.ReportMetric(c, "cipher-ns/op")
			b.ReportMetric(p, "plain-ns/op")
			b.ReportMetric(c/p, "cipher/plain")
			b.ReportMetric(median(each[0])/median(each[1]), "p50-cipher/plain")
		})
	}
}

func median(ds []time.Duration) float64 {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[len(s)/2])
}
