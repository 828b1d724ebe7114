// What several test files build the same way.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "finfusion/hash.h"
#include "finfusion/vault.h"
#include "finfusion/secret.h"

namespace finfusion::testing {

// A hasher with one fixed pepper "p1": stored hashes are reproducible from run to run.
inline hashing::Hasher fixed_hasher() {
  return *hashing::Hasher::Create({{"p1", SecretBytes::FromView(std::string(32, '\x07'))}}, "p1");
}

// Master keys for sealed secrets: "m1" (and "m2", current when `rotated`).
inline vault::MasterKeys fixed_masters(bool rotated = false) {
  std::vector<std::pair<std::string, SecretBytes>> keys;
  keys.emplace_back("m1", SecretBytes::FromView(std::string(32, '\x11')));
  if (rotated) keys.emplace_back("m2", SecretBytes::FromView(std::string(32, '\x22')));
  return *vault::MasterKeys::Create(std::move(keys), rotated ? "m2" : "m1");
}

// A file of tests/vectors/external, parsed.
inline nlohmann::json load_external(const std::string& name) {
  std::ifstream in(std::string(FINFUSION_VECTORS_DIR) + "/external/" + name);
  if (!in) throw std::runtime_error("cannot open external vector file " + name);
  return nlohmann::json::parse(in);
}

// Bytes from hex text.
inline std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace finfusion::testing
