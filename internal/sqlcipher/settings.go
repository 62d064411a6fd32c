package sqlcipher

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// CustomQuestions lists the user's own questions, oldest first.
func (s *Store) CustomQuestions(ctx context.Context) ([]rehearse.Question, error) {
	var out []rehearse.Question
	err := s.read(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT id, text, type, tags, tip FROM custom_questions ORDER BY created_at, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				q          rehearse.Question
				qtype, tag string
			)
			if err := rows.Scan(&q.ID, &q.Text, &qtype, &tag, &q.Tip); err != nil {
				return err
			}
			q.Type, q.Custom = rehearse.QuestionType(qtype), true
			if err := json.Unmarshal([]byte(tag), &q.Tags); err != nil {
				return fmt.Errorf("question %s tags: %w", q.ID, err)
			}
			if len(q.Tags) == 0 {
				q.Tags = nil
			}
			out = append(out, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("custom questions: %w", classify(err))
	}
	return out, nil
}

// SaveQuestion inserts or updates a custom question; an empty ID gets a new
// one ("custom-<random hex>").
func (s *Store) SaveQuestion(ctx context.Context, q *rehearse.Question) error {
	if q.ID == "" {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("save question: %w", err)
		}
		q.ID = "custom-" + hex.EncodeToString(b)
	}
	tags := q.Tags
	if tags == nil {
		tags = []string{}
	}
	tj, err := json.Marshal(tags)
	if err != nil {
		return fmt.Errorf("save question: %w", err)
	}
	t := toNanos(now())
	err = s.write(ctx, "save question", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO custom_questions(id, text, type, tags, tip, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET text = excluded.text, type = excluded.type, tags = excluded.tags,
				tip = excluded.tip, updated_at = excluded.updated_at`,
			q.ID, q.Text, string(q.Type), string(tj), q.Tip, t, t)
		return err
	})
	if err == nil {
		q.Custom = true
	}
	return err
}

// DeleteQuestion removes a custom question; answers already given to it stay.
func (s *Store) DeleteQuestion(ctx context.Context, id string) error {
	return s.write(ctx, "delete question", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM custom_questions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return mustAffect(res, "question", id)
	})
}

// Setting returns a named value and whether it is set.
func (s *Store) Setting(ctx context.Context, name string) (string, bool, error) {
	var v string
	err := s.read(func(db *sql.DB) error {
		return db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("setting %q: %w", name, classify(err))
	}
	return v, true, nil
}

// SetSetting stores a named value, replacing any earlier one.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	return s.write(ctx, "save setting "+name, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings(name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			name, value, toNanos(now()))
		return err
	})
}

// Expire deletes answers created before the cut-off (with their recordings),
// then the sessions left empty that were created before it, and returns the
// space to the file system. It returns how many answers went.
func (s *Store) Expire(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, "expire", func(tx *sql.Tx) error {
		cut := toNanos(before)
		res, err := tx.ExecContext(ctx, `DELETE FROM attempts WHERE created_at < ?`, cut)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = sessions.id)`, cut)
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := s.reclaim(ctx); err != nil {
		return int(n), fmt.Errorf("expire: %w", err)
	}
	return int(n), nil
}

// reclaim frees the pages of deleted rows (auto_vacuum = incremental) and
// folds the WAL back into the database file.
func (s *Store) reclaim(ctx context.Context) error {
	return s.read(func(db *sql.DB) error {
		conn, err := db.Conn(ctx)
		if err != nil {
			return classify(err)
		}
		defer conn.Close()
		rows, err := conn.QueryContext(ctx, "PRAGMA incremental_vacuum")
		if err != nil {
			return classify(err)
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
		if _, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return classify(err)
		}
		return nil
	})
}

// Stats describes what the store holds and how it is protected.
func (s *Store) Stats(ctx context.Context) (rehearse.StoreStats, error) {
	var st rehearse.StoreStats
	err := s.read(func(db *sql.DB) error {
		st.CipherVersion, st.CipherProvider = s.version, s.provider
		var oldest, newest sql.NullInt64
		err := db.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM sessions),
			(SELECT count(*) FROM attempts),
			(SELECT count(*) FROM attempt_audio),
			(SELECT coalesce(sum(length(pcm)), 0) FROM attempt_audio),
			(SELECT count(*) FROM custom_questions),
			(SELECT min(t) FROM (SELECT min(created_at) AS t FROM sessions UNION ALL SELECT min(created_at) FROM attempts)),
			(SELECT max(t) FROM (SELECT max(created_at) AS t FROM sessions UNION ALL SELECT max(created_at) FROM attempts))`).
			Scan(&st.Sessions, &st.Attempts, &st.Recordings, &st.RecordingBytes, &st.CustomQuestion, &oldest, &newest)
		if err != nil {
			return err
		}
		if oldest.Valid {
			st.Oldest = fromNanos(oldest.Int64)
		}
		if newest.Valid {
			st.Newest = fromNanos(newest.Int64)
		}
		st.SchemaVersion, err = schemaVersion(ctx, db)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("store stats: %w", classify(err))
	}
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.FileBytes += fi.Size()
		}
	}
	return st, nil
}
