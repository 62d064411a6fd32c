package speech

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// fakeTranscriber isolates the pipeline from the recogniser on purpose: it
// "recognises" one word per loud stretch of the audio it is given, with
// times relative to that audio, so the tests can check how words are mapped
// back onto the recording.
type fakeTranscriber struct {
	mu    sync.Mutex
	calls []float64 // durations of the audio given
	block bool      // wait for ctx instead of answering
	fail  error
	extra []rehearse.Word // appended to every answer
	ctxs  []context.Context
}

func (f *fakeTranscriber) Transcribe(ctx context.Context, a rehearse.Audio, opt rehearse.TranscribeOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	f.mu.Lock()
	f.calls = append(f.calls, a.Duration())
	f.ctxs = append(f.ctxs, ctx)
	block, fail := f.block, f.fail
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return rehearse.Transcript{}, ctx.Err()
	}
	if fail != nil {
		return rehearse.Transcript{}, fail
	}
	const frame = rehearse.SampleRate / 100
	var ws []rehearse.Word
	start := -1
	for i := 0; i+frame <= len(a.Samples); i += frame {
		var e float64
		for _, v := range a.Samples[i : i+frame] {
			e += float64(v) * float64(v)
		}
		loud := math.Sqrt(e/frame) > 0.05
		switch {
		case loud && start < 0:
			start = i
		case !loud && start >= 0:
			ws = append(ws, word(start, i))
			start = -1
		}
		if progress != nil {
			progress(rehearse.TranscribeProgress{Done: time.Duration(i) * time.Second / rehearse.SampleRate, Total: time.Duration(a.Duration() * float64(time.Second))})
		}
	}
	if start >= 0 {
		ws = append(ws, word(start, len(a.Samples)/frame*frame))
	}
	ws = append(ws, f.extra...)
	return rehearse.Transcript{Words: ws, Timed: true, DurationS: a.Duration(), Source: "fake:model"}, nil
}

func word(from, to int) rehearse.Word {
	return rehearse.Word{Text: fmt.Sprintf("w%d", to-from), Start: float64(from) / rehearse.SampleRate, End: float64(to) / rehearse.SampleRate, P: 0.9}
}

func (f *fakeTranscriber) ModelName() string { return "fake" }
func (f *fakeTranscriber) Close() error      { return nil }

func (f *fakeTranscriber) nCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// recording makes dur seconds of faint noise with 220 Hz "speech" bursts.
func recording(dur float64, bursts ...rehearse.Segment) rehearse.Audio {
	n := int(dur * rehearse.SampleRate)
	s := make([]float32, n)
	seed := uint32(7)
	for i := range s {
		seed = seed*1664525 + 1013904223
		s[i] = (float32(seed>>8)/float32(1<<24) - 0.5) * 0.002
	}
	for _, b := range bursts {
		for i := int(b.Start * rehearse.SampleRate); i < int(b.End*rehearse.SampleRate) && i < n; i++ {
			t := float64(i) / rehearse.SampleRate
			s[i] += float32(0.3 * math.Sin(2*math.Pi*220*t) * (0.8 + 0.2*math.Sin(2*math.Pi*3*t)))
		}
	}
	return rehearse.Audio{Samples: s}
}

var bursts = []rehearse.Segment{{Start: 1.0, End: 2.5}, {Start: 5.0, End: 6.0}, {Start: 9.0, End: 11.0}}

func checkMapped(t *testing.T, tr rehearse.Transcript, want []rehearse.Segment) {
	t.Helper()
	if len(tr.Words) != len(want) {
		t.Fatalf("words %+v, want one per burst %v", tr.Words, want)
	}
	for i, w := range tr.Words {
		if math.Abs(w.Start-want[i].Start) > 0.03 || math.Abs(w.End-want[i].End) > 0.03 {
			t.Errorf("word %d at %.3f–%.3f, burst at %.3f–%.3f", i, w.Start, w.End, want[i].Start, want[i].End)
		}
	}
	if tr.Source != "fake:model" || !tr.Timed || tr.Text == "" {
		t.Errorf("transcript %+v", tr)
	}
}

