// Package archive writes and reads Rehearse's exports: every session with its
// answers as versioned JSON (which Rehearse can import again) or as Markdown
// for people to read.
//
// # JSON export schema, version 2
//
//	{
//	  "format": "rehearse-export",        // always this string
//	  "version": 2,                       // schema version; 1 is read too, a newer one is refused
//	  "exported_at": "RFC 3339 time",
//	  "sessions": [                       // oldest first
//	    {
//	      "session": {
//	        "id": 1,                      // informational; import assigns new ids
//	        "title": "Backend engineer",
//	        "job_description": "...",     // optional
//	        "settings": {"question_ids": ["..."], "prep_seconds": 30, "answer_seconds": 120,
//	                     "keep_recordings": false, "fluency_metrics": true,
//	                     "mode": "interview",     // optional: absent for practice sessions
//	                     "follow_ups": [{"question_id": "beh-01", "rule": "followup.result",
//	                                     "text": "What was the outcome?"}]},   // interview only
//	        "created_at": "RFC 3339", "updated_at": "RFC 3339",
//	        "finished_at": "RFC 3339"     // optional
//	      },
//	      "attempts": [                   // the answers, in the order given
//	        {
//	          "id": 7, "session_id": 1,   // informational
//	          "question_id": "beh-01",    // optional (custom questions may have none)
//	          "question_text": "Tell me about a time ...",   // required
//	          "question_type": "behavioral",  // behavioral|situational|intro|motivation|technical
//	          "number": 1,                // retake number, >= 1
//	          "status": "analyzed",       // analyzed|pending_transcription
//	          "started_at": "RFC 3339", "duration_s": 62.5,
//	          "latency_known": true,      // optional
//	          "transcript": {"text": "...", "words": [{"text": "So", "start": 0.4, "end": 0.6, "p": 0.93}],
//	                         "timed": true, "duration_s": 62.5, "source": "whisper:base.en"},
//	          "corrected": { ...same shape as transcript... },   // optional: the user's correction
//	          "analysis": { ... },        // optional: the feedback result as a JSON object
//	          "rulebook_version": "1",    // optional
//	          "created_at": "RFC 3339",
//	          "has_audio": true,          // informational: whether a recording follows
//	          "recording": {              // optional, version 2: a kept recording
//	            "sample_rate": 16000,     // always 16000 (mono)
//	            "encoding": "pcm_s16le",  // signed 16-bit little-endian samples
//	            "samples": 992000,        // the number of samples
//	            "data": "base64..."       // 2 × samples bytes, base64 (RFC 4648)
//	          }
//	        }
//	      ],
//	      "interview_report": { ... }     // interview sessions only: the end-of-interview report
//	    }
//	  ]
//	}
//
// This is rehearse.SessionRecord as JSON, with one difference: "analysis" is
// the feedback JSON object itself rather than base64 text, and "recording"
// holds the answer's kept recording. An interview's answer to a follow-up
// question has the main question's id with "#follow-up" appended.
// "interview_report" is the end-of-interview report (see package
// interview), rebuilt from the answers with the built-in rulebook when the
// export is written; an import ignores it (the report is rebuilt from the
// answers whenever it is shown).
// Version 1 (before recordings) is the same without "recording". An export
// holds one recording in memory at a time while it writes; an import reads
// the whole file (at most MaxImportBytes) and stores each recording with its
// answer.
//
// Import reads the whole file and validates all of it before anything is
// stored: unknown fields, a wrong format or version, a missing question,
// an unknown question type or status, negative or non-finite times, and
// analysis that is not a JSON object are refused with the line and field
// named, the field name quoted. Before any of that, a text value longer than
// MaxTextBytes or a recording longer than MaxRecordingBytes is refused by
// name, so a crafted file cannot make the import take many times its size
// in memory. Import then adds, in one transaction, every session the store
// does not hold yet (a session with the same start, title and answers is
// counted as already present), or none.
package archive
