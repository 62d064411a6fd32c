package rehearse

import "errors"

// ErrNoOutputDevice is returned when a kept recording cannot be played back
// because no speaker or headphones are available.
var ErrNoOutputDevice = errors.New("no speaker or headphones found")
