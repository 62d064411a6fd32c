package promises

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/models"
)

// The promise: everything but the model download works offline, and nothing
// is sent. TestOfflineInEmptyNetworkNamespace runs the whole command-line
// flow — typed and spoken practice, listing, export, import, doctor, wipe —
// inside a network namespace with no interface but a loopback that is down
// (unshare -n), where any connection attempt fails at once. Every command
// must succeed there. Afterwards the downloader's byte counter, as `rehearse
// doctor` shows it and as the network log says, is 0.

func TestOfflineInEmptyNetworkNamespace(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare (util-linux) is not installed: make deps installs it")
	}
	if out, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -n is not permitted here (%v: %s): it needs root or CAP_SYS_ADMIN", err, strings.TrimSpace(string(out)))
	}
	// Control: inside, the network really is unreachable.
	if out, err := exec.Command("unshare", "-n", "bash", "-c", "exec 3<>/dev/tcp/1.1.1.1/443").CombinedOutput(); err == nil {
		t.Fatalf("a TCP connection succeeded inside the empty network namespace: %s", out)
	} else if !regexp.MustCompile(`(?i)unreachable`).Match(out) {
		t.Logf("control connection failed with: %s", strings.TrimSpace(string(out)))
	}

	s := newSandbox(t)
	s.prefix = []string{"unshare", "-n", "--"}
	// With strace, every attempt to reach another computer is seen too,
	// even one that fails quietly in a background goroutine.
	traces := filepath.Join(s.root, "trace")
	if _, err := exec.LookPath("strace"); err == nil {
		if err := os.MkdirAll(traces, 0o700); err != nil {
			t.Fatal(err)
		}
		s.prefix = append(s.prefix, "strace", "-f", "-ff", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", filepath.Join(traces, "t"), "--")
		// Control: the tracer sees a connection attempt.
		ctl := exec.Command(s.prefix[0], append(s.prefix[1:], "bash", "-c", "exec 3<>/dev/tcp/192.0.2.1/443")...)
		ctl.Run()
		if found := inetCalls(t, traces); len(found) == 0 {
			t.Fatal("strace did not see the control connection attempt: the trace check would see nothing either")
		}
		os.RemoveAll(traces)
		os.MkdirAll(traces, 0o700)
	} else {
		t.Log("strace is not installed: connection attempts are not traced, only their failure would show")
	}
	wav := synthOrSpeech(t, s)
	exportFile := filepath.Join(s.root, "export.json")

	r := s.must("I led the launch and we doubled sign-ups in a quarter.", "practice", "--text", "-", "--question", "Tell me about a launch.")
	if len(savedIDs(r.stdout)) != 1 {
		t.Fatalf("not saved:\n%s", r)
	}
	r = s.must("", "practice", "--wav", s.write("offline.wav", wav), "--question", "Why this role?", "--type", "motivation")
	if len(savedIDs(r.stdout)) != 1 {
		t.Fatalf("spoken answer not saved:\n%s", r)
	}
	s.must("", "sessions", "list")
	s.must("", "export", "--format", "json", "-o", exportFile)
	s.must("", "import", exportFile)
	doc := s.run("", "doctor")
	if doc.code != 0 && doc.code != 1 {
		t.Fatalf("doctor failed:\n%s", doc)
	}
	netLine := ""
	for _, l := range strings.Split(doc.stdout, "\n") {
		if strings.Contains(strings.ToLower(l), "network") {
			netLine = l
		}
	}
	nums := regexp.MustCompile(`\d[\d,.]*`).FindAllString(netLine, -1)
	if len(nums) == 0 {
		t.Errorf("doctor shows no network use figures:\n%s", doc)
	}
	for _, n := range nums {
		if strings.Trim(n, "0,.") != "" {
			t.Errorf("doctor shows network use %q, want 0:\n%s", netLine, doc)
		}
	}
	sent, received, err := (&models.Manager{Dir: s.layout().Models}).NetworkTotals()
	if err != nil || sent != 0 || received != 0 {
		t.Errorf("network log: sent %d, received %d, err %v; want 0, 0", sent, received, err)
	}
	if _, err := os.Stat(traces); err == nil {
		for _, c := range inetCalls(t, traces) {
			t.Errorf("network attempt: %s", c)
		}
	}

	// The one network path, started by the user, fails at once and says
	// so; nothing was sent.
	s.prefix = []string{"unshare", "-n", "--"}
	start := time.Now()
	dl := s.run("", "models", "download", "--yes", "tiny.en")
	if dl.code == 0 || !regexp.MustCompile(`(?i)download|network|connect|reach|resolve|lookup`).MatchString(dl.stderr) {
		t.Errorf("a model download without a network should fail with a clear message:\n%s", dl)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("the failing download took %v", d)
	}
	sent, received, err = (&models.Manager{Dir: s.layout().Models}).NetworkTotals()
	if err != nil || sent != 0 || received != 0 {
		t.Errorf("after a failed offline download the network log says sent %d, received %d (err %v); want 0, 0", sent, received, err)
	}
	t.Logf("offline download attempt: exit %d: %s", dl.code, strings.TrimSpace(dl.stderr))
	s.must("", "wipe", "--yes")
	t.Logf("offline flow in an empty network namespace: ok; doctor: %s", strings.Join(strings.Fields(netLine), " "))
}

