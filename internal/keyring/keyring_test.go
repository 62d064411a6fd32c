package keyring

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// blockingBackend never answers until released: it stands for a keyring
// daemon stuck behind a password prompt.
type blockingBackend struct{ release chan struct{} }

func (b blockingBackend) Set(string, string, string) error { <-b.release; return nil }
func (b blockingBackend) Get(string, string) (string, error) {
	<-b.release
	return "", nil
}
func (b blockingBackend) Delete(string, string) error { <-b.release; return nil }

// errBackend answers every call with err.
type errBackend struct{ err error }

func (b errBackend) Set(string, string, string) error   { return b.err }
func (b errBackend) Get(string, string) (string, error) { return "", b.err }
func (b errBackend) Delete(string, string) error        { return b.err }

func TestHangingKeyringTimesOut(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	k := NewWith(b, "rehearse-test", 50*time.Millisecond)
	ctx := context.Background()
	calls := []struct {
		name string
		f    func() error
	}{
		{"get", func() error { _, err := k.Get(ctx, "a"); return err }},
		{"set", func() error { return k.Set(ctx, "a", []byte{1}) }},
		{"delete", func() error { return k.Delete(ctx, "a") }},
		{"available", func() error { return k.Available(ctx) }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.f()
			if !errors.Is(err, rehearse.ErrNoKeyring) {
				t.Fatalf("err = %v, want ErrNoKeyring", err)
			}
			if !strings.Contains(err.Error(), "no answer after") {
				t.Errorf("err = %q, want it to say the keyring did not answer", err)
			}
		})
	}
}

func TestHangingKeyringHonoursContext(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	k := NewWith(b, "rehearse-test", time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := k.Get(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name    string
		backend error
		want    error
	}{
		{"not found", gokeyring.ErrNotFound, rehearse.ErrNotFound},
		{"refused", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), rehearse.ErrNoKeyring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := NewWith(errBackend{tt.backend}, "rehearse-test", time.Second)
			_, err := k.Get(context.Background(), "a")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get err = %v, want %v", err, tt.want)
			}
			err = k.Available(context.Background())
			if tt.want == rehearse.ErrNotFound && err != nil {
				t.Fatalf("Available = %v, want nil for a keyring that answers", err)
			}
			if tt.want == rehearse.ErrNoKeyring && !errors.Is(err, rehearse.ErrNoKeyring) {
				t.Fatalf("Available = %v, want ErrNoKeyring", err)
			}
		})
	}
}

// testService returns a service name no other test run uses.
func testService(t *testing.T) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "rehearse-test-" + hex.EncodeToString(b[:])
}

func TestSecretService(t *testing.T) {
	if os.Getenv("REHEARSE_TEST_SECRET_SERVICE") == "" {
		t.Skip("no Secret Service in this environment: run under `bash .ci/with-services.sh`")
	}
	ctx := context.Background()
	k := NewWith(osBackend{}, testService(t), DefaultTimeout)
	if err := k.Available(ctx); err != nil {
		t.Fatalf("Available: %v", err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	secret[0], secret[1] = 0, '\n' // binary-safe
	if _, err := k.Get(ctx, "data-key"); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := k.Set(ctx, "data-key", secret); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := k.Get(ctx, "data-key")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %x, %v; want %x", got, err, secret)
	}
	secret2 := bytes.Repeat([]byte{7}, 32)
	if err := k.Set(ctx, "data-key", secret2); err != nil {
		t.Fatalf("Set again: %v", err)
	}
	if got, _ := k.Get(ctx, "data-key"); !bytes.Equal(got, secret2) {
		t.Fatalf("after replace Get = %x, want %x", got, secret2)
	}
	if err := k.Delete(ctx, "data-key"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(ctx, "data-key"); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := k.Delete(ctx, "data-key"); !errors.Is(err, rehearse.ErrNotFound) {
		t.Fatalf("Delete twice: %v, want ErrNotFound", err)
	}
}

// TestNoSessionBus runs the real backend in a child process whose session bus
// address points at a socket that does not exist: the keyring must report
// ErrNoKeyring quickly instead of hanging or auto-launching a daemon.
func TestNoSessionBus(t *testing.T) {
	if os.Getenv("REHEARSE_KEYRING_CHILD") == "1" {
		k := New()
		ctx := context.Background()
		err := k.Set(ctx, "data-key", []byte("x"))
		if !errors.Is(err, rehearse.ErrNoKeyring) {
			t.Fatalf("Set without a bus: %v, want ErrNoKeyring", err)
		}
		if err := k.Available(ctx); !errors.Is(err, rehearse.ErrNoKeyring) {
			t.Fatalf("Available without a bus: %v, want ErrNoKeyring", err)
		}
		t.Logf("no bus: %v", err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoSessionBus$", "-test.v")
	cmd.Env = append(os.Environ(), "REHEARSE_KEYRING_CHILD=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatalf("child failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestNoSessionBus") {
		t.Fatal("child did not run the test")
	}
}
