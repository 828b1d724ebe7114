// Runs every case of tests/vectors/{key,scope,hash,time}.json against the core. The
// Python and Node suites run the same files and must get the same answers.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "conformance.h"

using finfusion::conformance::Json;

TEST_CASE("conformance vectors", "[vectors]") {
  for (std::string_view file : finfusion::conformance::kFiles) {
    std::string path = std::string(FINFUSION_VECTORS_DIR) + "/" + std::string(file) + ".json";
    std::ifstream in(path);
    REQUIRE(in);
    Json doc = Json::parse(in);
    REQUIRE(doc.at("version") == 1);
    std::size_t errors = 0;
    for (const Json& c : doc.at("cases")) {
      Json expected = c;
      expected.erase("name");
      expected.erase("input");
      Json got = finfusion::conformance::answer(file, c.at("input"));
      INFO(file << ": " << c.at("name").get<std::string>());
      CHECK(got.dump() == expected.dump());
      // A negative case fails as a whole, or holds failed steps (scenarios, sequences).
      std::string dumped = expected.dump();
      if (expected.contains("error") || dumped.find("\"error\"") != std::string::npos ||
          dumped.find("\"allowed\":false") != std::string::npos || dumped.find("\"valid\":false") != std::string::npos) {
        ++errors;
      }
    }
    // Every file carries negative cases.
    INFO(file);
    CHECK(errors >= 5);
  }
}
