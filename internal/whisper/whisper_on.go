//go:build whisper

package whisper

/*
#cgo LDFLAGS: -lwhisper -lggml -lggml-base -lggml-cpu -lm -lstdc++
#cgo linux LDFLAGS: -fopenmp
#include <stdbool.h>
#include <stdlib.h>
#include <whisper.h>

// rehearse_abort is whisper.cpp's abort callback (whisper_full_params.
// abort_callback, which the Go bindings do not expose). whisper.cpp v1.8.4
// checks it after every encoder pass and after every decoder step, so a
// cancelled transcription stops after at most one encoder pass (about a
// second for tiny on two threads) instead of running to the end of the
// recording.
static bool rehearse_abort(void *flag) {
	return __atomic_load_n((int *)flag, __ATOMIC_RELAXED) != 0;
}

static void rehearse_set_abort(struct whisper_full_params *p, int *flag) {
	p->abort_callback = rehearse_abort;
	p->abort_callback_user_data = flag;
}

static void rehearse_quiet_log(enum ggml_log_level level, const char *text, void *user_data) {
	(void)level; (void)text; (void)user_data;
}

static void rehearse_quiet(void) {
	whisper_log_set(rehearse_quiet_log, NULL);
}
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	wcpp "github.com/ggerganov/whisper.cpp/bindings/go"

	"github.com/rehearse-app/rehearse/internal/ggml"
	"github.com/rehearse-app/rehearse/internal/rehearse"
)

// Available reports whether whisper.cpp is compiled into this program.
func Available() bool { return true }

// Version is the version of the whisper.cpp library linked in.
func Version() string { return C.GoString(C.whisper_version()) }

var quietOnce sync.Once

// running serialises every call into whisper.cpp: a whisper context is not
// safe for concurrent use, and the bindings keep their callbacks in
// unsynchronised package maps shared by all contexts.
var running = make(chan struct{}, 1)

func acquire(ctx context.Context) error {
	select {
	case running <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release() { <-running }

// Model is a loaded whisper.cpp model. It implements rehearse.Transcriber;
// its methods may be called from several goroutines (calls run one at a
// time).
type Model struct {
	opt          Options
	path         string
	multilingual bool

	mu  sync.Mutex // guards ctx against Close
	ctx *wcpp.Context
}

var _ rehearse.Transcriber = (*Model)(nil)

// Load checks the model file with internal/ggml and only then hands it to
// whisper.cpp. A malformed file gives an error wrapping rehearse.ErrBadModel.
func Load(path string, opt Options) (*Model, error) {
	if _, err := ggml.ValidateFile(path); err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	quietOnce.Do(func() { C.rehearse_quiet() })
	if err := acquire(context.Background()); err != nil {
		return nil, err
	}
	defer release()
	wctx := wcpp.Whisper_init(path)
	if wctx == nil {
		return nil, fmt.Errorf("load model %q: whisper.cpp could not load it: %w", path, rehearse.ErrBadModel)
	}
	if opt.Name == "" {
		opt.Name = ModelName(path)
	}
	if opt.Threads <= 0 {
		opt.Threads = 2
	}
	return &Model{opt: opt, path: path, ctx: wctx, multilingual: wctx.Whisper_is_multilingual() != 0}, nil
}

// ModelName names the model for Transcript.Source.
func (m *Model) ModelName() string { return m.opt.Name }

// Close frees the model. Calls after Close fail.
func (m *Model) Close() error {
	if err := acquire(context.Background()); err != nil {
		return err
	}
	defer release()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx != nil {
		m.ctx.Whisper_free()
		m.ctx = nil
	}
	return nil
}

// minSamples is the shortest input handed to whisper.cpp; shorter audio is
// padded with silence at the end (whisper.cpp ignores inputs under 100 ms
// and does poorly on very short ones).
const minSamples = rehearse.SampleRate

// Transcribe recognises a. Words carry times in seconds from the start of a,
// normalised to be non-decreasing and within the audio, and the mean
// probability of their tokens.
//
// Cancellation reaches whisper.cpp in two ways: the bindings' encoder-begin
// callback returns false once ctx is done (no new 30-second window starts),
// and an abort callback set on the C parameters reads a flag that
// context.AfterFunc raises; whisper.cpp polls it after each encoder pass and
// each decoder step. Transcribe then returns ctx.Err().
func (m *Model) Transcribe(ctx context.Context, a rehearse.Audio, opt rehearse.TranscribeOptions, progress func(rehearse.TranscribeProgress)) (rehearse.Transcript, error) {
	if err := ctx.Err(); err != nil {
		return rehearse.Transcript{}, err
	}
	dur := a.Duration()
	tr := rehearse.Transcript{Timed: true, DurationS: dur, Source: "whisper:" + m.opt.Name}
	if len(a.Samples) == 0 {
		return tr, nil
	}
	samples := a.Samples
	if len(samples) < minSamples {
		samples = make([]float32, minSamples)
		copy(samples, a.Samples)
	}
	if err := acquire(ctx); err != nil {
		return rehearse.Transcript{}, err
	}
	defer release()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx == nil {
		return rehearse.Transcript{}, errors.New("transcribe: the model is closed")
	}

	params := m.ctx.Whisper_full_default_params(wcpp.SAMPLING_GREEDY)
	threads := opt.Threads
	if threads <= 0 {
		threads = m.opt.Threads
	}
	params.SetThreads(threads)
	params.SetTranslate(false)
	params.SetNoContext(true)
	params.SetSingleSegment(false)
	params.SetPrintSpecial(false)
	params.SetPrintProgress(false)
	params.SetPrintRealtime(false)
	params.SetPrintTimestamps(false)
	params.SetTokenTimestamps(true)
	params.SetMaxSegmentLength(1) // one word per segment (whisper-cli -ml 1 -sow)
	params.SetSplitOnWord(true)
	if opt.MaxTokens > 0 {
		params.SetMaxTokensPerSegment(opt.MaxTokens)
	} else if m.opt.MaxTokensPerSecond > 0 {
		params.SetMaxTokensPerSegment(max(1, int(math.Ceil(dur*m.opt.MaxTokensPerSecond))))
	}
	if m.opt.NoTemperatureFallback {
		params.SetTemperatureFallback(-1)
	}
	if !m.opt.FullAudioContext {
		params.SetAudioCtx(audioCtx(len(samples)))
	}
	lang := opt.Language
	if lang == "" {
		lang = "en"
	}
	if m.multilingual {
		id := m.ctx.Whisper_lang_id(lang)
		if lang == "auto" {
			id = -1
		} else if id < 0 {
			return rehearse.Transcript{}, &rehearse.InputError{Field: "language", Value: lang, Reason: "not a language this model knows"}
		}
		if err := params.SetLanguage(id); err != nil {
			return rehearse.Transcript{}, fmt.Errorf("transcribe: language %q: %w", lang, err)
		}
	}
	// An English-only model ignores the language: it only knows English.

	cp := (*C.struct_whisper_full_params)(unsafe.Pointer(&params))
	prompt := opt.InitialPrompt
	if prompt == "" {
		prompt = DefaultPrompt
	}
	if prompt != "-" { // "-" asks for no prompt at all
		cPrompt := C.CString(prompt)
		defer C.free(unsafe.Pointer(cPrompt))
		cp.initial_prompt = cPrompt
	}

	flag := (*C.int)(C.malloc(C.size_t(unsafe.Sizeof(C.int(0)))))
	defer C.free(unsafe.Pointer(flag))
	*flag = 0
	C.rehearse_set_abort(cp, flag)
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		atomic.StoreInt32((*int32)(unsafe.Pointer(flag)), 1)
		close(fired)
	})
	defer func() {
		if !stop() {
			<-fired // the flag is written before it is freed
		}
	}()

	total := time.Duration(dur * float64(time.Second))
	var onProgress func(int)
	if progress != nil {
		onProgress = func(pct int) {
			progress(rehearse.TranscribeProgress{Done: total * time.Duration(min(max(pct, 0), 100)) / 100, Total: total})
		}
	}
	encoderBegin := func() bool { return ctx.Err() == nil }
	err := m.ctx.Whisper_full(params, samples, encoderBegin, nil, onProgress)
	if cerr := ctx.Err(); cerr != nil {
		return rehearse.Transcript{}, cerr
	}
	if err != nil {
		return rehearse.Transcript{}, fmt.Errorf("transcribe with %s: %w", m.opt.Name, err)
	}
	tr.Words = m.words(dur)
	tr.Text = rehearse.JoinWords(tr.Words)
	if progress != nil {
		progress(rehearse.TranscribeProgress{Done: total, Total: total})
	}
	return tr, nil
}

// audioCtx is the encoder context (in 20 ms frames, 1500 = 30 s) for n
// samples: the audio's length plus a margin of about 2.5 s, at least 10 s,
// rounded up to a multiple of 64.
func audioCtx(n int) int {
	frames := n/(rehearse.SampleRate/50) + 128
	frames = max(frames, 512)
	frames = (frames + 63) / 64 * 64
	if frames >= 1500 {
		return 0
	}
	return frames
}

// words assembles the text tokens of the last result into words: a token
// starting with a space begins a new word; special tokens ([_BEG_],
// timestamps, end-of-text ...) are skipped.
func (m *Model) words(dur float64) []rehearse.Word {
	eot := int(m.ctx.Whisper_token_eot())
	var out []rehearse.Word
	var cur *rehearse.Word
	var psum float64
	var pn int
	flush := func() {
		if cur == nil {
			return
		}
		cur.Text = strings.TrimSpace(cur.Text)
		if cur.Text != "" {
			cur.P = psum / float64(pn)
			out = append(out, *cur)
		}
		cur = nil
	}
	nseg := m.ctx.Whisper_full_n_segments()
	for s := 0; s < nseg; s++ {
		for k := 0; k < m.ctx.Whisper_full_n_tokens(s); k++ {
			id := int(m.ctx.Whisper_full_get_token_id(s, k))
			if id >= eot {
				continue
			}
			text := m.ctx.Whisper_full_get_token_text(s, k)
			if text == "" {
				continue
			}
			data := m.ctx.Whisper_full_get_token_data(s, k)
			t0, t1 := float64(data.T0())/100, float64(data.T1())/100
			p := float64(m.ctx.Whisper_full_get_token_p(s, k))
			if cur == nil || strings.HasPrefix(text, " ") {
				flush()
				cur = &rehearse.Word{Start: t0, End: t1}
				psum, pn = 0, 0
			}
			cur.Text += text
			cur.End = math.Max(cur.End, t1)
			psum += p
			pn++
		}
		// Each segment holds one word (max_len 1, split on word).
		flush()
	}
	flush()
	return normalise(out, dur)
}

// normalise clamps times into [0, dur], makes starts non-decreasing and
// every end at least its start, and probabilities into [0, 1].
func normalise(ws []rehearse.Word, dur float64) []rehearse.Word {
	clamp := func(v, lo, hi float64) float64 {
		if math.IsNaN(v) || v < lo {
			return lo
		}
		if v > hi {
			return hi
		}
		return v
	}
	prev := 0.0
	for i := range ws {
		w := &ws[i]
		w.Start = clamp(w.Start, prev, dur)
		w.End = clamp(w.End, w.Start, dur)
		w.P = clamp(w.P, 0, 1)
		prev = w.Start
	}
	return ws
}
