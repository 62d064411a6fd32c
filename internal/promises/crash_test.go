package promises

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The promise: an answer the program reported saved ("Saved answer N") is
// still there after any crash, and a crash never leaves a store that cannot
// be opened. TestCrashWhileSaving starts `rehearse practice` again and
// again and kills it with SIGKILL at random moments — a quarter each
// anywhere in the run, around the time it reports the answer saved, while
// it writes the answer's transaction, and right when the report appears —
// then checks that the next run opens the store, that SQLite's integrity
// check passes, and that every answer reported saved is present and whole.
//
// SIGKILL loses what the process holds, not what the kernel holds: this
// checks the order of commit and report and the atomicity of each save, not
// the fsync that protects against a power cut.
//
// REHEARSE_KILLS sets the number of kills (default 40); REHEARSE_KILL_SEED
// replays a run's random moments (the seed is logged).

func envInt(t testing.TB, name string, def int64) int64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// killedRun is one run of the program that was (perhaps) killed.
type killedRun struct {
	result
	killedAfter time.Duration
	savedAt     time.Duration // when "Saved answer" appeared; 0 if never
	took        time.Duration
	// blockedOnReport: killed while blocked on its first write to
	// standard output (killPlan.onReport).
	blockedOnReport bool
}

// runAndKill starts the program and sends SIGKILL to it after delay (if it
// is still running then).
func (s *sandbox) runAndKill(stdin string, delay time.Duration, args ...string) killedRun {
	return s.runAndKillWhen(stdin, killPlan{delay: delay}, args...)
}

// killPlan says when to kill: after delay; or, with onWrite, extra after
// the process has written more than writeMark bytes (Linux counts them in
// /proc/PID/io): the answer's transaction is being written to the
// write-ahead log then, since opening the store writes only a few hundred
// bytes and the answer with its feedback takes tens of kilobytes; or, with
// onReport, at the moment it starts to report the result.
//
// onReport is exact: standard output is a pipe whose buffer is made full
// before the program starts, so its first write blocks; the program is
// killed while it is blocked there (its thread waits in pipe_write, as
// /proc/PID/task/*/wchan shows). `rehearse practice` writes nothing to
// standard output before the answer is saved, so at that moment the answer
// must already be in the store.
//
// With when, it also kills as soon as when returns true (polled every
// 100 ms).
type killPlan struct {
	delay    time.Duration
	onWrite  bool
	onReport bool
	extra    time.Duration
	when     func() bool
}

const writeMark = 16 << 10

var wcharRE = regexp.MustCompile(`(?m)^wchar: (\d+)$`)

// written is how many bytes the process has written so far (-1 when
// /proc/PID/io cannot be read).
func written(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return -1
	}
	m := wcharRE.FindSubmatch(b)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

// blockedOnPipe reports whether a thread of pid waits to write to a pipe.
func blockedOnPipe(pid int) bool {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/wchan")
	for _, t := range tasks {
		if b, err := os.ReadFile(t); err == nil && strings.Contains(string(b), "pipe_write") {
			return true
		}
	}
	return false
}

// fullPipe returns a pipe whose buffer (one page) is already full.
func fullPipe() (r, w *os.File, err error) {
	r, w, err = os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	const fSetPipeSz = 1031 // F_SETPIPE_SZ
	size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, w.Fd(), fSetPipeSz, 4096)
	if errno != 0 {
		err = errno
		r.Close()
		w.Close()
		return nil, nil, fmt.Errorf("set pipe size: %w", err)
	}
	fd := int(w.Fd()) // (Fd makes the file blocking: call it once, first)
	if err := syscall.SetNonblock(fd, true); err != nil {
		return nil, nil, err
	}
	filler := make([]byte, 2*size)
	for {
		if _, err := syscall.Write(fd, filler); err != nil {
			break // EAGAIN: full
		}
	}
	syscall.SetNonblock(fd, false)
	return r, w, nil
}

