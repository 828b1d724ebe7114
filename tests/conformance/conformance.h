// The C++ answers to tests/vectors/*.json: one function per vector file, shared by the
// Catch2 runner (which fails when an answer differs from the file) and by
// tools/gen_vectors (which writes the answers into the files).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace finfusion::conformance {

using Json = nlohmann::ordered_json;

// The vector files the core answers, without ".json".
inline constexpr std::string_view kFiles[] = {"key", "scope", "hash", "time", "create", "ratelimit", "registry", "signing", "webhooks"};

// The outcome of one case: {"expect": value} or {"error": "code"}. An input the runner
// does not understand (unknown op, missing field) is reported as {"bad_case": "why"}.
Json answer(std::string_view file, const Json& input);

}  // namespace finfusion::conformance
