// Package promises holds the end-to-end checks of the promises Rehearse makes
// to the people who use it (see PRIVACY.md):
//
//   - nothing leaves the computer except an explicit, user-started speech model
//     download (the import graph and an offline run in an empty network
//     namespace);
//   - nothing personal is written in plaintext: answers, transcripts and
//     recordings appear only in the encrypted database and in exports the user
//     asked for (canary phrases searched for in every file a run leaves);
//   - what was reported saved survives a crash (the command line killed with
//     SIGKILL while it saves), a full disk, a read-only data folder, a second
//     running copy and a keyring that refuses;
//   - every parser of outside input survives fuzzing.
//
// The package has no code of its own beyond these checks: its tests build
// and run the real rehearse binary against real SQLCipher files.
package promises
