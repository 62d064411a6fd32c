package osvoice

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// run starts a speech command and waits for it. When ctx ends the process
// is killed and, if given, stop runs to silence whatever the engine still
// has queued (a daemon keeps speaking after its client is gone).
func run(ctx context.Context, cmd *exec.Cmd, stop func()) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return stdout.Bytes(), fmt.Errorf("%s: %w%s", cmd.Path, err, detail(stderr.String()))
		}
		return stdout.Bytes(), nil
	case <-ctx.Done():
		cmd.Process.Kill()
		if stop != nil {
			stop()
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		return stdout.Bytes(), ctx.Err()
	}
}

// output runs a query command (listing voices, which may first start
// speech-dispatcher's daemon) with a time limit.
func output(ctx context.Context, name string, env []string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	return run(ctx, cmd, nil)
}

func detail(stderr string) string {
	s := strings.TrimSpace(stderr)
	if s == "" {
		return ""
	}
	if len(s) > 300 {
		s = s[len(s)-300:]
	}
	return ": " + s
}

// withEnv is the process environment with the given variables replaced.
func withEnv(kv ...string) []string {
	env := os.Environ()
	out := env[:0:0]
	for _, e := range env {
		keep := true
		for _, s := range kv {
			if k, _, _ := strings.Cut(s, "="); strings.HasPrefix(e, k+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	return append(out, kv...)
}
