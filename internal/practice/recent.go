package practice

import (
	"context"
	"fmt"
	"time"
)

// RecentQuestionWindow is how long an answered question counts as recent:
// the setup screen picks other questions first for that long, so a week of
// practice does not repeat itself.
const RecentQuestionWindow = 14 * 24 * time.Hour

// RecentQuestionIDs lists the questions answered within the last window,
// most recent first, each once.
func (s *Service) RecentQuestionIDs(ctx context.Context, window time.Duration) ([]string, error) {
	as, err := s.cfg.Store.AllAttempts(ctx, s.cfg.Now().Add(-window))
	if err != nil {
		return nil, fmt.Errorf("list recent answers: %w", err)
	}
	seen := map[string]bool{}
	var out []string
	for i := len(as) - 1; i >= 0; i-- {
		id := as[i].QuestionID
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}
