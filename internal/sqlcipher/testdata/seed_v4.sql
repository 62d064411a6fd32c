-- Data as a schema-version-4 store held it (frozen: do not edit).
INSERT INTO sessions(id, title, job_description, settings, created_at, updated_at, finished_at)
VALUES (1, 'Data analyst at Northwind', 'SQL and dashboards',
        '{"question_ids":["b1"],"prep_seconds":15,"answer_seconds":90,"keep_recordings":true,"fluency_metrics":false}',
        1767225600000000000, 1767225900000000000, 1767226200000000000);
INSERT INTO attempts(id, session_id, question_id, question_text, question_type, number, status, started_at,
                     duration_s, latency_known, transcript, transcript_text, corrected, corrected_text, analysis, rulebook_version, created_at)
VALUES (1, 1, 'b1', 'Tell me about a time you disagreed with a manager.', 'behavioral', 1, 'analyzed',
        1767225700000000000, 42.5, 1,
        '{"text":"We disagreed about the quarterly forecast","words":[{"text":"We","start":0.8,"end":1.0,"p":0.97},{"text":"disagreed","start":1.0,"end":1.5,"p":0.88}],"timed":true,"duration_s":42.5,"source":"whisper:base.en"}',
        'We disagreed about the quarterly forecast', NULL, '', '{"score":3}', '2026.1', 1767225750000000000),
       (2, 1, 'b1', 'Tell me about a time you disagreed with a manager.', 'behavioral', 2, 'analyzed',
        1767225800000000000, 51.0, 1,
        '{"text":"My manager wanted weekly reports","timed":true,"duration_s":51}',
        'My manager wanted weekly reports',
        '{"text":"My manager wanted weekly spreadsheets","source":"edited"}', 'My manager wanted weekly spreadsheets', '{"score":4}', '2026.1',
        1767225850000000000);
INSERT INTO custom_questions(id, text, type, tags, tip, created_at, updated_at)
VALUES ('custom-legacy', 'Why Northwind?', 'motivation', '["company"]', '', 1767225600000000000, 1767225600000000000);
INSERT INTO settings(name, value, updated_at) VALUES ('expiry_days', '90', 1767225600000000000);
INSERT INTO attempt_audio(attempt_id, sample_rate, samples, pcm)
VALUES (1, 16000, 4, X'FF7F000001800000');
