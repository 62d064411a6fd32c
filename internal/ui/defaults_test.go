package ui

import (
	"fmt"
	"testing"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestLockedWindowUsesCoreDefaults: before the store is open the window
// has no settings to read, and uses the practice core's defaults (the ones
// a new store starts with), not defaults of its own.
func TestLockedWindowUsesCoreDefaults(t *testing.T) {
	h := newHarness(t, newFake(), func(d *Deps) { d.OpenErr = rehearse.ErrPassphraseNeeded })
	h.mu.Lock()
	got := h.u.settings
	h.mu.Unlock()
	if want := practice.DefaultSettings(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("settings = %+v; want %+v", got, want)
	}
}
