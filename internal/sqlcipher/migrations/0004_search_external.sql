-- Version 4: the search index reads its text from the answers instead of
-- keeping a second copy of it. Every answer saved then writes fewer pages
-- (each one encrypted and authenticated), and the transcript text is stored
-- once less. The index keeps the same columns, tokenizer and ranking.
DROP TRIGGER attempts_fts_insert;
DROP TRIGGER attempts_fts_update;
DROP TRIGGER attempts_fts_delete;
DROP TRIGGER sessions_fts_title;
DROP TABLE attempts_fts;

-- What the index is built from: one row per answer, with its session title.
CREATE VIEW attempts_search(id, session_title, question_text, transcript, corrected) AS
SELECT a.id, s.title, a.question_text, a.transcript_text, a.corrected_text
FROM attempts a JOIN sessions s ON s.id = a.session_id;

CREATE VIRTUAL TABLE attempts_fts USING fts5(
    session_title,
    question_text,
    transcript,
    corrected,
    content = 'attempts_search',
    content_rowid = 'id',
    columnsize = 0,
    detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO attempts_fts(attempts_fts) VALUES ('rebuild');

-- The index holds no text of its own, so every removal from it must name
-- exactly the values that were indexed: the triggers below pass the old row
-- (and the session title as it was) before the new one.
CREATE TRIGGER attempts_fts_insert AFTER INSERT ON attempts BEGIN
    INSERT INTO attempts_fts(rowid, session_title, question_text, transcript, corrected)
    SELECT new.id, s.title, new.question_text, new.transcript_text, new.corrected_text
    FROM sessions s WHERE s.id = new.session_id;
END;

CREATE TRIGGER attempts_fts_update AFTER UPDATE OF session_id, question_text, transcript_text, corrected_text ON attempts
WHEN old.session_id IS NOT new.session_id OR old.question_text IS NOT new.question_text
  OR old.transcript_text IS NOT new.transcript_text OR old.corrected_text IS NOT new.corrected_text
BEGIN
    INSERT INTO attempts_fts(attempts_fts, rowid, session_title, question_text, transcript, corrected)
    SELECT 'delete', old.id, s.title, old.question_text, old.transcript_text, old.corrected_text
    FROM sessions s WHERE s.id = old.session_id;
    INSERT INTO attempts_fts(rowid, session_title, question_text, transcript, corrected)
    SELECT new.id, s.title, new.question_text, new.transcript_text, new.corrected_text
    FROM sessions s WHERE s.id = new.session_id;
END;

CREATE TRIGGER attempts_fts_delete AFTER DELETE ON attempts BEGIN
    INSERT INTO attempts_fts(attempts_fts, rowid, session_title, question_text, transcript, corrected)
    SELECT 'delete', old.id, s.title, old.question_text, old.transcript_text, old.corrected_text
    FROM sessions s WHERE s.id = old.session_id;
END;

-- A session's answers go before the session itself, while its title can
-- still be read for their removal from the index (the foreign key's cascade
-- would run after the session row is gone).
CREATE TRIGGER sessions_delete_attempts BEFORE DELETE ON sessions BEGIN
    DELETE FROM attempts WHERE session_id = old.id;
END;

CREATE TRIGGER sessions_fts_title AFTER UPDATE OF title ON sessions
WHEN old.title IS NOT new.title
BEGIN
    INSERT INTO attempts_fts(attempts_fts, rowid, session_title, question_text, transcript, corrected)
    SELECT 'delete', a.id, old.title, a.question_text, a.transcript_text, a.corrected_text
    FROM attempts a WHERE a.session_id = old.id;
    INSERT INTO attempts_fts(rowid, session_title, question_text, transcript, corrected)
    SELECT a.id, new.title, a.question_text, a.transcript_text, a.corrected_text
    FROM attempts a WHERE a.session_id = new.id;
END;
