package osvoice

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// sapi speaks with Windows' SAPI voices through PowerShell and .NET's
// System.Speech. The text arrives on standard input and the voice and rate
// in environment variables, so nothing the user typed becomes script.
type sapi struct{ path string }

func (sapi) name() string { return "Windows speech (SAPI)" }

const sapiVoices = `Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
foreach ($v in $s.GetInstalledVoices()) { if ($v.Enabled) { $i = $v.VoiceInfo; [Console]::Out.WriteLine($i.Name + "` + "`t" + `" + $i.Culture.Name) } }`

const sapiSpeak = `Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
if ($env:REHEARSE_VOICE) { $s.SelectVoice($env:REHEARSE_VOICE) }
$s.Rate = [int]$env:REHEARSE_RATE
$s.Speak([Console]::In.ReadToEnd())`

func (s sapi) command(script string) *exec.Cmd {
	return exec.Command(s.path, "-NoProfile", "-NonInteractive", "-Command", script)
}

func (s sapi) voices(ctx context.Context) ([]Voice, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := run(ctx, s.command(sapiVoices), nil)
	if err != nil {
		return nil, err
	}
	return parseSapiVoices(string(out)), nil
}

// parseSapiVoices reads NAME<tab>CULTURE lines.
func parseSapiVoices(out string) []Voice {
	var vs []Voice
	for _, line := range strings.Split(out, "\n") {
		name, lang, ok := strings.Cut(strings.TrimRight(line, "\r"), "\t")
		if !ok || strings.TrimSpace(name) == "" {
			continue
		}
		vs = append(vs, Voice{Name: strings.TrimSpace(name), Language: strings.TrimSpace(lang)})
	}
	return vs
}

func (s sapi) speak(ctx context.Context, text, voice string, rate int) error {
	cmd := s.command(sapiSpeak)
	// SAPI rates run from -10 to 10.
	cmd.Env = withEnv("REHEARSE_VOICE="+voice, "REHEARSE_RATE="+strconv.Itoa(clampRate(rate)/10))
	cmd.Stdin = strings.NewReader(text)
	_, err := run(ctx, cmd, nil)
	return err
}
