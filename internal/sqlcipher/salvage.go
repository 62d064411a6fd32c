package sqlcipher

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Salvage reads a damaged store the way SQLite's recovery does: it walks
// each table's b-tree by rowid, and where a page no longer reads (it does
// not authenticate, or lies past the end of a truncated file) it steps over
// it and carries on, then reads every row it reached on its own, so one bad
// page costs the rows on that page and nothing else. The indexes are read
// from both ends to find rows the table walk could not reach and to name
// what was lost. When answers are still missing (an inner page of the
// table is damaged, so SQLite cannot descend to the leaves below it), the
// page scan reads the leaf pages of the file itself as a last resort. The
// search index is not read at all: it is rebuilt from the answers when they
// are imported.

// walkBatch is how many rowids one step of a walk reads.
const walkBatch = 256

// SalvageRecords reads every session and answer still readable in a store
// opened with OpenDamaged, oldest session first, and says in lost, one line
// each, what could not be read. Answers whose session record is lost are
// kept under a stand-in session named after it. It fails only when the
// context ends or the store is closed.
func (s *Store) SalvageRecords(ctx context.Context) (recs []rehearse.SessionRecord, lost []string, err error) {
	err = s.read(func(db *sql.DB) error {
		v := &salvager{ctx: ctx, db: db, pages: s.pages}
		recs, lost = v.run()
		return ctx.Err()
	})
	return recs, lost, err
}

type salvager struct {
	ctx   context.Context
	db    *sql.DB
	pages *pageFile // nil: no page scan
	lost  []string
}

func (v *salvager) lose(format string, args ...any) {
	v.lost = append(v.lost, fmt.Sprintf(format, args...))
}

// indexEntry is what an index still says about an answer.
type indexEntry struct {
	sessionID int64
	question  string
}

