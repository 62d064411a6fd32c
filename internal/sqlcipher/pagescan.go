package sqlcipher

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
)

// The page scan is salvage's last resort, the approach of SQLite's own
// recovery: when SQLite can no longer descend a table's b-tree (an inner
// page is damaged), the rows still sit whole in the leaf pages below it.
// It reads the store file's pages itself, read-only, decrypts each one as
// SQLCipher 4 lays it out, and parses the table leaf pages.
//
// SQLCipher 4's page format, with a raw key:
//   - the first 16 bytes of the file are the salt, stored in the clear in
//     place of SQLite's "SQLite format 3" header;
//   - every page ends with a reserve of 16 bytes of IV, then the HMAC
//     (32 bytes of HMAC-SHA256 or 64 of HMAC-SHA512), padded to a multiple
//     of the AES block;
//   - the bytes before the reserve (after the salt on page 1) are
//     AES-256-CBC ciphertext under the raw key and that IV;
//   - the HMAC covers the ciphertext, the IV and the page number (4 bytes,
//     little-endian), under a key derived by PBKDF2-HMAC-SHA512 from the raw
//     key, with the salt XOR 0x3a and 2 iterations.
//
// Every page's HMAC is checked before it is decrypted, so a damaged page is
// skipped, never misparsed.

const (
	saltSize     = 16
	ivSize       = 16
	hmacSaltMask = 0x3a
	hmacKeyIter  = 2
	maxReserve   = 255 / aes.BlockSize * aes.BlockSize // SQLite keeps the reserve in one byte
)

// errPageAuth is a page whose HMAC does not match: damaged, or not written
// under this key.
var errPageAuth = errors.New("the page does not authenticate")

// pageFile reads the pages of an encrypted store file. It never writes.
type pageFile struct {
	path    string
	block   cipher.Block
	hmacKey []byte
	newHash func() hash.Hash
	macSize int
	reserve int // at the end of each page, for the page crypto
	// btreeReserve is the reserve SQLite's header names, at least reserve.
	btreeReserve int
	pages        uint32 // whole pages in the file
	headerPages  uint32 // the pages SQLite's header says the file has
}

// pageHMAC is one page HMAC SQLCipher may have written a store with.
type pageHMAC struct {
	name    string
	newHash func() hash.Hash
	size    int
}

var pageHMACAlgorithms = []pageHMAC{{hmacSHA256, sha256.New, sha256.Size}, {hmacSHA512, sha512.New, sha512.Size}}

