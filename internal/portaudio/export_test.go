package portaudio

// Done is closed when the capture has ended, by Stop or because the device
// was lost; tests wait on it.
func (r *recording) Done() <-chan struct{} { return r.done }
