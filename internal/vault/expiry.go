package vault

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// ExpirySetting is the store setting holding how many days answers are kept
// (0 or absent: forever).
const ExpirySetting = "expiry_days"

// ExpiryDays returns the expiry setting; 0 means answers never expire.
func ExpiryDays(ctx context.Context, s rehearse.Store) (int, error) {
	v, ok, err := s.Setting(ctx, ExpirySetting)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(v), `"`))
	if err != nil || n < 0 {
		return 0, &rehearse.InputError{Field: "setting " + ExpirySetting, Value: v, Reason: "want a whole number of days, 0 for never"}
	}
	return n, nil
}

// SetExpiryDays stores the expiry setting.
func SetExpiryDays(ctx context.Context, s rehearse.Store, days int) error {
	if days < 0 || days > 100*365 {
		return &rehearse.InputError{Field: "days", Value: strconv.Itoa(days), Reason: "want 0 (never) to 36500"}
	}
	return s.SetSetting(ctx, ExpirySetting, strconv.Itoa(days))
}

// ApplyExpiry deletes the answers older than the expiry setting, counted
// back from now, and returns how many went. It does nothing when expiry is
// off. Rehearse runs it each time the store is opened.
func ApplyExpiry(ctx context.Context, s rehearse.Store, now time.Time) (int, error) {
	days, err := ExpiryDays(ctx, s)
	if err != nil || days == 0 {
		return 0, err
	}
	n, err := s.Expire(ctx, now.AddDate(0, 0, -days))
	if err != nil {
		return 0, fmt.Errorf("delete answers older than %d days: %w", days, err)
	}
	return n, nil
}