// openPageFile prepares to read the store at path with its raw key. It
// finds the page HMAC by the first of the store's leading pages that
// authenticates under one of them.
func openPageFile(path string, key []byte) (*pageFile, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("read pages of %q: the key must be %d bytes", path, KeySize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read pages of %q: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read pages of %q: %w", path, err)
	}
	salt := make([]byte, saltSize)
	if _, err := io.ReadFull(f, salt); err != nil {
		return nil, fmt.Errorf("read pages of %q: no salt: %w", path, err)
	}
	macSalt := make([]byte, saltSize)
	for i, b := range salt {
		macSalt[i] = b ^ hmacSaltMask
	}
	macKey, err := pbkdf2.Key(sha512.New, string(key), macSalt, hmacKeyIter, KeySize)
	if err != nil {
		return nil, fmt.Errorf("read pages of %q: %w", path, err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("read pages of %q: %w", path, err)
	}
	pages := uint32(min(fi.Size()/pageSize, math.MaxUint32))
	raw := make([]byte, pageSize)
	for pgno := uint32(1); pgno <= min(pages, 64); pgno++ {
		if _, err := f.ReadAt(raw, int64(pgno-1)*pageSize); err != nil {
			return nil, fmt.Errorf("read pages of %q: %w", path, err)
		}
		// The reserve is at least the IV and the HMAC, in whole AES
		// blocks.
		for _, h := range pageHMACAlgorithms {
			for reserve := (ivSize + h.size + aes.BlockSize - 1) / aes.BlockSize * aes.BlockSize; reserve <= maxReserve; reserve += aes.BlockSize {
				p := &pageFile{path: path, block: block, hmacKey: macKey, newHash: h.newHash, macSize: h.size,
					reserve: reserve, pages: pages}
				if _, err := p.decrypt(pgno, raw); err != nil {
					continue
				}
				return p, p.readHeader(f)
			}
		}
	}
	return nil, fmt.Errorf("read pages of %q: none of its first pages authenticates under the key", path)
}

// usable is how many bytes of each decrypted page SQLite uses.
func (p *pageFile) usable() int { return pageSize - p.btreeReserve }

// readHeader reads how many bytes at the end of each page SQLite leaves
// unused (byte 20 of its header, on page 1). It may exceed the reserve the
// page crypto uses: a store created while SQLCipher's default was
// HMAC-SHA512 keeps that reserve when it is read with HMAC-SHA256.
func (p *pageFile) readHeader(f *os.File) error {
	raw := make([]byte, pageSize)
	if _, err := f.ReadAt(raw, 0); err != nil {
		return fmt.Errorf("read pages of %q: %w", p.path, err)
	}
	page, err := p.decrypt(1, raw)
	if err != nil {
		return fmt.Errorf("read pages of %q: SQLite's header: %w", p.path, err)
	}
	if r := int(page[20]); r < p.reserve || pageSize-r < 480 {
		return fmt.Errorf("read pages of %q: SQLite's header names a reserve of %d bytes: %w", p.path, r, errPageAuth)
	}
	p.btreeReserve = int(page[20])
	p.headerPages = binary.BigEndian.Uint32(page[28:])
	return nil
}

// decrypt checks a raw page's HMAC and decrypts it. The result is the page
// as SQLite sees it, without the reserve; page 1 starts with SQLite's
// header string in place of the salt.
func (p *pageFile) decrypt(pgno uint32, raw []byte) ([]byte, error) {
	if len(raw) != pageSize {
		return nil, fmt.Errorf("page %d: %d bytes: %w", pgno, len(raw), errPageAuth)
	}
	off := 0
	if pgno == 1 {
		off = saltSize
	}
	in := raw[off:]
	size := len(in) - p.reserve
	mac := hmac.New(p.newHash, p.hmacKey)
	mac.Write(in[:size+ivSize])
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], pgno)
	mac.Write(n[:])
	if !hmac.Equal(mac.Sum(nil), in[size+ivSize:size+ivSize+p.macSize]) {
		return nil, fmt.Errorf("page %d: %w", pgno, errPageAuth)
	}
	out := make([]byte, pageSize-p.reserve)
	if pgno == 1 {
		copy(out, "SQLite format 3\x00")
	}
	cipher.NewCBCDecrypter(p.block, in[size:size+ivSize]).CryptBlocks(out[off:off+size], in[:size])
	return out, nil
}

// tableRow is one row read from a table leaf page.
type tableRow struct {
	rowid  int64
	values []any // nil, int64, float64, string (TEXT) or []byte (BLOB)
	page   uint32
}

// recordMatch says from a record's serial types whether it is a row of the
// table being looked for.
type recordMatch func(types []uint64) bool

// scanTables reads every page of the file and returns the rows of the table
// leaf pages whose record matches, following overflow chains (a row with
// an overflow page that does not authenticate is left out, and its page
// counted as bad). bad are the pages that do not authenticate, in order.
func (p *pageFile) scanTables(ctx context.Context, match recordMatch) (rows []tableRow, bad []uint32, err error) {
	f, err := os.Open(p.path)
	if err != nil {
		return nil, nil, fmt.Errorf("read pages of %q: %w", p.path, err)
	}
	defer f.Close()
	raw := make([]byte, pageSize)
	read := func(pgno uint32) ([]byte, error) {
		if pgno < 1 || pgno > p.pages {
			return nil, fmt.Errorf("page %d: past the end of the file: %w", pgno, errPageAuth)
		}
		if _, err := f.ReadAt(raw, int64(pgno-1)*pageSize); err != nil {
			return nil, fmt.Errorf("page %d: %w", pgno, err)
		}
		return p.decrypt(pgno, raw)
	}
	badSet := map[uint32]bool{}
	for pgno := uint32(1); pgno <= p.pages; pgno++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		page, err := read(pgno)
		if err != nil {
			if errors.Is(err, errPageAuth) {
				badSet[pgno] = true
				continue
			}
			return nil, nil, fmt.Errorf("read pages of %q: %w", p.path, err)
		}
		hdr := 0
		if pgno == 1 {
			hdr = 100
		}
		if page[hdr] != 0x0D { // a table leaf
			continue
		}
		for _, c := range p.leafCells(page, hdr) {
			types, _, ok := recordHeader(c.local)
			if !ok || !match(types) {
				continue
			}
			payload := c.local
			if c.overflow != 0 {
				if payload, err = p.readOverflow(c, read); err != nil {
					if !errors.Is(err, errPageAuth) {
						return nil, nil, fmt.Errorf("read pages of %q: %w", p.path, err)
					}
					var pe *overflowError
					if errors.As(err, &pe) {
						badSet[pe.pgno] = true
					}
					continue
				}
			}
			vals, ok := decodeRecord(payload)
			if !ok {
				continue
			}
			rows = append(rows, tableRow{rowid: c.rowid, values: vals, page: pgno})
		}
	}
	for pg := uint32(1); pg <= p.pages; pg++ {
		if badSet[pg] {
			bad = append(bad, pg)
		}
	}
	return rows, bad, nil
}

