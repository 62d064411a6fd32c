-- Version 5: removing an answer from the search index rewrites the index
-- pages that held its words (FTS5 secure-delete), instead of adding a
-- deletion marker that leaves the words in older pages until a merge.
INSERT INTO attempts_fts(attempts_fts, rank) VALUES ('secure-delete', 1);
