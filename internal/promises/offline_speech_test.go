package promises

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/osvoice"
	"github.com/rehearse-app/rehearse/internal/osvoice/osvoicetest"
)

// The promise, for the interviewer's voice: speaking a question uses the
// computer's own voices and reaches no other computer.
// TestSpokenQuestionOffline speaks an interview question through the
// operating-system voice adapter, in a process inside an empty network
// namespace under strace. speech-dispatcher is not running beforehand, so
// the client starts the daemon and its synthesiser inside the namespace and
// the trace covers them too. The sound (there is no sound card: ALSA plays
// into a file) must be the whole question, and no traced process may have
// addressed another computer. Loopback is the one exception, reported in
// the log: speech-dispatcher's generic module looks for a MaryTTS server
// on this computer (127.0.0.1:59125), which reaches no other computer.
func TestSpokenQuestionOffline(t *testing.T) {
	if q := os.Getenv("REHEARSE_SPEAK_QUESTION"); q != "" {
		speakQuestionHelper(t, q)
		return
	}
	osvoicetest.NeedSpeechDispatcher(t)
	for _, tool := range []string{"unshare", "strace", "espeak-ng"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
	if out, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -n is not permitted here (%v: %s): it needs root or CAP_SYS_ADMIN", err, strings.TrimSpace(string(out)))
	}
	root := t.TempDir()
	sink := osvoicetest.NewSink(t)
	// The daemon the client starts reads the user's configuration: the
	// system's, with ALSA as the sound output.
	conf := filepath.Join(root, "config", "speech-dispatcher")
	if err := os.CopyFS(conf, os.DirFS("/etc/speech-dispatcher")); err != nil {
		os.MkdirAll(conf, 0o700)
	}
	f, err := os.OpenFile(filepath.Join(conf, "speechd.conf"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\nAudioOutputMethod \"alsa\"\nAudioALSADevice \"default\"\n")
	f.Close()
	run := filepath.Join(root, "run")
	traces := filepath.Join(root, "trace")
	for _, d := range []string{run, traces} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	const question = "Tell me about a time you changed a team's mind with data."
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", "-n", "--", "strace", "-f", "-ff", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", filepath.Join(traces, "t"), "--",
		os.Args[0], "-test.run=^TestSpokenQuestionOffline$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"REHEARSE_SPEAK_QUESTION="+question,
		"XDG_RUNTIME_DIR="+run,
		"XDG_CONFIG_HOME="+filepath.Join(root, "config"),
		"ALSA_CONFIG_PATH="+sink.Config,
		"PULSE_SERVER=unix:"+filepath.Join(root, "no-pulse"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("speaking in the empty network namespace failed: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))

	sink.Settled(3 * time.Second)
	samples := sink.Played(t, 0)
	secs, rms := float64(len(samples))/22050, osvoicetest.RMS(samples)
	ref := filepath.Join(root, "ref.wav")
	if b, err := exec.Command("espeak-ng", "-w", ref, "--", question).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng -w: %v: %s", err, b)
	}
	fi, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(fi.Size()-44) / 2 / 22050
	if secs < 0.85*want || rms < 0.01 {
		t.Errorf("the question was not heard: %.2f s played at RMS %.3f, want about %.2f s of speech", secs, rms, want)
	}
	// The trace saw the daemon too: its output module's process.
	ents, _ := os.ReadDir(traces)
	if len(ents) < 3 {
		t.Errorf("strace followed %d processes: the daemon was not started inside the namespace", len(ents))
	}
	loopback := 0
	for _, c := range inetCalls(t, traces) {
		if strings.Contains(c, `inet_addr("127.`) || strings.Contains(c, `"::1"`) {
			loopback++
			t.Logf("loopback connection attempt (this computer): %s", c)
			continue
		}
		t.Errorf("network attempt while speaking: %s", c)
	}
	t.Logf("spoken question: %.2f s of sound at RMS %.3f, %d processes traced, no attempt to reach another computer (%d on loopback)", secs, rms, len(ents), loopback)
}

// speakQuestionHelper runs inside the namespace: it speaks q and fails if
// the voice is not speech-dispatcher or speaking fails.
func speakQuestionHelper(t *testing.T, q string) {
	s, err := osvoice.Find()
	if err != nil {
		t.Fatal(err)
	}
	if s.Engine() != "speech-dispatcher" {
		t.Fatalf("engine %q, want speech-dispatcher", s.Engine())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Listing the voices starts the daemon (inside the namespace, traced);
	// on a busy machine that can take longer than speaking may.
	if vs, err := s.Voices(ctx); err != nil || len(vs) == 0 {
		t.Fatalf("voices: %d, %v", len(vs), err)
	}
	if err := s.Speak(ctx, q); err != nil {
		t.Fatal(err)
	}
	t.Logf("spoke %q with %s", q, s.Engine())
}
