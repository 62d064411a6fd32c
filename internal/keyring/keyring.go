// Package keyring keeps small secrets (Rehearse's data key) in the operating
// system's keyring: the Secret Service on Linux, the Keychain on macOS and the
// Credential Manager on Windows, through github.com/zalando/go-keyring.
//
// Keyring calls can hang (a locked collection makes the keyring daemon show a
// password prompt and wait; a broken session bus can stall for minutes), so
// every call runs in its own goroutine and is abandoned after a timeout. A
// timeout or an unreachable keyring is reported as rehearse.ErrNoKeyring so
// callers fall back to a passphrase.
package keyring

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Service is the name under which Rehearse's secrets are filed.
const Service = "rehearse"

// DefaultTimeout bounds every keyring call. Healthy calls take milliseconds.
const DefaultTimeout = 5 * time.Second

// Backend is the raw keyring API (go-keyring's). The real one is the
// operating system's; tests substitute a backend that blocks to check the
// timeout.
type Backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type osBackend struct{}

func (osBackend) Set(service, user, password string) error {
	return gokeyring.Set(service, user, password)
}
func (osBackend) Get(service, user string) (string, error) { return gokeyring.Get(service, user) }
func (osBackend) Delete(service, user string) error        { return gokeyring.Delete(service, user) }

// Keyring stores secrets under named accounts of one service.
type Keyring struct {
	backend Backend
	service string
	timeout time.Duration
}

// New returns the operating system's keyring.
func New() *Keyring { return NewWith(osBackend{}, Service, DefaultTimeout) }

// NewWith returns a keyring over backend, filing secrets under service and
// abandoning calls after timeout.
func NewWith(b Backend, service string, timeout time.Duration) *Keyring {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Keyring{backend: b, service: service, timeout: timeout}
}

// Get returns the secret stored for account. Errors wrap rehearse.ErrNotFound
// when there is none and rehearse.ErrNoKeyring when the keyring cannot be
// reached or does not answer in time.
func (k *Keyring) Get(ctx context.Context, account string) ([]byte, error) {
	var s string
	err := k.call(ctx, "read", func() error {
		var err error
		s, err = k.backend.Get(k.service, account)
		return err
	})
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("keyring entry %q is not a Rehearse key: %w", account, err)
	}
	return b, nil
}

// Set stores secret for account, replacing any earlier one.
func (k *Keyring) Set(ctx context.Context, account string, secret []byte) error {
	enc := base64.StdEncoding.EncodeToString(secret)
	return k.call(ctx, "store", func() error { return k.backend.Set(k.service, account, enc) })
}

// Delete removes the secret of account. Deleting a secret that is not there
// returns an error wrapping rehearse.ErrNotFound.
func (k *Keyring) Delete(ctx context.Context, account string) error {
	return k.call(ctx, "delete", func() error { return k.backend.Delete(k.service, account) })
}

// Available reports whether the keyring answers: nil when it does, an error
// wrapping rehearse.ErrNoKeyring otherwise.
func (k *Keyring) Available(ctx context.Context) error {
	_, err := k.Get(ctx, "rehearse-probe")
	if err == nil || errors.Is(err, rehearse.ErrNotFound) {
		return nil
	}
	return err
}

// call runs f with the timeout. A call that does not return in time is left
// running in its goroutine (go-keyring offers no way to cancel it); its
// result is discarded.
func (k *Keyring) call(ctx context.Context, what string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, gokeyring.ErrNotFound):
			return fmt.Errorf("keyring %s: %w", what, rehearse.ErrNotFound)
		default:
			return fmt.Errorf("keyring %s: %w (%v)", what, rehearse.ErrNoKeyring, err)
		}
	case <-t.C:
		return fmt.Errorf("keyring %s: no answer after %v: %w", what, k.timeout, rehearse.ErrNoKeyring)
	case <-ctx.Done():
		return fmt.Errorf("keyring %s: %w", what, ctx.Err())
	}
}
