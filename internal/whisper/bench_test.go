//go:build whisper

package whisper

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// peakRSS is the process's peak resident set size in MB (VmHWM).
func peakRSS(tb testing.TB) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				tb.Fatal(err)
			}
			return kb / 1024
		}
	}
	tb.Skip("no VmHWM in /proc/self/status")
	return 0
}

// BenchmarkModelRSS loads the tiny.en-sized synthetic model and transcribes
// 30 s of speech-like audio on 2 threads, then reports the process's peak
// RSS (model weights, whisper.cpp's buffers and the Go heap).
func BenchmarkModelRSS(b *testing.B) {
	path := writeModel(b, ggml.TinyEn)
	m := load(b, path, Options{Threads: 2, NoTemperatureFallback: true, MaxTokensPerSecond: 3, FullAudioContext: true})
	a := speech(b, strings.Repeat("Tell me about a time you led a project under pressure. ", 6))
	if a.Duration() > 30 {
		a.Samples = a.Samples[:30*rehearse.SampleRate]
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Transcribe(context.Background(), a, rehearse.TranscribeOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(peakRSS(b), "peak-rss-MB")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "model-MB")
}
