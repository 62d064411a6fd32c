//go:build !whisper

package whisper

import (
	"context"
	"time"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// SpeedTest fails with rehearse.ErrNoTranscriber: this build has no
// whisper.cpp to measure.
func SpeedTest(ctx context.Context, dir string, spec ggml.Spec, sec float64, threads int) (time.Duration, error) {
	return 0, rehearse.ErrNoTranscriber
}
