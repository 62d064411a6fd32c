//go:build !linux

package portaudio

// quietDrivers has nothing to silence outside Linux.
func quietDrivers() {}
