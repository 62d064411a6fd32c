package sqlcipher

// #cgo LDFLAGS: -lcrypto
// #include "provider.h"
import "C"

// pageCrypto describes how pages are encrypted in this process, for `rehearse
// doctor`: SQLCipher's OpenSSL code with contexts reused per connection
// (provider.c), or SQLCipher's own provider, which sets OpenSSL up again for
// every page (another SQLCipher version). Both write the same format.
var pageCrypto string

// stockProvider keeps SQLCipher's own provider. This package's tests set it
// in a child process to prove that both providers read each other's files.
var stockProvider bool

// installCrypto registers provider.c's keying extension, and its provider
// where the SQLCipher version is one it knows, before any store is opened.
// Without the keying extension no store key applies and Open fails closed.
func installCrypto() {
	stock := C.int(0)
	if stockProvider {
		stock = 1
	}
	switch C.rh_install(stock) {
	case C.RH_INSTALLED:
		pageCrypto = "OpenSSL contexts reused per connection"
	case C.RH_KEYING_ONLY:
		pageCrypto = "SQLCipher's OpenSSL provider"
	default:
		pageCrypto = ""
	}
}