func (s *sandbox) runAndKillWhen(stdin string, plan killPlan, args ...string) killedRun {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := s.command(ctx, stdin, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	var outR io.ReadCloser
	if plan.onReport {
		r, w, err := fullPipe()
		if err != nil {
			s.t.Fatal(err)
		}
		cmd.Stdout = w
		defer w.Close()
		outR = r
	} else {
		p, err := cmd.StdoutPipe()
		if err != nil {
			s.t.Fatal(err)
		}
		outR = p
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	pid := cmd.Process.Pid
	kill := func() { syscall.Kill(-pid, syscall.SIGKILL) }
	var (
		mu       sync.Mutex
		killedAt time.Duration
		blocked  bool
	)
	var timer *time.Timer
	switch {
	case plan.onReport:
		// Wait until it blocks on its first write to standard output (or
		// ends), then kill it there.
		waited := make(chan struct{})
		go func() {
			defer close(waited)
			for ctx.Err() == nil {
				if blockedOnPipe(pid) {
					mu.Lock()
					killedAt, blocked = time.Since(start), true
					mu.Unlock()
					kill()
					return
				}
				if st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err != nil || strings.Contains(string(st), ") Z ") {
					return
				}
				time.Sleep(100 * time.Microsecond)
			}
		}()
		<-waited
		if !blocked {
			kill() // ended otherwise, or the wait timed out
		}
	case plan.onWrite:
		go func() {
			for ctx.Err() == nil {
				if n := written(pid); n > writeMark || n < 0 {
					time.Sleep(plan.extra)
					mu.Lock()
					killedAt = time.Since(start)
					mu.Unlock()
					kill()
					return
				}
				time.Sleep(50 * time.Microsecond)
			}
		}()
	default:
		killedAt = plan.delay
		timer = time.AfterFunc(plan.delay, kill)
		if plan.when != nil {
			go func() {
				for ctx.Err() == nil && time.Since(start) < plan.delay {
					if plan.when() {
						mu.Lock()
						killedAt = time.Since(start)
						mu.Unlock()
						kill()
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}()
		}
	}
	var out bytes.Buffer
	var savedAt time.Duration
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		buf := make([]byte, 4096)
		for {
			n, err := outR.Read(buf)
			out.Write(buf[:n])
			if savedAt == 0 && savedRE.Match(out.Bytes()) {
				savedAt = time.Since(start)
			}
			if err != nil {
				return
			}
		}
	}()
	werr := cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	if plan.onReport {
		outR.Close() // our write end is still open: stop the reader here
	}
	<-readDone
	mu.Lock()
	r := killedRun{took: time.Since(start), killedAfter: killedAt, blockedOnReport: blocked}
	mu.Unlock()
	r.args, r.stdout, r.stderr, r.savedAt = args, out.String(), errb.String(), savedAt
	var ee *exec.ExitError
	switch {
	case werr == nil:
	case errors.As(werr, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signaled = ws.Signal() == syscall.SIGKILL
		}
	default:
		s.t.Fatalf("run rehearse: %v", werr)
	}
	if ctx.Err() != nil {
		s.t.Fatalf("rehearse did not finish within two minutes:\n%s", r.result)
	}
	return r
}

var sessionRE = regexp.MustCompile(`\(session (\d+)`)

// crashAnswer is a typed answer of about 300 words that carries token.
func crashAnswer(token string) string {
	base := "So in my last role I led the migration of our billing service to a new queue, " +
		"I planned the rollout with two teams, I wrote the runbook and we cut failed payments by 30 percent. "
	return token + " " + strings.Repeat(base, 8) + " " + token
}

func TestCrashWhileSaving(t *testing.T) {
	kills := int(envInt(t, "REHEARSE_KILLS", 40))
	seed := uint64(envInt(t, "REHEARSE_KILL_SEED", time.Now().UnixNano()))
	t.Logf("REHEARSE_KILLS=%d REHEARSE_KILL_SEED=%d", kills, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	ctx := context.Background()
	s := newSandbox(t)
	const question = "Tell me about a time you improved a process."

	// Calibration: three whole runs, the first creating the store and the
	// session every later answer goes to.
	saved := map[int64]string{} // answer id -> token in its text
	first := s.must(crashAnswer("crashcal0"), "practice", "--text", "-", "--question", question, "--title", "crash")
	m := sessionRE.FindStringSubmatch(first.stdout)
	ids := savedIDs(first.stdout)
	if m == nil || len(ids) != 1 {
		t.Fatalf("cannot find the session and answer in the output:\n%s", first)
	}
	session := m[1]
	saved[ids[0]] = "crashcal0"
	args := []string{"practice", "--text", "-", "--question", question, "--session", session}
	var took []time.Duration
	var saveAt []time.Duration
	for i := 1; i <= 3; i++ {
		tok := fmt.Sprintf("crashcal%d", i)
		r := s.runAndKill(crashAnswer(tok), time.Hour, args...)
		if r.code != 0 || len(savedIDs(r.stdout)) != 1 {
			t.Fatalf("calibration run failed:\n%s", r.result)
		}
		saved[savedIDs(r.stdout)[0]] = tok
		took = append(took, r.took)
		saveAt = append(saveAt, r.savedAt)
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	sort.Slice(saveAt, func(i, j int) bool { return saveAt[i] < saveAt[j] })
	total, save := took[1], saveAt[1]
	t.Logf("a whole run takes %v; the answer is reported saved after %v", total, save)
	if written(os.Getpid()) < 0 {
		t.Fatal("/proc/self/io cannot be read: the kills aimed at the moment of writing need Linux's per-process I/O counters")
	}

	var (
		runs, killed, finished, killedBeforeSave, killedAfterSave, onWrite int
		failures                                                           []string
		reporting                                                          []string // tokens of runs killed as they began to report
	)
	for killed < kills && runs < 4*kills {
		runs++
		tok := fmt.Sprintf("crashrun%04d", runs)
		var plan killPlan
		switch rng.IntN(4) {
		case 0: // anywhere in the run
			plan.delay = time.Duration(rng.Int64N(int64(total)))
		case 1: // around the report: from 25% before it to just after
			lo := save - save/4
			plan.delay = lo + time.Duration(rng.Int64N(int64(save-lo)+int64(3*time.Millisecond)))
		case 2: // while the answer's transaction is written
			plan.onWrite = true
			plan.extra = time.Duration(rng.Int64N(int64(2 * time.Millisecond)))
			onWrite++
		default: // the moment it starts to report the answer saved
			plan.onReport = true
		}
		r := s.runAndKillWhen(crashAnswer(tok), plan, args...)
		got := savedIDs(r.stdout)
		for _, id := range got {
			saved[id] = tok
		}
		if r.blockedOnReport {
			reporting = append(reporting, tok)
		}
		switch {
		case r.signaled:
			killed++
			if len(got) == 0 {
				killedBeforeSave++
			} else {
				killedAfterSave++
			}
		case r.code == 0:
			finished++
			if len(got) != 1 {
				t.Fatalf("run %d finished without reporting the answer saved:\n%s", runs, r.result)
			}
		default:
			// A run that was not killed must succeed: the previous kill
			// left the store unopenable.
			failures = append(failures, fmt.Sprintf("run %d (after %d kills) failed:\n%s", runs, killed, r.result))
			if len(failures) > 3 {
				t.Fatalf("%s", strings.Join(failures, "\n"))
			}
		}
		if r.signaled && killed%10 == 0 {
			s.verifySaved(ctx, saved, reporting, killed)
		}
	}
	if len(failures) > 0 {
		t.Fatalf("%s", strings.Join(failures, "\n"))
	}
	if killed < kills {
		t.Fatalf("only %d of %d runs were killed before they finished (each takes about %v)", killed, runs, total)
	}
	s.must("", "sessions", "list")
	n := s.verifySaved(ctx, saved, reporting, killed)
	t.Logf("%d runs: %d killed (%d before the answer was reported saved, %d of them blocked on writing the report; %d after), %d finished; "+
		"%d answers reported saved and %d being reported: all present and whole; the store holds %d whole answers; integrity ok after every 10th kill and at the end; "+
		"%d kills aimed at the moment the answer's transaction was written",
		runs, killed, killedBeforeSave, len(reporting), killedAfterSave, finished, len(saved), len(reporting), n, onWrite)
}

// verifySaved opens the store in the test process, runs the integrity
// check and checks that every answer reported saved is there with its text,
// and that every answer there is whole. It returns how many answers the
// store holds.
func (s *sandbox) verifySaved(ctx context.Context, saved map[int64]string, reporting []string, kills int) int {
	s.t.Helper()
	all := s.checkStore(ctx)
	stored := map[string]bool{}
	for _, a := range all {
		tok, _, _ := strings.Cut(strings.TrimSpace(a.Effective().Text), " ")
		stored[tok] = true
	}
	for _, tok := range reporting {
		if !stored[tok] {
			s.t.Fatalf("after %d kills: the answer %s is missing, though the run was killed as it began to print its report (rehearse practice prints nothing before the answer is saved)", kills, tok)
		}
	}
	for id, tok := range saved {
		a, ok := all[id]
		if !ok {
			s.t.Fatalf("after %d kills: answer %d was reported saved but is missing", kills, id)
		}
		if txt := a.Effective().Text; !strings.Contains(txt, tok) || strings.TrimSpace(txt) != strings.TrimSpace(crashAnswer(tok)) {
			s.t.Fatalf("after %d kills: answer %d is not the text that was saved (%d bytes)", kills, id, len(txt))
		}
	}
	for id, a := range all {
		txt := strings.TrimSpace(a.Effective().Text)
		tok, _, _ := strings.Cut(txt, " ")
		if txt != strings.TrimSpace(crashAnswer(tok)) {
			s.t.Fatalf("after %d kills: answer %d holds a partial or foreign text (%d bytes)", kills, id, len(txt))
		}
		if len(a.Analysis) == 0 {
			s.t.Fatalf("after %d kills: answer %d was stored without its feedback", kills, id)
		}
	}
	return len(all)
}
