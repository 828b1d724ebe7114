// gen_vectors: keeps tests/vectors/*.json equal to the core's answers.
//
//   gen_vectors --write tests/vectors    rewrite every case's "expect" / "error" from the core
//   gen_vectors --check tests/vectors    exit 1, listing the cases, if any answer differs
//
// Inputs are written by hand; the answers are the core's. A changed answer is therefore a
// visible diff in review, and --check (run by ctest) fails until the file is regenerated.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "conformance.h"

using finfusion::conformance::Json;

namespace {

int run(const std::string& mode, const std::string& dir) {
  int drift = 0;
  for (std::string_view file : finfusion::conformance::kFiles) {
    std::string path = dir + "/" + std::string(file) + ".json";
    std::ifstream in(path);
    if (!in) {
      std::cerr << path << ": cannot open\n";
      return 2;
    }
    Json doc = Json::parse(in);
    Json cases = Json::array();
    for (const Json& c : doc.at("cases")) {
      Json got = finfusion::conformance::answer(file, c.at("input"));
      if (got.contains("bad_case")) {
        std::cerr << path << ": case " << c.at("name") << ": " << got["bad_case"] << "\n";
        return 2;
      }
      Json rebuilt = Json::object();
      rebuilt["name"] = c.at("name");
      rebuilt["input"] = c.at("input");
      for (auto& [k, v] : got.items()) rebuilt[k] = v;
      Json old_answer = c;
      old_answer.erase("name");
      old_answer.erase("input");
      if (old_answer != got) {
        ++drift;
        if (mode == "--check") {
          std::cerr << path << ": case " << c.at("name") << ": file has " << old_answer.dump()
                    << ", core answers " << got.dump() << "\n";
        }
      }
      cases.push_back(std::move(rebuilt));
    }
    if (mode == "--write") {
      doc["cases"] = cases;
      std::ofstream(path) << doc.dump(2) << "\n";
    }
  }
  if (mode == "--check") {
    if (drift) {
      std::cerr << drift << " case(s) differ; run gen_vectors --write after checking them\n";
      return 1;
    }
    std::cout << "vectors in sync with the core\n";
  } else {
    std::cout << "wrote answers (" << drift << " changed)\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "--write" && std::string(argv[1]) != "--check")) {
    std::cerr << "usage: gen_vectors --write|--check <tests/vectors>\n";
    return 2;
  }
  try {
    return run(argv[1], argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "gen_vectors: " << e.what() << "\n";
    return 2;
  }
}
