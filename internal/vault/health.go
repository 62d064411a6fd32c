package vault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Health is what Check found out about the practice store.
type Health struct {
	// OK is false when the store is missing while its key is kept, or
	// damaged; Problem then says what is wrong and Fix what to do.
	OK      bool   `json:"ok"`
	Summary string `json:"summary"`
	Problem string `json:"problem,omitempty"`
	Fix     string `json:"fix,omitempty"`
	// Checked is true when the store was opened and its pages checked;
	// Complete when that check ran to the end within its time budget.
	Checked  bool `json:"checked"`
	Complete bool `json:"complete"`
}

// String is the problem when there is one, else the summary.
func (h Health) String() string {
	if h.Problem != "" {
		return h.Problem
	}
	return h.Summary
}

// quickChecker is a store that can check its own pages (sqlcipher.Store).
type quickChecker interface {
	QuickCheck(ctx context.Context) error
}

// Check looks at the practice store without changing it or taking the
// data-folder lock: is the database there when its key is, and, when the key
// can be had without asking (keyring, passphrase file), does it open and do
// its pages pass SQLite's quick check within budget. It is for `rehearse
// doctor`.
func (v *Vault) Check(ctx context.Context, budget time.Duration) Health {
	db := v.opt.Layout.DB()
	c, err := loadCustody(v.custodyPath())
	if err != nil {
		return Health{Summary: "the key file cannot be used", Problem: err.Error(), Fix: "restore the key file from a copy; without it the store cannot be opened"}
	}
	exists, err := storeExists(db)
	if err != nil {
		return Health{Summary: "the practice store cannot be read", Problem: err.Error()}
	}
	switch {
	case !exists && c != nil && !c.Pending:
		return Health{Summary: "the practice store is missing", Problem: v.missingStore().Error(),
			Fix: "put the database back at " + db + ", or start over with 'rehearse key reset' (the old key is kept aside)"}
	case !exists:
		return Health{OK: true, Summary: "no practice store yet; it is created on first use"}
	case c != nil && c.Pending:
		return Health{OK: true, Summary: "being created (its first use did not finish); the next use finishes it"}
	case c == nil:
		return Health{Summary: "the key file is missing", Problem: fmt.Sprintf("the key file %s is missing, so the key of %s cannot be found", v.custodyPath(), db),
			Fix: "restore the key file from a copy"}
	}
	if err := checkStoreFile(db, c); err != nil {
		return damagedHealth(err)
	}
	if v.opt.Open == nil {
		return Health{OK: true, Summary: "present; not opened"}
	}
	u, err := v.unlock(ctx, c)
	switch {
	case errors.Is(err, rehearse.ErrCorruptStore):
		return damagedHealth(err)
	case errors.Is(err, rehearse.ErrPassphraseNeeded):
		return Health{OK: true, Summary: "present; its pages were not checked: give the passphrase with --passphrase-file to check them"}
	case err != nil:
		return Health{Summary: "the practice store does not open", Problem: err.Error(), Fix: "check the passphrase, or the keyring (see the key line)"}
	}
	defer u.store.Close()
	qc, ok := u.store.(quickChecker)
	if !ok {
		return Health{OK: true, Summary: "opens; this store cannot check its pages"}
	}
	cctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	start := time.Now()
	err = qc.QuickCheck(cctx)
	took := time.Since(start).Round(10 * time.Millisecond)
	switch {
	case err == nil:
		return Health{OK: true, Checked: true, Complete: true, Summary: fmt.Sprintf("opens; quick check of every page passed (%v)", took)}
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return Health{OK: true, Checked: true, Summary: fmt.Sprintf("opens; quick check stopped early after %v without finding damage (the store is large; 'rehearse export --salvage' reads everything)", took)}
	case ctx.Err() != nil:
		return Health{Summary: "the quick check was cancelled", Problem: err.Error()}
	}
	// A page that cannot be read or does not authenticate fails the
	// check with an error rather than a report line: damage either way.
	return damagedHealth(&DamagedError{Path: db, Detail: "not every page can be read: " + err.Error(), Err: err})
}

func damagedHealth(err error) Health {
	return Health{Summary: "the practice store is damaged", Problem: err.Error(),
		Fix: "'rehearse export --salvage -o FILE' saves what can still be read; 'rehearse key reset' then starts over and keeps the damaged file and its key aside"}
}
