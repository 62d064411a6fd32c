-- Version 3: full-text search over answers (transcript, correction, question
-- and session title), kept in step with the tables by triggers.
CREATE VIRTUAL TABLE attempts_fts USING fts5(
    session_title,
    question_text,
    transcript,
    corrected,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO attempts_fts(rowid, session_title, question_text, transcript, corrected)
SELECT a.id, s.title, a.question_text,
       a.transcript_text,
       a.corrected_text
FROM attempts a JOIN sessions s ON s.id = a.session_id;

CREATE TRIGGER attempts_fts_insert AFTER INSERT ON attempts BEGIN
    INSERT INTO attempts_fts(rowid, session_title, question_text, transcript, corrected)
    VALUES (new.id,
            coalesce((SELECT title FROM sessions WHERE id = new.session_id), ''),
            new.question_text,
            new.transcript_text,
            new.corrected_text);
END;

CREATE TRIGGER attempts_fts_update AFTER UPDATE OF question_text, transcript_text, corrected_text ON attempts BEGIN
    UPDATE attempts_fts
    SET question_text = new.question_text,
        transcript    = new.transcript_text,
        corrected     = new.corrected_text
    WHERE rowid = new.id;
END;

CREATE TRIGGER attempts_fts_delete AFTER DELETE ON attempts BEGIN
    DELETE FROM attempts_fts WHERE rowid = old.id;
END;

CREATE TRIGGER sessions_fts_title AFTER UPDATE OF title ON sessions BEGIN
    UPDATE attempts_fts SET session_title = new.title
    WHERE rowid IN (SELECT id FROM attempts WHERE session_id = new.id);
END;
