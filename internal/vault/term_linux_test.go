package vault

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns a pseudo-terminal: the user's side (master) and the
// program's (the terminal device).
func openPTY(t *testing.T) (master, term *os.File) {
	t.Helper()
	// Non-blocking, so reads on this side honour deadlines.
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
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

func TestTerminalAskerHidesTyping(t *testing.T) {
	master, term := openPTY(t)
	if !IsTerminal(term) {
		t.Fatal("a pseudo-terminal is not seen as a terminal")
	}
	if r, w, err := os.Pipe(); err == nil {
		if IsTerminal(r) {
			t.Error("a pipe is seen as a terminal")
		}
		r.Close()
		w.Close()
	}
	prompts := &syncBuffer{}
	type result struct {
		p   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := TerminalAsker(term, prompts)(context.Background(), Prompt{Kind: AskNew, Message: "Choose a passphrase."})
		done <- result{p, err}
	}()
	// Type the passphrase twice, as a user would, once echo is off.
	echo := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 256)
		master.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			n, err := master.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				echo <- all
				return
			}
		}
	}()
	waitEchoOff(t, term)
	master.Write([]byte("hunter2 is long\n"))
	for i := 0; !strings.Contains(prompts.String(), "Repeat it"); i++ {
		if i > 2500 {
			t.Fatalf("no second prompt: %q", prompts.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	waitEchoOff(t, term)
	master.Write([]byte("hunter2 is long\n"))
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt did not return")
	}
	if r.err != nil || string(r.p) != "hunter2 is long" {
		t.Fatalf("got %q, %v", r.p, r.err)
	}
	master.SetReadDeadline(time.Now())
	if seen := <-echo; bytes.Contains(seen, []byte("hunter2")) {
		t.Fatalf("the passphrase was echoed: %q", seen)
	}
	// Echo is back on afterwards.
	tio, err := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
	if err != nil || tio.Lflag&unix.ECHO == 0 {
		t.Fatalf("echo not restored: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitEchoOff waits until the prompt has switched echo off.
func waitEchoOff(t *testing.T, term *os.File) {
	t.Helper()
	for i := 0; i < 500; i++ {
		tio, err := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
		if err == nil && tio.Lflag&unix.ECHO == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("echo was never switched off")
}
