// Cryptographic primitives used by auth: Argon2id password hashes and random tokens
// (libsodium), SM3 digests (OpenSSL) for the audit chain and for storing session tokens.
// Thread-safe after InitCrypto() has been called once at start-up.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace tiaodu::auth {

// Initializes libsodium; call once before any other function here. False on failure.
bool InitCrypto();

// An Argon2id hash string in libsodium's encoded form ("$argon2id$v=19$m=...").
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// n random bytes as lowercase hex (2n characters).
std::string RandomHex(size_t n);

// SM3 digest (GB/T 32905) of data as lowercase hex (64 characters).
std::string Sm3Hex(std::string_view data);

// SHA-256 digest of data as lowercase hex (64 characters), for evidence files' checksums.
std::string Sha256Hex(std::string_view data);

// Standard base64 (with padding) and back; Base64Decode fails on malformed input.
std::string Base64Encode(std::string_view data);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace tiaodu::auth
