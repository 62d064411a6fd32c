package promises

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The promise: a full disk, a read-only data folder, a second running copy
// and a keyring that refuses each give a clear message, and lose nothing
// already saved. TestResourceFaults makes each happen for real: a 4 MiB
// tmpfs filled to the last byte, the same tmpfs remounted read-only, a
// second rehearse started while the first holds the data folder, and a
// D-Bus address that leads nowhere.

// mountTmpfs mounts a tmpfs of size at dir for the rest of the test, or
// skips when this process may not mount (not root, or no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs at %s (%v: %s): this check needs root or CAP_SYS_ADMIN", dir, err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", dir).Run()
			t.Logf("umount %s: %v: %s (lazily unmounted)", dir, err, out)
		}
	})
}

func remount(t *testing.T, dir, mode string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+mode, dir).CombinedOutput(); err != nil {
		t.Fatalf("mount -o remount,%s %s: %v: %s", mode, dir, err, out)
	}
}

// fill writes a file in dir until the file system is full and returns its
// path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for n := len(chunk); n > 0; {
		_, err := f.Write(chunk[:n])
		if errors.Is(err, syscall.ENOSPC) {
			if n == 1 {
				return p
			}
			n /= 2
			continue
		}
		if err != nil {
			t.Fatalf("fill %s: %v", dir, err)
		}
	}
	return p
}

// expectRefused checks that r failed, saved nothing, and said why in words
// that match want.
func expectRefused(t *testing.T, r result, want *regexp.Regexp) {
	t.Helper()
	if r.code == 0 || len(savedIDs(r.stdout)) > 0 {
		t.Fatalf("expected the run to fail without saving:\n%s", r)
	}
	if r.signaled || strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("the run crashed instead of explaining:\n%s", r)
	}
	if !want.MatchString(r.stderr) {
		t.Fatalf("the message does not say %v:\n%s", want, r)
	}
	t.Logf("message: %s", strings.TrimSpace(r.stderr))
}

// keepsSaved checks that the store opens, passes the integrity check and
// still holds the answers.
func (s *sandbox) keepsSaved(ctx context.Context, ids ...int64) {
	s.t.Helper()
	all := s.checkStore(ctx)
	for _, id := range ids {
		if _, ok := all[id]; !ok {
			s.t.Fatalf("answer %d, saved before the fault, is gone", id)
		}
	}
	s.must("", "sessions", "list")
}

var longAnswer = strings.Repeat("I designed the data pipeline, I measured the latency and I cut it by 35 percent. ", 1200)

