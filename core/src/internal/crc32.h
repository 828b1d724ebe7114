// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320, initial value
// and final xor 0xFFFFFFFF): the key format's checksum.
#pragma once

#include <cstdint>
#include <string_view>

namespace finfusion::internal {

std::uint32_t crc32(std::string_view bytes) noexcept;

}  // namespace finfusion::internal
