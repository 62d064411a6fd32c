package practice

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// SettingStore keeps small named values.
type SettingStore interface {
	Setting(ctx context.Context, name string) (string, bool, error)
	SetSetting(ctx context.Context, name, value string) error
}

// ExpiringStore is a store that can delete answers older than a cut-off.
type ExpiringStore interface {
	SettingStore
	// Expire deletes answers (and then empty sessions) created before the
	// cut-off and returns how many answers went.
	Expire(ctx context.Context, before time.Time) (int, error)
}

// MaxExpiryDays is the longest expiry that can be set (a hundred years).
const MaxExpiryDays = 100 * 365

// ExpiryDays returns how many days answers are kept; 0 (or no setting)
// means until they are deleted. A value that is not a whole number of days
// is an error, so that a damaged setting never deletes answers.
func ExpiryDays(ctx context.Context, s SettingStore) (int, error) {
	v, ok, err := s.Setting(ctx, SettingExpiryDays)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(v), `"`))
	if err != nil || n < 0 {
		return 0, &rehearse.InputError{Field: "setting " + SettingExpiryDays, Value: v, Reason: "want a whole number of days, 0 for never"}
	}
	return n, nil
}

// SetExpiryDays stores how many days answers are kept (0: until deleted).
func SetExpiryDays(ctx context.Context, s SettingStore, days int) error {
	if days < 0 || days > MaxExpiryDays {
		return &rehearse.InputError{Field: "days", Value: strconv.Itoa(days), Reason: "want 0 (never) to 36500"}
	}
	return s.SetSetting(ctx, SettingExpiryDays, strconv.Itoa(days))
}

// ApplyExpiry deletes the answers older than the expiry setting, counted
// back from now, and returns how many went; it does nothing when expiry is
// off. It notes when it ran, so that a window left open runs it again a day
// later (see Service.ExpireDaily). Every way of opening the store runs it.
func ApplyExpiry(ctx context.Context, s ExpiringStore, now time.Time) (int, error) {
	days, err := ExpiryDays(ctx, s)
	if err != nil || days == 0 {
		return 0, err
	}
	n, err := s.Expire(ctx, now.AddDate(0, 0, -days))
	if err != nil {
		return n, fmt.Errorf("delete answers older than %d days: %w", days, err)
	}
	_ = s.SetSetting(ctx, SettingLastExpiry, now.UTC().Format(time.RFC3339))
	return n, nil
}
