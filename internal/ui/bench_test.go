package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// BenchmarkColdStart builds the main window content with its data loaded
// and draws the first frame (software painter). Target: ≤ 1 s.
func BenchmarkColdStart(b *testing.B) {
	f := newFake()
	seed(b, f, "Data engineer", "Product manager", "Site reliability")
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		h := newHarness(b, f, nil)
		h.capture()
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/first-frame")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
}

// BenchmarkHistoryScroll opens the history with 1,000 sessions and scrolls
// through it, drawing a frame at every step; it reports the slowest frame.
// Target: ≤ 50 ms per frame.
func BenchmarkHistoryScroll(b *testing.B) {
	f := newFake()
	base := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 1000 {
		at := base.Add(time.Duration(i) * 13 * time.Hour)
		f.sessions = append(f.sessions, &fakeSession{s: rehearse.Session{ID: int64(i + 1), Title: fmt.Sprintf("Practice %d", i+1),
			CreatedAt: at, UpdatedAt: at, FinishedAt: &at}})
	}
	var worst, worstUpdate, worstWarm time.Duration
	frames := 0
	for b.Loop() {
		start := time.Now()
		h := newHarness(b, f, nil)
		h.tap("History")
		var list *widget.List
		for _, o := range h.objects() {
			if l, ok := o.(*widget.List); ok {
				list = l
			}
		}
		h.capture()
		open := time.Since(start)
		b.ReportMetric(float64(open.Microseconds())/1000, "ms-open")
		for y := float32(0); y < 40*1000; y += 1200 {
			t := time.Now()
			h.mu.Lock()
			list.ScrollToOffset(y)
			relayout(h.w.Canvas().Content()) // one layout pass, as the driver does per frame
			h.mu.Unlock()
			u := time.Since(t)
			h.mu.Lock()
			h.w.Canvas().Capture()
			h.mu.Unlock()
			worst = max(worst, time.Since(t))
			worstUpdate = max(worstUpdate, u)
			frames++
		}
		// The same scroll without painting: Capture empties Fyne's text
		// caches, which the app keeps between frames.
		for y := float32(0); y < 40*1000; y += 1200 {
			t := time.Now()
			h.mu.Lock()
			list.ScrollToOffset(y)
			relayout(h.w.Canvas().Content())
			h.mu.Unlock()
			worstWarm = max(worstWarm, time.Since(t))
		}
	}
	// A frame is the scroll step (rows re-bound, layout) plus drawing it;
	// drawing here is Fyne's software painter, slower than the OpenGL one
	// the app uses, so max-update-ms is the part the app itself controls.
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-frame-ms")
	b.ReportMetric(float64(worstUpdate.Microseconds())/1000, "max-update-ms")
	b.ReportMetric(float64(worstWarm.Microseconds())/1000, "max-warm-update-ms")
	b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
}
