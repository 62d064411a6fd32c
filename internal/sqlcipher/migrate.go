package sqlcipher

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one forward-only schema step; version k is the k-th file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded steps in order, numbered 1, 2, ... without gaps.
var migrations = loadMigrations()

func loadMigrations() []migration {
	entries, err := migrationFS.ReadDir("migrations")
	if err != nil {
		panic(err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("migration file without a version number: " + e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			panic(fmt.Sprintf("migration %s: want version %d", m.name, i+1))
		}
	}
	return ms
}

const schemaTable = `CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
)`

// migrate brings the database up to version target, one transaction per
// step, so a process killed mid-way leaves a consistent earlier version.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	cur, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if cur > len(migrations) {
		return fmt.Errorf("the practice store has schema version %d, newer than this copy of Rehearse understands (%d): update Rehearse", cur, len(migrations))
	}
	for _, m := range migrations[cur:target] {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one migrating process at a time
	if err != nil {
		return fmt.Errorf("migrate to schema %d: %w", m.version, classify(err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schemaTable); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", m.version, classify(err))
	}
	var done int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_version WHERE version = ?", m.version).Scan(&done); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", m.version, classify(err))
	}
	if done > 0 { // another process got there first
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.name, classify(err))
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", m.version, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to schema %d: %w", m.version, classify(err))
	}
	return nil
}

// schemaVersion reads the applied version; 0 for a new database.
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", classify(err))
	}
	if n == 0 {
		return 0, nil
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(version) FROM schema_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", classify(err))
	}
	return int(v.Int64), nil
}
