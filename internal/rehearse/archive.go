package rehearse

// SessionRecord is one session with all its answers, the unit of export and
// import.
type SessionRecord struct {
	Session  Session   `json:"session"`
	Attempts []Attempt `json:"attempts"`
}
