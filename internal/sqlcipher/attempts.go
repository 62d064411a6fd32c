package sqlcipher

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

const attemptCols = `a.id, a.session_id, a.question_id, a.question_text, a.question_type, a.number, a.status,
	a.started_at, a.duration_s, a.latency_known, a.transcript, a.corrected, a.analysis, a.rulebook_version,
	a.created_at, EXISTS (SELECT 1 FROM attempt_audio au WHERE au.attempt_id = a.id)`

func scanAttempt(sc scanner) (rehearse.Attempt, error) {
	var (
		a                   rehearse.Attempt
		qtype, status       string
		started, created    int64
		transcript          []byte
		corrected           []byte
		analysis            []byte
		latency, audioStore bool
	)
	if err := sc.Scan(&a.ID, &a.SessionID, &a.QuestionID, &a.QuestionText, &qtype, &a.Number, &status,
		&started, &a.DurationS, &latency, &transcript, &corrected, &analysis, &a.RulebookVersion,
		&created, &audioStore); err != nil {
		return a, err
	}
	a.QuestionType, a.Status = rehearse.QuestionType(qtype), rehearse.AttemptStatus(status)
	a.StartedAt, a.CreatedAt = fromNanos(started), fromNanos(created)
	a.LatencyKnown, a.HasAudio = latency, audioStore
	if err := decodeTranscript(transcript, &a.Transcript); err != nil {
		return a, fmt.Errorf("attempt %d transcript: %w", a.ID, err)
	}
	if corrected != nil {
		var c rehearse.Transcript
		if err := decodeTranscript(corrected, &c); err != nil {
			return a, fmt.Errorf("attempt %d correction: %w", a.ID, err)
		}
		a.Corrected = &c
	}
	if len(analysis) > 0 {
		a.Analysis = analysis
	}
	return a, nil
}

// attemptValues encodes the transcript columns of an attempt.
func attemptValues(a *rehearse.Attempt) (transcript []byte, corrected, correctedText, analysis any, err error) {
	transcript, err = encodeTranscript(&a.Transcript)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("transcript: %w", err)
	}
	correctedText = ""
	if a.Corrected != nil {
		c, err := encodeTranscript(a.Corrected)
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("correction: %w", err)
		}
		corrected, correctedText = c, a.Corrected.Text
	}
	if len(a.Analysis) > 0 {
		analysis = a.Analysis
	}
	return transcript, corrected, correctedText, analysis, nil
}

