//go:build whisper

package speech_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
	"github.com/rehearse-app/rehearse/internal/speech"
	"github.com/rehearse-app/rehearse/internal/whisper"
)

var longAnswer = []string{
	"So, in my last role I led the migration of our billing system to a new platform.",
	"We had forty services, three teams, and a hard deadline at the end of the quarter.",
	"Um, the first thing I did was map every dependency and agree on an order with the leads.",
	"Then we moved the services in small batches, with a rollback plan for each one.",
	"Like, the hardest part was the reporting service, which nobody really owned.",
	"I paired with two engineers for a week, and we rewrote the exports together.",
	"In the end we finished two weeks early and cut hosting costs by twenty percent.",
	"What I learned is to make ownership explicit before the work starts, not during it.",
}

// twoMinutes builds a two-minute spoken answer: espeak-ng sentences with
// thinking pauses of 0.8 s between them, ending with 1 s of silence before
// the user presses stop.
func twoMinutes(b *testing.B) (rehearse.Audio, float64) {
	a, _ := say(b, 0.8, longAnswer...)
	one := a.Samples
	var s []float32
	for len(s) < 120*rehearse.SampleRate {
		s = append(s, one...)
	}
	s = append(s[:120*rehearse.SampleRate], make([]float32, rehearse.SampleRate)...)
	full := rehearse.Audio{Samples: s}
	segs := audio.DetectSpeech(full, audio.DefaultVADConfig())
	return full, segs[len(segs)-1].Start
}

// BenchmarkStreamingStopToFinal measures, for a two-minute answer and a
// synthetic model of the size of tiny.en and of base.en on 2 threads
// (temperature fallback off, 3 tokens per second of audio at most), the time
// from stop to the final transcript in streaming mode: everything up to the
// last sentence is fed and transcribed "during the recording" (untimed), then
// the last sentence and the final second arrive and only Finish is timed. It
// also reports the batch time (TranscribeAll after stop) and the
// stream/batch ratio, and the processor time the process spent in Finish
// (finish-cpu-s), a second view of the work for machines whose wall times
// the load inflates (ggml's threads spin while they wait for each other, so
// a busy machine inflates this figure too, but less).
func BenchmarkStreamingStopToFinal(b *testing.B) {
	for _, c := range []struct {
		name string
		spec ggml.Spec
	}{{"tiny.en", ggml.TinyEn}, {"base.en", ggml.BaseEn}} {
		b.Run(c.name, func(b *testing.B) { benchStopToFinal(b, c.spec) })
	}
}

func benchStopToFinal(b *testing.B, spec ggml.Spec) {
	a, last := twoMinutes(b)
	m := loadModel(b, spec, whisper.Options{Threads: 2, NoTemperatureFallback: true, MaxTokensPerSecond: 3})
	opt := speech.Options{Transcribe: rehearse.TranscribeOptions{Threads: 2}}
	ctx := context.Background()
	split := int(last*rehearse.SampleRate) / 1600 * 1600

	b.StopTimer()
	b.ResetTimer() // only Finish is timed
	t0 := time.Now()
	batch, err := speech.TranscribeAll(ctx, m, a, opt, nil)
	if err != nil {
		b.Fatal(err)
	}
	batchTime := time.Since(t0)

	var total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		s := speech.NewStream(ctx, m, opt)
		for j := 0; j < split; j += 1600 {
			s.Write(a.Samples[j : j+1600])
		}
		for s.Pending() > 0 { // the recording is slower than the recogniser
			time.Sleep(5 * time.Millisecond)
		}
		for j := split; j < len(a.Samples); j += 1600 {
			s.Write(a.Samples[j:min(j+1600, len(a.Samples))])
		}
		cpu0 := cpuTime(b)
		start := time.Now()
		b.StartTimer()
		tr, err := s.Finish(ctx)
		b.StopTimer()
		total += time.Since(start)
		cpu += cpuTime(b) - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if len(tr.Words) == 0 {
			b.Fatal("no words")
		}
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(batchTime.Seconds(), "batch-s")
	b.ReportMetric(per.Seconds()/batchTime.Seconds(), "stream/batch")
	b.ReportMetric(a.Duration(), "audio-s")
	b.ReportMetric((cpu / time.Duration(b.N)).Seconds(), "finish-cpu-s")
	b.Logf("2-minute answer: stop→final %.2f s streaming vs %.2f s batch (%d words batch)", per.Seconds(), batchTime.Seconds(), len(batch.Words))
}

// cpuTime is the processor time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
