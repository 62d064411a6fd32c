package sqlcipher

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-app/rehearse/internal/archive"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// salvageCorpus is a real encrypted store and what it holds.
type salvageCorpus struct {
	key  []byte
	good []byte           // the closed store file
	text map[int64]string // answer id → transcript
	rec  map[int64]bool   // answers with a recording
	ids  []int64          // answer ids in order
	old  map[string]bool  // transcripts committed before the last session (for the WAL case)
	wal  []byte           // the main file copied while the last session was only in the WAL
	sess map[int64]int64  // answer id → session id
}

const corpusPage = 4096

// words makes text that does not compress, so every answer takes pages of
// its own (as long spoken answers do).
func words(r *mrand.Rand, n int) string {
	vocab := strings.Fields("we shipped the release on time after I split the work into small steps and asked the team " +
		"for help when the tests failed because a customer needed the fix before friday so I wrote a plan measured " +
		"latency cut scope talked to support learned owned the outcome")
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(vocab[r.IntN(len(vocab))])
		b.WriteByte(' ')
	}
	return b.String()
}

func buildSalvageCorpus(t *testing.T) *salvageCorpus {
	t.Helper()
	ctx := context.Background()
	c := &salvageCorpus{key: make([]byte, 32), text: map[int64]string{}, rec: map[int64]bool{}, old: map[string]bool{}, sess: map[int64]int64{}}
	rand.Read(c.key)
	path := filepath.Join(t.TempDir(), "rehearse.db")
	r := mrand.New(mrand.NewPCG(1, 2))
	add := func(s *Store, i int) {
		sess := &rehearse.Session{Title: fmt.Sprintf("Session %02d", i), CreatedAt: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 3; j++ {
			text := fmt.Sprintf("answer %d.%d %s", i, j, words(r, 60+r.IntN(500)))
			a := &rehearse.Attempt{SessionID: sess.ID, QuestionText: fmt.Sprintf("Question %d of session %d?", j, i),
				QuestionType: rehearse.Behavioral, Status: rehearse.StatusAnalyzed,
				Transcript: rehearse.Transcript{Text: text, Source: "typed"}}
			var audio *rehearse.Audio
			if j == 2 && i%4 == 0 {
				audio = tone(8000)
			}
			if err := s.AddAttempt(ctx, a, audio); err != nil {
				t.Fatal(err)
			}
			c.text[a.ID], c.rec[a.ID], c.sess[a.ID] = text, audio != nil, sess.ID
			c.ids = append(c.ids, a.ID)
		}
	}
	s, err := Open(ctx, path, c.key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const sessions = 40
	for i := 0; i < sessions-1; i++ {
		add(s, i)
	}
	if err := s.Close(); err != nil { // checkpoints everything into the file
		t.Fatal(err)
	}
	for _, tx := range c.text {
		c.old[tx] = true
	}
	if s, err = Open(ctx, path, c.key, Options{}); err != nil {
		t.Fatal(err)
	}
	add(s, sessions-1)
	// The last session is only in the WAL now: the main file as a crash
	// that lost the WAL would leave it.
	if c.wal, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if c.good, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	return c
}

// readable says which answers SQLite itself can still read whole from a
// damaged copy, one by one: the floor of what salvage must bring back. It
// also reports whether the schema, the answers and the search index can be
// read whole.
type damageProbe struct {
	schemaOK, answersOK, searchOK bool
	readable                      map[int64]bool
}

func probeDamage(t *testing.T, c *salvageCorpus, content []byte) damageProbe {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rehearse.db")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	p := damageProbe{readable: map[int64]bool{}}
	d, err := OpenDamaged(ctx, path, c.key)
	if err != nil {
		return p
	}
	defer d.Close()
	db := d.db
	ok := func(q string) bool {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return false
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err() == nil
	}
	p.schemaOK = ok("SELECT sql FROM sqlite_schema")
	p.schemaOK = ok("SELECT sql FROM sqlite_schema") && p.schemaOK
	p.answersOK = ok("SELECT sum(length(transcript)) FROM attempts NOT INDEXED")
	p.searchOK = ok("SELECT sum(length(block)) FROM attempts_fts_data") && ok("SELECT count(*) FROM attempts_fts_idx")
	for _, id := range c.ids {
		var tr []byte
		var sid int64
		if err := db.QueryRowContext(ctx, "SELECT transcript, session_id FROM attempts WHERE id = ?", id).Scan(&tr, &sid); err == nil {
			p.readable[id] = true
		}
	}
	return p
}

// TestSalvageCorpus damages a real encrypted store in every way the corpus
// names, salvages each copy through an export file into a new store, and
// checks a floor on what comes back. It logs, for each damage, what was
// saved and what was reported lost.
func TestSalvageCorpus(t *testing.T) {
	ctx := context.Background()
	c := buildSalvageCorpus(t)
	pages := len(c.good) / corpusPage
	t.Logf("corpus: %d answers in 40 sessions, %d pages", len(c.ids), pages)

	flip := func(p int) []byte {
		b := bytes.Clone(c.good)
		for i := 0; i < 16; i++ {
			b[p*corpusPage+300+i*97] ^= 0x5A
		}
		return b
	}
	zero := func(p int) []byte {
		b := bytes.Clone(c.good)
		clear(b[p*corpusPage : (p+1)*corpusPage])
		return b
	}
	// Find, by damaging each page in turn, a page of the schema (other than
	// the first), a leaf page and an overflow page of the answers, an
	// inner page of the answers, and a page of the search index.
	var schemaPage, answersLeaf, answersInner, searchPage = -1, -1, -1, -1
	for p := 1; p < pages; p++ {
		pr := probeDamage(t, c, flip(p))
		lost := len(c.ids) - len(pr.readable)
		switch {
		case !pr.schemaOK && schemaPage < 0:
			schemaPage = p
		case pr.schemaOK && !pr.answersOK && pr.searchOK && lost > 0 && lost <= 10 && answersLeaf < 0:
			answersLeaf = p
		case pr.schemaOK && !pr.answersOK && pr.searchOK && lost > 10 && answersInner < 0:
			answersInner = p
		case pr.schemaOK && pr.answersOK && !pr.searchOK && searchPage < 0:
			searchPage = p
		}
	}
	t.Logf("pages: schema %d, answers leaf %d, answers inner %d, search index %d", schemaPage, answersLeaf, answersInner, searchPage)
	if answersLeaf < 0 || searchPage < 0 {
		t.Fatal("the corpus has no page of the answers or of the search index to damage")
	}

	type damage struct {
		name    string
		content []byte
		// floor: "readable" means every answer SQLite can read on its own;
		// "all" every answer; "old" every answer committed before the WAL
		// was lost.
		floor string
		// most is how many answers may be lost at most (-1: no bound).
		most int
	}
	cases := []damage{
		{"truncated to 3/4", c.good[:pages*3/4*corpusPage], "readable", -1},
		{"truncated to half", c.good[:pages/2*corpusPage], "readable", -1},
		{"truncated to half, mid-page", c.good[:pages/2*corpusPage+1234], "readable", -1},
		{"truncated to a quarter", c.good[:pages/4*corpusPage], "readable", -1},
		{"answers: one leaf page zeroed", zero(answersLeaf), "readable", 10},
		{"answers: one leaf page flipped", flip(answersLeaf), "readable", 10},
		{"search index: one page zeroed", zero(searchPage), "all", 0},
		{"search index: one page flipped", flip(searchPage), "all", 0},
		{"WAL removed", c.wal, "old", -1},
		{"first page (schema) flipped", flip(0), "readable", -1},
	}
	if answersInner < 0 {
		t.Fatal("the corpus has no inner page of the answers to damage")
	}
	// An inner page holds no answer: the page scan reads every answer
	// from the leaf pages below it.
	cases = append(cases, damage{"answers: an inner page flipped", flip(answersInner), "all", 0},
		damage{"answers: an inner page zeroed", zero(answersInner), "all", 0})
	if schemaPage > 0 {
		cases = append(cases, damage{"schema: a later page flipped", flip(schemaPage), "readable", -1},
			damage{"schema: a later page zeroed", zero(schemaPage), "readable", -1})
	}
	var table []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pr := probeDamage(t, c, tc.content)
			path := filepath.Join(t.TempDir(), "rehearse.db")
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			d, err := OpenDamaged(ctx, path, c.key)
			if err != nil {
				if tc.floor == "readable" && len(pr.readable) == 0 {
					table = append(table, fmt.Sprintf("%-36s | 0/%d answers | the store does not open: %v", tc.name, len(c.ids), err))
					if !errors.Is(err, rehearse.ErrCannotUnlock) && !errors.Is(err, rehearse.ErrCorruptStore) {
						t.Fatalf("OpenDamaged: %v", err)
					}
					return
				}
				t.Fatal(err)
			}
			v, err := archive.Salvage(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := archive.WriteJSON(ctx, &b, v.Records, time.Unix(0, 0), v.Recording); err != nil {
				t.Fatal(err)
			}
			d.Close()
			if got, _ := os.ReadFile(path); !bytes.Equal(got, tc.content) {
				t.Fatal("salvaging changed the damaged file")
			}
			back, err := archive.ReadJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			// Import into a new store: the search index is built anew there.
			dst := openStore(t, filepath.Join(t.TempDir(), "rehearse.db"), newKey(t))
			if err := dst.ImportSessions(ctx, back); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			recordings := 0
			again, err := archive.Collect(ctx, dst)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range again {
				for _, a := range r.Attempts {
					got[a.Transcript.Text] = true
					if a.HasAudio {
						recordings++
					}
				}
			}
			var missing []int64
			for _, id := range c.ids {
				need := false
				switch tc.floor {
				case "all":
					need = true
				case "old":
					need = c.old[c.text[id]]
				case "readable":
					need = pr.readable[id]
				}
				if need && !got[c.text[id]] {
					missing = append(missing, id)
				}
			}
			for tx := range got {
				if !strings.HasPrefix(tx, "answer ") || !isCorpusText(c, tx) {
					t.Errorf("an answer came back that was never saved: %.40q", tx)
				}
			}
			if len(missing) > 0 {
				t.Errorf("answers %v were readable but did not come back", missing)
			}
			if tc.most >= 0 && len(c.ids)-len(got) > tc.most {
				t.Errorf("lost %d answers, want at most %d", len(c.ids)-len(got), tc.most)
			}
			if os.Getenv("SALVAGE_DEBUG") != "" {
				t.Logf("lost:\n%s", strings.Join(v.Lost, "\n"))
			}
			if tc.floor != "old" && len(got) < len(c.ids) && len(v.Lost) == 0 {
				t.Error("answers were lost but nothing was reported lost")
			}
			// The rebuilt index finds every answer that came back.
			if len(got) > 0 {
				hits, err := dst.Search(ctx, "answer", 1000)
				if err != nil || len(hits) != len(got) {
					t.Errorf("search in the new store found %d of %d answers (%v)", len(hits), len(got), err)
				}
			}
			lost := strings.Join(v.Lost, "\n      ")
			if len(lost) > 600 {
				lost = lost[:600] + "…"
			}
			table = append(table, fmt.Sprintf("%-36s | %d/%d answers, %d sessions, %d recordings | SQLite alone reads %d | lost lines %d:\n      %s",
				tc.name, len(got), len(c.ids), len(again), recordings, len(pr.readable), len(v.Lost), lost))
		})
	}
	sort.Strings(table)
	t.Logf("damage | came back | reported lost\n%s", strings.Join(table, "\n"))
}

func isCorpusText(c *salvageCorpus, tx string) bool {
	for _, v := range c.text {
		if v == tx {
			return true
		}
	}
	return false
}
