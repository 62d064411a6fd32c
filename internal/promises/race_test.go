//go:build race

package promises

const raceEnabled = true
