// Keying and page crypto for Rehearse's SQLCipher connections.
//
// Two things happen here, both installed once per process by rh_install:
//
//  1. An SQLite auto-extension keys every connection whose URI carries
//     rehearse_key, and applies rehearse_hmac (and rehearse_damaged), before
//     SQLite reads a page.
//     SQLCipher's own "key" URI parameter cannot carry cipher settings, and
//     go-sqlite3 reads the schema before its connect hook runs.
//
//  2. A crypto provider that keeps OpenSSL contexts per connection.
//     SQLCipher's OpenSSL provider fetches the HMAC algorithm, creates a MAC
//     context, expands the HMAC key and creates a cipher context for every
//     page it encrypts or decrypts. This one computes the same AES-256-CBC
//     and HMAC over the same bytes (the file format is unchanged) and reuses
//     those contexts. Key derivation, sizes and names stay SQLCipher's own.
//
// The SQLCipher entry points are weak so that a build against plain SQLite
// still links; rh_install then reports RH_NOT_SQLCIPHER and Open fails
// closed as before.

#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "provider.h"

// The few SQLite declarations used here, so that this file builds against
// SQLCipher's header and against go-sqlite3's bundled SQLite alike.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_api_routines sqlite3_api_routines;
typedef const char *sqlite3_filename;
#define SQLITE_OK 0
#define SQLITE_ERROR 1
#define SQLITE_NOMEM 7
#define SQLITE_ROW 100
#define SQLITE_OPEN_READWRITE 0x00000002
#define SQLITE_OPEN_CREATE 0x00000004
#define SQLITE_OPEN_FULLMUTEX 0x00010000
extern int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
extern int sqlite3_close(sqlite3 *db);
extern int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **err);
extern int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail);
extern int sqlite3_step(sqlite3_stmt *st);
extern const unsigned char *sqlite3_column_text(sqlite3_stmt *st, int col);
extern int sqlite3_finalize(sqlite3_stmt *st);
extern void *sqlite3_malloc(int n);
extern char *sqlite3_mprintf(const char *format, ...);
extern int sqlite3_auto_extension(void (*entry)(void));
extern sqlite3_filename sqlite3_db_filename(sqlite3 *db, const char *schema);
extern const char *sqlite3_uri_parameter(sqlite3_filename filename, const char *param);
extern int sqlite3_uri_boolean(sqlite3_filename filename, const char *param, int dflt);

// The layout of sqlcipher_provider in SQLCipher 4.5.0 to 4.6.1
// (src/sqlcipher.h); rh_install checks the version before relying on it.
typedef struct {
	int (*activate)(void *ctx);
	int (*deactivate)(void *ctx);
	const char *(*get_provider_name)(void *ctx);
	int (*add_random)(void *ctx, void *buffer, int length);
	int (*random)(void *ctx, void *buffer, int length);
	int (*hmac)(void *ctx, int algorithm, unsigned char *hmac_key, int key_sz, unsigned char *in, int in_sz,
	            unsigned char *in2, int in2_sz, unsigned char *out);
	int (*kdf)(void *ctx, int algorithm, const unsigned char *pass, int pass_sz, unsigned char *salt, int salt_sz,
	           int workfactor, int key_sz, unsigned char *key);
	int (*cipher)(void *ctx, int mode, unsigned char *key, int key_sz, unsigned char *iv, unsigned char *in,
	              int in_sz, unsigned char *out);
	const char *(*get_cipher)(void *ctx);
	int (*get_key_sz)(void *ctx);
	int (*get_iv_sz)(void *ctx);
	int (*get_block_sz)(void *ctx);
	int (*get_hmac_sz)(void *ctx, int algorithm);
	int (*ctx_init)(void **ctx);
	int (*ctx_free)(void **ctx);
	int (*fips_status)(void *ctx);
	const char *(*get_provider_version)(void *ctx);
} rh_provider;

extern int sqlite3_key_v2(sqlite3 *db, const char *schema, const void *key, int n) __attribute__((weak));
extern int sqlcipher_register_provider(rh_provider *p) __attribute__((weak));
extern rh_provider *sqlcipher_get_provider(void) __attribute__((weak));

// ---- keying ---------------------------------------------------------------

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

// ---- page crypto ----------------------------------------------------------

enum { RH_HMACS = 3, RH_MAX_KEY = 64 };

// Indexed by SQLCipher's HMAC algorithm numbers (SQLCIPHER_HMAC_SHA1/256/512).
static const char *const rh_digest[RH_HMACS] = {"SHA1", "SHA256", "SHA512"};
static const size_t rh_hmac_size[RH_HMACS] = {20, 32, 64};

