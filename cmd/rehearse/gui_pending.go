package main

import (
	"context"

	"github.com/rehearse-app/rehearse/internal/practice"
	"github.com/rehearse-app/rehearse/internal/ui"
)

// guiPending shows the window the background transcription of the answers
// waiting for a speech model.
type guiPending struct{ b *practice.Backlog }

var _ ui.Pending = guiPending{}

func (p guiPending) Watch(ctx context.Context) <-chan ui.PendingState {
	in := p.b.Watch(ctx)
	out := make(chan ui.PendingState, 1)
	go func() {
		defer close(out)
		for st := range in {
			select {
			case <-out: // the window only needs the latest
			default:
			}
			out <- ui.PendingState{Waiting: st.Pending, Running: st.Running, Done: st.Done, Total: st.Total,
				Fraction: st.Fraction, Transcribed: st.Transcribed, Err: st.Err}
		}
	}()
	return out
}

func (p guiPending) Start()   { p.b.Start() }
func (p guiPending) Cancel()  { p.b.Cancel() }
func (p guiPending) Recount() { p.b.Recount(context.Background()) }