// insertAttempt writes a with the given number and returns its ID.
func insertAttempt(ctx context.Context, tx *sql.Tx, a *rehearse.Attempt, sessionID int64, number int) (int64, error) {
	transcript, corrected, correctedText, analysis, err := attemptValues(a)
	if err != nil {
		return 0, err
	}
	status := a.Status
	if status == "" {
		status = rehearse.StatusAnalyzed
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO attempts(session_id, question_id, question_text, question_type, number,
		status, started_at, duration_s, latency_known, transcript, transcript_text, corrected, corrected_text,
		analysis, rulebook_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sessionID, a.QuestionID, a.QuestionText, string(a.QuestionType), number, string(status),
		toNanos(a.StartedAt), a.DurationS, a.LatencyKnown, transcript, a.Transcript.Text, corrected, correctedText,
		analysis, a.RulebookVersion, toNanos(a.CreatedAt))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// AddAttempt stores a finished answer, with its recording when audio is not
// nil, in one transaction committed before it returns. It sets ID, Number
// (1 + the highest earlier number for the same question in the session),
// CreatedAt when unset, and HasAudio.
func (s *Store) AddAttempt(ctx context.Context, a *rehearse.Attempt, audio *rehearse.Audio) error {
	created := a.CreatedAt
	if created.IsZero() {
		created = now()
	}
	var (
		id     int64
		number int
	)
	err := s.write(ctx, "add attempt", func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE id = ?`, a.SessionID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return fmt.Errorf("session %d: %w", a.SessionID, rehearse.ErrNotFound)
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM attempts
			WHERE session_id = ? AND question_id = ? AND (? <> '' OR question_text = ?)`,
			a.SessionID, a.QuestionID, a.QuestionID, a.QuestionText).Scan(&number); err != nil {
			return err
		}
		b := *a
		b.CreatedAt = created
		var err error
		if id, err = insertAttempt(ctx, tx, &b, a.SessionID, number); err != nil {
			return err
		}
		if audio != nil {
			if err := insertAudio(ctx, tx, id, audio); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET updated_at = ? WHERE id = ?`, toNanos(now()), a.SessionID); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Only a committed answer gets its ID.
	a.ID, a.Number, a.CreatedAt, a.HasAudio = id, number, fromNanos(toNanos(created)), audio != nil
	return nil
}

// insertAudio stores a recording as 16-bit PCM (audio.PCM16).
func insertAudio(ctx context.Context, tx *sql.Tx, attemptID int64, rec *rehearse.Audio) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attempt_audio(attempt_id, sample_rate, samples, pcm) VALUES (?, ?, ?, ?)
		ON CONFLICT(attempt_id) DO UPDATE SET sample_rate = excluded.sample_rate, samples = excluded.samples, pcm = excluded.pcm`,
		attemptID, rehearse.SampleRate, len(rec.Samples), audio.PCM16(*rec))
	return err
}

// UpdateAttempt rewrites transcript, correction, analysis, rulebook version,
// duration and status.
func (s *Store) UpdateAttempt(ctx context.Context, a *rehearse.Attempt) error {
	transcript, corrected, correctedText, analysis, err := attemptValues(a)
	if err != nil {
		return fmt.Errorf("update attempt %d: %w", a.ID, err)
	}
	return s.write(ctx, "update attempt", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE attempts SET transcript = ?, transcript_text = ?, corrected = ?,
			corrected_text = ?, analysis = ?, rulebook_version = ?, status = ?, duration_s = ? WHERE id = ?`,
			transcript, a.Transcript.Text, corrected, correctedText, analysis, a.RulebookVersion, string(a.Status),
			a.DurationS, a.ID)
		if err != nil {
			return err
		}
		return mustAffect(res, "attempt", a.ID)
	})
}

// Attempt returns one answer, or an error wrapping rehearse.ErrNotFound.
func (s *Store) Attempt(ctx context.Context, id int64) (*rehearse.Attempt, error) {
	var a rehearse.Attempt
	err := s.read(func(db *sql.DB) error {
		var err error
		a, err = scanAttempt(db.QueryRowContext(ctx, `SELECT `+attemptCols+` FROM attempts a WHERE a.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attempt %d: %w", id, rehearse.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("attempt %d: %w", id, classify(err))
	}
	return &a, nil
}

func (s *Store) queryAttempts(ctx context.Context, op, where string, args ...any) ([]rehearse.Attempt, error) {
	var out []rehearse.Attempt
	err := s.read(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT `+attemptCols+` FROM attempts a `+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAttempt(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, classify(err))
	}
	return out, nil
}

// Attempts lists a session's answers in the order they were given.
func (s *Store) Attempts(ctx context.Context, sessionID int64) ([]rehearse.Attempt, error) {
	return s.queryAttempts(ctx, "list attempts", `WHERE a.session_id = ? ORDER BY a.created_at, a.id`, sessionID)
}

// PendingAttempts lists answers recorded but not yet transcribed, oldest first.
func (s *Store) PendingAttempts(ctx context.Context) ([]rehearse.Attempt, error) {
	// A literal, so SQLite can use the partial index attempts_pending.
	return s.queryAttempts(ctx, "pending attempts", `WHERE a.status = '`+string(rehearse.StatusPendingTranscription)+`'
		ORDER BY a.created_at, a.id`)
}

// AllAttempts lists every answer created at or after since (all when since
// is zero), oldest first.
func (s *Store) AllAttempts(ctx context.Context, since time.Time) ([]rehearse.Attempt, error) {
	return s.queryAttempts(ctx, "all attempts", `WHERE a.created_at >= ? ORDER BY a.created_at, a.id`, toNanos(since))
}

// AttemptAudio returns the kept recording of an answer, or an error wrapping
// rehearse.ErrNotFound when none was kept.
func (s *Store) AttemptAudio(ctx context.Context, attemptID int64) (*rehearse.Audio, error) {
	var pcm []byte
	err := s.read(func(db *sql.DB) error {
		return db.QueryRowContext(ctx, `SELECT pcm FROM attempt_audio WHERE attempt_id = ?`, attemptID).Scan(&pcm)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("recording of attempt %d: %w", attemptID, rehearse.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("recording of attempt %d: %w", attemptID, classify(err))
	}
	a := audio.FromPCM16(pcm)
	return &a, nil
}

// DeleteAttemptAudio deletes an answer's recording (secure delete overwrites
// the freed pages). Deleting a recording that is not there is not an error.
func (s *Store) DeleteAttemptAudio(ctx context.Context, attemptID int64) error {
	return s.write(ctx, "delete recording", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM attempt_audio WHERE attempt_id = ?`, attemptID)
		return err
	})
}

