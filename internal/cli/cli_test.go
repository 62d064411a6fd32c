package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestMainUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // in stdout
		wantErr  string // in stderr
	}{
		{"help", []string{"--help"}, 0, "Commands:", ""},
		{"short help", []string{"-h"}, 0, "Global flags:", ""},
		{"help command", []string{"help", "version"}, 0, "Usage: rehearse version", ""},
		{"unknown command", []string{"bogus"}, 2, "", `unknown command "bogus"`},
		{"unknown global flag", []string{"--bogus"}, 2, "", "flag provided but not defined"},
		{"unknown command flag", []string{"version", "--bogus"}, 2, "", "flag provided but not defined"},
		{"command help", []string{"version", "--help"}, 0, "print the version", ""},
		{"extra argument", []string{"version", "x"}, 2, "", "takes no arguments"},
		{"version", []string{"version"}, 0, "rehearse test", ""},
		{"no GUI wired", nil, 2, "", "Usage:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(context.Background(), tc.args, strings.NewReader(""), &out, &errb, &Deps{Version: "test"})
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, errb.String())
			}
			if !strings.Contains(out.String(), tc.wantOut) || !strings.Contains(errb.String(), tc.wantErr) {
				t.Fatalf("stdout %q\nstderr %q", out.String(), errb.String())
			}
		})
	}
}
