// Package osvoicetest gives tests a sound output without a sound card, so
// that what an operating-system voice says can be heard and checked: an
// ALSA configuration whose default playback device writes into a file, and
// a private speech-dispatcher daemon that plays into it.
//
// It is imported only by tests.
package osvoicetest

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Sink is a playback device that appends raw 16-bit little-endian samples
// to File, for every process that opens it (ALSA's file plugin writing
// into a pipe; a plain file would be truncated at each opening). A process
// with ALSA_CONFIG_PATH=Config plays into it.
type Sink struct {
	Config string
	File   string
}

// NewSink writes the ALSA configuration in a temporary folder.
func NewSink(tb testing.TB) Sink {
	tb.Helper()
	dir := tb.TempDir()
	s := Sink{File: filepath.Join(dir, "played.raw")}
	conf := filepath.Join(dir, "asound.conf")
	text := fmt.Sprintf(`pcm.playedfile { type file; slave.pcm "null"; file "|cat >>'%s'"; format "raw" }
pcm.!default { type asym; playback.pcm "playedfile"; capture.pcm "null" }
`, s.File)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	if strings.ContainsAny(s.File, `'"\\`) {
		tb.Fatalf("temporary folder %q has quotes in its name", s.File)
	}
	s.Config = "/usr/share/alsa/alsa.conf:" + conf
	return s
}

// Settled waits until nothing more has been written for a moment (the
// pipe's reader may still be copying after the player has returned) and
// returns the size, at most for limit.
func (s Sink) Settled(limit time.Duration) int64 {
	last, since := s.Size(), time.Now()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n := s.Size(); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) > 300*time.Millisecond {
			break
		}
	}
	return last
}

// Size is how many bytes have been played so far.
func (s Sink) Size() int64 {
	fi, err := os.Stat(s.File)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Played returns the samples played from byte offset from on.
func (s Sink) Played(tb testing.TB, from int64) []int16 {
	tb.Helper()
	b, err := os.ReadFile(s.File)
	if err != nil {
		tb.Fatalf("read what was played: %v", err)
	}
	if from > int64(len(b)) {
		return nil
	}
	b = b[from:]
	out := make([]int16, len(b)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return out
}

// RMS is the loudness of samples relative to full scale (0–1).
func RMS(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, v := range samples {
		f := float64(v) / 32768
		sum += f * f
	}
	return math.Sqrt(sum / float64(len(samples)))
}

// Daemon is a private speech-dispatcher.
type Daemon struct {
	Sink Sink
	// Env is what a process that speaks through this daemon needs in its
	// environment (spd-say finds the daemon's socket through it).
	Env []string
}

// NeedSpeechDispatcher skips the test when speech-dispatcher is missing.
func NeedSpeechDispatcher(tb testing.TB) {
	tb.Helper()
	for _, p := range []string{"speech-dispatcher", "spd-say"} {
		if _, err := exec.LookPath(p); err != nil {
			tb.Skipf("%s is not installed (make deps installs speech-dispatcher): cannot test the spoken question", p)
		}
	}
}

// StartSpeechDispatcher starts speech-dispatcher with its own runtime
// folder, playing through ALSA into a new Sink, and stops it when the test
// ends. The daemon's own configuration is copied from the system's, with
// the sound output changed to ALSA.
func StartSpeechDispatcher(tb testing.TB) Daemon {
	tb.Helper()
	NeedSpeechDispatcher(tb)
	sink := NewSink(tb)
	dir := tb.TempDir()
	conf := filepath.Join(dir, "conf")
	if err := os.CopyFS(conf, os.DirFS("/etc/speech-dispatcher")); err != nil {
		if err := os.MkdirAll(conf, 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	f, err := os.OpenFile(filepath.Join(conf, "speechd.conf"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintln(f, "\nAudioOutputMethod \"alsa\"\nAudioALSADevice \"default\"")
	f.Close()
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		tb.Fatal(err)
	}
	env := []string{"XDG_RUNTIME_DIR=" + run}
	cmd := exec.Command("speech-dispatcher", "--run-single", "--config-dir", conf, "--timeout", "0", "--socket-path", "default")
	// The C locale: the daemon exits when the configured one is missing.
	cmd.Env = append(os.Environ(), append(env, "ALSA_CONFIG_PATH="+sink.Config, "LC_ALL=C")...)
	log, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start speech-dispatcher: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		// The daemon's output modules are its children, in its group.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		log.Close()
	})
	sock := filepath.Join(run, "speech-dispatcher", "speechd.sock")
	for deadline := time.Now().Add(15 * time.Second); ; {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(log.Name())
			tb.Fatalf("speech-dispatcher exited at start:\n%s", tail(string(b)))
		default:
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log.Name())
			tb.Fatalf("speech-dispatcher made no socket in 15 s:\n%s", tail(string(b)))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return Daemon{Sink: sink, Env: env}
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-15):], "\n")
}
