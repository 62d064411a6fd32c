package speech

import (
	"context"
	"testing"

	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// TestStreamClosesSegmentsInRoomNoise: with the hum of a fan (pink noise,
// 20 dB below the speech) a stream still ends each sentence at its pause,
// transcribes it while the user goes on, and never gives the recogniser
// the room tone of the pauses.
func TestStreamClosesSegmentsInRoomNoise(t *testing.T) {
	audiotest.NeedEspeak(t)
	sc := audiotest.NewScene(t, []string{
		"I rewrote the deployment scripts in my first month.",
		"Releases went from a day to an hour.",
	}, 1.5, 2.0, 1.5)
	mix := audiotest.Mix(sc.Clean, audiotest.Pink(9, len(sc.Clean)), sc.Truth, 20)

	f := &fakeTranscriber{}
	s := NewStream(context.Background(), f, Options{})
	defer s.Close()
	const chunk = rehearse.SampleRate / 10
	midPause := int((sc.Truth[0].End + 1.0) * rehearse.SampleRate)
	for i := 0; i < len(mix); i += chunk {
		if i <= midPause && i+chunk > midPause && s.Pending()+f.nCalls() == 0 {
			t.Errorf("1 s into the pause after the first sentence (%.2f s), nothing is queued for transcription", sc.Truth[0].End)
		}
		if err := s.Write(mix[i:min(i+chunk, len(mix))]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Finish(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) != len(sc.Truth) {
		t.Fatalf("the recogniser was called %d times with %v s of audio, want once per sentence %v", len(f.calls), f.calls, sc.Truth)
	}
	for i, d := range f.calls {
		// The sentence, the padding on both sides and a little slack.
		if want := sc.Truth[i].End - sc.Truth[i].Start; d > want+0.7 {
			t.Errorf("sentence %d (%.2f s) was given to the recogniser as %.2f s of audio: room tone included", i+1, want, d)
		}
	}
}
