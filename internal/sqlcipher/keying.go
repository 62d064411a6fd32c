package sqlcipher

// #include "keying.h"
import "C"

// pageCrypto describes how pages are encrypted in this process, for `rehearse
// doctor`; it is empty when the keying extension could not be installed.
var pageCrypto string

// installKeying registers keying.c's extension before any store is opened.
// Without it no store key applies and Open fails closed.
func installKeying() {
	if C.rh_install() == C.RH_KEYING {
		pageCrypto = "SQLCipher's own page crypto"
	} else {
		pageCrypto = ""
	}
}
