package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
)

// Transfer is one download attempt as recorded in network.json, for the
// privacy center.
type Transfer struct {
	Model    string    `json:"model"`
	URL      string    `json:"url"`
	Started  time.Time `json:"started"`
	Sent     int64     `json:"sent"`
	Received int64     `json:"received"`
	Resumed  int64     `json:"resumed_from,omitempty"`
	Total    int64     `json:"total,omitempty"`
	Complete bool      `json:"complete"`
	Error    string    `json:"error,omitempty"`
}

const networkFile = "network.json"

// NetworkLog returns every download attempt ever made into this folder:
// which model, when, and the bytes sent and received.
func (m *Manager) NetworkLog() ([]Transfer, error) {
	b, err := os.ReadFile(filepath.Join(m.Dir, networkFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read network log: %w", err)
	}
	var ts []Transfer
	if err := json.Unmarshal(b, &ts); err != nil {
		return nil, fmt.Errorf("read network log: %w", err)
	}
	return ts, nil
}

// NetworkTotals adds up the network log.
func (m *Manager) NetworkTotals() (sent, received int64, err error) {
	ts, err := m.NetworkLog()
	for _, t := range ts {
		sent += t.Sent
		received += t.Received
	}
	return sent, received, err
}

func (m *Manager) logTransfer(t Transfer) error {
	lock.Lock()
	defer lock.Unlock()
	ts, err := m.NetworkLog()
	if err != nil {
		ts = nil // a damaged log is replaced rather than blocking downloads
	}
	ts = append(ts, t)
	b, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(m.Dir, networkFile), b)
}
