package archive

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The child process of TestInterruptedExportLeavesNoPlaintext writes an
// export to the path in this variable and hangs half-way until killed.
const interruptEnv = "REHEARSE_ARCHIVE_INTERRUPT_PATH"

func TestMain(m *testing.M) {
	if path := os.Getenv(interruptEnv); path != "" {
		err := WriteFile(path, os.Stdout, func(w io.Writer) error {
			io.WriteString(w, `{"format": "rehearse-export", "sessions": [{"title": "my secret interview"`)
			if f, ok := w.(interface{ Sync() error }); ok {
				f.Sync()
			}
			os.Stdout.WriteString("writing\n")
			time.Sleep(time.Minute)
			return nil
		})
		if err != nil {
			os.Stdout.WriteString(err.Error() + "\n")
		}
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// leftovers lists the files in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.Contains(strings.Join(keep, "\n"), e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestInterruptedExportLeavesNoPlaintext kills a process in the middle of
// an export and checks that the next export to the same place removes the
// plaintext the killed one left, while an export still running keeps its
// own.
func TestInterruptedExportLeavesNoPlaintext(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "export.json")
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), interruptEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "writing\n" {
			t.Fatalf("child: %q", line)
		}
		return cmd
	}

	killed := start()
	killed.Process.Kill()
	killed.Wait()
	stranded := leftovers(t, dir)
	if len(stranded) != 1 {
		t.Fatalf("after the kill: %v, want the killed export's temporary file", stranded)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, stranded[0])); !strings.Contains(string(b), "my secret interview") {
		t.Fatalf("the temporary file holds %q", b)
	}

	running := start() // another export, still writing
	if err := WriteFile(path, nil, func(w io.Writer) error {
		_, err := io.WriteString(w, "{}\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	left := leftovers(t, dir, "export.json")
	if strings.Contains(strings.Join(left, "\n"), stranded[0]) {
		t.Errorf("the killed export's plaintext is still there: %v", left)
	}
	if len(left) != 1 {
		t.Errorf("left %v, want only the running export's temporary file", left)
	}
	running.Process.Kill()
	running.Wait()
}