func TestTranscribeAllMapsWordsToRecordingClock(t *testing.T) {
	a := recording(12, bursts...)
	f := &fakeTranscriber{}
	var prog []rehearse.TranscribeProgress
	tr, err := TranscribeAll(context.Background(), f, a, Options{}, func(p rehearse.TranscribeProgress) { prog = append(prog, p) })
	if err != nil {
		t.Fatal(err)
	}
	checkMapped(t, tr, bursts)
	if tr.DurationS != 12 {
		t.Errorf("duration %v", tr.DurationS)
	}
	if f.nCalls() != 3 {
		t.Errorf("transcriber called %d times for 3 stretches of speech: %v", f.nCalls(), f.calls)
	}
	for _, d := range f.calls {
		if d > 2.0+2*0.2+0.2 {
			t.Errorf("gave the recogniser %.2f s, more than a burst and its padding", d)
		}
	}
	if len(prog) == 0 {
		t.Fatal("no progress")
	}
	for i := 1; i < len(prog); i++ {
		if prog[i].Done < prog[i-1].Done {
			t.Fatalf("progress went back: %v then %v", prog[i-1], prog[i])
		}
	}
	if last := prog[len(prog)-1]; last.Done != last.Total || last.Total < 4*time.Second {
		t.Errorf("last progress %+v", last)
	}
}

func TestNoSpeech(t *testing.T) {
	a := recording(5)
	f := &fakeTranscriber{}
	if _, err := TranscribeAll(context.Background(), f, a, Options{}, nil); !errors.Is(err, rehearse.ErrNoSpeech) {
		t.Errorf("batch: %v", err)
	}
	s := NewStream(context.Background(), f, Options{})
	s.Write(a.Samples)
	if _, err := s.Finish(context.Background()); !errors.Is(err, rehearse.ErrNoSpeech) {
		t.Errorf("stream: %v", err)
	}
	if f.nCalls() != 0 {
		t.Errorf("recogniser called on silence %d times", f.nCalls())
	}
}

