package archive

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Imported says what Import did.
type Imported struct {
	Sessions, Answers, Recordings int // added
	Present                       int // sessions already in the store, left out
}

// Destination is the part of a store that Import reads and adds to.
type Destination interface {
	Source
	// ImportSessions adds the records (with new IDs) in one transaction:
	// all of them or none.
	ImportSessions(ctx context.Context, recs []rehearse.SessionRecord) error
}

// Import adds the records that the store does not hold yet, in one
// transaction. A session counts as held when one with the same start time,
// title and answers (question, time and text of each) is already there, as
// after importing the same export twice, or importing an export back into
// the store it came from.
func Import(ctx context.Context, s Destination, recs []rehearse.SessionRecord) (Imported, error) {
	have, err := Collect(ctx, s)
	if err != nil {
		return Imported{}, fmt.Errorf("read the sessions already stored: %w", err)
	}
	held := make(map[[sha256.Size]byte]int, len(have))
	for _, r := range have {
		held[fingerprint(r)]++
	}
	var out Imported
	add := make([]rehearse.SessionRecord, 0, len(recs))
	for _, r := range recs {
		if f := fingerprint(r); held[f] > 0 {
			held[f]--
			out.Present++
			continue
		}
		add = append(add, r)
		out.Sessions++
		out.Answers += len(r.Attempts)
		out.Recordings += len(r.Recordings)
	}
	if len(add) == 0 {
		return out, nil
	}
	if err := s.ImportSessions(ctx, add); err != nil {
		return Imported{}, err
	}
	return out, nil
}

// fingerprint identifies a session by what the user made: its start time,
// title and job, and each answer's question, time, transcript, correction
// and status. Ids, update times and recordings are left out (an import
// assigns new ids; an export may leave recordings out).
func fingerprint(r rehearse.SessionRecord) [sha256.Size]byte {
	h := sha256.New()
	str := func(s string) {
		binary.Write(h, binary.LittleEndian, int64(len(s)))
		io.WriteString(h, s)
	}
	num := func(n int64) { binary.Write(h, binary.LittleEndian, n) }
	num(r.Session.CreatedAt.UnixNano())
	str(r.Session.Title)
	str(r.Session.JobDescription)
	num(int64(len(r.Attempts)))
	for _, a := range r.Attempts {
		num(a.CreatedAt.UnixNano())
		str(a.QuestionText)
		str(string(a.Status))
		str(a.Transcript.Text)
		if a.Corrected != nil {
			str("corrected:" + a.Corrected.Text)
		} else {
			str("")
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
