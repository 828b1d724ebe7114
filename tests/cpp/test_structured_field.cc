// RFC 8941 parsing and serialisation: the RFC's own examples, canonical round trips, and
// every class of malformed input refused with invalid_request.
#include <catch2/catch.hpp>
#include <string>

#include "finfusion/structured_field.h"

namespace sf = finfusion::sf;
using finfusion::Code;

namespace {
std::string dict_round_trip(const std::string& text) {
  auto d = sf::parse_dictionary(text);
  REQUIRE(d.ok());
  auto out = sf::serialize(*d);
  REQUIRE(out.ok());
  // The canonical form parses to the same value.
  auto again = sf::parse_dictionary(*out);
  REQUIRE(again.ok());
  CHECK(*again == *d);
  return *out;
}
std::string list_round_trip(const std::string& text) {
  auto l = sf::parse_list(text);
  REQUIRE(l.ok());
  auto out = sf::serialize(*l);
  REQUIRE(out.ok());
  auto again = sf::parse_list(*out);
  REQUIRE(again.ok());
  CHECK(*again == *l);
  return *out;
}
}  // namespace

TEST_CASE("structured field values: items of every type", "[sf]") {
  auto item = sf::parse_item("  42;a=1;b  ");
  REQUIRE(item.ok());
  CHECK(std::get<std::int64_t>(item->value) == 42);
  REQUIRE(item->params.size() == 2);
  CHECK(std::get<bool>(*sf::find(item->params, "b")));
  CHECK(*sf::serialize(*item) == "42;a=1;b");

  CHECK(std::get<sf::Decimal>(sf::parse_item("-1.5")->value).thousandths == -1500);
  CHECK(*sf::serialize(*sf::parse_item("4.500")) == "4.5");
  CHECK(*sf::serialize(*sf::parse_item("0.0")) == "0.0");
  CHECK(std::get<std::string>(sf::parse_item(R"("a \"q\" \\ b")")->value) == "a \"q\" \\ b");
  CHECK(*sf::serialize(*sf::parse_item(R"("a \"q\" \\ b")")) == R"("a \"q\" \\ b")");
  CHECK(std::get<sf::Token>(sf::parse_item("foo/bar:baz*")->value).value == "foo/bar:baz*");
  CHECK(std::get<sf::ByteSequence>(sf::parse_item(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:")->value).bytes ==
        "pretend this is binary content.");
  CHECK(std::get<sf::ByteSequence>(sf::parse_item("::")->value).bytes.empty());
  CHECK(std::get<bool>(sf::parse_item("?0")->value) == false);
  CHECK(std::get<std::int64_t>(sf::parse_item("-999999999999999")->value) == -999999999999999);
}

TEST_CASE("structured field values: lists and dictionaries as RFC 8941 writes them", "[sf]") {
  CHECK(list_round_trip("sugar, tea, rum") == "sugar, tea, rum");
  CHECK(list_round_trip("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()") ==
        "(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()");
  CHECK(list_round_trip("(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1") ==
        "(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1");
  CHECK(list_round_trip("abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w") ==
        "abc;a=1;b=2;cde_456, (ghi;jk=4 l);q=\"9\";r=w");
  CHECK(list_round_trip("1,\t2 ,3") == "1, 2, 3");
  CHECK(list_round_trip("").empty());
  CHECK(dict_round_trip("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:") == "en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:");
  CHECK(dict_round_trip("a=?0, b, c; foo=bar") == "a=?0, b, c;foo=bar");
  CHECK(dict_round_trip("rating=1.5, feelings=(joy sadness)") == "rating=1.5, feelings=(joy sadness)");
  CHECK(dict_round_trip("a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid") == "a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid");
  // RFC 9421 section 2.1's Example-Dict, canonicalised.
  CHECK(dict_round_trip("  a=1,    b=2;x=1;y=2,   c=(a   b   c)") == "a=1, b=2;x=1;y=2, c=(a b c)");
  // A member whose value is true is written without "=?1".
  CHECK(dict_round_trip("a=?1") == "a");
}

TEST_CASE("structured field values: malformed input is invalid_request, never a crash", "[sf]") {
  const char* bad_dicts[] = {
      "a=1, a=2",          // duplicate key (RFC 8941 keeps the last; we refuse)
      "a=1;x;x",           // duplicate parameter
      "A=1",               // key must start lowercase
      "a=1,",              // trailing comma
      "a=1 b=2",           // missing comma
      "a=(1 2",            // unterminated inner list
      "a=(1 2)x",          // junk after inner list
      "a=\"unterminated",  // string
      "a=\"bad \\n escape\"",
      "a=:not base64!:",
      "a=:YQ:",            // missing padding
      "a=:YR==:",          // non-zero pad bits
      "a=?2",
      "a=1234567890123456",  // 16 digits
      "a=1234567890123.5",   // 13 integer digits in a decimal
      "a=1.2345",
      "a=1.",
      "a=-",
      "a=@date",             // RFC 9651 dates are not RFC 8941
      "a=%\"display\"",
      "a=\"caf\xc3\xa9\"",   // non-ASCII in a string
      ",a=1",
  };
  for (const char* text : bad_dicts) {
    INFO(text);
    auto d = sf::parse_dictionary(text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.code() == Code::kInvalidRequest);
  }
  CHECK_FALSE(sf::parse_item("1 2").ok());
  CHECK_FALSE(sf::parse_item("").ok());
  CHECK_FALSE(sf::parse_list("(a b), ").ok());
  CHECK_FALSE(sf::parse_list("a,,b").ok());
  // A bound before work.
  std::string huge(sf::kMaxFieldBytes + 1, 'a');
  CHECK(sf::parse_list(huge).code() == Code::kInvalidRequest);
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "a,";
  many += "a";
  CHECK(sf::parse_list(many).ok());  // long but within the bound
  // Deep nesting is impossible by grammar: inner lists hold items only.
  CHECK_FALSE(sf::parse_list("((a))").ok());
}

TEST_CASE("structured field values: a byte in a string or byte sequence, at every length and position", "[sf]") {
  // Strings are read sixteen bytes at a time where they can be, byte sequences decoded up to
  // the closing ':' in one pass: each byte that ends or spoils one must count wherever it is.
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      INFO(length << " " << at);
      std::string value(length, 'x');
      for (const char fine : {' ', '~', '\'', '*'}) {
        value[at] = fine;
        auto item = sf::parse_item("\"" + value + "\"");
        REQUIRE(item.ok());
        CHECK(std::get<std::string>(item->value) == value);
      }
      for (const char bad : {'"', '\\', '\0', '\x1f', '\x7f', '\x80', '\xff', '\t'}) {
        value[at] = bad;
        INFO(static_cast<int>(static_cast<unsigned char>(bad)));
        CHECK(sf::parse_item("\"" + value + "\"").code() == Code::kInvalidRequest);
      }
      for (const char escaped : {'"', '\\'}) {  // written escaped, read as the byte
        value[at] = escaped;
        auto item = sf::parse_item("\"" + value.substr(0, at) + "\\" + value.substr(at) + "\"");
        REQUIRE(item.ok());
        CHECK(std::get<std::string>(item->value) == value);
      }
      std::string digits(length % 4 == 1 ? length + 3 : length + (4 - length % 4) % 4, 'A');  // whole quanta of 'A'
      REQUIRE(sf::parse_item(":" + digits + ":").ok());
      for (const char bad : {'!', ' ', '"', '-', '_', '\0', '\x80', '='}) {
        if (bad == '=' && at + 1 == digits.size()) continue;  // padding there is fine ("AAA=")
        std::string spoiled = digits;
        spoiled[at] = bad;
        INFO(static_cast<int>(static_cast<unsigned char>(bad)));
        CHECK(sf::parse_item(":" + spoiled + ":").code() == Code::kInvalidRequest);
      }
      CHECK(sf::parse_item(":" + digits).code() == Code::kInvalidRequest);  // unterminated
    }
  }
}

TEST_CASE("structured field values: values that cannot be written are refused", "[sf]") {
  CHECK(sf::serialize(sf::Item{std::int64_t{1000000000000000}, {}}).code() == Code::kInvalidRequest);
  CHECK(sf::serialize(sf::Item{sf::Token{"1abc"}, {}}).code() == Code::kInvalidRequest);
  CHECK(sf::serialize(sf::Item{std::string("line\nbreak"), {}}).code() == Code::kInvalidRequest);
  CHECK(sf::serialize(sf::Item{true, {{"Upper", true}}}).code() == Code::kInvalidRequest);
  CHECK(sf::serialize(sf::Item{true, {{"a", true}, {"a", false}}}).code() == Code::kInvalidRequest);
  sf::Dictionary dup{{"a", sf::Item{true, {}}}, {"a", sf::Item{false, {}}}};
  CHECK(sf::serialize(dup).code() == Code::kInvalidRequest);
  CHECK(*sf::serialize(sf::Item{sf::Decimal{-1250}, {}}) == "-1.25");
  CHECK(*sf::serialize(sf::Item{sf::ByteSequence{std::string("\x00\xff", 2)}, {}}) == ":AP8=:");

  // Appended in place: the same text after what is there, and nothing of it on an error.
  std::string line = "(\"@method\")";
  const sf::Parameters params = {{"created", std::int64_t{-1618884473}}, {"keyid", std::string("k1")}, {"x", true}};
  REQUIRE(sf::serialize_into(params, line).ok());
  CHECK(line == "(\"@method\");created=-1618884473;keyid=\"k1\";x");
  CHECK(line == "(\"@method\")" + *sf::serialize(params));
  const sf::Parameters bad = {{"created", std::int64_t{1}}, {"keyid", std::string("line\nbreak")}};
  CHECK(sf::serialize_into(bad, line).code() == Code::kInvalidRequest);
  CHECK(line == "(\"@method\");created=-1618884473;keyid=\"k1\";x");
}