func TestResourceFaults(t *testing.T) {
	ctx := context.Background()

	t.Run("disk full", func(t *testing.T) {
		s := newSandbox(t)
		mountTmpfs(t, s.dataDir(), "4m")
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		filler := fill(t, s.dataDir())
		r := s.run(longAnswer, "practice", "--text", "-", "--question", "And another?")
		expectRefused(t, r, regexp.MustCompile(`(?i)disk is full|no space left`))
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		s.keepsSaved(ctx, id)
		// With space again, saving works.
		s.practiceText("And another?", longAnswer)
	})

	t.Run("disk fills while saving", func(t *testing.T) {
		s := newSandbox(t)
		mountTmpfs(t, s.dataDir(), "4m")
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		filler := fill(t, s.dataDir())
		// Leave room to open the store but not to save a long answer.
		fi, err := os.Stat(filler)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filler, fi.Size()-96<<10); err != nil {
			t.Fatal(err)
		}
		r := s.run(longAnswer, "practice", "--text", "-", "--question", "And another?")
		expectRefused(t, r, regexp.MustCompile(`(?i)disk is full|no space left`))
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		s.keepsSaved(ctx, id)
		s.practiceText("And another?", longAnswer)
	})

	t.Run("read-only data folder", func(t *testing.T) {
		s := newSandbox(t)
		mountTmpfs(t, s.dataDir(), "16m")
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		remount(t, s.dataDir(), "ro")
		r := s.run("A new answer.", "practice", "--text", "-", "--question", "Anything else?")
		expectRefused(t, r, regexp.MustCompile(`(?i)read-only`))
		remount(t, s.dataDir(), "rw")
		s.keepsSaved(ctx, id)
	})

	t.Run("second instance", func(t *testing.T) {
		s := newSandbox(t)
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		// The first copy: `sessions list` unlocking with a passphrase that
		// arrives through a named pipe, so it holds the data folder while
		// it waits for the passphrase.
		fifo := filepath.Join(s.root, "secret", "slow-passphrase")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		first := *s
		first.extra = append(first.extra, "REHEARSE_PASSPHRASE_FILE="+fifo)
		ctx1, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		cmd := first.command(ctx1, "", "sessions", "list")
		var out1 strings.Builder
		cmd.Stdout, cmd.Stderr = &out1, &out1
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		released := false
		defer func() {
			if !released {
				cmd.Process.Kill()
				<-done
			}
		}()
		// It is ready when it waits for the passphrase (blocked opening the
		// pipe); by then it holds the lock, if the data layer takes one.
		if !waitFIFO(cmd.Process.Pid, 20*time.Second) {
			t.Fatalf("the first copy did not start waiting for its passphrase within 20 s; output so far:\n%s", out1.String())
		}
		if !waitLocked(s.layout().Lock(), time.Second) {
			t.Errorf("the first copy holds no lock on %s while it has the store open", s.layout().Lock())
		}

		// The second copy is refused, and so is a wipe.
		r := s.run("A second answer.", "practice", "--text", "-", "--question", "Anything else?")
		expectRefused(t, r, regexp.MustCompile(`another copy of Rehearse`))
		r = s.run("", "wipe", "--yes")
		expectRefused(t, r, regexp.MustCompile(`another copy of Rehearse`))

		// The first copy gets its passphrase and finishes normally.
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		pass, _ := os.ReadFile(s.passFile)
		w.Write(pass)
		w.Close()
		select {
		case err := <-done:
			released = true
			if err != nil {
				t.Fatalf("the first copy failed: %v\n%s", err, out1.String())
			}
		case <-time.After(time.Minute):
			t.Fatalf("the first copy did not finish:\n%s", out1.String())
		}
		s.keepsSaved(ctx, id)
		s.practiceText("Anything else?", "Now it works again.")
	})

	t.Run("keyring refuses, passphrase store", func(t *testing.T) {
		s := newSandbox(t)
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		// No passphrase file, and the D-Bus address leads nowhere.
		s.extra = []string{"REHEARSE_PASSPHRASE_FILE="}
		start := time.Now()
		r := s.run("A new answer.", "practice", "--text", "-", "--question", "Anything else?")
		expectRefused(t, r, regexp.MustCompile(`(?i)passphrase`))
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("refusing took %v", d)
		}
		s.extra = nil
		s.keepsSaved(ctx, id)
	})

	t.Run("keyring refuses, keyring store", func(t *testing.T) {
		if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") != "1" {
			t.Skip("no Secret Service in this session: REHEARSE_TEST_SECRET_SERVICE is not 1 (run through .ci/with-services.sh, as make test does)")
		}
		s := newSandbox(t)
		s.keyring = true
		t.Cleanup(func() { s.extra = nil; s.run("", "wipe", "--yes") })
		id := s.practiceText("Tell me about a project.", "I led it and we shipped on time.")
		if r := s.must("", "key", "status"); !strings.Contains(strings.ToLower(r.stdout), "keyring") {
			t.Fatalf("the store was not created with its key in the keyring:\n%s", r)
		}
		s.extra = []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(s.root, "no-bus")}
		start := time.Now()
		r := s.run("A new answer.", "practice", "--text", "-", "--question", "Anything else?")
		expectRefused(t, r, regexp.MustCompile(`(?i)keyring|passphrase`))
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("refusing took %v", d)
		}
		s.extra = nil
		s.keepsSaved(ctx, id)
	})
}

// waitLocked waits until another process holds the flock on path.
func waitLocked(path string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
			err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if err == nil {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			}
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// waitFIFO waits until a thread of pid is blocked on a named pipe.
func waitFIFO(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
		for _, t := range tasks {
			if b, err := os.ReadFile(t); err == nil && (strings.Contains(string(b), "fifo") || strings.Contains(string(b), "wait_for_partner") || strings.Contains(string(b), "pipe_read")) {
				return true
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}
