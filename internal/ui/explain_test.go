package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestExplainDevices: each missing device is named as what it is, with what
// to do about it; a missing speaker is never reported as a missing
// microphone.
func TestExplainDevices(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
		not  string
	}{
		{"no speaker", fmt.Errorf("open speakers: %w", rehearse.ErrNoOutputDevice),
			[]string{"No speaker or headphones found", "Plug some in", "then try again"}, "microphone"},
		{"speaker unplugged while playing", fmt.Errorf(`play recording on "USB": %w (No such device)`, rehearse.ErrNoOutputDevice),
			[]string{"No speaker or headphones found"}, "microphone"},
		{"no microphone", fmt.Errorf("open microphone: %w", rehearse.ErrNoInputDevice),
			[]string{"No microphone found", "Plug one in"}, "speaker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("explain(%v) = %q, want it to say %q", tt.err, got, w)
				}
			}
			if strings.Contains(strings.ToLower(got), tt.not) {
				t.Errorf("explain(%v) = %q mentions the %s", tt.err, got, tt.not)
			}
		})
	}
}
