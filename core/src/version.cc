#include "finfusion/version.h"

namespace finfusion {

std::string_view version() noexcept { return FINFUSION_VERSION_STRING; }

}  // namespace finfusion
