// Package osvoice speaks text aloud through the operating system's own
// on-device voices: speech-dispatcher on Linux (the desktop accessibility
// service, which uses whatever synthesiser the user configured), with
// espeak-ng run directly when speech-dispatcher is missing; `say` on macOS;
// SAPI through PowerShell's System.Speech on Windows. The engine is found at
// run time; nothing is downloaded and nothing reaches the network.
//
// Speak blocks until the voice has finished, so a caller that records
// afterwards never records the voice. Cancelling its context stops the voice.
package osvoice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ErrNoVoice means this computer has no speech engine Rehearse can use.
// Callers show the text instead of speaking it.
var ErrNoVoice = errors.New("no speech voice found on this computer (on Linux install speech-dispatcher or espeak-ng): questions are shown as text")

// ErrTimeout means the engine accepted the text but did not finish speaking
// in far longer than the text takes to say, which happens when it has no
// working sound output. The engine has been stopped.
var ErrTimeout = errors.New("the speech engine did not finish speaking (check its sound output): questions are shown as text")

// Voice is one installed voice.
type Voice struct {
	// Name is the engine's own name for the voice, passed back to it to
	// choose the voice.
	Name string
	// Language is the voice's language code as the engine reports it
	// (e.g. "en-us"), or empty.
	Language string
	// Description is a friendlier name when the engine has one.
	Description string
}

// Label is how a voice picker shows the voice.
func (v Voice) Label() string {
	if v.Description != "" {
		return fmt.Sprintf("%s (%s)", v.Description, v.Name)
	}
	if v.Language == "" || strings.Contains(strings.ToLower(v.Name), strings.ToLower(v.Language)) {
		return v.Name
	}
	return fmt.Sprintf("%s (%s)", v.Name, v.Language)
}

// Rate limits: a rate is relative to the voice's normal speed, from -100
// (slowest) through 0 (normal) to 100 (fastest).
const (
	MinRate = -100
	MaxRate = 100
)

// normalWPM is the speed, in words per minute, of rate 0 for engines that
// take words per minute; the slowest and fastest are what espeak-ng and
// `say` accept comfortably.
const (
	normalWPM  = 175
	slowestWPM = 80
	fastestWPM = 450
)

// wordsPerMinute maps a relative rate onto words per minute.
func wordsPerMinute(rate int) int {
	rate = clampRate(rate)
	if rate < 0 {
		return normalWPM + rate*(normalWPM-slowestWPM)/100
	}
	return normalWPM + rate*(fastestWPM-normalWPM)/100
}

func clampRate(r int) int {
	return min(max(r, MinRate), MaxRate)
}

// engine is one way of speaking, chosen per operating system.
type engine interface {
	name() string
	voices(ctx context.Context) ([]Voice, error)
	// speak says text and returns once it has been said.
	speak(ctx context.Context, text, voice string, rate int) error
}

// Speaker speaks with one engine, voice and rate. It is safe for concurrent
// use; one utterance is spoken at a time.
type Speaker struct {
	eng engine

	mu    sync.Mutex
	voice string
	rate  int

	speaking sync.Mutex
}

// Find looks for the operating system's speech engine. It returns
// ErrNoVoice when there is none.
func Find() (*Speaker, error) {
	e, err := findEngine()
	if err != nil {
		return nil, err
	}
	return &Speaker{eng: e}, nil
}

// Engine names the engine in use, for settings and diagnostics.
func (s *Speaker) Engine() string { return s.eng.name() }

// Voices lists the installed voices.
func (s *Speaker) Voices(ctx context.Context) ([]Voice, error) {
	v, err := s.eng.voices(ctx)
	if err != nil {
		return nil, fmt.Errorf("list %s voices: %w", s.eng.name(), err)
	}
	return v, nil
}

// SetVoice chooses the voice by its Name; empty means the engine's default.
func (s *Speaker) SetVoice(name string) {
	s.mu.Lock()
	s.voice = name
	s.mu.Unlock()
}

// SetRate sets the speed, from MinRate to MaxRate (0 is normal); values
// outside are clamped.
func (s *Speaker) SetRate(rate int) {
	s.mu.Lock()
	s.rate = clampRate(rate)
	s.mu.Unlock()
}

// Voice and Rate report the current choice.
func (s *Speaker) Voice() string { s.mu.Lock(); defer s.mu.Unlock(); return s.voice }
func (s *Speaker) Rate() int     { s.mu.Lock(); defer s.mu.Unlock(); return s.rate }

// Speak says text and returns when the voice has finished. Cancelling ctx
// stops the voice and returns ctx's error. An engine that takes far longer
// than the text needs is stopped and ErrTimeout returned.
func (s *Speaker) Speak(ctx context.Context, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	s.mu.Lock()
	voice, rate := s.voice, s.rate
	s.mu.Unlock()

	s.speaking.Lock()
	defer s.speaking.Unlock()
	tctx, cancel := context.WithTimeout(ctx, speakLimit(text, rate))
	defer cancel()
	err := s.eng.speak(tctx, text, voice, rate)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case tctx.Err() != nil:
		return fmt.Errorf("speak with %s: %w", s.eng.name(), ErrTimeout)
	case err != nil:
		return fmt.Errorf("speak with %s: %w", s.eng.name(), err)
	}
	return nil
}

// startLimit is how long an engine may take to start speaking (starting
// speech-dispatcher's daemon on a busy computer takes seconds).
var startLimit = 20 * time.Second

// speakLimit is how long an utterance may take before the engine is
// considered stuck: three times the time the words take at the slowest of
// the chosen speed and normal speed, plus time to start the engine.
func speakLimit(text string, rate int) time.Duration {
	words := len(strings.Fields(text))
	wpm := min(wordsPerMinute(rate), normalWPM)
	return startLimit + 3*time.Duration(words)*time.Minute/time.Duration(wpm)
}
