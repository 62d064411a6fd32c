package soundcheck

import (
	"context"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Peak records from device for d (or until ctx ends), calling level, when
// not nil, for each meter reading, and returns the loudest sample heard:
// the quick level test of the set-up screens.
func Peak(ctx context.Context, mic rehearse.Microphone, device string, d time.Duration, level func(rehearse.Level)) (float32, error) {
	rec, err := mic.Record(ctx, device)
	if err != nil {
		return 0, err
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	var peak float32
	levels := rec.Levels()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-timer.C:
			break loop
		case l, ok := <-levels:
			if !ok {
				break loop
			}
			peak = max(peak, l.Peak)
			if level != nil {
				level(l)
			}
		}
	}
	a, err := rec.Stop()
	if err != nil {
		return peak, err
	}
	for _, v := range a.Samples {
		peak = max(peak, v, -v)
	}
	return peak, ctx.Err()
}
