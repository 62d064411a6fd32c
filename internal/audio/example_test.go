package audio_test

import (
	"bytes"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/audio/audiotest"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

func ExampleReadWAV() {
	var buf bytes.Buffer
	_ = audiotest.WriteWAV(&buf, rehearse.Audio{Samples: make([]float32, 16000)})
	a, info, err := audio.ReadWAV(&buf)
	fmt.Println(a.Duration(), info.Format, info.SampleRate, err)
	// Output: 1 pcm_s16le 16000 <nil>
}
