package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Salvaged is what could still be read of a damaged store.
type Salvaged struct {
	// Records are the sessions with every answer that could be read,
	// oldest first.
	Records []rehearse.SessionRecord
	// Lost says, one line each, what could not be read and why.
	Lost []string

	store Damaged
}

// Damaged is the part of a damaged store that Salvage reads.
type Damaged interface {
	Source
	AttemptAudio(ctx context.Context, attemptID int64) (*rehearse.Audio, error)
}

// rowSalvager is a store that can read itself row by row, stepping over
// damaged pages (sqlcipher.Store opened with OpenDamaged).
type rowSalvager interface {
	SalvageRecords(ctx context.Context) ([]rehearse.SessionRecord, []string, error)
}

// unwrapper is a store that wraps another (the vault's locked store).
type unwrapper interface {
	Unwrap() any
}

// Salvage reads what can still be read of a damaged store: row by row where
// the store can (every answer that is not itself on a damaged page), else
// session by session.
func Salvage(ctx context.Context, s Damaged) (*Salvaged, error) {
	for inner := any(s); inner != nil; {
		if r, ok := inner.(rowSalvager); ok {
			recs, lost, err := r.SalvageRecords(ctx)
			if err != nil {
				return nil, fmt.Errorf("salvage: %w", err)
			}
			return &Salvaged{Records: recs, Lost: lost, store: s}, nil
		}
		u, ok := inner.(unwrapper)
		if !ok {
			break
		}
		inner = u.Unwrap()
	}
	recs, lost, err := collect(ctx, s, true)
	if err != nil {
		return nil, err
	}
	return &Salvaged{Records: recs, Lost: lost, store: s}, nil
}

// Answers is how many answers were saved.
func (v *Salvaged) Answers() int {
	n := 0
	for _, r := range v.Records {
		n += len(r.Attempts)
	}
	return n
}

// Recording loads an answer's recording for WriteJSON; one that cannot be
// read is left out and added to Lost.
func (v *Salvaged) Recording(ctx context.Context, attemptID int64) (*rehearse.Audio, error) {
	a, err := v.store.AttemptAudio(ctx, attemptID)
	if err != nil && !errors.Is(err, rehearse.ErrNotFound) {
		v.Lost = append(v.Lost, fmt.Sprintf("the recording of answer %d: %v", attemptID, err))
		return nil, fmt.Errorf("left out: %w", rehearse.ErrNotFound)
	}
	return a, err
}
