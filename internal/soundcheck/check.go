package soundcheck

import (
	"fmt"
	"slices"
)

// Sentence is what the user reads aloud. It holds one filler ("um") so the
// check shows whether the set-up keeps fillers, which the feedback counts.
const Sentence = "So, um, last spring I rebuilt our release checklist and cut failed deploys by half."

// fillerForms are the ways a recogniser writes a hesitation sound; any of
// them in the transcript means the filler survived.
var fillerForms = []string{"um", "umm", "uhm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm"}

// Thresholds of the advice. They are deliberately plain: the check is a
// quick look at one sentence, not a measurement of the microphone.
const (
	silentPeakDBFS  = -50.0 // below this peak nothing usable was heard
	quietSpeechDBFS = -35.0 // voice quieter than this: move closer
	noisyFloorDBFS  = -45.0 // room louder than this: find a quieter room
	lowSNR          = 15.0  // voice less than this above the room
	highWER         = 0.25  // more than one word in four wrong
)

// Report is the outcome of one sound check.
type Report struct {
	Reference  string
	Heard      string // the transcript as the recogniser wrote it
	WER        WERResult
	FillerKept bool
	Level      Level
	Clipping   bool
	// Good is true when nothing needs changing: level fine, few words
	// wrong and the filler kept.
	Good   bool
	Advice []string // plain sentences, most important first
}

// Check judges a sound check: reference is the sentence shown, heard the
// transcript, samples the recording at rate Hz.
func Check(reference, heard string, samples []float32, rate int) Report {
	lv := MeasureLevel(samples, rate)
	hyp := Normalize(heard)
	r := Report{
		Reference:  reference,
		Heard:      heard,
		WER:        WER(Normalize(reference), hyp),
		FillerKept: slices.ContainsFunc(hyp, func(w string) bool { return slices.Contains(fillerForms, w) }),
		Level:      lv,
		Clipping:   lv.Clipping(len(samples)),
	}
	r.Advice, r.Good = advise(r)
	return r
}

func advise(r Report) (advice []string, good bool) {
	lv := r.Level
	levelOK := true
	switch {
	case lv.PeakDBFS < silentPeakDBFS:
		levelOK = false
		advice = append(advice, "Almost nothing was heard: check that the right microphone is chosen and not muted, then try again.")
	case r.Clipping:
		levelOK = false
		advice = append(advice, fmt.Sprintf("Your voice overloaded the input (%d samples at full scale): move back a little or lower the input volume.", lv.Clipped))
	case lv.SpeechDBFS < quietSpeechDBFS:
		levelOK = false
		advice = append(advice, "Your voice is quiet: move closer to the microphone or speak up.")
	}
	if lv.PeakDBFS >= silentPeakDBFS && (lv.NoiseDBFS > noisyFloorDBFS || lv.SNR() < lowSNR) {
		levelOK = false
		advice = append(advice, fmt.Sprintf("The room is noisy (background at %.0f dBFS, your voice %.0f dB above it): a quieter room, or a headset microphone, helps the transcription.", lv.NoiseDBFS, lv.SNR()))
	}
	switch {
	case r.WER.HypWords == 0:
		advice = append(advice, "No words were transcribed: check the level above and that a speech model is in use, then try again.")
	case r.WER.Rate > highWER && levelOK:
		advice = append(advice, fmt.Sprintf("%.0f%% of the words were misheard although the level is fine: a larger speech model hears better, if this computer runs it in real time (Settings › Speech models, or 'rehearse models list').", 100*r.WER.Rate))
	case r.WER.Rate > highWER:
		advice = append(advice, fmt.Sprintf("%.0f%% of the words were misheard: fix the level first; if it stays high, try a larger speech model.", 100*r.WER.Rate))
	}
	if r.FillerKept {
		advice = append(advice, "Your set-up keeps fillers: filler counts in your feedback are reliable.")
	} else if r.WER.HypWords > 0 {
		advice = append(advice, "Fillers were dropped: filler counts in your feedback will be a lower bound.")
	}
	good = levelOK && r.WER.HypWords > 0 && r.WER.Rate <= highWER && r.FillerKept
	if good {
		advice = append([]string{"Rehearse hears you well."}, advice...)
	}
	return advice, good
}

// WERLine says the word error rate and its parts in one line.
func (r Report) WERLine() string {
	w := r.WER
	return fmt.Sprintf("%.0f%% (%d of %d words: %d misheard, %d missed, %d added)",
		100*w.Rate, w.Errors(), w.RefWords, w.Substitutions, w.Deletions, w.Insertions)
}

// FillerLine says whether the filler survived transcription.
func (r Report) FillerLine() string {
	if r.FillerKept {
		return "kept (the “um” was transcribed)"
	}
	return "dropped (the “um” was not transcribed)"
}

// LevelLine says the input level in one line.
func (r Report) LevelLine() string {
	lv := r.Level
	clip := "no clipping"
	if r.Clipping {
		clip = fmt.Sprintf("clipping (%d samples at full scale)", lv.Clipped)
	} else if lv.Clipped > 0 {
		clip = fmt.Sprintf("%d samples at full scale", lv.Clipped)
	}
	return fmt.Sprintf("peak %.1f dBFS, RMS %.1f dBFS, voice %.1f dBFS, room %.1f dBFS, %s", lv.PeakDBFS, lv.RMSDBFS, lv.SpeechDBFS, lv.NoiseDBFS, clip)
}
