// Results of rh_install (keying.c).
#define RH_KEYING 0         // the keying extension is installed
#define RH_NOT_SQLCIPHER 1  // the linked SQLite is not SQLCipher

int rh_install(void);
