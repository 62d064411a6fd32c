// Package speech turns a spoken answer into a timed transcript. It finds
// speech with voice-activity detection, transcribes each stretch of speech
// separately (while the user is still talking, in a Stream, or after the
// fact, with TranscribeAll), maps the words back onto the recording's clock
// and drops the low-probability words whisper tends to invent inside long
// silences.
package speech

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Options tune the pipeline. Zero fields take the defaults.
type Options struct {
	Transcribe rehearse.TranscribeOptions
	VAD        audio.VADConfig
	// MaxSegment is the longest stretch (seconds) given to the recogniser
	// at once; longer speech is cut at its quietest moment. Default 25 s,
	// inside whisper's 30-second window.
	MaxSegment float64
	// Pad is the audio (seconds) kept before and after each speech segment
	// so that word edges are not clipped. Default 0.2 s.
	Pad float64
	// DropBelowP and LongSilence define a hallucination: a word with
	// probability below DropBelowP (default 0.15) whose middle lies in a
	// stretch without speech of at least LongSilence seconds (default 2).
	DropBelowP  float64
	LongSilence float64
}

func (o Options) withDefaults() Options {
	if o.MaxSegment <= 0 {
		o.MaxSegment = 25
	}
	if o.Pad <= 0 {
		o.Pad = 0.2
	}
	if o.DropBelowP <= 0 {
		o.DropBelowP = 0.15
	}
	if o.LongSilence <= 0 {
		o.LongSilence = 2
	}
	if o.VAD == (audio.VADConfig{}) {
		o.VAD = audio.DefaultVADConfig()
	}
	return o
}

// piece is a stretch of the recording given to the recogniser: samples
// [from, to) on the recording's clock.
type piece struct {
	from, to int64
}

func (p piece) seconds() float64 { return float64(p.to-p.from) / rehearse.SampleRate }

func secToSample(s float64) int64 { return int64(math.Round(s * rehearse.SampleRate)) }

// split cuts [from, to) into pieces no longer than maxLen samples, each cut
// at the quietest 20 ms in the last third of the allowed length. samples
// returns the audio for a range of the recording.
func split(p piece, maxLen int64, samples func(from, to int64) []float32) []piece {
	var out []piece
	for p.to-p.from > maxLen {
		lo, hi := p.from+maxLen*2/3, p.from+maxLen
		cut := quietest(samples(lo, hi), lo)
		out = append(out, piece{p.from, cut})
		p.from = cut
	}
	return append(out, p)
}

// quietest returns the sample index (offset by base) of the middle of the
// quietest 20 ms window in s.
func quietest(s []float32, base int64) int64 {
	const win = rehearse.SampleRate / 50
	if len(s) < win {
		return base + int64(len(s))
	}
	best, bestAt := math.Inf(1), 0
	for i := 0; i+win <= len(s); i += win / 2 {
		var e float64
		for _, v := range s[i : i+win] {
			e += float64(v) * float64(v)
		}
		if e < best {
			best, bestAt = e, i+win/2
		}
	}
	return base + int64(bestAt)
}

// padded widens a speech segment by pad seconds on both sides, within
// [lo, hi).
func padded(seg rehearse.Segment, pad float64, lo, hi int64) piece {
	from := max(secToSample(seg.Start-pad), lo)
	to := min(secToSample(seg.End+pad), hi)
	return piece{from, max(to, from)}
}

// offsetWords moves words from a piece's clock onto the recording's clock,
// keeping them inside the piece.
func offsetWords(ws []rehearse.Word, p piece) []rehearse.Word {
	off := float64(p.from) / rehearse.SampleRate
	end := float64(p.to) / rehearse.SampleRate
	out := make([]rehearse.Word, 0, len(ws))
	for _, w := range ws {
		w.Start = math.Min(w.Start+off, end)
		w.End = math.Min(math.Max(w.End+off, w.Start), end)
		out = append(out, w)
	}
	return out
}

// dropHallucinations removes words with P below minP whose midpoint lies in
// a stretch without speech of at least longSilence seconds. speech is the
// VAD's segments, in order; dur is the recording's length.
func dropHallucinations(ws []rehearse.Word, speech []rehearse.Segment, dur, minP, longSilence float64) []rehearse.Word {
	out := ws[:0:0]
	for _, w := range ws {
		if w.P < minP && silenceAround((w.Start+w.End)/2, speech, dur) >= longSilence {
			continue
		}
		out = append(out, w)
	}
	return out
}

