//go:build linux

package portaudio

/*
#cgo pkg-config: alsa jack
#include <alsa/asoundlib.h>
#include <jack/jack.h>

static void rh_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {
	(void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static void rh_jack_quiet(const char *msg) { (void)msg; }

static void rh_quiet_drivers(void) {
	snd_lib_error_set_handler(rh_alsa_quiet);
	jack_set_error_function(rh_jack_quiet);
	jack_set_info_function(rh_jack_quiet);
}
*/
import "C"

// quietDrivers stops ALSA and JACK from printing on the terminal while
// PortAudio probes them: without a sound card or a JACK server they print
// dozens of lines ("cannot find card '0'", "jack server is not running")
// for what Rehearse reports in one (no microphone found).
func quietDrivers() { C.rh_quiet_drivers() }
