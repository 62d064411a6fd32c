package sqlcipher

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// The kill loop re-runs this test binary as a writer child (TestMain checks
// childEnv), which saves answers in a loop and prints "saved <id> <seq>" after
// each AddAttempt returns. The parent SIGKILLs it at random moments.
const (
	childEnv     = "REHEARSE_SQLCIPHER_WRITER"
	childPathEnv = "REHEARSE_SQLCIPHER_WRITER_DB"
	childKeyEnv  = "REHEARSE_SQLCIPHER_WRITER_KEY"
	childSeqEnv  = "REHEARSE_SQLCIPHER_WRITER_SEQ"
)

func childText(seq int) string {
	return fmt.Sprintf("answer %d says the migration cut costs by %d percent", seq, seq%97)
}

func childSamples(seq int) int {
	if seq%3 == 0 {
		return 2000 + seq%5000 // a recording on every third answer
	}
	return 0
}

func runWriterChild() int {
	ctx := context.Background()
	key, err := hex.DecodeString(os.Getenv(childKeyEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad key")
		return 2
	}
	seq, _ := strconv.Atoi(os.Getenv(childSeqEnv))
	s, err := Open(ctx, os.Getenv(childPathEnv), key, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	sess := &rehearse.Session{Title: fmt.Sprintf("kill loop %d", seq)}
	if err := s.CreateSession(ctx, sess); err != nil {
		fmt.Fprintln(os.Stderr, "session:", err)
		return 1
	}
	for i := 0; i < 100000; i++ {
		seq++
		a := answer(sess.ID, "", fmt.Sprintf("question %d", seq%4), childText(seq))
		var au *rehearse.Audio
		if n := childSamples(seq); n > 0 {
			au = tone(n)
		}
		if err := s.AddAttempt(ctx, a, au); err != nil {
			fmt.Fprintln(os.Stderr, "add:", err)
			return 1
		}
		fmt.Printf("saved %d %d\n", a.ID, seq)
	}
	return 0
}

func TestKillLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("kill loop skipped in -short mode")
	}
	kills := 50
	if v := os.Getenv("REHEARSE_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("REHEARSE_KILLS=%q: want a positive number", v)
		}
		kills = n
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	key := newKey(t)
	saved := map[int64]int{} // attempt id -> seq
	var midWrite, empty int
	for k := 0; k < kills; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", childPathEnv+"="+path,
			childKeyEnv+"="+hex.EncodeToString(key), childSeqEnv+"="+strconv.Itoa(k*1_000_000))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var (
			mu    sync.Mutex
			lines []string
			done  = make(chan struct{})
		)
		go func() {
			defer close(done)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				mu.Lock()
				lines = append(lines, sc.Text())
				mu.Unlock()
			}
		}()
		if k%2 == 0 {
			// Anywhere from before Open has finished to well into the loop.
			time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		} else {
			// Once answers are being saved, at a random moment among them.
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				mu.Lock()
				n := len(lines)
				mu.Unlock()
				if n > 0 {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		<-done
		werr := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: writer ended on its own (%v): %s", k, werr, stderr.String())
		}
		mu.Lock()
		got := lines
		mu.Unlock()
		if len(got) == 0 {
			empty++
		} else {
			midWrite++
		}
		for _, l := range got {
			var id int64
			var seq int
			if _, err := fmt.Sscanf(l, "saved %d %d", &id, &seq); err != nil {
				t.Fatalf("writer said %q", l)
			}
			saved[id] = seq
		}

		s, err := Open(ctx, path, key, Options{})
		if err != nil {
			t.Fatalf("reopen after kill %d: %v", k, err)
		}
		if err := s.IntegrityCheck(ctx); err != nil {
			s.Close()
			t.Fatalf("after kill %d: %v", k, err)
		}
		checkSearchIndex(t, s)
		all, err := s.AllAttempts(ctx, time.Time{})
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		byID := make(map[int64]rehearse.Attempt, len(all))
		for _, a := range all {
			byID[a.ID] = a
		}
		for id, seq := range saved {
			a, ok := byID[id]
			if !ok {
				s.Close()
				t.Fatalf("after kill %d: saved answer %d (seq %d) is missing", k, id, seq)
			}
			if a.Transcript.Text != childText(seq) || len(a.Transcript.Words) != len(strings.Fields(childText(seq))) ||
				a.HasAudio != (childSamples(seq) > 0) {
				s.Close()
				t.Fatalf("after kill %d: answer %d has the wrong content: %q audio=%v", k, id, a.Transcript.Text, a.HasAudio)
			}
		}
		if k%10 == 9 { // check the recordings too, now and then
			for id, seq := range saved {
				if n := childSamples(seq); n > 0 {
					au, err := s.AttemptAudio(ctx, id)
					if err != nil || len(au.Samples) != n {
						s.Close()
						t.Fatalf("after kill %d: recording of %d: %v", k, id, err)
					}
				}
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(saved) == 0 {
		t.Fatal("the writer never saved an answer: the loop proved nothing")
	}
	t.Logf("kill loop: %d SIGKILLs (%d after saves began, %d before the first save), %d saved answers verified after every kill, integrity_check and the search index check ok each time",
		kills, midWrite, empty, len(saved))
}
