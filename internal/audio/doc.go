// Package audio reads and writes WAV files and processes Rehearse's audio in
// pure Go: conversion of any PCM or float WAV to 16 kHz mono, streaming
// resampling with a windowed-sinc low-pass, voice-activity detection that
// holds up in room noise, level metering and a compact 16-bit encoding for
// storage.
//
// Every Audio value it returns is mono float32 at rehearse.SampleRate.
package audio