func (v *salvager) run() ([]rehearse.SessionRecord, []string) {
	// With writable_schema set (OpenDamaged), a schema that cannot be read
	// whole fails the first statement and lets later ones use the part
	// that was read.
	var n int
	if err := v.db.QueryRowContext(v.ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		v.lose("part of the list of tables (the schema): %v", classify(err))
	}

	// What the indexes still know of the answers: their ids, sessions and
	// questions.
	entries := map[int64]indexEntry{}
	v.scanBothWays("the answers' index by session",
		"SELECT id, session_id, question_text FROM attempts INDEXED BY attempts_session ORDER BY session_id %s, question_id %[1]s, question_text %[1]s, number %[1]s, duration_s %[1]s, id %[1]s",
		func(r *sql.Rows) error {
			var id int64
			var e indexEntry
			if err := r.Scan(&id, &e.sessionID, &e.question); err != nil {
				return err
			}
			entries[id] = e
			return nil
		})
	known := map[int64]bool{}
	for id := range entries {
		known[id] = true
	}
	v.scanBothWays("the answers' index by time", "SELECT id FROM attempts INDEXED BY attempts_created ORDER BY created_at %s, id %[1]s",
		idInto(known))
	v.scanBothWays("the recordings' list", "SELECT attempt_id FROM attempt_audio ORDER BY attempt_id %s", idInto(known))

	attemptIDs, gaps, werr := v.walk("attempts", keys(known))
	if werr != nil {
		v.lose("the answers: %v", werr)
	}
	byID := map[int64]rehearse.Attempt{}
	reached := map[int64]bool{}
	failed := map[int64]error{} // answers found that could not be read
	for _, id := range attemptIDs {
		reached[id] = true
		a, err := v.attempt(id)
		if err != nil {
			failed[id] = err
			continue
		}
		byID[id] = a
	}
	// Answers an index knows of that the walk could not reach.
	for id := range known {
		if reached[id] || inGaps(gaps, id) {
			continue
		}
		if a, err := v.attempt(id); err == nil {
			byID[id] = a
		} else {
			failed[id] = err
		}
	}
	scanned, badPages := false, []uint32(nil)
	if werr != nil || len(gaps) > 0 || len(failed) > 0 {
		scanned, badPages = v.scanPages(byID, failed)
	}
	for _, id := range keys(errKeys(failed)) {
		v.lose("answer %d%s: %v", id, describe(entries, id), failed[id])
	}
	// The stretches of rowids in pages that could not be read: what the
	// indexes name there, and the stretch itself unless the page scan
	// read every page that authenticates.
	for _, g := range gaps {
		var named []int64
		for id := range known {
			if g.has(id) {
				if _, ok := byID[id]; !ok {
					named = append(named, id)
				}
			}
		}
		slices.Sort(named)
		for _, id := range named {
			v.lose("answer %d%s: in a page that could not be read", id, describe(entries, id))
		}
		if !scanned && (g.open || len(named) < int(min(g.to-g.from+1, 1<<20))) {
			v.lose("answers with ids %s, if there were any: in pages that could not be read (%v)", g, g.err)
		}
	}
	if scanned && len(badPages) > 0 {
		v.lose("%s of the store could not be read (damaged: %v): answers stored there, if any, are lost",
			pageList(badPages), errPageAuth)
	}
	if scanned && v.pages.missing() > 0 {
		v.lose("the store's last %d pages are missing (the file was cut short): answers stored there, if any, are lost",
			v.pages.missing())
	}

	// Sessions: those the index by time and the answers name, and those a
	// walk of the table reaches.
	knownSessions := map[int64]bool{}
	sessionCreated := map[int64]int64{}
	v.scanBothWays("the sessions' index by time", "SELECT id, created_at FROM sessions INDEXED BY sessions_created ORDER BY created_at %s, id %[1]s",
		func(r *sql.Rows) error {
			var id, at int64
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			knownSessions[id], sessionCreated[id] = true, at
			return nil
		})
	for _, a := range byID {
		knownSessions[a.SessionID] = true
	}
	for _, e := range entries {
		knownSessions[e.sessionID] = true
	}
	sessionIDs, sgaps, werr := v.walk("sessions", keys(knownSessions))
	if werr != nil {
		v.lose("the sessions: %v", werr)
	}
	for id := range knownSessions {
		if !slices.Contains(sessionIDs, id) {
			sessionIDs = append(sessionIDs, id)
		}
	}
	slices.Sort(sessionIDs)
	for _, g := range sgaps {
		v.lose("sessions with ids %s, if there were any besides those named below: in pages that could not be read (%v)", g, g.err)
	}

	// Answers grouped by session, in the order the store lists them.
	answers := map[int64][]rehearse.Attempt{}
	for _, a := range byID {
		answers[a.SessionID] = append(answers[a.SessionID], a)
	}
	var recs []rehearse.SessionRecord
	for _, id := range sessionIDs {
		atts := answers[id]
		sort.Slice(atts, func(i, j int) bool {
			if !atts[i].CreatedAt.Equal(atts[j].CreatedAt) {
				return atts[i].CreatedAt.Before(atts[j].CreatedAt)
			}
			return atts[i].ID < atts[j].ID
		})
		sess, err := v.session(id)
		switch {
		case errors.Is(err, sql.ErrNoRows) && len(atts) == 0:
			continue
		case err != nil:
			if len(atts) == 0 {
				v.lose("session %d: %v", id, err)
				continue
			}
			// Keep the answers under a stand-in for the lost session.
			v.lose("session %d (its title and settings; its %d readable answers are kept): %v", id, len(atts), notFoundAsLost(err))
			sess = rehearse.Session{ID: id, Title: fmt.Sprintf("Recovered answers of session %d", id),
				CreatedAt: atts[0].CreatedAt, UpdatedAt: atts[len(atts)-1].CreatedAt}
			if at, ok := sessionCreated[id]; ok && at != 0 {
				sess.CreatedAt = fromNanos(at) // the index still knows when it began
			}
		}
		recs = append(recs, rehearse.SessionRecord{Session: sess, Attempts: atts})
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if !recs[i].Session.CreatedAt.Equal(recs[j].Session.CreatedAt) {
			return recs[i].Session.CreatedAt.Before(recs[j].Session.CreatedAt)
		}
		return recs[i].Session.ID < recs[j].Session.ID
	})
	return recs, v.lost
}

func notFoundAsLost(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("its record is gone (a page of sessions that could not be read)")
	}
	return err
}

func describe(entries map[int64]indexEntry, id int64) string {
	e, ok := entries[id]
	if !ok {
		return ""
	}
	q := e.question
	if r := []rune(q); len(r) > 60 {
		q = string(r[:60]) + "…"
	}
	return fmt.Sprintf(" (session %d, %q)", e.sessionID, q)
}