// missing is how many pages SQLite's header names that the file lacks (it
// was cut short).
func (p *pageFile) missing() uint32 {
	if p.headerPages > p.pages {
		return p.headerPages - p.pages
	}
	return 0
}

// leafCell is a cell of a table leaf page.
type leafCell struct {
	rowid    int64
	size     int    // the whole payload
	local    []byte // the part on the page
	overflow uint32 // first overflow page, or 0
}

// leafCells parses the cells of a table leaf page whose b-tree header is at
// hdr. A cell that does not fit the page is skipped.
func (p *pageFile) leafCells(page []byte, hdr int) []leafCell {
	u := p.usable()
	if hdr+8 > len(page) {
		return nil
	}
	n := int(binary.BigEndian.Uint16(page[hdr+3:]))
	var cells []leafCell
	for i := 0; i < n; i++ {
		at := hdr + 8 + 2*i
		if at+2 > len(page) {
			break
		}
		off := int(binary.BigEndian.Uint16(page[at:]))
		if off < hdr+8 || off >= u {
			continue
		}
		size, n1 := varint(page[off:u])
		if n1 == 0 || size > math.MaxInt32 {
			continue
		}
		rowid, n2 := varint(page[off+n1 : u])
		if n2 == 0 {
			continue
		}
		start := off + n1 + n2
		local := p.localSize(int(size))
		end := start + local
		c := leafCell{rowid: int64(rowid), size: int(size)}
		if local < int(size) {
			if end+4 > u {
				continue
			}
			c.overflow = binary.BigEndian.Uint32(page[end:])
		} else if end > u {
			continue
		}
		c.local = page[start:end]
		cells = append(cells, c)
	}
	return cells
}

// localSize is how much of a table leaf cell's payload of size bytes SQLite
// keeps on the page; the rest goes to overflow pages.
func (p *pageFile) localSize(size int) int {
	u := p.usable()
	x := u - 35
	if size <= x {
		return size
	}
	m := (u-12)*32/255 - 23
	k := m + (size-m)%(u-4)
	if k <= x {
		return k
	}
	return m
}

type overflowError struct{ pgno uint32 }

func (e *overflowError) Error() string { return fmt.Sprintf("overflow page %d", e.pgno) }
func (e *overflowError) Unwrap() error { return errPageAuth }

// readOverflow reads a cell's whole payload, following its overflow chain;
// every page of it must authenticate.
func (p *pageFile) readOverflow(c leafCell, read func(uint32) ([]byte, error)) ([]byte, error) {
	payload := make([]byte, 0, c.size)
	payload = append(payload, c.local...)
	seen := map[uint32]bool{}
	for next := c.overflow; len(payload) < c.size; {
		if next == 0 || seen[next] {
			return nil, &overflowError{next}
		}
		seen[next] = true
		page, err := read(next)
		if err != nil {
			if errors.Is(err, errPageAuth) {
				return nil, &overflowError{next}
			}
			return nil, err
		}
		take := min(c.size-len(payload), p.usable()-4)
		payload = append(payload, page[4:4+take]...)
		next = binary.BigEndian.Uint32(page)
	}
	return payload, nil
}

// varint reads an SQLite varint (big-endian, 7 bits a byte, the ninth byte
// whole); n is 0 when b ends first.
func varint(b []byte) (v uint64, n int) {
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, 9
}

// recordHeader reads the serial types of a record, and the header's size.
func recordHeader(rec []byte) (types []uint64, size int, ok bool) {
	hs, n := varint(rec)
	if n == 0 || hs > uint64(len(rec)) || int(hs) < n {
		return nil, 0, false
	}
	for at := n; at < int(hs); {
		t, m := varint(rec[at:hs])
		if m == 0 || t == 10 || t == 11 {
			return nil, 0, false
		}
		types = append(types, t)
		at += m
	}
	return types, int(hs), true
}

