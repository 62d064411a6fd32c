package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeSpeech isolates the commands from whisper.cpp and the model manager.
type fakeSpeech struct {
	err  error
	got  TranscribeFileOptions
	path string
}

func (f *fakeSpeech) Doctor(context.Context, Global) []Fact { return nil }

func (f *fakeSpeech) TranscribeFile(ctx context.Context, g Global, path string, opt TranscribeFileOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	f.got, f.path = opt, path
	if f.err != nil {
		return rehearse.Transcript{}, f.err
	}
	return rehearse.Transcript{Text: "so I led it", Timed: true, DurationS: 2, Source: "whisper:tiny.en",
		Words: []rehearse.Word{{Text: "so", Start: 0.1, End: 0.3, P: 0.9}, {Text: "I", Start: 0.4, End: 0.5, P: 0.8}, {Text: "led", Start: 0.5, End: 0.8, P: 0.7}, {Text: "it", Start: 0.8, End: 1, P: 0.95}}}, nil
}

func run(deps *Deps, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, deps)
	return code, out.String(), errb.String()
}

func TestTranscribeCommand(t *testing.T) {
	f := &fakeSpeech{}
	code, out, errOut := run(&Deps{Speech: f}, "", "transcribe", "--json", "--threads", "3", "--model", "base.en", "answer.wav")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var tr rehearse.Transcript
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(tr.Words) != 4 || tr.Words[2].Text != "led" || tr.Words[2].Start != 0.5 || tr.Words[2].P != 0.7 {
		t.Errorf("words %+v", tr.Words)
	}
	if f.got != (TranscribeFileOptions{Model: "base.en", Threads: 3}) || f.path != "answer.wav" {
		t.Errorf("called with %+v %q", f.got, f.path)
	}
	code, out, _ = run(&Deps{Speech: f}, "", "transcribe", "answer.wav")
	if code != 0 || out != "so I led it\n" {
		t.Errorf("text output %d %q", code, out)
	}
}

func TestTranscribeErrors(t *testing.T) {
	tests := []struct {
		name string
		deps *Deps
		args []string
		code int
		want string
	}{
		{"no whisper", &Deps{Speech: &fakeSpeech{err: fmt.Errorf("load: %w", rehearse.ErrNoTranscriber)}}, []string{"x.wav"}, 1,
			"voice transcription is not built into this copy of Rehearse — see README 'Voice transcription'"},
		{"no deps", &Deps{}, []string{"x.wav"}, 1, "not built into this copy"},
		{"no model", &Deps{Speech: &fakeSpeech{err: rehearse.ErrNoModel}}, []string{"x.wav"}, 1, "rehearse models list"},
		{"bad audio", &Deps{Speech: &fakeSpeech{err: fmt.Errorf("read audio: %w", rehearse.ErrBadAudio)}}, []string{"x.wav"}, 1, "not a readable WAV"},
		{"no speech", &Deps{Speech: &fakeSpeech{err: rehearse.ErrNoSpeech}}, []string{"x.wav"}, 1, "no speech detected"},
		{"no file", &Deps{Speech: &fakeSpeech{}}, nil, 2, "one WAV file"},
		{"bad threads", &Deps{Speech: &fakeSpeech{}}, []string{"--threads", "-1", "x.wav"}, 2, "--threads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(tt.deps, "", append([]string{"transcribe"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}
