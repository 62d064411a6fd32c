package vault

// Unwrap returns the store itself, for what only the store's own type
// offers (such as reading a damaged store row by row).
func (s *lockedStore) Unwrap() any { return s.KeyedStore }
