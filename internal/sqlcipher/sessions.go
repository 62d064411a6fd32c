package sqlcipher

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Times are stored as Unix nanoseconds; 0 is the zero time.
func toNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func nullNanos(t *time.Time) any {
	if t == nil {
		return nil
	}
	return toNanos(*t)
}

// now is the store's clock, in UTC like every time read back.
func now() time.Time { return time.Now().UTC() }

// read runs fn with the pool under the shared lock.
func (s *Store) read(fn func(db *sql.DB) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return errClosed
	}
	return fn(s.db)
}

// write runs fn in one (immediate) transaction and commits it.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.read(func(db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", op, classify(err))
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			if errors.Is(err, rehearse.ErrNotFound) {
				return fmt.Errorf("%s: %w", op, err)
			}
			return fmt.Errorf("%s: %w", op, classify(err))
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("%s: %w", op, classify(err))
		}
		return nil
	})
}

func mustAffect(res sql.Result, what string, id any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s %v: %w", what, id, rehearse.ErrNotFound)
	}
	return nil
}

// CreateSession stores a new session and sets its ID and timestamps
// (CreatedAt is kept when the caller set it).
func (s *Store) CreateSession(ctx context.Context, sess *rehearse.Session) error {
	settings, err := json.Marshal(sess.Settings)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	t := now()
	created := sess.CreatedAt
	if created.IsZero() {
		created = t
	}
	var id int64
	err = s.write(ctx, "create session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sessions(title, job_description, settings, created_at, updated_at, finished_at)
			VALUES (?, ?, ?, ?, ?, ?)`, sess.Title, sess.JobDescription, string(settings), toNanos(created), toNanos(t), nullNanos(sess.FinishedAt))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return err
	}
	sess.ID, sess.CreatedAt, sess.UpdatedAt = id, fromNanos(toNanos(created)), t
	return nil
}

// UpdateSession rewrites title, job description, settings and finish time.
func (s *Store) UpdateSession(ctx context.Context, sess *rehearse.Session) error {
	settings, err := json.Marshal(sess.Settings)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	t := now()
	err = s.write(ctx, "update session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET title = ?, job_description = ?, settings = ?, updated_at = ?, finished_at = ?
			WHERE id = ?`, sess.Title, sess.JobDescription, string(settings), toNanos(t), nullNanos(sess.FinishedAt), sess.ID)
		if err != nil {
			return err
		}
		return mustAffect(res, "session", sess.ID)
	})
	if err != nil {
		return err
	}
	sess.UpdatedAt = t
	return nil
}

// FinishSession records when the session ended.
func (s *Store) FinishSession(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, "finish session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET finished_at = ?, updated_at = ? WHERE id = ?`, toNanos(at), toNanos(now()), id)
		if err != nil {
			return err
		}
		return mustAffect(res, "session", id)
	})
}

const sessionCols = `s.id, s.title, s.job_description, s.settings, s.created_at, s.updated_at, s.finished_at`

type scanner interface{ Scan(dest ...any) error }

func scanSession(sc scanner, extra ...any) (rehearse.Session, error) {
	var (
		sess             rehearse.Session
		settings         string
		created, updated int64
		finished         sql.NullInt64
	)
	dest := append([]any{&sess.ID, &sess.Title, &sess.JobDescription, &settings, &created, &updated, &finished}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return sess, err
	}
	if err := json.Unmarshal([]byte(settings), &sess.Settings); err != nil {
		return sess, fmt.Errorf("session %d settings: %w", sess.ID, err)
	}
	sess.CreatedAt, sess.UpdatedAt = fromNanos(created), fromNanos(updated)
	if finished.Valid {
		t := fromNanos(finished.Int64)
		sess.FinishedAt = &t
	}
	return sess, nil
}

// Session returns one session, or an error wrapping rehearse.ErrNotFound.
func (s *Store) Session(ctx context.Context, id int64) (*rehearse.Session, error) {
	var sess rehearse.Session
	err := s.read(func(db *sql.DB) error {
		var err error
		sess, err = scanSession(db.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions s WHERE s.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session %d: %w", id, rehearse.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("session %d: %w", id, classify(err))
	}
	return &sess, nil
}

// ListSessions returns session summaries, newest first. On a store opened
// with OpenDamaged, when the answers cannot be read it lists the sessions
// alone, with zero counts.
func (s *Store) ListSessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error) {
	var (
		where []string
		args  []any
	)
	if !f.Since.IsZero() {
		where = append(where, "s.created_at >= ?")
		args = append(args, toNanos(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, "s.created_at < ?")
		args = append(args, toNanos(f.Until))
	}
	if strings.TrimSpace(f.Text) != "" {
		q := ftsQuery(f.Text)
		if q == "" {
			return nil, nil
		}
		where = append(where, `(s.id IN (SELECT a.session_id FROM attempts_fts JOIN attempts a ON a.id = attempts_fts.rowid
			WHERE attempts_fts MATCH ?) OR s.title LIKE ? ESCAPE '\')`)
		args = append(args, q, "%"+likeEscape(strings.TrimSpace(f.Text))+"%")
	}
	query := `SELECT ` + sessionCols + `, count(a.session_id),
		count(DISTINCT CASE WHEN a.question_id <> '' THEN 'id:' || a.question_id ELSE 'text:' || a.question_text END),
		coalesce(sum(a.duration_s), 0)
		FROM sessions s LEFT JOIN attempts a INDEXED BY attempts_session ON a.session_id = s.id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " GROUP BY s.id"
	query += " ORDER BY s.created_at DESC, s.id DESC"
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, f.Offset)
	}
	out, err := s.listSessions(ctx, query, args)
	if err != nil && s.opt.damaged && errors.Is(err, rehearse.ErrCorruptStore) && strings.TrimSpace(f.Text) == "" {
		// A damaged page among the answers (or their index) would hide
		// every session: list the sessions alone, without their counts.
		query = `SELECT ` + sessionCols + `, 0, 0, 0 FROM sessions s`
		if len(where) > 0 {
			query += " WHERE " + strings.Join(where, " AND ")
		}
		query += " ORDER BY s.created_at DESC, s.id DESC"
		if f.Limit > 0 || f.Offset > 0 {
			query += " LIMIT ? OFFSET ?"
		}
		out, err = s.listSessions(ctx, query, args)
	}
	return out, err
}

func (s *Store) listSessions(ctx context.Context, query string, args []any) ([]rehearse.SessionSummary, error) {
	var out []rehearse.SessionSummary
	err := s.read(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sum rehearse.SessionSummary
			sess, err := scanSession(rows, &sum.Attempts, &sum.Questions, &sum.SpokenS)
			if err != nil {
				return err
			}
			sum.Session = sess
			out = append(out, sum)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", classify(err))
	}
	return out, nil
}

// DeleteSession removes a session with its answers and recordings.
func (s *Store) DeleteSession(ctx context.Context, id int64) error {
	return s.write(ctx, "delete session", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return mustAffect(res, "session", id)
	})
}

// ftsQuery turns user text into an FTS5 query: every word must appear, as a
// prefix, so no user input is read as FTS5 syntax.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
