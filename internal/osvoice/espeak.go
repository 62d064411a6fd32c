package osvoice

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
)

// espeak speaks with espeak-ng (or the older espeak) directly, playing
// through the system's sound output; it returns when the sound has played.
type espeak struct{ path string }

func (e espeak) name() string { return "espeak-ng" }

func (e espeak) voices(ctx context.Context) ([]Voice, error) {
	out, err := output(ctx, e.path, nil, "--voices")
	if err != nil {
		return nil, err
	}
	return parseEspeakVoices(string(out)), nil
}

// parseEspeakVoices reads `espeak-ng --voices`: a header, then
// Pty Language Age/Gender VoiceName File [Other languages]. The language
// code is what -v takes.
func parseEspeakVoices(out string) []Voice {
	var vs []Voice
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] == "Pty" {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		vs = append(vs, Voice{Name: f[1], Language: f[1], Description: strings.ReplaceAll(f[3], "_", " ")})
	}
	return vs
}

func (e espeak) speak(ctx context.Context, text, voice string, rate int) error {
	args := []string{"-s", strconv.Itoa(wordsPerMinute(rate))}
	if voice != "" {
		args = append(args, "-v", voice)
	}
	args = append(args, "--", text)
	_, err := run(ctx, exec.Command(e.path, args...), nil)
	return err
}
