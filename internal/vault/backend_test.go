package vault

import gokeyring "github.com/zalando/go-keyring"

// keyringBackend is the real OS keyring, under a test's own service name.
type keyringBackend struct{}

func (keyringBackend) Set(s, u, p string) error        { return gokeyring.Set(s, u, p) }
func (keyringBackend) Get(s, u string) (string, error) { return gokeyring.Get(s, u) }
func (keyringBackend) Delete(s, u string) error        { return gokeyring.Delete(s, u) }
