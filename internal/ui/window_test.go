package ui

import (
	"bytes"
	"context"
	"image"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary run the real window instead of the tests.
const childEnv = "REHEARSE_UI_REAL_WINDOW"

func TestMain(m *testing.M) {
	// Dates in the screenshots do not depend on the machine's zone.
	time.Local = time.UTC
	if os.Getenv(childEnv) == "1" {
		// The real app must run on the main goroutine, as here.
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		f := newFake()
		seed(nil, f, "Data engineer", "Product manager", "Site reliability")
		err := Run(ctx, f.deps())
		cancel()
		stop()
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRealWindow runs the real Fyne app (OpenGL through GLFW) on the X
// display, grabs the screen and checks the window was drawn.
func TestRealWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("DISPLAY is not set: run under `bash .ci/with-services.sh` (Xvfb) to test the real window")
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install xdotool imagemagick)", tool)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "LANG=en_US.UTF-8")
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	// Wait for the window to be mapped, then for its first frames.
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Rehearse").Output()
		if len(bytes.TrimSpace(out)) > 0 {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the app exited before showing its window: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window appeared within 90 s\n%s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot := filepath.Join(t.TempDir(), "window.png")
	var img image.Image
	for range 40 {
		time.Sleep(500 * time.Millisecond)
		if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		var err error
		if img, err = readPNG(shot); err != nil {
			t.Fatal(err)
		}
		if colours(img) > 16 {
			break
		}
	}
	if n := colours(img); n <= 16 {
		t.Fatalf("the screen grab has only %d colours: the window was not drawn\n%s", n, stderr.String())
	}
	if dir := os.Getenv("REHEARSE_SCREENSHOT_DIR"); dir != "" {
		_ = writePNG(filepath.Join(dir, "real-window.png"), img)
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Fatalf("the app panicked:\n%s", stderr.String())
	}
}

// lockedBuffer collects the child's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// colours counts distinct colours (up to 1,000) in a coarse sample.
func colours(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>11)<<10|(g>>11)<<5|bl>>11] = true
			if len(seen) >= 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}
