// finfusion/version.h - the library version (the repository's VERSION file).
//
//   std::string_view v = finfusion::version();   // "0.1.0"
#pragma once

#include <string_view>

namespace finfusion {

std::string_view version() noexcept;

}  // namespace finfusion