func TestStreamTranscribesWhileRecording(t *testing.T) {
	a := recording(12, bursts...)
	f := &fakeTranscriber{}
	s := NewStream(context.Background(), f, Options{})
	defer s.Close()
	const chunk = rehearse.SampleRate / 10
	fed := 0
	feed := func(until float64) {
		for ; fed < int(until*rehearse.SampleRate); fed += chunk {
			if err := s.Write(a.Samples[fed:min(fed+chunk, len(a.Samples))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	feed(8) // the first two bursts have ended and been followed by silence
	var partial rehearse.Transcript
	for len(partial.Words) < 2 {
		select {
		case partial = <-s.Updates():
		case <-time.After(10 * time.Second):
			t.Fatalf("no partial transcript with 2 words while recording; calls %v", f.calls)
		}
	}
	if partial.Words[0].Start < 0.9 || partial.Words[1].Start < 4.9 {
		t.Errorf("partial words %+v", partial.Words)
	}
	feed(11.2) // the last burst ended 0.2 s ago: the detector has not closed it
	before := f.nCalls()
	tr, err := s.Finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if before != 2 || f.nCalls() != 3 {
		t.Errorf("calls before finish %d, after %d; want 2 then 3 (only the tail left)", before, f.nCalls())
	}
	checkMapped(t, tr, bursts)
	if math.Abs(tr.DurationS-11.2) > 1e-9 {
		t.Errorf("duration %v", tr.DurationS)
	}
	if err := s.Write(a.Samples[:10]); err == nil {
		t.Error("write after finish accepted")
	}
}

func TestStreamEqualsBatch(t *testing.T) {
	segs := []rehearse.Segment{{Start: 0.5, End: 3}, {Start: 3.6, End: 4.1}, {Start: 7, End: 13}, {Start: 20, End: 21}}
	a := recording(22, segs...)
	batch, err := TranscribeAll(context.Background(), &fakeTranscriber{}, a, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStream(context.Background(), &fakeTranscriber{}, Options{})
	for i := 0; i < len(a.Samples); i += 1000 {
		s.Write(a.Samples[i:min(i+1000, len(a.Samples))])
	}
	stream, err := s.Finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(stream.Words) != len(batch.Words) {
		t.Fatalf("stream %v\nbatch %v", stream.Words, batch.Words)
	}
	for i := range stream.Words {
		if math.Abs(stream.Words[i].Start-batch.Words[i].Start) > 0.011 || math.Abs(stream.Words[i].End-batch.Words[i].End) > 0.011 {
			t.Errorf("word %d: stream %+v batch %+v", i, stream.Words[i], batch.Words[i])
		}
	}
}

func TestLongSpeechIsSplit(t *testing.T) {
	// 60 s of speech without a pause: pieces must stay within MaxSegment,
	// and the stream must start on them before the end.
	var syll []rehearse.Segment // 0.8 s syllables, 0.2 s gaps: too short to end a segment
	for s := 1.0; s < 61; s++ {
		syll = append(syll, rehearse.Segment{Start: s, End: s + 0.8})
	}
	a := recording(62, syll...)
	f := &fakeTranscriber{}
	tr, err := TranscribeAll(context.Background(), f, a, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.calls) < 3 {
		t.Errorf("60 s given in %d pieces: %v", len(f.calls), f.calls)
	}
	for _, d := range f.calls {
		if d > 25.001 {
			t.Errorf("piece of %.2f s exceeds 25 s", d)
		}
	}
	if tr.Words[0].Start > 1.05 || len(tr.Words) != len(syll) {
		t.Errorf("words do not cover the speech: %+v", tr.Words)
	}

	g := &fakeTranscriber{}
	s := NewStream(context.Background(), g, Options{})
	for i := 0; i < len(a.Samples); i += 1600 {
		s.Write(a.Samples[i:min(i+1600, len(a.Samples))])
	}
	if g.nCalls() == 0 {
		time.Sleep(100 * time.Millisecond)
	}
	s.mu.Lock()
	queued, kept := len(s.queue)+g.nCalls(), len(s.buf)
	s.mu.Unlock()
	if queued < 2 {
		t.Errorf("only %d pieces queued before the end of a 60 s monologue", queued)
	}
	if kept > 40*rehearse.SampleRate {
		t.Errorf("stream keeps %.1f s of audio", float64(kept)/rehearse.SampleRate)
	}
	str, err := s.Finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if str.Words[0].Start > 1.05 || len(str.Words) != len(syll) {
		t.Errorf("stream words do not cover the speech: %+v", str.Words)
	}
}

func TestStreamMemoryIsBounded(t *testing.T) {
	var segs []rehearse.Segment
	for s := 1.0; s < 295; s += 4 {
		segs = append(segs, rehearse.Segment{Start: s, End: s + 2})
	}
	a := recording(300, segs...)
	f := &fakeTranscriber{}
	s := NewStream(context.Background(), f, Options{})
	maxKept := 0
	for i := 0; i < len(a.Samples); i += 1600 {
		s.Write(a.Samples[i:min(i+1600, len(a.Samples))])
		s.mu.Lock()
		maxKept = max(maxKept, len(s.buf))
		s.mu.Unlock()
	}
	tr, err := s.Finish(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Words) != len(segs) {
		t.Errorf("%d words for %d bursts", len(tr.Words), len(segs))
	}
	if maxKept > 12*rehearse.SampleRate {
		t.Errorf("stream kept up to %.1f s of a 300 s recording", float64(maxKept)/rehearse.SampleRate)
	}
}

func TestCancel(t *testing.T) {
	a := recording(12, bursts...)
	f := &fakeTranscriber{block: true}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := TranscribeAll(ctx, f, a, Options{}, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("batch: %v", err)
	}

	g := &fakeTranscriber{block: true}
	s := NewStream(context.Background(), g, Options{})
	s.Write(a.Samples)
	fctx, fcancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); fcancel() }()
	if _, err := s.Finish(fctx); !errors.Is(err, context.Canceled) {
		t.Errorf("stream: %v", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.ctxs) == 0 || g.ctxs[0].Err() == nil {
		t.Error("the recogniser's context was not cancelled")
	}
}

func TestTranscriberError(t *testing.T) {
	boom := errors.New("boom")
	a := recording(12, bursts...)
	if _, err := TranscribeAll(context.Background(), &fakeTranscriber{fail: boom}, a, Options{}, nil); !errors.Is(err, boom) {
		t.Errorf("batch: %v", err)
	}
	s := NewStream(context.Background(), &fakeTranscriber{fail: boom}, Options{})
	s.Write(a.Samples)
	if _, err := s.Finish(context.Background()); !errors.Is(err, boom) {
		t.Errorf("stream: %v", err)
	}
}

func TestDropHallucinations(t *testing.T) {
	speech := []rehearse.Segment{{Start: 1, End: 3}, {Start: 4, End: 5}, {Start: 10, End: 12}}
	tests := []struct {
		w    rehearse.Word
		keep bool
	}{
		{rehearse.Word{Text: "in speech, unsure", Start: 1.5, End: 1.8, P: 0.01}, true},
		{rehearse.Word{Text: "short gap, unsure", Start: 3.2, End: 3.5, P: 0.01}, true},
		{rehearse.Word{Text: "long gap, unsure", Start: 7, End: 7.5, P: 0.05}, false},
		{rehearse.Word{Text: "long gap, sure", Start: 7, End: 7.5, P: 0.6}, true},
		{rehearse.Word{Text: "leading silence", Start: 0.2, End: 0.4, P: 0.1}, true},   // 1 s of silence
		{rehearse.Word{Text: "trailing silence", Start: 13.5, End: 14, P: 0.1}, false}, // 12..15
		{rehearse.Word{Text: "at threshold", Start: 7, End: 7.5, P: 0.15}, true},
	}
	var ws []rehearse.Word
	for _, tt := range tests {
		ws = append(ws, tt.w)
	}
	got := dropHallucinations(ws, speech, 15, 0.15, 2)
	kept := map[string]bool{}
	for _, w := range got {
		kept[w.Text] = true
	}
	for _, tt := range tests {
		if kept[tt.w.Text] != tt.keep {
			t.Errorf("%q kept=%v, want %v", tt.w.Text, kept[tt.w.Text], tt.keep)
		}
	}
	if len(ws) != len(tests) || ws[2].Text != "long gap, unsure" {
		t.Error("input slice was modified")
	}
}

func TestHallucinationDroppedInPipeline(t *testing.T) {
	// The recogniser invents an unsure word in the 5 s silence of a piece
	// that spans it (a monologue cut by MaxSegment): it must go, a sure
	// word there must stay.
	a := recording(14, rehearse.Segment{Start: 0.5, End: 2}, rehearse.Segment{Start: 9, End: 10})
	f := &fakeTranscriber{extra: []rehearse.Word{{Text: "ghost", Start: 5, End: 5.5, P: 0.02}, {Text: "real", Start: 5.6, End: 5.8, P: 0.8}}}
	tr, err := TranscribeAll(context.Background(), f, a, Options{MaxSegment: 12, Pad: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range tr.Words {
		if w.Text == "ghost" {
			t.Errorf("hallucinated word kept: %+v", tr.Words)
		}
	}
	found := false
	for _, w := range tr.Words {
		found = found || w.Text == "real"
	}
	if !found {
		t.Errorf("confident word dropped: %+v", tr.Words)
	}
}

func TestSplitAndPad(t *testing.T) {
	get := func(from, to int64) []float32 { return make([]float32, to-from) }
	ps := split(piece{0, 100 * rehearse.SampleRate}, 25*rehearse.SampleRate, get)
	var prev int64
	for _, p := range ps {
		if p.from != prev || p.to-p.from > 25*rehearse.SampleRate || p.to <= p.from {
			t.Errorf("pieces %v", ps)
		}
		prev = p.to
	}
	if prev != 100*rehearse.SampleRate {
		t.Errorf("pieces end at %d", prev)
	}
	p := padded(rehearse.Segment{Start: 0.1, End: 5}, 0.2, 0, 5*rehearse.SampleRate)
	if p.from != 0 || p.to != 5*rehearse.SampleRate {
		t.Errorf("padded %v", p)
	}
}