// synthOrSpeech is a spoken answer (espeak-ng) when available, else a
// synthetic recording.
func synthOrSpeech(t *testing.T, s *sandbox) []byte {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err == nil {
		if _, err := exec.LookPath("sox"); err == nil {
			return speechWAV(t, s.inDir(), "I want this role because I like building tools people use every day.")
		}
	}
	return synthWAV(16000, 2)
}

// inetCalls returns the traced system calls that address an IPv4 or IPv6
// socket.
func inetCalls(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "AF_INET") {
				out = append(out, e.Name()+": "+line)
			}
		}
	}
	return out
}

// TestWindowOfflineNoConnections opens the practice window (the GUI links
// Fyne, whose library can fetch URLs) in an empty network namespace under
// strace for a few seconds: it must stay up and attempt no IPv4 or IPv6
// connection. The display is reached over its unix socket.
func TestWindowOfflineNoConnections(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no DISPLAY: run through .ci/with-services.sh (make test does), which starts Xvfb")
	}
	for _, tool := range []string{"unshare", "strace"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	if out, err := exec.Command("unshare", "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -n is not permitted here (%v: %s): it needs root or CAP_SYS_ADMIN", err, strings.TrimSpace(string(out)))
	}
	s := newSandbox(t)
	traces := filepath.Join(s.root, "trace")
	if err := os.MkdirAll(traces, 0o700); err != nil {
		t.Fatal(err)
	}
	s.prefix = []string{"unshare", "-n", "--", "strace", "-f", "-ff", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", filepath.Join(traces, "t"), "--"}
	s.extra = append(s.extra, "DISPLAY="+os.Getenv("DISPLAY"))
	s.practiceText("Tell me about a launch.", "I led the launch and we doubled sign-ups.")
	os.RemoveAll(traces)
	os.MkdirAll(traces, 0o700)

	// Keep it open until its window has been on the display for 4 s
	// (xdotool finds it), at most 40 s; without xdotool, for 10 s.
	_, xerr := exec.LookPath("xdotool")
	var win string
	var seen time.Time
	plan := killPlan{delay: 10 * time.Second}
	if xerr == nil {
		plan.delay = 40 * time.Second
		plan.when = func() bool {
			if seen.IsZero() {
				out, err := exec.Command("xdotool", "search", "--name", "Rehearse").Output()
				if f := strings.Fields(string(out)); err == nil && len(f) > 0 {
					win, seen = "window "+f[0], time.Now()
				}
				return false
			}
			return time.Since(seen) > 4*time.Second
		}
	}
	r := s.runAndKillWhen("", plan)
	if !r.signaled {
		t.Fatalf("the window did not stay open:\n%s", r.result)
	}
	if xerr == nil && win == "" {
		t.Fatalf("no Rehearse window appeared on the display within %v:\n%s", plan.delay, r.result)
	}
	calls := inetCalls(t, traces)
	for _, c := range calls {
		t.Errorf("network attempt: %s", c)
	}
	ents, _ := os.ReadDir(traces)
	t.Logf("%s open %v offline under strace: %d traced processes/threads, %d IPv4/IPv6 connection attempts", win, r.killedAfter.Round(time.Millisecond), len(ents), len(calls))
}
