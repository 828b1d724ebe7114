// A fixture the constant-time lint must reject (ctest expects that run to fail).
#include <cstring>
#include <string>

bool leaky(const std::string& digest, const std::string& presented) {
  return digest == presented;  // an early-exit compare of a digest
}

bool leaky_too(const char* a, const char* b) { return std::memcmp(a, b, 32) == 0; }