// One per SQLCipher codec context, which belongs to one connection; SQLite
// serialises each connection, so no locking is needed.
typedef struct {
	EVP_CIPHER_CTX *cipher[2]; // [0] decrypts, [1] encrypts (SQLCipher's mode)
	int cipher_key_sz[2];
	unsigned char cipher_key[2][RH_MAX_KEY];
	EVP_MAC_CTX *mac[RH_HMACS];
	int mac_key_sz[RH_HMACS];
	unsigned char mac_key[RH_HMACS][RH_MAX_KEY];
} rh_ctx;

static rh_provider rh_base;   // SQLCipher's OpenSSL provider
static EVP_CIPHER *rh_aes;    // AES-256-CBC
static EVP_MAC *rh_hmac_algo; // HMAC
static sqlite3 *rh_anchor;    // a keyed connection that keeps SQLCipher active
static int rh_state = -1;     // rh_install's result, once known

static int rh_ctx_init(void **ctx) {
	int rc = rh_base.ctx_init(ctx);
	if (rc != SQLITE_OK) return rc;
	rh_ctx *c = OPENSSL_zalloc(sizeof(rh_ctx));
	if (c == NULL) {
		rh_base.ctx_free(ctx);
		return SQLITE_NOMEM;
	}
	for (int i = 0; i < 2; i++) c->cipher_key_sz[i] = -1;
	for (int i = 0; i < RH_HMACS; i++) c->mac_key_sz[i] = -1;
	*ctx = c;
	return SQLITE_OK;
}

static int rh_ctx_free(void **ctx) {
	rh_ctx *c = *ctx;
	if (c != NULL) {
		for (int i = 0; i < 2; i++) EVP_CIPHER_CTX_free(c->cipher[i]);
		for (int i = 0; i < RH_HMACS; i++) EVP_MAC_CTX_free(c->mac[i]);
		OPENSSL_clear_free(c, sizeof(rh_ctx)); // the copies of the keys
		*ctx = NULL;
	}
	return rh_base.ctx_free(ctx);
}

static int rh_same_key(const unsigned char *held, int held_sz, const unsigned char *key, int key_sz) {
	return held_sz == key_sz && CRYPTO_memcmp(held, key, (size_t)key_sz) == 0;
}

static int rh_hmac(void *ctx, int algorithm, unsigned char *hmac_key, int key_sz, unsigned char *in, int in_sz,
                   unsigned char *in2, int in2_sz, unsigned char *out) {
	rh_ctx *c = ctx;
	if (c == NULL || in == NULL || algorithm < 0 || algorithm >= RH_HMACS || key_sz <= 0 || key_sz > RH_MAX_KEY) {
		return SQLITE_ERROR;
	}
	EVP_MAC_CTX *m = c->mac[algorithm];
	if (m == NULL) {
		if ((m = EVP_MAC_CTX_new(rh_hmac_algo)) == NULL) return SQLITE_ERROR;
		c->mac[algorithm] = m;
	}
	if (rh_same_key(c->mac_key[algorithm], c->mac_key_sz[algorithm], hmac_key, key_sz)) {
		// Same key: start again from the stored inner and outer pads.
		if (!EVP_MAC_init(m, NULL, 0, NULL)) return SQLITE_ERROR;
	} else {
		OSSL_PARAM params[] = {
		    OSSL_PARAM_construct_utf8_string("digest", (char *)rh_digest[algorithm], 0),
		    OSSL_PARAM_construct_end(),
		};
		c->mac_key_sz[algorithm] = -1;
		if (!EVP_MAC_init(m, hmac_key, (size_t)key_sz, params)) return SQLITE_ERROR;
		memcpy(c->mac_key[algorithm], hmac_key, (size_t)key_sz);
		c->mac_key_sz[algorithm] = key_sz;
	}
	if (!EVP_MAC_update(m, in, (size_t)in_sz)) return SQLITE_ERROR;
	if (in2 != NULL && !EVP_MAC_update(m, in2, (size_t)in2_sz)) return SQLITE_ERROR;
	size_t n = 0;
	if (!EVP_MAC_final(m, out, &n, rh_hmac_size[algorithm]) || n != rh_hmac_size[algorithm]) return SQLITE_ERROR;
	return SQLITE_OK;
}

