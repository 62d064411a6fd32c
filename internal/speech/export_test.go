package speech

// Pending is the number of speech stretches waiting for or in
// transcription, so that tests can wait for the recogniser or check that a
// pause queued the speech before it.
func (s *Stream) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}
