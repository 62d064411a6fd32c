package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/rehearse-app/rehearse/internal/atomicfile"
	"github.com/rehearse-app/rehearse/internal/audio"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Format and Version identify the JSON export. Version 2 added recordings;
// version 1 files are still read.
const (
	Format  = "rehearse-export"
	Version = 2
)

// MaxImportBytes bounds an import file, which is read whole: about 90
// minutes of recordings.
const MaxImportBytes = 256 << 20

// pcm16 is the encoding of recordings in an export: audio.PCM16.
const pcm16 = "pcm_s16le"

// attempt is rehearse.Attempt with the analysis as a JSON value instead of
// base64 (the outer field wins over the embedded one), and its recording.
type attempt struct {
	rehearse.Attempt
	Analysis  json.RawMessage `json:"analysis,omitempty"`
	Recording *recording      `json:"recording,omitempty"`
}

// recording is a kept recording: 16 kHz mono, 16-bit little-endian PCM in
// base64 (version 2).
type recording struct {
	SampleRate int    `json:"sample_rate"`
	Encoding   string `json:"encoding"`
	Samples    int    `json:"samples"`
	Data       []byte `json:"data"`
}

// Source is the part of a store that Collect reads.
type Source interface {
	ListSessions(ctx context.Context, f rehearse.SessionFilter) ([]rehearse.SessionSummary, error)
	Session(ctx context.Context, id int64) (*rehearse.Session, error)
	Attempts(ctx context.Context, sessionID int64) ([]rehearse.Attempt, error)
}

// Recordings loads the kept recording of an answer, as a store's
// AttemptAudio does, for WriteJSON.
type Recordings func(ctx context.Context, attemptID int64) (*rehearse.Audio, error)

// Collect reads every session with its answers, oldest first.
func Collect(ctx context.Context, s Source) ([]rehearse.SessionRecord, error) {
	recs, _, err := collect(ctx, s, false)
	return recs, err
}

// collect reads every session; with skip, a session that cannot be read is
// left out and named in lost instead of failing the whole.
func collect(ctx context.Context, s Source, skip bool) (recs []rehearse.SessionRecord, lost []string, err error) {
	var all []rehearse.SessionSummary
	const page = 500
	for off := 0; ; off += page {
		list, err := s.ListSessions(ctx, rehearse.SessionFilter{Limit: page, Offset: off})
		if err != nil {
			return nil, nil, fmt.Errorf("list sessions: %w", err)
		}
		all = append(all, list...)
		if len(list) < page {
			break
		}
	}
	recs = make([]rehearse.SessionRecord, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		sum := all[i]
		rec, err := collectOne(ctx, s, sum.ID)
		if err != nil && skip {
			lost = append(lost, fmt.Sprintf("session %d %q (%d answers): %v", sum.ID, sum.Title, sum.Attempts, err))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, rec)
	}
	sortRecords(recs)
	return recs, lost, nil
}

func collectOne(ctx context.Context, s Source, id int64) (rehearse.SessionRecord, error) {
	sess, err := s.Session(ctx, id)
	if err != nil {
		return rehearse.SessionRecord{}, fmt.Errorf("session %d: %w", id, err)
	}
	atts, err := s.Attempts(ctx, id)
	if err != nil {
		return rehearse.SessionRecord{}, fmt.Errorf("answers of session %d: %w", id, err)
	}
	return rehearse.SessionRecord{Session: *sess, Attempts: atts}, nil
}

