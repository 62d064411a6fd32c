package promises

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The checks run the real rehearse binary, built once per test run from
// cmd/rehearse with the build environment of the Makefile (GOFLAGS,
// CGO_CFLAGS and CGO_LDFLAGS are inherited from `make test` or from
// `eval "$(make -s env)"`).

var (
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// rehearseBin returns the path of a freshly built rehearse binary. It is
// built with -race when the tests are.
func rehearseBin(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root := moduleRoot(t)
		buildDir, buildErr = os.MkdirTemp("", "rehearse-promises-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "rehearse")
		args := []string{"build", "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "./cmd/rehearse")
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build rehearse: %v", buildErr)
	}
	return binPath
}

// sandbox is a private home for one run of the program: its own HOME, XDG
// folders and TMPDIR, and a passphrase file outside all of them.
type sandbox struct {
	t        testing.TB
	root     string
	home     string
	tmp      string // TMPDIR of the child processes
	passFile string
	// keyring is true when the store's key is kept in the real Secret
	// Service of the test session instead of under a passphrase.
	keyring bool
	// prefix runs the binary through another program (unshare -n).
	prefix []string
	extra  []string // more environment, KEY=VALUE
	log    bytes.Buffer
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	root := t.TempDir()
	s := &sandbox{t: t, root: root, home: filepath.Join(root, "home"), tmp: filepath.Join(root, "tmp")}
	for _, d := range []string{s.home, s.tmp, filepath.Join(root, "secret"), filepath.Join(root, "in")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s.passFile = filepath.Join(root, "secret", "passphrase")
	if err := os.WriteFile(s.passFile, []byte("correct horse battery staple 42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

// Layout of the sandbox (the platform default under the private HOME).
func (s *sandbox) dataDir() string   { return filepath.Join(s.home, ".local", "share", "rehearse") }
func (s *sandbox) configDir() string { return filepath.Join(s.home, ".config", "rehearse") }
func (s *sandbox) cacheDir() string  { return filepath.Join(s.home, ".cache", "rehearse") }
func (s *sandbox) inDir() string     { return filepath.Join(s.root, "in") }

func (s *sandbox) env() []string {
	keep := []string{"PATH", "LANG", "GORACE"}
	var env []string
	for _, k := range keep {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	env = append(env,
		"HOME="+s.home,
		"XDG_DATA_HOME="+filepath.Join(s.home, ".local", "share"),
		"XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(s.home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(s.home, ".local", "state"),
		"TMPDIR="+s.tmp,
	)
	if s.keyring {
		for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"} {
			if v, ok := os.LookupEnv(k); ok {
				env = append(env, k+"="+v)
			}
		}
	} else {
		// No keyring is reachable: the key lives under the passphrase.
		env = append(env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(s.root, "no-bus"),
			"REHEARSE_PASSPHRASE_FILE="+s.passFile)
	}
	return append(env, s.extra...)
}

// result is one finished run.
type result struct {
	args           []string
	code           int
	signaled       bool
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("rehearse %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

func (s *sandbox) command(ctx context.Context, stdin string, args ...string) *exec.Cmd {
	argv := append(append(append([]string(nil), s.prefix...), rehearseBin(s.t)), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = s.env()
	cmd.Dir = s.root
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs the program to the end (at most two minutes).
func (s *sandbox) run(stdin string, args ...string) result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := s.command(ctx, stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signaled = true
		}
	default:
		s.t.Fatalf("run rehearse %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		s.t.Fatalf("rehearse %s did not finish within two minutes\n%s", strings.Join(args, " "), r)
	}
	fmt.Fprintf(&s.log, "$ rehearse %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	return r
}

// must runs the program and fails the test unless it exits 0.
func (s *sandbox) must(stdin string, args ...string) result {
	s.t.Helper()
	r := s.run(stdin, args...)
	if r.code != 0 {
		s.t.Fatalf("%s", r)
	}
	return r
}

// write puts a file in the sandbox's input folder (outside every folder the
// program owns) and returns its path.
func (s *sandbox) write(name string, data []byte) string {
	s.t.Helper()
	p := filepath.Join(s.inDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}

var savedRE = regexp.MustCompile(`Saved answer (\d+)`)

// savedIDs returns the answer IDs the program reported saved.
func savedIDs(out string) []int64 {
	var ids []int64
	for _, m := range savedRE.FindAllStringSubmatch(out, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// practiceText saves one typed answer and returns its ID.
func (s *sandbox) practiceText(question, answer string, extra ...string) int64 {
	s.t.Helper()
	args := append([]string{"practice", "--text", "-", "--question", question}, extra...)
	r := s.must(answer, args...)
	ids := savedIDs(r.stdout)
	if len(ids) != 1 {
		s.t.Fatalf("want one \"Saved answer N\" line\n%s", r)
	}
	return ids[0]
}
