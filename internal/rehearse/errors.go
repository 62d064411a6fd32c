package rehearse

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by every part of Rehearse. Adapters wrap them with
// context (fmt.Errorf("...: %w", ErrX)); callers test with errors.Is.
var (
	ErrNotFound = errors.New("not found")

	// Store and key custody.
	ErrCannotUnlock   = errors.New("cannot unlock the practice store")
	ErrNotEncrypted   = errors.New("encryption is not active (this build is not linked against SQLCipher); refusing to store anything")
	ErrCorruptStore   = errors.New("the practice store is damaged or not a Rehearse database")
	ErrDiskFull       = errors.New("the disk is full")
	ErrReadOnly       = errors.New("the data folder is read-only")
	ErrAlreadyRunning = errors.New("another copy of Rehearse is already using this data folder")
	ErrNoKeyring      = errors.New("no OS keyring is available")

	// Speech models. The downloader and the speed self-test wrap these;
	// the window and the command line explain them without importing the
	// downloader.
	//
	// ErrOffline: the model server could not be reached at all (no
	// network, no name service, no route); nothing was downloaded.
	ErrOffline = errors.New("you seem to be offline")
	// ErrDownloadInterrupted: a download stopped before the end for a
	// reason that may pass; what arrived is kept and the next attempt
	// continues from there.
	ErrDownloadInterrupted = errors.New("the download was interrupted")
	// ErrSelfTest: the speed self-test could not measure this computer.
	ErrSelfTest         = errors.New("the speed self-test failed")
	ErrPassphraseNeeded = errors.New("a passphrase is needed to unlock the practice store")
	// ErrStoreMissing: the database is gone while its key is still kept.
	// Nothing may create a new store (and a new key) over it.
	ErrStoreMissing = errors.New("the practice store is missing, but its key is still kept")

	// Audio capture.
	ErrNoInputDevice     = errors.New("no microphone found")
	ErrDeviceLost        = errors.New("the microphone stopped responding")
	ErrDeviceBusy        = errors.New("the microphone is in use by another program")
	ErrUnsupportedFormat = errors.New("the microphone does not support a usable audio format")
	ErrNoSpeech          = errors.New("no speech detected")
	ErrBadAudio          = errors.New("not a readable WAV file")

	// Transcription and models.
	ErrNoTranscriber = errors.New("voice transcription is not built into this copy of Rehearse")
	ErrNoModel       = errors.New("no speech model is installed")
	ErrBadModel      = errors.New("not a valid whisper.cpp model file")
	ErrChecksum      = errors.New("checksum mismatch")
)

// InputError reports a bad value supplied by the user or a file, naming where.
type InputError struct {
	Field  string // flag, JSON field or "line N"
	Value  string
	Reason string
}

func (e *InputError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}
