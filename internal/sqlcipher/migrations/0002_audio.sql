-- Version 2: kept recordings, one per answer, deleted with it.
-- pcm is 16-bit little-endian mono PCM at sample_rate.
CREATE TABLE attempt_audio (
    attempt_id  INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
    sample_rate INTEGER NOT NULL,
    samples     INTEGER NOT NULL,
    pcm         BLOB    NOT NULL
);
