#include <catch2/catch.hpp>
#include <string>

#include "finfusion/secret.h"

using finfusion::SecretBytes;

TEST_CASE("SecretBytes copies deeply and compares", "[secret]") {
  SecretBytes a = SecretBytes::FromView("0123456789abcdef");
  SecretBytes b = a;
  CHECK(b.equals(a));
  CHECK(b.data() != a.data());
  b.data()[0] = 'X';
  CHECK_FALSE(b.equals(a));
  CHECK_FALSE(a.equals(std::string_view("0123")));
  CHECK(a.equals(std::string_view("0123456789abcdef")));
}

TEST_CASE("SecretBytes moves leave the source empty", "[secret]") {
  SecretBytes a = SecretBytes::FromView("secret");
  SecretBytes b = std::move(a);
  CHECK(b.view() == "secret");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  SecretBytes c(4);
  c = std::move(b);
  CHECK(c.size() == 6);
}

TEST_CASE("constant_time_equals", "[secret]") {
  CHECK(finfusion::constant_time_equals("", ""));
  CHECK(finfusion::constant_time_equals("abc", "abc"));
  CHECK_FALSE(finfusion::constant_time_equals("abc", "abd"));
  CHECK_FALSE(finfusion::constant_time_equals("abc", "abcd"));
  // Word-wise with a byte tail: a difference in any one bit of any position, every length.
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string a(n, 'k');
    CHECK(finfusion::constant_time_equals(a, std::string(n, 'k')));
    for (std::size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string b = a;
        b[i] = static_cast<char>(b[i] ^ (1 << bit));
        REQUIRE_FALSE(finfusion::constant_time_equals(a, b));
      }
    }
  }
}

TEST_CASE("reserve_wiping keeps the text, grows at least twofold, and moves only when it must", "[secret]") {
  std::string text;
  text.reserve(32);
  text.assign("secret-0123456789");
  const char* before = text.data();
  finfusion::reserve_wiping(text, 10);  // fits: the same buffer
  CHECK(text.data() == before);
  const std::size_t capacity = text.capacity();
  finfusion::reserve_wiping(text, capacity);  // does not fit: a new buffer, the text in it
  CHECK(text == "secret-0123456789");
  CHECK(text.capacity() >= 2 * capacity);
  CHECK(text.data() != before);
  // Each append after a reserve for it fits without the string growing by itself.
  std::string grown;
  for (int i = 0; i < 200; ++i) {
    const std::string piece(static_cast<std::size_t>(i % 37) + 1, static_cast<char>('a' + i % 26));
    finfusion::reserve_wiping(grown, piece.size());
    const std::size_t room = grown.capacity();
    grown.append(piece);
    REQUIRE(grown.capacity() == room);
  }
  CHECK(grown.size() == 3635);
}