// serialSize is how many bytes a value of serial type t takes.
func serialSize(t uint64) int {
	switch {
	case t <= 4:
		return int(t)
	case t == 5:
		return 6
	case t == 6, t == 7:
		return 8
	case t >= 12:
		return int((t - 12) / 2)
	}
	return 0
}

// decodeRecord decodes a whole record.
func decodeRecord(rec []byte) ([]any, bool) {
	types, at, ok := recordHeader(rec)
	if !ok {
		return nil, false
	}
	vals := make([]any, len(types))
	for i, t := range types {
		n := serialSize(t)
		if at+n > len(rec) {
			return nil, false
		}
		b := rec[at : at+n]
		at += n
		switch {
		case t == 0:
			vals[i] = nil
		case t >= 1 && t <= 6:
			v := int64(int8(b[0])) // sign from the first byte
			for _, c := range b[1:] {
				v = v<<8 | int64(c)
			}
			vals[i] = v
		case t == 7:
			vals[i] = math.Float64frombits(binary.BigEndian.Uint64(b))
		case t == 8:
			vals[i] = int64(0)
		case t == 9:
			vals[i] = int64(1)
		case t%2 == 0:
			vals[i] = bytes.Clone(b)
		default:
			vals[i] = string(b)
		}
	}
	return vals, at == len(rec)
}

// The serial types of the attempts table's columns, in their order: the id
// (the rowid, stored as NULL), then one kind per column. A REAL column whose
// value is whole is stored as an integer.
var attemptsShape = []func(t uint64) bool{
	isNull, isInt, isText, isText, isText, isInt, isText, isInt, isNumber, isInt,
	isBytes, isText, orNull(isBytes), isText, orNull(isBytes), isText, isInt,
}

func isNull(t uint64) bool   { return t == 0 }
func isInt(t uint64) bool    { return (t >= 1 && t <= 6) || t == 8 || t == 9 }
func isNumber(t uint64) bool { return isInt(t) || t == 7 }
func isText(t uint64) bool   { return t >= 13 && t%2 == 1 }
func isBytes(t uint64) bool  { return t >= 12 }
func orNull(f func(uint64) bool) func(uint64) bool {
	return func(t uint64) bool { return t == 0 || f(t) }
}

// isAttemptRecord says whether a record has the shape of a row of attempts.
func isAttemptRecord(types []uint64) bool {
	if len(types) != len(attemptsShape) {
		return false
	}
	for i, ok := range attemptsShape {
		if !ok(types[i]) {
			return false
		}
	}
	return true
}

// attemptRecord lets scanAttempt read a row of attempts found by the page
// scan, in the order of salvageAttemptCols.
type attemptRecord struct {
	rowid  int64
	values []any
}

// attemptRecordCols are the record's columns in salvageAttemptCols' order
// (-1: the rowid; -2: the constant 0).
var attemptRecordCols = []int{-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, -2}

func (r attemptRecord) Scan(dest ...any) error {
	if len(dest) != len(attemptRecordCols) {
		return fmt.Errorf("scan a found answer: %d columns, want %d", len(dest), len(attemptRecordCols))
	}
	for i, d := range dest {
		var v any
		switch c := attemptRecordCols[i]; c {
		case -1:
			v = r.rowid
		case -2:
			v = int64(0)
		default:
			v = r.values[c]
		}
		if err := assignValue(d, v); err != nil {
			return fmt.Errorf("scan a found answer, column %d: %w", i, err)
		}
	}
	return nil
}

// assignValue stores a decoded value as database/sql would for the
// destinations scanAttempt uses.
func assignValue(dest, v any) error {
	switch d := dest.(type) {
	case *int64:
		if n, ok := v.(int64); ok {
			*d = n
			return nil
		}
	case *int:
		if n, ok := v.(int64); ok {
			*d = int(n)
			return nil
		}
	case *bool:
		if n, ok := v.(int64); ok {
			*d = n != 0
			return nil
		}
	case *float64:
		switch n := v.(type) {
		case int64:
			*d = float64(n)
			return nil
		case float64:
			*d = n
			return nil
		}
	case *string:
		switch s := v.(type) {
		case string:
			*d = s
			return nil
		case []byte:
			*d = string(s)
			return nil
		}
	case *[]byte:
		switch s := v.(type) {
		case nil:
			*d = nil
			return nil
		case []byte:
			*d = s
			return nil
		case string:
			*d = []byte(s)
			return nil
		}
	}
	return fmt.Errorf("cannot store %T in %T", v, dest)
}