// silenceAround is the length of the speech-free stretch containing t, or 0
// when t is inside speech.
func silenceAround(t float64, speech []rehearse.Segment, dur float64) float64 {
	prevEnd := 0.0
	for _, s := range speech {
		if t < s.Start {
			return s.Start - prevEnd
		}
		if t <= s.End {
			return 0
		}
		prevEnd = s.End
	}
	return math.Max(dur, t) - prevEnd
}

// assemble builds the final transcript.
func assemble(words []rehearse.Word, speech []rehearse.Segment, dur float64, source string, o Options) (rehearse.Transcript, error) {
	sort.SliceStable(words, func(i, j int) bool { return words[i].Start < words[j].Start })
	words = dropHallucinations(words, speech, dur, o.DropBelowP, o.LongSilence)
	tr := rehearse.Transcript{Words: words, Timed: true, DurationS: dur, Source: source, Text: rehearse.JoinWords(words)}
	if len(speech) == 0 {
		return tr, fmt.Errorf("transcribe %.1f s of audio: %w", dur, rehearse.ErrNoSpeech)
	}
	if len(words) == 0 {
		return tr, fmt.Errorf("transcribe %.1f s of audio: no words recognised: %w", dur, rehearse.ErrNoSpeech)
	}
	return tr, nil
}

func sourceOf(tr rehearse.Transcriber, got string) string {
	if got != "" {
		return got
	}
	return "whisper:" + tr.ModelName()
}

// TranscribeAll transcribes a whole recording: voice-activity detection,
// then each stretch of speech in turn. It works on slices of a (no copy of
// the audio) and keeps only words, so memory stays near the size of a even
// for an hour. progress reports the speech transcribed so far out of all
// the speech found. With no speech at all it returns an error wrapping
// rehearse.ErrNoSpeech.
func TranscribeAll(ctx context.Context, tr rehearse.Transcriber, a rehearse.Audio, opt Options, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	o := opt.withDefaults()
	n := int64(len(a.Samples))
	speech := audio.DetectSpeech(a, o.VAD)
	get := func(from, to int64) []float32 { return a.Samples[from:to] }
	var pieces []piece
	var total float64
	for _, seg := range speech {
		for _, p := range split(padded(seg, o.Pad, 0, n), secToSample(o.MaxSegment), get) {
			if p.to > p.from {
				pieces = append(pieces, p)
				total += p.seconds()
			}
		}
	}
	// Neighbouring padded segments may overlap; keep each sample in one piece.
	for i := 1; i < len(pieces); i++ {
		if pieces[i].from < pieces[i-1].to {
			pieces[i].from = pieces[i-1].to
		}
	}
	toDur := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	var words []rehearse.Word
	var done float64
	source := ""
	for _, p := range pieces {
		if p.to <= p.from {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rehearse.Transcript{}, err
		}
		var inner func(rehearse.TranscribeProgress)
		if progress != nil {
			base := done
			inner = func(pr rehearse.TranscribeProgress) {
				// Rounding must never report more done than there is.
				progress(rehearse.TranscribeProgress{Done: min(toDur(base)+pr.Done, toDur(total)), Total: toDur(total)})
			}
		}
		t, err := tr.Transcribe(ctx, rehearse.Audio{Samples: a.Samples[p.from:p.to]}, o.Transcribe, inner)
		if err != nil {
			if ctx.Err() != nil {
				return rehearse.Transcript{}, ctx.Err()
			}
			return rehearse.Transcript{}, fmt.Errorf("transcribe %.1f–%.1f s: %w", float64(p.from)/rehearse.SampleRate, float64(p.to)/rehearse.SampleRate, err)
		}
		if source == "" {
			source = t.Source
		}
		words = append(words, offsetWords(t.Words, p)...)
		done += p.seconds()
		if progress != nil {
			progress(rehearse.TranscribeProgress{Done: min(toDur(done), toDur(total)), Total: toDur(total)})
		}
	}
	return assemble(words, speech, a.Duration(), sourceOf(tr, source), o)
}
