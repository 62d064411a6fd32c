package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns a pseudo-terminal: the user's side and the program's.
func openPTY(t *testing.T) (user, term *os.File) {
	t.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

func TestWipeAsksOnTerminal(t *testing.T) {
	tests := []struct {
		typed string
		code  int
		calls string
	}{
		{"delete everything\n", 0, "wipe"},
		{"yes\n", 1, ""},
		{"delete everythin\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.typed), func(t *testing.T) {
			user, term := openPTY(t)
			// The line is queued on the terminal before the question; the
			// command reads it when it asks.
			if _, err := user.Write([]byte(tt.typed)); err != nil {
				t.Fatal(err)
			}
			d := &recordingData{}
			var out, errOut bytes.Buffer
			code := Main(context.Background(), []string{"--data-dir", filepath.Join(t.TempDir(), "d"), "wipe"}, term, &out, &errOut, &Deps{Data: d})
			if code != tt.code || strings.Join(d.calls, ",") != tt.calls {
				t.Fatalf("exit %d calls %v; stderr %q", code, d.calls, errOut.String())
			}
			if !strings.Contains(errOut.String(), "Type 'delete everything' to go on") {
				t.Fatalf("no question: %q", errOut.String())
			}
			if tt.code != 0 && !strings.Contains(errOut.String(), "nothing was deleted") {
				t.Fatalf("stderr %q", errOut.String())
			}
		})
	}
}
