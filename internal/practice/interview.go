package practice

import (
	"context"
	"fmt"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// What the interview mode needs from the store, reached through the service
// like everything else.

// SessionRecord reads one session with all its answers, oldest first.
func (s *Service) SessionRecord(ctx context.Context, sessionID int64) (rehearse.SessionRecord, error) {
	sess, err := s.cfg.Store.Session(ctx, sessionID)
	if err != nil {
		return rehearse.SessionRecord{}, err
	}
	atts, err := s.cfg.Store.Attempts(ctx, sessionID)
	if err != nil {
		return rehearse.SessionRecord{}, fmt.Errorf("answers of session %d: %w", sessionID, err)
	}
	return rehearse.SessionRecord{Session: *sess, Attempts: atts}, nil
}

// AddFollowUp records a follow-up question put in an interview session and
// returns the session as saved.
func (s *Service) AddFollowUp(ctx context.Context, sessionID int64, f rehearse.FollowUpAsked) (*rehearse.Session, error) {
	sess, err := s.cfg.Store.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	sess.Settings.FollowUps = append(sess.Settings.FollowUps, f)
	if err := s.cfg.Store.UpdateSession(ctx, sess); err != nil {
		return nil, fmt.Errorf("save the follow-up question: %w", err)
	}
	return sess, nil
}

// PreviousInterview returns the interview session started last before
// sess (ties broken by id), or nil when there is none.
func (s *Service) PreviousInterview(ctx context.Context, sess rehearse.Session) (*rehearse.Session, error) {
	list, err := s.cfg.Store.ListSessions(ctx, rehearse.SessionFilter{Until: sess.CreatedAt.Add(time.Nanosecond)})
	if err != nil {
		return nil, fmt.Errorf("find the previous interview: %w", err)
	}
	var best *rehearse.Session
	for k := range list {
		c := &list[k].Session
		if c.ID == sess.ID || c.Settings.Mode != rehearse.ModeInterview ||
			c.CreatedAt.After(sess.CreatedAt) || c.CreatedAt.Equal(sess.CreatedAt) && c.ID > sess.ID {
			continue
		}
		if best == nil || c.CreatedAt.After(best.CreatedAt) || c.CreatedAt.Equal(best.CreatedAt) && c.ID > best.ID {
			best = c
		}
	}
	return best, nil
}
