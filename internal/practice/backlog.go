package practice

import (
	"context"
	"sync"
)

// BacklogState is what the window shows about the answers waiting for
// transcription.
type BacklogState struct {
	Waiting  int     // answers waiting for transcription now
	Running  bool    // a run is transcribing them
	Done     int     // answers finished in the run under way (or the last one)
	Total    int     // answers in that run
	Fraction float64 // share of that run done, 0..1
	// Transcribed is how many answers the last finished run completed;
	// the window reloads what it shows when it is above zero.
	Transcribed int
	// Err says why answers remain pending after the last run (no model,
	// cancelled, a failed transcription), or why they could not be
	// counted; nil when nothing waits.
	Err error
}

// Backlog transcribes pending answers in the background, one run at a
// time, and tells watchers how far it got. The window starts it when it
// opens and whenever a speech model arrives. It works on whichever service
// is open at the time (service may return an error while the store is
// locked).
type Backlog struct {
	service func() (*Service, error)

	mu       sync.Mutex
	state    BacklogState
	cancel   context.CancelFunc // of the run under way
	again    bool               // Start was called during a run
	closed   bool
	watchers map[chan BacklogState]struct{}
	wg       sync.WaitGroup
}

// NewBacklog returns an idle backlog; nothing runs until Start.
func NewBacklog(service func() (*Service, error)) *Backlog {
	return &Backlog{service: service, watchers: map[chan BacklogState]struct{}{}}
}

// State is the state now.
func (b *Backlog) State() BacklogState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// Watch delivers the state now and after every change, until ctx ends
// (then the channel is closed). A slow reader only misses intermediate
// states: it always gets the latest.
func (b *Backlog) Watch(ctx context.Context) <-chan BacklogState {
	ch := make(chan BacklogState, 1)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		close(ch)
		return ch
	}
	b.watchers[ch] = struct{}{}
	ch <- b.state
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.watchers[ch]; ok {
			delete(b.watchers, ch)
			close(ch)
		}
	})
	return ch
}

// set changes the state and tells the watchers; b.mu must be held.
func (b *Backlog) set(f func(*BacklogState)) {
	f(&b.state)
	for ch := range b.watchers {
		select {
		case <-ch: // drop the state not read yet
		default:
		}
		ch <- b.state
	}
}

// Start transcribes the pending answers in the background. During a run
// it asks for another one after it, since a model may just have arrived.
func (b *Backlog) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	if b.state.Running {
		b.again = true
		return
	}
	b.launch()
}

// launch starts a run; b.mu must be held.
func (b *Backlog) launch() {
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.again = false
	b.set(func(s *BacklogState) {
		s.Running, s.Done, s.Total, s.Fraction, s.Transcribed = true, 0, s.Waiting, 0, 0
	})
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer cancel()
		b.run(ctx)
	}()
}

func (b *Backlog) run(ctx context.Context) {
	svc, err := b.service()
	var (
		rep     PendingReport
		pending int
	)
	if err == nil {
		rep, err = svc.TranscribePending(ctx, func(p PendingProgress) {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.set(func(s *BacklogState) {
				s.Done, s.Total, s.Fraction = p.Done, p.Total, p.Fraction()
				s.Waiting = p.Total - p.Done
			})
		})
		// Count again: answers may have been saved meanwhile.
		var cerr error
		if pending, cerr = svc.PendingCount(context.Background()); cerr != nil {
			pending = rep.Remaining
			if err == nil {
				err = cerr
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if pending == 0 {
		err = nil
	}
	b.set(func(s *BacklogState) {
		s.Running, s.Waiting, s.Transcribed, s.Err = false, pending, rep.Transcribed, err
		if s.Total > 0 {
			s.Done, s.Fraction = rep.Transcribed, float64(rep.Transcribed)/float64(s.Total)
		}
	})
	if b.again && !b.closed {
		b.launch()
	}
}

// Recount reads again how many answers wait, e.g. after one was saved
// while no model was available. It does not transcribe them.
func (b *Backlog) Recount() {
	svc, err := b.service()
	n := 0
	if err == nil {
		n, err = svc.PendingCount(context.Background())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state.Running {
		return // the run reports its own count
	}
	b.set(func(s *BacklogState) {
		s.Waiting = n
		if err != nil || n == 0 {
			s.Err = err
		}
	})
}

// Cancel stops the run under way; the answers not finished stay pending
// with their recordings.
func (b *Backlog) Cancel() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.again = false
	if b.cancel != nil {
		b.cancel()
	}
}

// Wait waits for the run under way, if any, to end.
func (b *Backlog) Wait() { b.wg.Wait() }

// Close cancels any run, waits for it to end and closes the watchers.
func (b *Backlog) Close() {
	b.mu.Lock()
	b.closed = true
	b.again = false
	if b.cancel != nil {
		b.cancel()
	}
	b.mu.Unlock()
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.watchers {
		delete(b.watchers, ch)
		close(ch)
	}
}
