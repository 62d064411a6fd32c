package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/soundcheck"
)

// SoundChecker records the sound-check sentence and transcribes it with the
// speech model in use. When Deps.Mic also implements it, Settings shows the
// Sound check; without it (no voice in this copy) the section explains why.
type SoundChecker interface {
	RecordSentence(ctx context.Context, device string) (SoundTake, error)
}

// SoundTake is the sound-check sentence being recorded.
type SoundTake interface {
	// Levels delivers meter readings; it is closed when the recording ends.
	Levels() <-chan rehearse.Level
	// Stop ends the recording and transcribes it. It returns the audio
	// also when transcription fails (no model, no speech found), so the
	// level can still be judged; heard is "" when no speech was found.
	Stop(ctx context.Context) (a rehearse.Audio, heard string, err error)
	// Cancel discards the recording.
	Cancel()
}

// soundCheckLimit stops a sound check nobody stopped: the sentence takes
// about six seconds to read.
const soundCheckLimit = 30 * time.Second

// soundCheckPanel: the user reads one sentence with a filler in it and sees
// what Rehearse heard, the word error rate, whether the filler survived,
// the input level and advice.
func (u *UI) soundCheckPanel() fyne.CanvasObject {
	intro := para("Read the sentence below aloud, as you would answer a question, filler included. Rehearse transcribes it with the speech model in use and shows how well your set-up hears you. Nothing is stored.")
	sentence := widget.NewRichText(&widget.TextSegment{Text: "“" + soundcheck.Sentence + "”",
		Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}})
	sentence.Wrapping = fyne.TextWrapWord
	sc, ok := u.deps.Mic.(SoundChecker)
	if !ok || !u.deps.Models.Available() {
		return container.NewVBox(subheading("Sound check"), intro, sentence, para(explain(rehearse.ErrNoTranscriber)))
	}
	meter := newMeter()
	live := widget.NewLabel("")
	status := para("Press Record, read the sentence, then press Stop.")
	result := container.NewVBox()
	record := widget.NewButtonWithIcon("Record", theme.MediaRecordIcon(), nil)
	stop := widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), nil)
	stop.Importance = widget.HighImportance
	stop.Disable()
	var take SoundTake
	finish := func() {
		t := take
		if t == nil {
			return
		}
		take = nil
		stop.Disable()
		status.SetText("Transcribing…")
		u.background(func(ctx context.Context) {
			a, heard, err := t.Stop(ctx)
			u.do(func() {
				record.Enable()
				meter.SetValue(0)
				live.SetText("")
				u.showSoundCheck(result, status, a, heard, err)
			})
		})
	}
	stop.OnTapped = finish
	record.OnTapped = func() {
		record.Disable()
		result.Objects = nil
		result.Refresh()
		status.SetText("Starting the microphone…")
		dev := u.settings.Microphone
		u.background(func(ctx context.Context) {
			t, err := sc.RecordSentence(ctx, dev)
			if err != nil {
				u.do(func() {
					record.Enable()
					status.SetText(explain(err))
				})
				return
			}
			u.do(func() {
				take = t
				stop.Enable()
				status.SetText("Recording… read the sentence, then press Stop.")
			})
			limit := time.NewTimer(soundCheckLimit)
			defer limit.Stop()
			levels := t.Levels()
			for {
				select {
				case l, ok := <-levels:
					if !ok {
						u.do(finish)
						return
					}
					u.do(func() {
						meter.SetValue(l.Peak)
						live.SetText(fmt.Sprintf("peak %.0f dBFS", dbfs(l.Peak)))
					})
				case <-limit.C:
					u.do(finish)
					return
				case <-ctx.Done():
					t.Cancel()
					return
				}
			}
		})
	}
	return container.NewVBox(subheading("Sound check"), intro, sentence,
		container.NewBorder(nil, nil, container.NewHBox(record, stop), live, meter), status, result)
}

func dbfs(v float32) float64 {
	if v <= 0 {
		return soundcheck.Silence
	}
	return max(20*math.Log10(float64(v)), soundcheck.Silence)
}

// showSoundCheck renders the outcome of a sound check into result.
func (u *UI) showSoundCheck(result *fyne.Container, status *widget.Label, a rehearse.Audio, heard string, err error) {
	if err != nil && !errors.Is(err, rehearse.ErrNoSpeech) {
		status.SetText(explain(err))
		if len(a.Samples) == 0 {
			result.Objects = nil
			result.Refresh()
			return
		}
		// The level is still worth knowing without a transcript.
		r := soundcheck.Check(soundcheck.Sentence, "", a.Samples, rehearse.SampleRate)
		result.Objects = []fyne.CanvasObject{widget.NewForm(widget.NewFormItem("Input level", para(r.LevelLine())))}
		result.Refresh()
		return
	}
	r := soundcheck.Check(soundcheck.Sentence, heard, a.Samples, rehearse.SampleRate)
	status.SetText("Done. Press Record to try again.")
	result.Objects = []fyne.CanvasObject{soundReport(r)}
	result.Refresh()
}

// soundReport shows a sound check's figures and advice.
func soundReport(r soundcheck.Report) fyne.CanvasObject {
	heard := strings.TrimSpace(r.Heard)
	if heard == "" {
		heard = "(nothing)"
	}
	form := widget.NewForm(
		widget.NewFormItem("Heard", para(heard)),
		widget.NewFormItem("Word error rate", para(r.WERLine())),
	)
	if d := differences(r.WER); d != "" {
		form.Append("Differences", para(d))
	}
	form.Append("Filler", para(r.FillerLine()))
	form.Append("Input level", para(r.LevelLine()))
	box := container.NewVBox(form)
	for _, a := range r.Advice {
		box.Add(para("• " + a))
	}
	title := "Your set-up could hear you better"
	if r.Good {
		title = "Your set-up hears you well"
	}
	return widget.NewCard(title, "", box)
}

// differences lists the first few alignment errors in plain words.
func differences(w soundcheck.WERResult) string {
	const most = 6
	var parts []string
	for _, op := range w.Alignment {
		switch op.Kind {
		case soundcheck.Substitution:
			parts = append(parts, fmt.Sprintf("“%s” heard as “%s”", op.Ref, op.Hyp))
		case soundcheck.Deletion:
			parts = append(parts, fmt.Sprintf("“%s” missed", op.Ref))
		case soundcheck.Insertion:
			parts = append(parts, fmt.Sprintf("“%s” added", op.Hyp))
		}
	}
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return strings.Join(parts, "; ")
}
