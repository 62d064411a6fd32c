// Keying of Rehearse's SQLCipher connections.
//
// An SQLite auto-extension keys every connection whose URI carries
// rehearse_key, and applies rehearse_hmac (and rehearse_damaged), before
// SQLite reads a page. SQLCipher's own "key" URI parameter cannot carry
// cipher settings, and go-sqlite3 reads the schema before its connect hook
// runs. Everything goes through SQLCipher's public API (sqlite3_key_v2 and
// its pragmas); the page crypto is SQLCipher's own.
//
// sqlite3_key_v2 is weak so that a build against plain SQLite still links;
// rh_install then reports RH_NOT_SQLCIPHER and Open fails closed.

#include <stddef.h>
#include <string.h>

#include "keying.h"

// The few SQLite declarations used here, so that this file builds against
// SQLCipher's header and against go-sqlite3's bundled SQLite alike.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_api_routines sqlite3_api_routines;
typedef const char *sqlite3_filename;
#define SQLITE_OK 0
#define SQLITE_ERROR 1
extern int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **err);
extern char *sqlite3_mprintf(const char *format, ...);
extern int sqlite3_auto_extension(void (*entry)(void));
extern sqlite3_filename sqlite3_db_filename(sqlite3 *db, const char *schema);
extern const char *sqlite3_uri_parameter(sqlite3_filename filename, const char *param);
extern int sqlite3_uri_boolean(sqlite3_filename filename, const char *param, int dflt);

extern int sqlite3_key_v2(sqlite3 *db, const char *schema, const void *key, int n) __attribute__((weak));

static int rh_state = -1; // rh_install's result, once known

// rh_autoext runs inside sqlite3_open_v2 for every new connection, after the
// main database file is opened and before any page of it is read.
static int rh_autoext(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
	(void)api;
	sqlite3_filename f = sqlite3_db_filename(db, "main");
	const char *key = f != NULL ? sqlite3_uri_parameter(f, "rehearse_key") : NULL;
	if (key == NULL) return SQLITE_OK; // not a Rehearse store connection
	const char *hmac = sqlite3_uri_parameter(f, "rehearse_hmac");
	const char *pragma = NULL;
	if (hmac != NULL) {
		if (strcmp(hmac, "HMAC_SHA256") == 0) {
			pragma = "PRAGMA main.cipher_hmac_algorithm = HMAC_SHA256";
		} else if (strcmp(hmac, "HMAC_SHA512") == 0) {
			pragma = "PRAGMA main.cipher_hmac_algorithm = HMAC_SHA512";
		} else {
			*err = sqlite3_mprintf("rehearse: unknown page HMAC %s", hmac);
			return SQLITE_ERROR;
		}
	}
	int rc = sqlite3_key_v2(db, "main", key, (int)strlen(key));
	if (rc != SQLITE_OK) {
		*err = sqlite3_mprintf("rehearse: the key was not applied (%d)", rc);
		return rc;
	}
	if (pragma != NULL && (rc = sqlite3_exec(db, pragma, NULL, NULL, NULL)) != SQLITE_OK) {
		*err = sqlite3_mprintf("rehearse: cannot set the page HMAC (%d)", rc);
		return rc;
	}
	// A damaged store is opened read-only (mode=ro) to save what can be
	// read. SQLite refuses a file shorter than its header says unless the
	// schema is "writable"; with a read-only connection nothing is written.
	if (sqlite3_uri_boolean(f, "rehearse_damaged", 0) &&
	    (rc = sqlite3_exec(db, "PRAGMA writable_schema = 1", NULL, NULL, NULL)) != SQLITE_OK) {
		*err = sqlite3_mprintf("rehearse: cannot open the damaged store (%d)", rc);
		return rc;
	}
	return SQLITE_OK;
}

int rh_install(void) {
	if (rh_state >= 0) return rh_state;
	if (sqlite3_key_v2 == NULL) return rh_state = RH_NOT_SQLCIPHER;
	if (sqlite3_auto_extension((void (*)(void))rh_autoext) != SQLITE_OK) return rh_state = RH_NOT_SQLCIPHER;
	return rh_state = RH_KEYING;
}
