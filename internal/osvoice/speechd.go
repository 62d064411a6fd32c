package osvoice

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// speechd speaks through speech-dispatcher with its command-line client
// spd-say, which starts the per-user daemon when it is not running and,
// with --wait, returns once the message has been spoken.
type speechd struct{ path string }

func (speechd) name() string { return "speech-dispatcher" }

// env runs spd-say in the C locale: it exits at once when the user's
// locale is not installed ("setlocale: No such file or directory"), and a
// daemon it starts inherits the same. The text is passed as UTF-8 bytes
// either way.
func (speechd) env() []string { return withEnv("LC_ALL=C") }

func (s speechd) voices(ctx context.Context) ([]Voice, error) {
	out, err := output(ctx, s.path, s.env(), "-L")
	if err != nil {
		return nil, err
	}
	return parseSpdVoices(string(out)), nil
}

// parseSpdVoices reads `spd-say -L`: a header, then one voice a line as
// NAME LANGUAGE VARIANT, where the name may contain spaces. Its columns
// are fixed-width: after a long name the language and the variant run
// together ("Afrikaans+Half-LifeAnnouncementSystem  afHalf-LifeAnnouncementSystem"),
// and the variant is then the part of the name after "+".
func parseSpdVoices(out string) []Voice {
	var vs []Voice
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || (f[0] == "NAME" && f[1] == "LANGUAGE") {
			continue
		}
		if len(f) >= 3 && !strings.ContainsAny(f[len(f)-2], "()+") {
			vs = append(vs, Voice{Name: strings.Join(f[:len(f)-2], " "), Language: f[len(f)-2]})
			continue
		}
		name, lang := strings.Join(f[:len(f)-1], " "), f[len(f)-1]
		if _, variant, ok := strings.Cut(name, "+"); ok {
			lang = strings.TrimSuffix(lang, variant)
		}
		vs = append(vs, Voice{Name: name, Language: lang})
	}
	return vs
}

func (s speechd) speak(ctx context.Context, text, voice string, rate int) error {
	args := []string{"--wait", "--application-name", "rehearse", "--rate", strconv.Itoa(clampRate(rate))}
	if voice != "" {
		args = append(args, "--synthesis-voice", voice)
	}
	args = append(args, "--", text)
	cmd := exec.Command(s.path, args...)
	cmd.Env = s.env()
	// The daemon keeps speaking a message whose client has gone: stop the
	// message being spoken, which is this one.
	stop := func() {
		c, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		stop := exec.Command(s.path, "--stop")
		stop.Env = s.env()
		run(c, stop, nil)
	}
	_, err := run(ctx, cmd, stop)
	return err
}