static int rh_cipher(void *ctx, int mode, unsigned char *key, int key_sz, unsigned char *iv, unsigned char *in,
                     int in_sz, unsigned char *out) {
	rh_ctx *c = ctx;
	if (c == NULL || (mode != 0 && mode != 1) || key_sz <= 0 || key_sz > RH_MAX_KEY) return SQLITE_ERROR;
	EVP_CIPHER_CTX *e = c->cipher[mode];
	if (e == NULL) {
		if ((e = EVP_CIPHER_CTX_new()) == NULL) return SQLITE_ERROR;
		c->cipher[mode] = e;
	}
	if (rh_same_key(c->cipher_key[mode], c->cipher_key_sz[mode], key, key_sz)) {
		// Same key: keep the expanded key schedule, start from this page's IV.
		if (!EVP_CipherInit_ex2(e, NULL, NULL, iv, mode, NULL)) return SQLITE_ERROR;
	} else {
		c->cipher_key_sz[mode] = -1;
		if (key_sz != EVP_CIPHER_get_key_length(rh_aes)) return SQLITE_ERROR;
		if (!EVP_CipherInit_ex2(e, rh_aes, key, iv, mode, NULL)) return SQLITE_ERROR;
		memcpy(c->cipher_key[mode], key, (size_t)key_sz);
		c->cipher_key_sz[mode] = key_sz;
	}
	if (!EVP_CIPHER_CTX_set_padding(e, 0)) return SQLITE_ERROR;
	int n = 0, tail = 0;
	if (!EVP_CipherUpdate(e, out, &n, in, in_sz)) return SQLITE_ERROR;
	if (!EVP_CipherFinal_ex(e, out + n, &tail)) return SQLITE_ERROR;
	return n + tail == in_sz ? SQLITE_OK : SQLITE_ERROR;
}

// rh_random fills IVs and page reserves. OpenSSL 3's RAND_bytes is safe to
// call from several threads, so SQLCipher's lock around it is not needed.
static int rh_random(void *ctx, void *buffer, int length) {
	(void)ctx;
	return RAND_bytes(buffer, length) == 1 ? SQLITE_OK : SQLITE_ERROR;
}

static int rh_layout_known(sqlite3 *db) {
	sqlite3_stmt *st = NULL;
	int ok = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA cipher_version", -1, &st, NULL) != SQLITE_OK) return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		ok = v != NULL && (strncmp(v, "4.5.", 4) == 0 || strncmp(v, "4.6.", 4) == 0);
	}
	sqlite3_finalize(st);
	return ok;
}

// rh_install_provider replaces SQLCipher's registered OpenSSL provider. The
// anchor connection stays open for the life of the process: SQLCipher frees
// its registered provider when the last keyed connection closes.
static int rh_install_provider(void) {
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return RH_KEYING_ONLY;
	}
	// Keying a database activates SQLCipher, which registers its provider.
	if (sqlite3_key_v2(db, "main", "rehearse", 8) != SQLITE_OK || !rh_layout_known(db)) {
		sqlite3_close(db);
		return RH_KEYING_ONLY;
	}
	rh_provider *base = sqlcipher_get_provider();
	const char *name = base != NULL && base->get_provider_name != NULL ? base->get_provider_name(NULL) : NULL;
	if (name == NULL || strcmp(name, "openssl") != 0) {
		sqlite3_close(db);
		return RH_KEYING_ONLY;
	}
	rh_aes = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
	rh_hmac_algo = EVP_MAC_fetch(NULL, "HMAC", NULL);
	// SQLCipher frees a replaced provider with sqlite3_free.
	rh_provider *p = sqlite3_malloc(sizeof(rh_provider));
	if (rh_aes == NULL || rh_hmac_algo == NULL || p == NULL) {
		EVP_CIPHER_free(rh_aes);
		EVP_MAC_free(rh_hmac_algo);
		rh_aes = NULL;
		rh_hmac_algo = NULL;
		sqlite3_close(db);
		return RH_KEYING_ONLY;
	}
	rh_base = *base;
	*p = rh_base;
	p->ctx_init = rh_ctx_init;
	p->ctx_free = rh_ctx_free;
	p->hmac = rh_hmac;
	p->cipher = rh_cipher;
	p->random = rh_random;
	sqlcipher_register_provider(p);
	rh_anchor = db;
	return RH_INSTALLED;
}

int rh_install(int stock_provider) {
	if (rh_state >= 0) return rh_state;
	if (sqlite3_key_v2 == NULL || sqlcipher_register_provider == NULL || sqlcipher_get_provider == NULL) {
		return rh_state = RH_NOT_SQLCIPHER;
	}
	if (sqlite3_auto_extension((void (*)(void))rh_autoext) != SQLITE_OK) return rh_state = RH_NOT_SQLCIPHER;
	rh_state = stock_provider ? RH_KEYING_ONLY : rh_install_provider();
	return rh_state;
}
