package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// defaultVoiceLabel is the picker's choice for the engine's own default.
const defaultVoiceLabel = "The system's default voice"

// sampleQuestion is what "Try the voice" says.
const sampleQuestion = "Tell me about a time you solved a difficult problem."

// voicePanel is Settings › Interviewer voice: the voice and speed the
// interview questions are asked with, and a way to hear them.
func (u *UI) voicePanel() fyne.CanvasObject {
	intro := para("In an interview, each question is read aloud by your computer's own voice; nothing is sent anywhere. Recording starts when the question has been asked, so your answer never includes the interviewer.")
	v := u.deps.Voice
	if v == nil {
		return container.NewPadded(container.NewVBox(intro, bold(noVoiceText),
			para("On Linux, install speech-dispatcher (or espeak-ng); on macOS and Windows the built-in voices are used.")))
	}
	engine := para("Speech engine: " + v.Engine())
	voices := widget.NewSelect([]string{defaultVoiceLabel}, nil)
	voices.SetSelected(defaultVoiceLabel)
	rate := widget.NewSlider(-100, 100)
	rate.Step = 10
	rateLabel := widget.NewLabel("")
	rate.OnChanged = func(f float64) { rateLabel.SetText(rateText(int(f))) }
	rateLabel.SetText(rateText(0))
	msg := para("")
	byLabel := map[string]string{defaultVoiceLabel: ""}
	// choice is the settings with the voice and speed chosen here.
	choice := func() Settings {
		n := u.settings
		n.Voice, n.VoiceRate = byLabel[voices.Selected], int(rate.Value)
		return n
	}
	saveChoice := func(ctx context.Context, n Settings) error {
		if err := u.deps.Preferences.SaveSettings(ctx, n); err != nil {
			return err
		}
		u.do(func() { u.settings.Voice, u.settings.VoiceRate = n.Voice, n.VoiceRate })
		return nil
	}
	var save, try *widget.Button
	save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() {
		n := choice()
		u.background(func(ctx context.Context) {
			err := saveChoice(ctx, n)
			u.do(func() {
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				msg.SetText("Saved.")
			})
		})
	})
	save.Importance = widget.HighImportance
	try = widget.NewButtonWithIcon("Try the voice", theme.MediaPlayIcon(), func() {
		n := choice()
		try.Disable()
		msg.SetText("Speaking…")
		u.background(func(ctx context.Context) {
			err := saveChoice(ctx, n)
			if err == nil {
				v.Use(n.Voice, n.VoiceRate)
				err = v.Speak(ctx, sampleQuestion)
			}
			u.do(func() {
				try.Enable()
				if err != nil {
					msg.SetText(explain(err))
					return
				}
				msg.SetText("Saved, and that is how questions will sound.")
			})
		})
	})
	cur := u.settings
	rate.SetValue(float64(cur.VoiceRate))
	u.background(func(ctx context.Context) {
		opts, err := v.Voices(ctx)
		u.do(func() {
			if err != nil {
				msg.SetText("The voices could not be listed: " + explain(err))
			}
			labels := []string{defaultVoiceLabel}
			for _, o := range pickerVoices(opts) {
				l := o.Label
				if l == "" {
					l = o.Name
				}
				if _, dup := byLabel[l]; dup {
					continue
				}
				byLabel[l] = o.Name
				labels = append(labels, l)
			}
			// The saved voice stays offered even when the list leaves it out.
			if cur.Voice != "" && !slices.Contains(slices.Collect(maps.Values(byLabel)), cur.Voice) {
				l := cur.Voice
				for _, o := range opts {
					if o.Name == cur.Voice && o.Label != "" {
						l = o.Label
					}
				}
				byLabel[l] = cur.Voice
				labels = append(labels, l)
			}
			voices.SetOptions(labels)
			for l, n := range byLabel {
				if n == cur.Voice {
					voices.SetSelected(l)
				}
			}
		})
	})
	form := widget.NewForm(
		widget.NewFormItem("Voice", voices),
		widget.NewFormItem("Speed", container.NewBorder(nil, nil, nil, rateLabel, rate)),
	)
	return container.NewPadded(container.NewVBox(intro, engine, form, container.NewHBox(save, try), msg))
}

// maxPickerVoices bounds the voice list: speech-dispatcher with espeak-ng
// reports thousands of voices (every language times every variant), more
// than a drop-down can show.
const maxPickerVoices = 60

// pickerVoices are the voices offered: English ones (the questions are in
// English), or all when there is no English voice; when there are too many,
// the variants ("English (America)+Alex") are left out, and the list is
// cut at maxPickerVoices.
func pickerVoices(opts []VoiceOption) []VoiceOption {
	var out []VoiceOption
	for _, o := range opts {
		if strings.HasPrefix(strings.ToLower(o.Language), "en") {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		out = slices.Clone(opts)
	}
	if len(out) > maxPickerVoices {
		base := slices.DeleteFunc(slices.Clone(out), func(o VoiceOption) bool { return strings.Contains(o.Name, "+") })
		if len(base) > 0 {
			out = base
		}
	}
	return out[:min(len(out), maxPickerVoices)]
}

func rateText(r int) string {
	switch {
	case r == 0:
		return "normal"
	case r < 0:
		return fmt.Sprintf("%d%% slower", -r)
	}
	return fmt.Sprintf("%d%% faster", r)
}
