package sqlcipher

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// tmpfs mounts a small private tmpfs for a file-system failure test, or
// skips the test when this process may not mount (not root, no
// CAP_SYS_ADMIN, or a container that forbids it).
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): needs root or CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func remount(t *testing.T, dir string, flags uintptr, data string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|flags, data); err != nil {
		t.Fatalf("remount %s: %v", dir, err)
	}
}

func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := tmpfs(t, "768k")
	path := filepath.Join(dir, "rehearse.db")
	key := newKey(t)
	s, err := Open(ctx, path, key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sess := &rehearse.Session{Title: "filling the disk"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	var saved []*rehearse.Attempt
	var fullErr error
	for i := 0; i < 200; i++ {
		a := answer(sess.ID, "", "Q", "answer number "+strings.Repeat("x", i))
		if err := s.AddAttempt(ctx, a, tone(16000)); err != nil { // 32 KB of PCM each
			fullErr = err
			break
		}
		saved = append(saved, a)
	}
	if fullErr == nil {
		t.Fatal("768 KiB never filled up")
	}
	if !errors.Is(fullErr, rehearse.ErrDiskFull) {
		t.Fatalf("AddAttempt on a full disk = %v, want ErrDiskFull", fullErr)
	}
	t.Logf("%d answers saved, then: %v", len(saved), fullErr)
	if len(saved) < 3 {
		t.Fatalf("only %d answers fit before the disk was full", len(saved))
	}
	// Everything saved before is still readable through the same store.
	got, err := s.Attempts(ctx, sess.ID)
	if err != nil {
		t.Fatalf("reading after disk full: %v", err)
	}
	if len(got) != len(saved) {
		t.Fatalf("%d answers readable, %d saved", len(got), len(saved))
	}
	s.Close()

	// With space again, the store opens clean and holds every saved answer.
	remount(t, dir, 0, "size=16m")
	s2 := openStore(t, path, key)
	if err := s2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = s2.Attempts(ctx, sess.ID)
	if err != nil || len(got) != len(saved) {
		t.Fatalf("after freeing space: %d answers, %v; want %d", len(got), err, len(saved))
	}
	for i, a := range got {
		if a.ID != saved[i].ID || a.Transcript.Text != saved[i].Transcript.Text {
			t.Fatalf("answer %d differs: %q", i, a.Transcript.Text)
		}
	}
	if err := s2.AddAttempt(ctx, answer(sess.ID, "", "Q", "room again"), nil); err != nil {
		t.Fatal(err)
	}
}

func TestReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	dir := tmpfs(t, "4m")
	path := filepath.Join(dir, "rehearse.db")
	key := newKey(t)
	s, err := Open(ctx, path, key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "kept", "yes"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	remount(t, dir, syscall.MS_RDONLY, "")
	t.Cleanup(func() { remount(t, dir, 0, "") })

	for _, c := range []struct{ name, path string }{
		{"existing store", path},
		{"new store", filepath.Join(dir, "new.db")},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(ctx, c.path, key, Options{})
			if err == nil {
				s.Close()
				t.Fatal("opened a store in a read-only folder")
			}
			if !errors.Is(err, rehearse.ErrReadOnly) || !strings.Contains(err.Error(), "read-only") {
				t.Fatalf("Open = %v, want ErrReadOnly", err)
			}
			t.Logf("message: %v", err)
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("new.db: %v", err)
	}
}