func sortRecords(recs []rehearse.SessionRecord) {
	// Oldest first, stable by id for equal times.
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && less(recs[j], recs[j-1]); j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

func less(a, b rehearse.SessionRecord) bool {
	if !a.Session.CreatedAt.Equal(b.Session.CreatedAt) {
		return a.Session.CreatedAt.Before(b.Session.CreatedAt)
	}
	return a.Session.ID < b.Session.ID
}

// WriteJSON writes the records as a JSON export (the current version). The
// recording of an answer comes from its record's Recordings or, when load is
// not nil and the answer has one, from load; they are written one at a time,
// so an export never holds more than one recording in memory. A nil load
// leaves recordings out.
func WriteJSON(ctx context.Context, w io.Writer, recs []rehearse.SessionRecord, now time.Time, load Recordings) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	// The layout is that of one json.Encoder with a two-space indent and no
	// HTML escaping, written piece by piece.
	var buf bytes.Buffer
	put := func(prefix string, v any) error {
		buf.Reset()
		enc := json.NewEncoder(&buf)
		enc.SetIndent(prefix, "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	at, err := json.Marshal(now.UTC())
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"exported_at\": %s,\n  \"sessions\": [", Format, Version, at)
	for i, r := range recs {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    {\n      \"session\": ")
		if err := put("      ", r.Session); err != nil {
			return err
		}
		bw.WriteString(",\n      \"attempts\": [")
		for j, a := range r.Attempts {
			out, err := exportAttempt(ctx, r, j, load)
			if err != nil {
				return fmt.Errorf("session %d answer %d: %w", r.Session.ID, a.ID, err)
			}
			if j > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n        ")
			if err := put("        ", out); err != nil {
				return err
			}
		}
		if len(r.Attempts) > 0 {
			bw.WriteString("\n      ")
		}
		bw.WriteString("]")
		if rep := interviewReport(recs, i); rep != nil {
			bw.WriteString(",\n      \"interview_report\": ")
			if err := put("      ", rep); err != nil {
				return err
			}
		}
		bw.WriteString("\n    }")
	}
	if len(recs) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// exportAttempt is answer j of r as written in the export.
func exportAttempt(ctx context.Context, r rehearse.SessionRecord, j int, load Recordings) (attempt, error) {
	a := r.Attempts[j]
	out := attempt{Attempt: a}
	if len(a.Analysis) > 0 {
		if !json.Valid(a.Analysis) {
			return out, errors.New("the stored analysis is not JSON")
		}
		out.Analysis = json.RawMessage(a.Analysis)
	}
	rec := r.Recordings[j]
	if rec == nil && a.HasAudio && load != nil {
		var err error
		rec, err = load(ctx, a.ID)
		if errors.Is(err, rehearse.ErrNotFound) {
			rec = nil // deleted since the list was read
		} else if err != nil {
			return out, err
		}
	}
	out.HasAudio = rec != nil
	if rec != nil {
		out.Recording = &recording{SampleRate: rehearse.SampleRate, Encoding: pcm16,
			Samples: len(rec.Samples), Data: audio.PCM16(*rec)}
	}
	return out, nil
}

// ReadJSON reads and fully validates a JSON export. Problems are reported as
// *rehearse.InputError naming the line and the field.
func ReadJSON(r io.Reader) ([]rehearse.SessionRecord, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read export: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, &rehearse.InputError{Field: "file", Reason: fmt.Sprintf("larger than %d MiB", MaxImportBytes>>20)}
	}
	p := &parser{data: data}
	if err := p.checkSizes(); err != nil {
		return nil, err
	}
	return p.parse()
}

type parser struct {
	data    []byte
	version int
}

func (p *parser) line(off int64) int {
	if off > int64(len(p.data)) {
		off = int64(len(p.data))
	}
	return 1 + bytes.Count(p.data[:off], []byte("\n"))
}

// fail reports a problem at off. The field name is quoted: part of it may
// come from the file (an unknown key), and is then shown escaped.
func (p *parser) fail(off int64, field, value, reason string) error {
	return &rehearse.InputError{Field: fmt.Sprintf("line %d: field %q", p.line(off), field), Value: value, Reason: reason}
}

// decodeErr turns a json error into an InputError. at is where the value
// being decoded starts; base is what the error's own offsets are relative to
// (0 for the decoder over the whole file, at for one over a part).
func (p *parser) decodeErr(base, at int64, field string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return p.fail(base+se.Offset, field, "", "malformed JSON: "+se.Error())
	case errors.As(err, &te):
		f := field
		if te.Field != "" {
			f += "." + strings.TrimPrefix(strings.ReplaceAll(te.Field, "Attempt.", ""), "Attempt")
		}
		return p.fail(base+te.Offset, f, "", fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return p.fail(int64(len(p.data)), field, "", "the file ends too early")
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		// Point at the unknown key itself.
		if i := bytes.Index(p.data[at:], []byte(name+":")); i >= 0 {
			at += int64(i)
		} else if i := bytes.Index(p.data[at:], []byte(name)); i >= 0 {
			at += int64(i)
		}
		uq := strings.Trim(name, `"`)
		return p.fail(at, field+"."+uq, "", "unknown field")
	}
	return p.fail(at, field, "", msg)
}

// skipSpace moves off past blanks and commas to the start of the next value.
func (p *parser) skipSpace(off int64) int64 {
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *parser) parse() ([]rehearse.SessionRecord, error) {
	dec := json.NewDecoder(bytes.NewReader(p.data))
	tok, err := dec.Token()
	if err != nil {
		return nil, p.decodeErr(0, 0, "export", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.fail(0, "export", "", "not a Rehearse export: want a JSON object")
	}
	var (
		format     string
		version    int
		seen             = map[string]int64{}
		sessionsAt int64 = -1
		rawSess    []struct {
			off int64
			raw json.RawMessage
		}
	)
	for dec.More() {
		keyOff := p.skipSpace(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, p.decodeErr(0, keyOff, "export", err)
		}
		key, _ := tok.(string)
		if _, dup := seen[key]; dup {
			return nil, p.fail(keyOff, key, "", "appears twice")
		}
		seen[key] = keyOff
		valOff := p.skipSpace(dec.InputOffset())
		switch key {
		case "format":
			if err := dec.Decode(&format); err != nil {
				return nil, p.decodeErr(0, valOff, "format", err)
			}
			if format != Format {
				return nil, p.fail(valOff, "format", format, "not a Rehearse export (want \""+Format+"\")")
			}
		case "version":
			if err := dec.Decode(&version); err != nil {
				return nil, p.decodeErr(0, valOff, "version", err)
			}
			if version > Version {
				return nil, p.fail(valOff, "version", fmt.Sprint(version), fmt.Sprintf("made by a newer Rehearse; this one reads version %d", Version))
			}
			if version < 1 {
				return nil, p.fail(valOff, "version", fmt.Sprint(version), fmt.Sprintf("want 1 to %d", Version))
			}
			p.version = version
		case "exported_at":
			var t time.Time
			if err := dec.Decode(&t); err != nil {
				return nil, p.decodeErr(0, valOff, "exported_at", err)
			}
		case "sessions":
			sessionsAt = valOff
			tok, err := dec.Token()
			if err != nil {
				return nil, p.decodeErr(0, valOff, "sessions", err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, p.fail(valOff, "sessions", "", "want a list")
			}
			for dec.More() {
				off := p.skipSpace(dec.InputOffset())
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, p.decodeErr(0, off, fmt.Sprintf("sessions[%d]", len(rawSess)), err)
				}
				rawSess = append(rawSess, struct {
					off int64
					raw json.RawMessage
				}{off, raw})
			}
			if _, err := dec.Token(); err != nil {
				return nil, p.decodeErr(0, p.skipSpace(dec.InputOffset()), "sessions", err)
			}
		default:
			return nil, p.fail(keyOff, key, "", "unknown field")
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.decodeErr(0, p.skipSpace(dec.InputOffset()), "export", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, p.fail(p.skipSpace(dec.InputOffset()), "export", "", "unexpected data after the export")
	}
	for _, f := range []string{"format", "version"} {
		if _, ok := seen[f]; !ok {
			return nil, p.fail(0, f, "", "missing: not a Rehearse export")
		}
	}
	if sessionsAt < 0 {
		return nil, p.fail(0, "sessions", "", "missing")
	}
	recs := make([]rehearse.SessionRecord, 0, len(rawSess))
	for i, rs := range rawSess {
		rec, err := p.session(i, rs.off, rs.raw)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// session validates one session; off is where its JSON starts.
func (p *parser) session(i int, off int64, raw json.RawMessage) (rehearse.SessionRecord, error) {
	field := fmt.Sprintf("sessions[%d]", i)
	var parts struct {
		Session  json.RawMessage   `json:"session"`
		Attempts []json.RawMessage `json:"attempts"`
		// InterviewReport is derived from the answers: not imported.
		InterviewReport json.RawMessage `json:"interview_report"`
	}
	if err := strictDecode(raw, &parts); err != nil {
		return rehearse.SessionRecord{}, p.decodeErr(off, off, field, err)
	}
	if parts.Session == nil {
		return rehearse.SessionRecord{}, p.fail(off, field+".session", "", "missing")
	}
	sOff := off + int64(bytes.Index(raw, parts.Session))
	var rec rehearse.SessionRecord
	if err := strictDecode(parts.Session, &rec.Session); err != nil {
		return rec, p.decodeErr(sOff, sOff, field+".session", err)
	}
	s := &rec.Session
	switch {
	case s.CreatedAt.IsZero():
		return rec, p.fail(sOff, field+".session.created_at", "", "missing")
	case s.Settings.PrepSeconds < 0 || s.Settings.AnswerSeconds < 0:
		return rec, p.fail(sOff, field+".session.settings", "", "negative seconds")
	case s.FinishedAt != nil && s.FinishedAt.Before(s.CreatedAt):
		return rec, p.fail(sOff, field+".session.finished_at", "", "before created_at")
	}
	// Offsets of the attempts inside raw, found in order.
	search := 0
	if at := bytes.Index(raw, []byte(`"attempts"`)); at >= 0 {
		search = at
	}
	for j, ar := range parts.Attempts {
		rel := bytes.Index(raw[search:], ar)
		aOff := off
		if rel >= 0 {
			aOff = off + int64(search+rel)
			search += rel + len(ar)
		}
		a, kept, err := p.attempt(fmt.Sprintf("%s.attempts[%d]", field, j), aOff, ar)
		if err != nil {
			return rec, err
		}
		if kept != nil {
			if rec.Recordings == nil {
				rec.Recordings = map[int]*rehearse.Audio{}
			}
			rec.Recordings[len(rec.Attempts)] = kept
		}
		rec.Attempts = append(rec.Attempts, a)
	}
	return rec, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// attempt validates one answer and decodes its recording, if any.
func (p *parser) attempt(field string, off int64, raw json.RawMessage) (rehearse.Attempt, *rehearse.Audio, error) {
	var a attempt
	if err := strictDecode(raw, &a); err != nil {
		return rehearse.Attempt{}, nil, p.decodeErr(off, off, field, err)
	}
	out := a.Attempt
	switch {
	case out.QuestionText == "":
		return out, nil, p.fail(off, field+".question_text", "", "missing")
	case !out.QuestionType.Valid():
		return out, nil, p.fail(off, field+".question_type", string(out.QuestionType), "want one of behavioral, situational, intro, motivation, technical")
	case out.Status != rehearse.StatusAnalyzed && out.Status != rehearse.StatusPendingTranscription:
		return out, nil, p.fail(off, field+".status", string(out.Status), "want analyzed or pending_transcription")
	case out.Number < 0:
		return out, nil, p.fail(off, field+".number", fmt.Sprint(out.Number), "must not be negative")
	case out.DurationS < 0 || !finite(out.DurationS):
		return out, nil, p.fail(off, field+".duration_s", fmt.Sprint(out.DurationS), "must be zero or more seconds")
	}
	if err := p.transcript(field+".transcript", off, &out.Transcript); err != nil {
		return out, nil, err
	}
	if out.Corrected != nil {
		if err := p.transcript(field+".corrected", off, out.Corrected); err != nil {
			return out, nil, err
		}
	}
	out.Analysis = nil
	if len(a.Analysis) > 0 && !bytes.Equal(bytes.TrimSpace(a.Analysis), []byte("null")) {
		t := bytes.TrimSpace(a.Analysis)
		if t[0] != '{' {
			return out, nil, p.fail(off, field+".analysis", "", "want a JSON object")
		}
		var c bytes.Buffer
		if err := json.Compact(&c, t); err != nil {
			return out, nil, p.fail(off, field+".analysis", "", err.Error())
		}
		out.Analysis = c.Bytes()
	}
	out.ID, out.SessionID = 0, 0
	rec, err := p.recording(field+".recording", off, a.Recording)
	out.HasAudio = rec != nil
	return out, rec, err
}

// recording checks and decodes a kept recording.
func (p *parser) recording(field string, off int64, r *recording) (*rehearse.Audio, error) {
	switch {
	case r == nil:
		return nil, nil
	case p.version < 2:
		return nil, p.fail(off, field, "", fmt.Sprintf("not part of version %d", p.version))
	case r.SampleRate != rehearse.SampleRate:
		return nil, p.fail(off, field+".sample_rate", fmt.Sprint(r.SampleRate), fmt.Sprintf("want %d", rehearse.SampleRate))
	case r.Encoding != pcm16:
		return nil, p.fail(off, field+".encoding", r.Encoding, "want "+pcm16)
	case r.Samples <= 0 || len(r.Data) != 2*r.Samples:
		return nil, p.fail(off, field+".data", "", fmt.Sprintf("%d bytes of PCM for %d samples (want 2 per sample)", len(r.Data), r.Samples))
	}
	a := audio.FromPCM16(r.Data)
	return &a, nil
}

func (p *parser) transcript(field string, off int64, t *rehearse.Transcript) error {
	if t.DurationS < 0 || !finite(t.DurationS) {
		return p.fail(off, field+".duration_s", fmt.Sprint(t.DurationS), "must be zero or more seconds")
	}
	for k, w := range t.Words {
		wf := fmt.Sprintf("%s.words[%d]", field, k)
		switch {
		case w.Start < 0 || w.End < w.Start || !finite(w.Start) || !finite(w.End):
			return p.fail(off, wf, w.Text, fmt.Sprintf("bad timing %g..%g s", w.Start, w.End))
		case w.P < 0 || w.P > 1 || !finite(w.P):
			return p.fail(off, wf+".p", fmt.Sprint(w.P), "want a probability between 0 and 1")
		}
	}
	return nil
}

// WriteFile writes an export to path through write, atomically and readable
// by the user only (see internal/atomicfile). Path "-" writes to stdout
// instead.
func WriteFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	return atomicfile.Write(path, write)
}
