package rehearse

// SessionRecord is one session with all its answers, the unit of export and
// import.
type SessionRecord struct {
	Session  Session   `json:"session"`
	Attempts []Attempt `json:"attempts"`
	// Recordings holds kept recordings by index in Attempts: what an import
	// read from its file. An export leaves it empty and loads each recording
	// when it writes it, so that it never holds them all.
	Recordings map[int]*Audio `json:"-"`
}
