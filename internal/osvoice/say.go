package osvoice

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
)

// say speaks with macOS's `say`, which plays through the system output and
// returns when done. The text goes through standard input so that no text
// is ever read as an option.
type say struct{ path string }

func (say) name() string { return "say" }

func (s say) voices(ctx context.Context) ([]Voice, error) {
	out, err := output(ctx, s.path, nil, "-v", "?")
	if err != nil {
		return nil, err
	}
	return parseSayVoices(string(out)), nil
}

// parseSayVoices reads `say -v ?`: NAME LOCALE # sample sentence, where the
// name may contain spaces.
func parseSayVoices(out string) []Voice {
	var vs []Voice
	for _, line := range strings.Split(out, "\n") {
		head, _, _ := strings.Cut(line, "#")
		f := strings.Fields(head)
		if len(f) < 2 {
			continue
		}
		vs = append(vs, Voice{Name: strings.Join(f[:len(f)-1], " "), Language: f[len(f)-1]})
	}
	return vs
}

func (s say) speak(ctx context.Context, text, voice string, rate int) error {
	args := []string{"-r", strconv.Itoa(wordsPerMinute(rate)), "-f", "-"}
	if voice != "" {
		args = append(args, "-v", voice)
	}
	cmd := exec.Command(s.path, args...)
	cmd.Stdin = strings.NewReader(text)
	_, err := run(ctx, cmd, nil)
	return err
}
