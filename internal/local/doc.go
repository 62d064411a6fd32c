// Package local provides the parts of this computer to Rehearse's two
// front ends: the data folder's encrypted store behind its key custody
// (SQLCipher, the OS keyring, vault), the speech models and whisper.cpp,
// and the PortAudio microphone. It builds them and hands them to the
// practice core (practice.Open) and to the command line and the window as
// the small interfaces those declare; cmd/rehearse only chooses which
// front end runs.
package local