// Search finds answers whose transcript, correction, question or session
// title contain every word of text (as a word prefix), best matches first,
// with a snippet around the match marked by [ and ].
func (s *Store) Search(ctx context.Context, text string, limit int) ([]rehearse.SearchHit, error) {
	q := ftsQuery(text)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	var out []rehearse.SearchHit
	err := s.read(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT a.session_id, a.id, s.title, a.question_text,
			snippet(attempts_fts, -1, '[', ']', '…', 12), a.created_at
			FROM attempts_fts
			JOIN attempts a ON a.id = attempts_fts.rowid
			JOIN sessions s ON s.id = a.session_id
			WHERE attempts_fts MATCH ?
			ORDER BY rank, a.id
			LIMIT ?`, q, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				h       rehearse.SearchHit
				created int64
			)
			if err := rows.Scan(&h.SessionID, &h.AttemptID, &h.SessionTitle, &h.QuestionText, &h.Snippet, &created); err != nil {
				return err
			}
			h.CreatedAt = fromNanos(created)
			out = append(out, h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", classify(err))
	}
	return out, nil
}

// ImportSessions adds the records with new IDs, and their recordings, in one
// transaction: all of them or none. Answer numbers, times and analyses are
// kept as given.
func (s *Store) ImportSessions(ctx context.Context, recs []rehearse.SessionRecord) error {
	return s.write(ctx, "import sessions", func(tx *sql.Tx) error {
		for i := range recs {
			sess := recs[i].Session
			settings, err := json.Marshal(sess.Settings)
			if err != nil {
				return fmt.Errorf("session %d: %w", i+1, err)
			}
			created, updated := sess.CreatedAt, sess.UpdatedAt
			if created.IsZero() {
				created = now()
			}
			if updated.IsZero() {
				updated = created
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO sessions(title, job_description, settings, created_at, updated_at, finished_at)
				VALUES (?, ?, ?, ?, ?, ?)`, sess.Title, sess.JobDescription, string(settings), toNanos(created), toNanos(updated), nullNanos(sess.FinishedAt))
			if err != nil {
				return err
			}
			sid, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for j := range recs[i].Attempts {
				a := recs[i].Attempts[j]
				if a.CreatedAt.IsZero() {
					a.CreatedAt = created
				}
				number := a.Number
				if number <= 0 {
					number = j + 1
				}
				id, err := insertAttempt(ctx, tx, &a, sid, number)
				if err != nil {
					return fmt.Errorf("session %d answer %d: %w", i+1, j+1, err)
				}
				if rec := recs[i].Recordings[j]; rec != nil {
					if err := insertAudio(ctx, tx, id, rec); err != nil {
						return fmt.Errorf("session %d answer %d recording: %w", i+1, j+1, err)
					}
				}
			}
		}
		return nil
	})
}
