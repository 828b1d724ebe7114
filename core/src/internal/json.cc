#include "internal/json.h"

#include <set>
#include <vector>

#include "finfusion/time.h"
#include "internal/text.h"

namespace finfusion::internal {
namespace {

// Validates structure while nlohmann's (non-recursive) SAX parser reads the text.
class StrictSax : public nlohmann::json_sax<Json> {
 public:
  explicit StrictSax(std::size_t max_depth) : max_depth_(max_depth) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_.emplace_back();
    return enter();
  }
  bool key(string_t& name) override {
    if (!keys_.back().insert(name).second) {
      error_ = "duplicate key " + quote(name);
      return false;
    }
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    error_ = "not valid JSON (syntax or UTF-8) at byte " + std::to_string(position);
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      error_ = "nested deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    return true;
  }

  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> keys_;
  std::string error_;
};

}  // namespace

Result<Json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes,
                        std::size_t max_depth) {
  std::string prefix(what);
  if (text.size() > max_bytes) {
    return Status(Code::kInvalidRequest,
                  prefix + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  StrictSax sax(max_depth);
  bool accepted = Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json,
                                  /*strict=*/true);
  if (!accepted || !sax.error().empty()) {
    return Status(Code::kInvalidRequest,
                  prefix + ": " + (sax.error().empty() ? std::string("not valid JSON") : sax.error()));
  }
  Json value = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Status(Code::kInvalidRequest, prefix + ": not valid JSON");
  return value;
}

ObjectReader::ObjectReader(const Json& value, std::string path)
    : value_(&value), path_(std::move(path)) {
  if (!value.is_object()) {
    status_ = Status(Code::kInvalidRequest, (path_.empty() ? std::string("request") : path_) +
                                                ": must be a JSON object");
  }
}

std::string ObjectReader::path_of(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

void ObjectReader::fail(std::string_view name, std::string_view message) {
  if (status_.ok()) status_ = Status(Code::kInvalidRequest, path_of(name) + ": " + std::string(message));
}

void ObjectReader::reject_unknown(std::initializer_list<std::string_view> known) {
  if (!ok()) return;
  for (const auto& item : value_->items()) {
    bool found = false;
    for (auto k : known) found = found || item.key() == k;
    if (!found) {
      fail(quote(item.key(), 32), "unknown field");
      return;
    }
  }
}

const Json* ObjectReader::find(std::string_view name) const {
  if (!ok()) return nullptr;
  auto it = value_->find(name);
  return it == value_->end() ? nullptr : &*it;
}

std::optional<std::string> ObjectReader::string(std::string_view name, std::size_t max_length) {
  const Json* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "must be a string");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_length) {
    fail(name, "longer than " + std::to_string(max_length) + " bytes of UTF-8");  // what the limits count
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view name, std::int64_t min,
                                                  std::int64_t max) {
  const Json* v = find(name);
  if (!v) return std::nullopt;
  // Integers beyond 64 bits arrive as floats and are refused here, never wrapped.
  bool in_range = false;
  std::int64_t out = 0;
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(max);
    out = static_cast<std::int64_t>(in_range ? u : 0);
    in_range = in_range && out >= min;
  } else if (v->is_number_integer()) {
    out = v->get<std::int64_t>();
    in_range = out >= min && out <= max;
  } else {
    fail(name, "must be an integer");
    return std::nullopt;
  }
  if (!in_range) {
    fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return out;
}

std::optional<bool> ObjectReader::boolean(std::string_view name) {
  const Json* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    fail(name, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> ObjectReader::duration(std::string_view name) {
  auto text = string(name, time::kMaxDurationText);
  if (!text) return std::nullopt;
  auto parsed = time::parse_duration(*text);
  if (!parsed.ok()) {
    fail(name, parsed.status().message());
    return std::nullopt;
  }
  return *parsed;
}

}  // namespace finfusion::internal
