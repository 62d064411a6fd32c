package portaudio

import "sync/atomic"

// ring is a single-producer single-consumer queue of interleaved device
// samples. The producer is the real-time audio callback; the consumer is the
// capture goroutine. Indices are monotonic counters published with atomics,
// so neither side ever locks or waits.
type ring struct {
	buf      []int16
	mask     uint64
	w        atomic.Uint64 // samples ever written (owned by the producer)
	r        atomic.Uint64 // samples ever read (owned by the consumer)
	overruns atomic.Int64  // blocks dropped because the ring was full
}

// newRing returns a ring holding at least n samples.
func newRing(n int) *ring {
	size := 1
	for size < n {
		size <<= 1
	}
	return &ring{buf: make([]int16, size), mask: uint64(size - 1)}
}

// write copies a whole block in, or drops it and counts an overrun when it
// does not fit. Called only by the producer.
func (q *ring) write(p []int16) bool {
	w := q.w.Load()
	free := uint64(len(q.buf)) - (w - q.r.Load())
	if uint64(len(p)) > free {
		q.overruns.Add(1)
		return false
	}
	n := copy(q.buf[w&q.mask:], p)
	copy(q.buf, p[n:])
	q.w.Store(w + uint64(len(p)))
	return true
}

// available is how many samples wait to be read. Called by the consumer.
func (q *ring) available() int { return int(q.w.Load() - q.r.Load()) }

// read copies up to len(p) samples out, rounded down to a multiple of
// align (one frame), and returns how many. Called only by the consumer.
func (q *ring) read(p []int16, align int) int {
	r := q.r.Load()
	n := q.w.Load() - r
	if n > uint64(len(p)) {
		n = uint64(len(p))
	}
	n -= n % uint64(align)
	k := copy(p[:n], q.buf[r&q.mask:])
	copy(p[k:n], q.buf)
	q.r.Store(r + n)
	return int(n)
}
