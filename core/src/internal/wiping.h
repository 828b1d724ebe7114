// Texts that may hold a secret (a key in a header, a signature base), grown without leaving
// copies behind (finfusion::reserve_wiping) and wiped when done with.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "finfusion/secret.h"

namespace finfusion::internal {

// A text written by appending, grown by reserve_wiping, and wiped when destroyed unless
// taken. The check for room is inline: appending costs what a std::string's does.
class WipingText {
 public:
  WipingText() = default;
  explicit WipingText(std::size_t capacity) { text_.reserve(capacity); }
  WipingText(const WipingText&) = delete;
  WipingText& operator=(const WipingText&) = delete;
  ~WipingText() {
    if (!text_.empty()) sodium_memzero(text_.data(), text_.size());  // most are empty, or taken
  }

  WipingText& append(std::string_view more) {
    room(more.size());
    text_.append(more);
    return *this;
  }
  WipingText& operator+=(std::string_view more) { return append(more); }
  void push_back(char c) {
    room(1);
    text_.push_back(c);
  }
  // `n` more bytes at the end, for the caller to write.
  char* extend(std::size_t n) {
    room(n);
    const std::size_t at = text_.size();
    text_.resize(at + n);
    return text_.data() + at;
  }
  std::size_t size() const noexcept { return text_.size(); }
  std::string_view view() const noexcept { return text_; }
  // The text, for a caller that owns it from here on (this object no longer wipes it).
  std::string take() noexcept { return std::move(text_); }

 private:
  void room(std::size_t extra) {
    if (text_.size() + extra > text_.capacity()) reserve_wiping(text_, extra);
  }
  std::string text_;
};

}  // namespace finfusion::internal
