-- Version 1: sessions, answers, custom questions and settings.
-- Times are Unix nanoseconds (UTC). transcript and corrected hold the
-- rehearse.Transcript values as JSON, either as is or compressed (see
-- codec.go); their plain text is repeated in *_text for search.
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    job_description TEXT    NOT NULL DEFAULT '',
    settings        TEXT    NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX sessions_created ON sessions(created_at);

CREATE TABLE attempts (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id      TEXT    NOT NULL DEFAULT '',
    question_text    TEXT    NOT NULL,
    question_type    TEXT    NOT NULL,
    number           INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    started_at       INTEGER NOT NULL DEFAULT 0,
    duration_s       REAL    NOT NULL DEFAULT 0,
    latency_known    INTEGER NOT NULL DEFAULT 0,
    transcript       BLOB    NOT NULL,
    transcript_text  TEXT    NOT NULL DEFAULT '',
    corrected        BLOB,
    corrected_text   TEXT    NOT NULL DEFAULT '',
    analysis         BLOB,
    rulebook_version TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);
-- Covers the history list (counts, distinct questions, time spoken) and the
-- retake numbering without reading the large transcript rows.
CREATE INDEX attempts_session ON attempts(session_id, question_id, question_text, number, duration_s);
CREATE INDEX attempts_created ON attempts(created_at);
-- Only answers waiting for transcription are indexed by status.
CREATE INDEX attempts_pending ON attempts(created_at) WHERE status = 'pending_transcription';

CREATE TABLE custom_questions (
    id         TEXT    PRIMARY KEY,
    text       TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    tags       TEXT    NOT NULL DEFAULT '[]',
    tip        TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
    name       TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
