package osvoice

import (
	"context"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseVoices(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) []Voice
		out   string
		want  []Voice
	}{
		{"spd-say -L", parseSpdVoices, "                     NAME                 LANGUAGE                  VARIANT\n" +
			"                Afrikaans                       af                     none\n" +
			"   English (America)+Alex                    en-US                     Alex\n" +
			"Afrikaans+Half-LifeAnnouncementSystem                       afHalf-LifeAnnouncementSystem\n" +
			"Chinese (Mandarin, latin as English)+Half-LifeAnnouncementSystem                       cmnHalf-LifeAnnouncementSystem\n\n",
			[]Voice{{Name: "Afrikaans", Language: "af"}, {Name: "English (America)+Alex", Language: "en-US"},
				{Name: "Afrikaans+Half-LifeAnnouncementSystem", Language: "af"},
				{Name: "Chinese (Mandarin, latin as English)+Half-LifeAnnouncementSystem", Language: "cmn"}}},
		{"spd-say -L, no voices", parseSpdVoices, "NAME LANGUAGE VARIANT\n", nil},
		{"espeak-ng --voices", parseEspeakVoices, "Pty Language       Age/Gender VoiceName          File                 Other Languages\n" +
			" 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)\n" +
			" 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n",
			[]Voice{{Name: "en-gb", Language: "en-gb", Description: "English (Great Britain)"}, {Name: "en-us", Language: "en-us", Description: "English (America)"}}},
		{"say -v ?", parseSayVoices, "Alex                en_US    # Most people recognize me by my voice.\nBad News            en_US    # The light you see at the end of the tunnel is the headlamp of a fast approaching train.\n",
			[]Voice{{Name: "Alex", Language: "en_US"}, {Name: "Bad News", Language: "en_US"}}},
		{"SAPI", parseSapiVoices, "Microsoft David Desktop\ten-US\r\nMicrosoft Hazel Desktop\ten-GB\r\n\r\n",
			[]Voice{{Name: "Microsoft David Desktop", Language: "en-US"}, {Name: "Microsoft Hazel Desktop", Language: "en-GB"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.parse(tt.out); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestVoiceLabel(t *testing.T) {
	tests := []struct {
		v    Voice
		want string
	}{
		{Voice{Name: "Alex", Language: "en_US"}, "Alex (en_US)"},
		{Voice{Name: "English (America)+Alex", Language: "en-US"}, "English (America)+Alex (en-US)"},
		{Voice{Name: "en-us", Language: "en-us", Description: "English (America)"}, "English (America) (en-us)"},
		{Voice{Name: "en-gb", Language: "en-gb"}, "en-gb"},
	}
	for _, tt := range tests {
		if got := tt.v.Label(); got != tt.want {
			t.Errorf("%+v.Label() = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestWordsPerMinute(t *testing.T) {
	tests := []struct{ rate, want int }{
		{-1000, slowestWPM}, {-100, slowestWPM}, {-50, 128}, {0, normalWPM}, {50, 312}, {100, fastestWPM}, {1000, fastestWPM},
	}
	for _, tt := range tests {
		if got := wordsPerMinute(tt.rate); got != tt.want {
			t.Errorf("wordsPerMinute(%d) = %d, want %d", tt.rate, got, tt.want)
		}
	}
}

// blockingEngine speaks until its context ends, and records what it was
// asked.
type blockingEngine struct {
	started chan string
	voice   string
	rate    int
}

func (blockingEngine) name() string                            { return "test voice" }
func (blockingEngine) voices(context.Context) ([]Voice, error) { return nil, nil }
func (e *blockingEngine) speak(ctx context.Context, text, voice string, rate int) error {
	e.voice, e.rate = voice, rate
	e.started <- text
	<-ctx.Done()
	return errors.New("killed")
}

func TestSpeakCancelledReturnsContextError(t *testing.T) {
	e := &blockingEngine{started: make(chan string, 1)}
	s := &Speaker{eng: e}
	s.SetVoice("Alex")
	s.SetRate(250)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Speak(ctx, "  Why this role?  ") }()
	if got := <-e.started; got != "Why this role?" {
		t.Errorf("engine was given %q", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Speak after cancel = %v, want context.Canceled", err)
	}
	if e.voice != "Alex" || e.rate != MaxRate {
		t.Errorf("engine got voice %q rate %d, want Alex and %d (clamped)", e.voice, e.rate, MaxRate)
	}
}

func TestSpeakStuckEngineTimesOut(t *testing.T) {
	defer func(d time.Duration) { startLimit = d }(startLimit)
	startLimit = 50 * time.Millisecond
	e := &blockingEngine{started: make(chan string, 1)}
	s := &Speaker{eng: e}
	start := time.Now()
	err := s.Speak(context.Background(), "Hi.")
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Speak on a stuck engine = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

func TestSpeakEmptyTextSaysNothing(t *testing.T) {
	e := &blockingEngine{started: make(chan string, 1)}
	if err := (&Speaker{eng: e}).Speak(context.Background(), " \n "); err != nil {
		t.Fatal(err)
	}
	if len(e.started) != 0 {
		t.Error("the engine was asked to speak empty text")
	}
}

func TestSpeakLimitGrowsWithText(t *testing.T) {
	short := speakLimit("Why this role?", 0)
	long := speakLimit(strings.Repeat("word ", 175), 0)
	if long-short < 2*time.Minute {
		t.Errorf("175 words at 175 wpm: limit %v, 3 words: %v; want at least three minutes more", long, short)
	}
	if speakLimit("a b c", MaxRate) != speakLimit("a b c", 0) {
		t.Error("a fast rate shortened the limit")
	}
}

// TestRunCancelKillsAndStops: a cancelled utterance kills the speaking
// process at once and runs the engine's stop.
func TestRunCancelKillsAndStops(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	stopped := false
	start := time.Now()
	_, err := run(ctx, exec.Command("sleep", "30"), func() { stopped = true })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("run = %v, want the context's error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if !stopped {
		t.Error("the engine's stop did not run")
	}
}

func TestRunReportsFailure(t *testing.T) {
	_, err := run(context.Background(), exec.Command("sh", "-c", "echo 'setlocale: No such file or directory' >&2; exit 1"), nil)
	if err == nil || !strings.Contains(err.Error(), "setlocale") {
		t.Errorf("run of a failing command = %v, want its message", err)
	}
}
