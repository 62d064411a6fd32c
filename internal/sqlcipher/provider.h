// Results of rh_install (provider.c).
#define RH_INSTALLED 0      // keying extension and reused-context provider
#define RH_KEYING_ONLY 1    // keying extension; SQLCipher's own provider
#define RH_NOT_SQLCIPHER 2  // the linked SQLite is not SQLCipher

int rh_install(int stock_provider);