func idInto(m map[int64]bool) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		m[id] = true
		return nil
	}
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// scanBothWays reads an index forwards until it meets a page that cannot be
// read, then backwards to the same place, so only the rows of the damaged
// pages are missed. query has one %s for the direction.
func (v *salvager) scanBothWays(what, query string, row func(*sql.Rows) error) {
	var errs []error
	for _, dir := range []string{"ASC", "DESC"} {
		err := v.scan(fmt.Sprintf(query, dir), row)
		if err == nil {
			return // read whole
		}
		errs = append(errs, err)
	}
	if len(errs) > 0 && v.ctx.Err() == nil {
		v.lose("part of %s: %v", what, classify(errs[0]))
	}
}

func (v *salvager) scan(query string, row func(*sql.Rows) error, args ...any) error {
	rows, err := v.db.QueryContext(v.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// gap is a stretch of rowids, from and to included, whose pages could not
// be read.
type gap struct {
	from, to int64
	err      error
	open     bool // and every rowid after to
}

func (g gap) String() string {
	if g.open {
		return fmt.Sprintf("%d and above", g.from)
	}
	if g.from == g.to {
		return fmt.Sprint(g.from)
	}
	return fmt.Sprintf("%d to %d", g.from, g.to)
}

func (g gap) has(id int64) bool { return id >= g.from && (id <= g.to || g.open) }

func inGaps(gs []gap, id int64) bool {
	for _, g := range gs {
		if g.has(id) {
			return true
		}
	}
	return false
}

// rowidsAfter reads up to n rowids of table greater than after; on an error
// it still returns those read before it.
func (v *salvager) rowidsAfter(table string, after int64, n int) ([]int64, error) {
	var ids []int64
	err := v.scan(`SELECT rowid FROM "`+table+`" WHERE rowid > ? ORDER BY rowid LIMIT ?`, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}, after, n)
	return ids, err
}

// walk finds the rowids of table that can still be reached. Where a page
// cannot be read it seeks further and further past it (1, 2, 4, … rowids)
// until a seek lands beyond it, then looks each rowid in between up on its
// own: those that read are kept, the rest form a gap. known are rowids
// that other tables or indexes name; the walk looks at least that far.
func (v *salvager) walk(table string, known []int64) (ids []int64, gaps []gap, err error) {
	upper := int64(0)
	if len(known) > 0 {
		upper = known[len(known)-1]
	}
	var m sql.NullInt64
	if err := v.db.QueryRowContext(v.ctx, `SELECT max(rowid) FROM "`+table+`"`).Scan(&m); err == nil && m.Int64 > upper {
		upper = m.Int64
	}
	cur := int64(0) // every rowid up to cur has been accounted for
	for v.ctx.Err() == nil {
		got, err := v.rowidsAfter(table, cur, walkBatch)
		ids = append(ids, got...)
		if len(got) > 0 {
			cur = got[len(got)-1]
		}
		if err == nil {
			if len(got) < walkBatch {
				return ids, gaps, nil
			}
			continue
		}
		if len(ids) == 0 && len(gaps) == 0 && !isPageError(err) {
			// Not damage but a missing table (its schema entry is lost)
			// or the like: nothing to walk.
			return nil, nil, classify(err)
		}
		// The page after cur cannot be read: find how far it reaches.
		next, found := cur, false
		for step := int64(1); v.ctx.Err() == nil; step *= 2 {
			next = cur + step
			if _, err := v.rowidsAfter(table, next, 1); err == nil {
				found = true
				break
			}
			if next > 2*upper+walkBatch {
				break // nothing readable beyond
			}
		}
		if !found {
			// Nothing past cur can be sought (the last pages are lost):
			// look up, one by one, every rowid up to the highest known.
			next = max(upper, cur)
		}
		got, gs := v.lookupRange(table, cur+1, next)
		ids, gaps = append(ids, got...), append(gaps, gs...)
		if !found {
			if len(gs) == 0 || gs[len(gs)-1].to != next {
				// The end is not known to be lost; what lies beyond
				// upper, if anything, cannot be reached.
				gaps = append(gaps, gap{from: next + 1, to: next + 1, err: classify(err), open: true})
			} else {
				gaps[len(gaps)-1].open = true
			}
			return ids, gaps, nil
		}
		cur = next
	}
	return ids, gaps, v.ctx.Err()
}

// lookupRange looks up each rowid from..to of table on its own.
func (v *salvager) lookupRange(table string, from, to int64) (ids []int64, gaps []gap) {
	var g *gap
	for id := from; id <= to && v.ctx.Err() == nil; id++ {
		var one int64
		err := v.db.QueryRowContext(v.ctx, `SELECT rowid FROM "`+table+`" WHERE rowid = ?`, id).Scan(&one)
		switch {
		case err == nil:
			ids = append(ids, id)
			g = nil
		case errors.Is(err, sql.ErrNoRows):
			g = nil
		case g == nil:
			gaps = append(gaps, gap{from: id, to: id, err: classify(err)})
			g = &gaps[len(gaps)-1]
		default:
			g.to = id
		}
	}
	return ids, gaps
}

// isPageError reports an error from reading a page: damage, or a page that
// does not authenticate.
func isPageError(err error) bool {
	return errors.Is(classify(err), rehearse.ErrCorruptStore)
}

const salvageAttemptCols = `a.id, a.session_id, a.question_id, a.question_text, a.question_type, a.number, a.status,
	a.started_at, a.duration_s, a.latency_known, a.transcript, a.corrected, a.analysis, a.rulebook_version,
	a.created_at, 0`

// attempt reads one answer. Whether it has a recording is asked on its own,
// so that damage among the recordings does not cost the answer.
func (v *salvager) attempt(id int64) (rehearse.Attempt, error) {
	a, err := scanAttempt(v.db.QueryRowContext(v.ctx, `SELECT `+salvageAttemptCols+` FROM attempts a WHERE a.id = ?`, id))
	if err != nil {
		return a, notFoundAsLost(classify(err))
	}
	a.HasAudio = v.hasAudio(id)
	return a, nil
}

// hasAudio says whether an answer has a recording. One whose entry cannot
// be read is said to have one, so that the export tries and names it when
// it fails.
func (v *salvager) hasAudio(id int64) bool {
	var one int
	err := v.db.QueryRowContext(v.ctx, `SELECT 1 FROM attempt_audio WHERE attempt_id = ?`, id).Scan(&one)
	return !errors.Is(err, sql.ErrNoRows)
}

// scanPages is the last resort for answers SQLite could not reach: it reads
// the leaf pages of the store file itself (see pagescan.go) and adds to
// byID every answer found there that is not in it yet, taking it out of
// failed. It reports whether the scan ran, and the pages that did not
// authenticate.
func (v *salvager) scanPages(byID map[int64]rehearse.Attempt, failed map[int64]error) (bool, []uint32) {
	if v.pages == nil {
		return false, nil
	}
	rows, bad, err := v.pages.scanTables(v.ctx, isAttemptRecord)
	if err != nil {
		if v.ctx.Err() == nil {
			v.lose("reading the store's pages directly: %v", err)
		}
		return false, nil
	}
	for _, r := range rows {
		if _, ok := byID[r.rowid]; ok {
			continue
		}
		a, err := scanAttempt(attemptRecord{rowid: r.rowid, values: r.values})
		if err != nil {
			if _, ok := failed[r.rowid]; !ok {
				failed[r.rowid] = fmt.Errorf("found in page %d: %w", r.page, err)
			}
			continue
		}
		a.HasAudio = v.hasAudio(r.rowid)
		byID[r.rowid] = a
		delete(failed, r.rowid)
	}
	return true, bad
}

func errKeys(m map[int64]error) map[int64]bool {
	out := make(map[int64]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// pageList names pages for a message: "page 7", "pages 7, 9 and 12".
func pageList(ps []uint32) string {
	if len(ps) == 1 {
		return fmt.Sprintf("page %d", ps[0])
	}
	var b strings.Builder
	shown := ps[:min(len(ps), 20)]
	for i, p := range shown {
		switch {
		case i == 0:
		case i == len(ps)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprint(&b, p)
	}
	if len(ps) > len(shown) {
		fmt.Fprintf(&b, " and %d more", len(ps)-len(shown))
	}
	return "pages " + b.String()
}

func (v *salvager) session(id int64) (rehearse.Session, error) {
	sess, err := scanSession(v.db.QueryRowContext(v.ctx, `SELECT `+sessionCols+` FROM sessions s WHERE s.id = ?`, id))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		err = classify(err)
	}
	return sess, err
}

// readSchema reads the schema, which proves the key: SQLCipher decrypts
// page 1 here. A damaged store (OpenDamaged, with writable_schema set) whose
// schema cannot be read whole fails the first read and keeps the part that
// was read, so a second read lets what it names be salvaged.
func (s *Store) readSchema(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
	var se sqlite3.Error
	if err != nil && s.opt.damaged && errors.As(err, &se) && se.Code == sqlite3.ErrCorrupt {
		err = db.QueryRowContext(ctx, "SELECT 1").Scan(&n)
	}
	return err
}
