package cli

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
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
		{"help shows declared defaults", []string{"sessions", "--json", "--days", "3", "--help"}, 0, "with expire: keep answers this many days (0 = forever) (default -1)\n  -json\n    \tprint JSON\n\n", ""},
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

func TestParseArgs(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		rest  string
		json  bool
		title string
	}{
		{[]string{"answer.wav", "--json"}, "answer.wav", true, ""},
		{[]string{"--json", "answer.wav"}, "answer.wav", true, ""},
		{[]string{"show", "3", "--json"}, "show 3", true, ""},
		{[]string{"search", "led", "--json", "the", "team"}, "search led the team", true, ""},
		{[]string{"search", "--", "--json"}, "search --json", false, ""},
		{[]string{"search", "--", "--json", "--json"}, "search --json --json", false, ""},
		{[]string{"--json", "--", "-", "--title", "x"}, "- --title x", true, ""},
		{[]string{"-", "--json"}, "-", true, ""},
		{[]string{"--title", "--", "x", "--json"}, "x", true, "--"},
		{[]string{"--title=a b", "--", "--title"}, "--title", false, "a b"},
		{[]string{"--json", "--"}, "", true, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		j := fs.Bool("json", false, "")
		title := fs.String("title", "", "")
		rest, err := parseArgs(fs, tt.args)
		if err != nil || strings.Join(rest, " ") != tt.rest || *j != tt.json || *title != tt.title {
			t.Errorf("%q: rest %q json %v title %q err %v", tt.args, rest, *j, *title, err)
		}
	}
}

// Every command and subcommand answers --help, -h and help COMMAND on
// standard output with status 0, wherever the flag stands.
func TestHelpEverywhere(t *testing.T) {
	var cases [][]string
	for name := range commands {
		cases = append(cases, []string{name, "--help"}, []string{name, "-h"}, []string{"help", name},
			[]string{"--data-dir", t.TempDir(), name, "-help"})
	}
	cases = append(cases,
		[]string{"sessions", "list", "--help"},
		[]string{"sessions", "show", "3", "-h"},
		[]string{"sessions", "search", "team", "--json", "--help"},
		[]string{"models", "use", "tiny.en", "--help"},
		[]string{"models", "download", "--help"},
		[]string{"key", "status", "--help"},
		[]string{"questions", "list", "--help"},
		[]string{"questions", "pick", "--job", "job.txt", "--help"},
		[]string{"transcribe", "answer.wav", "--help"},
		[]string{"export", "-o", "x.json", "--help"},
	)
	for _, args := range cases {
		var out, errb bytes.Buffer
		code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, &Deps{Version: "test"})
		name := args[0]
		if name == "help" {
			name = args[1]
		} else if name == "--data-dir" {
			name = args[2]
		}
		if code != 0 || !strings.Contains(out.String(), "Usage: rehearse "+name) || errb.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %.60q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}

// Unknown flags and commands still fail with status 2 and the usage, on
// standard error.
func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"sessions", "list", "--bogus"},
		{"transcribe", "answer.wav", "--bogus"},
		{"models", "use", "x", "--bogus"},
		{"help", "bogus"},
		{"questions", "list", "--count", "3"},
		{"transcribe", "a.wav", "b.wav"},
	} {
		var out, errb bytes.Buffer
		code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, &Deps{Version: "test"})
		if code != 2 || !strings.Contains(errb.String(), "Usage:") || out.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}

// transcribeSpy records what `rehearse transcribe` asked for.
type transcribeSpy struct {
	path string
	opt  TranscribeFileOptions
	g    Global
}

func (s *transcribeSpy) Doctor(context.Context, Global) []Fact { return nil }

func (s *transcribeSpy) TranscribeFile(_ context.Context, g Global, path string, opt TranscribeFileOptions, _ func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	s.path, s.opt, s.g = path, opt, g
	return rehearse.Transcript{Text: "hello there"}, nil
}

// Flags after the WAV file are read as flags, as the README shows them, and
// the global flags may follow the command.
func TestTranscribeFlagsAfterFile(t *testing.T) {
	for _, args := range [][]string{
		{"transcribe", "answer.wav", "--json", "--threads", "2"},
		{"transcribe", "--json", "answer.wav", "--threads=2"},
		{"transcribe", "--threads", "2", "answer.wav", "--json", "--data-dir", "D"},
	} {
		spy := &transcribeSpy{}
		var out, errb bytes.Buffer
		code := Main(context.Background(), args, strings.NewReader(""), &out, &errb, &Deps{Speech: spy})
		if code != 0 || spy.path != "answer.wav" || spy.opt.Threads != 2 || !strings.Contains(out.String(), `"text": "hello there"`) {
			t.Errorf("%q: exit %d, path %q opt %+v, stdout %q stderr %q", args, code, spy.path, spy.opt, out.String(), errb.String())
		}
		if args[len(args)-2] == "--data-dir" && spy.g.DataDir != "D" {
			t.Errorf("%q: data dir %q", args, spy.g.DataDir)
		}
	}
}
