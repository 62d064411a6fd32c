package speech

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Stream transcribes an answer while it is being spoken. Write feeds it the
// 16 kHz chunks of a recording; voice-activity detection runs on them as
// they arrive, and each completed stretch of speech is transcribed by one
// background worker while capture goes on. When the user stops, Finish
// only has the last stretch left to do.
//
// A Stream keeps only the audio it has not transcribed yet (plus a short
// margin), so a long answer does not accumulate here.
type Stream struct {
	tr  rehearse.Transcriber
	opt Options

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	vad      *audio.VAD
	buf      []float32 // samples [base, base+len(buf)) of the recording
	base     int64
	cut      int64 // everything before cut has been queued or dropped
	speech   []rehearse.Segment
	queue    []piece
	clips    map[piece][]float32
	words    []rehearse.Word
	source   string
	err      error
	pending  int
	finished bool

	wake    chan struct{}
	done    chan struct{}
	updates chan rehearse.Transcript
}

// NewStream starts a stream and its worker. ctx bounds the whole stream;
// Close (or Finish) ends it.
func NewStream(ctx context.Context, tr rehearse.Transcriber, opt Options) *Stream {
	o := opt.withDefaults()
	sctx, cancel := context.WithCancel(ctx)
	s := &Stream{
		tr: tr, opt: o, ctx: sctx, cancel: cancel,
		vad:     audio.NewVAD(o.VAD),
		clips:   map[piece][]float32{},
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
		updates: make(chan rehearse.Transcript, 1),
	}
	go s.work()
	return s
}

// Updates delivers the transcript so far after each stretch of speech is
// transcribed, for a live display. Only the latest is kept: a slow reader
// misses intermediate ones, never blocks the stream. Hallucination
// filtering is applied only to the final transcript.
func (s *Stream) Updates() <-chan rehearse.Transcript { return s.updates }

// Write adds captured samples. It never waits for the recogniser.
func (s *Stream) Write(chunk []float32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return errors.New("speech stream: write after finish")
	}
	if s.err != nil {
		return s.err
	}
	s.buf = append(s.buf, chunk...)
	s.takeSegments(s.vad.Push(chunk))
	s.forceCut()
	s.trim()
	return nil
}

func (s *Stream) end() int64 { return s.base + int64(len(s.buf)) }

func (s *Stream) samples(from, to int64) []float32 {
	return s.buf[from-s.base : to-s.base]
}

// takeSegments queues the completed speech segments (mu held).
func (s *Stream) takeSegments(segs []rehearse.Segment) {
	for _, seg := range segs {
		s.speech = append(s.speech, seg)
		p := padded(seg, s.opt.Pad, s.cut, s.end())
		if p.to-p.from < rehearse.SampleRate/10 {
			continue // nothing left of it after a forced cut
		}
		for _, q := range split(p, secToSample(s.opt.MaxSegment), s.samples) {
			s.enqueue(q)
		}
	}
}

func (s *Stream) enqueue(p piece) {
	if p.to <= p.from {
		return
	}
	clip := make([]float32, p.to-p.from)
	copy(clip, s.samples(p.from, p.to))
	s.clips[p] = clip
	s.queue = append(s.queue, p)
	s.pending++
	s.cut = max(s.cut, p.to)
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// forceCut handles a speaker who never pauses long enough for the VAD to
// close a segment: once more than MaxSegment of audio waits, the part up
// to its quietest moment is queued (or dropped, when it holds no speech).
func (s *Stream) forceCut() {
	maxLen := secToSample(s.opt.MaxSegment)
	if s.end()-s.cut <= maxLen {
		return
	}
	lo, hi := s.cut+maxLen*2/3, s.cut+maxLen
	at := quietest(s.samples(lo, hi), lo)
	p := piece{s.cut, at}
	if s.hasSpeech(p) {
		s.enqueue(p)
	} else {
		s.cut = at
	}
}

// hasSpeech reports whether p holds speech by the detector's judgement:
// its open segment began before p ends. (Speech it judged over already was
// queued as a segment, and p starts after it.)
func (s *Stream) hasSpeech(p piece) bool {
	since, ok := s.vad.InSpeech()
	return ok && secToSample(since) < p.to
}

// trim forgets audio that is queued already, keeping the padding margin.
func (s *Stream) trim() {
	keep := s.cut - secToSample(s.opt.Pad) - rehearse.SampleRate // margin for the VAD's pre-roll
	drop := keep - s.base
	if drop < rehearse.SampleRate*5 {
		return
	}
	rest := make([]float32, len(s.buf)-int(drop), max(len(s.buf)-int(drop), rehearse.SampleRate*10))
	copy(rest, s.buf[drop:])
	s.buf = rest
	s.base = keep
}

func (s *Stream) work() {
	defer close(s.done)
	for {
		s.mu.Lock()
		for len(s.queue) == 0 {
			if s.finished || s.ctx.Err() != nil {
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
			select {
			case <-s.wake:
			case <-s.ctx.Done():
			}
			s.mu.Lock()
		}
		p := s.queue[0]
		s.queue = s.queue[1:]
		clip := s.clips[p]
		delete(s.clips, p)
		s.mu.Unlock()

		t, err := s.tr.Transcribe(s.ctx, rehearse.Audio{Samples: clip}, s.opt.Transcribe, nil)

		s.mu.Lock()
		s.pending--
		if err != nil {
			if s.err == nil {
				if s.ctx.Err() != nil {
					s.err = s.ctx.Err()
				} else {
					s.err = fmt.Errorf("transcribe %.1f–%.1f s: %w", float64(p.from)/rehearse.SampleRate, float64(p.to)/rehearse.SampleRate, err)
				}
			}
			s.mu.Unlock()
			s.cancel()
			return
		}
		if s.source == "" {
			s.source = t.Source
		}
		s.words = append(s.words, offsetWords(t.Words, p)...)
		partial := rehearse.Transcript{
			Words: append([]rehearse.Word(nil), s.words...), Timed: true,
			DurationS: float64(s.end()) / rehearse.SampleRate, Source: sourceOf(s.tr, s.source),
		}
		partial.Text = rehearse.JoinWords(partial.Words)
		s.mu.Unlock()
		select {
		case <-s.updates:
		default:
		}
		s.updates <- partial
	}
}

// Finish ends the recording: the last stretch of speech is queued, the
// worker drains the queue, and the final transcript (words on the
// recording's clock, hallucinations dropped) is returned. Cancelling ctx
// abandons the transcription (the recogniser is interrupted) and returns
// ctx.Err(). With no speech the error wraps rehearse.ErrNoSpeech.
func (s *Stream) Finish(ctx context.Context) (rehearse.Transcript, error) {
	s.mu.Lock()
	if !s.finished {
		s.finished = true
		s.takeSegments(s.vad.Flush())
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, s.cancel)
	defer stop()
	<-s.done
	s.cancel()
	if err := ctx.Err(); err != nil {
		return rehearse.Transcript{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return rehearse.Transcript{}, s.err
	}
	words := append([]rehearse.Word(nil), s.words...)
	return assemble(words, s.speech, float64(s.end())/rehearse.SampleRate, sourceOf(s.tr, s.source), s.opt)
}

// Close abandons the stream: the worker stops (interrupting the
// recogniser) and Close waits for it.
func (s *Stream) Close() {
	s.mu.Lock()
	s.finished = true
	s.mu.Unlock()
	s.cancel()
	<-s.done
}
