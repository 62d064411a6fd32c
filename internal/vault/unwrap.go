package vault

import "github.com/rehearse-app/rehearse/internal/rehearse"

// Unwrap returns the store itself, for what only the store's own type
// offers (such as reading a damaged store row by row).
func (s *lockedStore) Unwrap() rehearse.Store { return s.KeyedStore }
