// A byte scan shared by the checks on the per-request paths (header values, target URIs,
// structured-field strings): sixteen bytes at a time on SSE2, a byte at a time elsewhere.
#pragma once

#include <cstddef>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace finfusion::internal {

// No byte is below this (as a signed char): a find_stop that stops at its listed bytes only.
inline constexpr signed char kNothingBelow = -128;

// The offset of the first byte of `text`, from `from`, that is one of `Stops` or, read as a
// signed char, below `below` (below ' ' means a control character or any byte of 0x80 and
// above); text.size() when there is none.
template <char... Stops>
std::size_t find_stop(std::string_view text, std::size_t from, signed char below) noexcept {
  std::size_t i = from;
#ifdef __SSE2__
  const __m128i floor = _mm_set1_epi8(below);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    __m128i hits = _mm_cmplt_epi8(x, floor);
    ((hits = _mm_or_si128(hits, _mm_cmpeq_epi8(x, _mm_set1_epi8(Stops)))), ...);
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
  }
#endif
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<signed char>(c) < below || ((c == Stops) || ...)) return i;
  }
  return text.size();
}

}  // namespace finfusion::internal
