// A parsed JSON request body, read through one small value interface that
// two parsers implement (docs/rest_api_libraries.md says why two):
//
//   - simdjson's DOM parser first: about 4x faster than RapidJSON on the
//     number-heavy bodies Predict gets;
//   - RapidJSON when simdjson refuses the body. TF Serving's JSON accepts the
//     tokens NaN, Infinity and -Infinity (RapidJSON's kParseNanAndInfFlag),
//     which simdjson does not; and for a body that is not JSON at all,
//     RapidJSON's message is the one TF Serving answers ("JSON Parse error:
//     Invalid value. at offset: 0").
//
// Both parse without recursion and refuse nesting deeper than kMaxJsonDepth
// (TF Serving crashed on deep nesting: CVE-2025-0649), so the values handed
// out are at most that deep and code walking them may recurse.
//
// Visit() calls a generic callable with the root as a SimdJsonValue or a
// RapidJsonValue; both have the same methods (see SimdJsonValue), so request
// decoders are templates written once. Values borrow from the document.
// A document is not thread-safe; it may be used on any one thread at a time.
#ifndef MODEL_SERVER_DAEMON_REST_JSON_DOCUMENT_H_
#define MODEL_SERVER_DAEMON_REST_JSON_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"
#include "simdjson.h"

namespace model_server {

// Deepest array/object nesting a request may have: a tensor of
// TensorShape::kMaxRank dimensions in the deepest request form
// ({"instances": [{"alias": [[...{"b64": ""}]]}]}) fits.
inline constexpr int kMaxJsonDepth = 260;

enum class JsonType { kNull, kBool, kNumber, kString, kArray, kObject };

// The JSON type names TF Serving uses in messages ("Number", "Array", ...).
const char* JsonTypeName(JsonType type);

// A value of a simdjson-parsed document.
class SimdJsonValue {
 public:
  explicit SimdJsonValue(simdjson::dom::element element) : e_(element) {}

  JsonType type() const;
  bool GetBool() const { return bool(e_); }
  // Numbers: an integer literal that fits int64 (IsInt64), one that fits
  // only uint64 (IsUint64), or any other number (IsDouble).
  bool IsInt64() const { return e_.type() == Type::INT64; }
  bool IsUint64() const { return e_.type() == Type::UINT64; }
  bool IsDouble() const { return e_.type() == Type::DOUBLE; }
  int64_t GetInt64() const { return int64_t(e_); }
  uint64_t GetUint64() const { return uint64_t(e_); }
  // Any number as a double.
  double GetDouble() const;
  absl::string_view GetString() const {
    std::string_view s(e_);
    return absl::string_view(s.data(), s.size());
  }
  // Arrays.
  size_t Size() const;
  // REQUIRES: Size() > 0.
  SimdJsonValue First() const { return SimdJsonValue(*array().begin()); }
  template <typename Fn>  // fn(SimdJsonValue) -> absl::Status
  absl::Status ForEachElement(Fn&& fn) const {
    for (simdjson::dom::element child : array()) {
      absl::Status status = fn(SimdJsonValue(child));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  // Objects.
  size_t MemberCount() const;
  std::optional<SimdJsonValue> Find(absl::string_view key) const;
  template <typename Fn>  // fn(absl::string_view key, SimdJsonValue) -> Status
  absl::Status ForEachMember(Fn&& fn) const {
    for (const simdjson::dom::key_value_pair& member : object()) {
      absl::Status status =
          fn(absl::string_view(member.key.data(), member.key.size()),
             SimdJsonValue(member.value));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

 private:
  using Type = simdjson::dom::element_type;
  simdjson::dom::array array() const { return simdjson::dom::array(e_); }
  simdjson::dom::object object() const { return simdjson::dom::object(e_); }
  simdjson::dom::element e_;
};

// A value of a RapidJSON-parsed document; same methods as SimdJsonValue.
class RapidJsonValue {
 public:
  explicit RapidJsonValue(const rapidjson::Value* value) : v_(value) {}

  JsonType type() const;
  bool GetBool() const { return v_->GetBool(); }
  bool IsInt64() const { return v_->IsInt64(); }
  bool IsUint64() const { return !v_->IsInt64() && v_->IsUint64(); }
  bool IsDouble() const { return v_->IsDouble(); }
  int64_t GetInt64() const { return v_->GetInt64(); }
  uint64_t GetUint64() const { return v_->GetUint64(); }
  double GetDouble() const { return v_->GetDouble(); }
  absl::string_view GetString() const {
    return absl::string_view(v_->GetString(), v_->GetStringLength());
  }
  size_t Size() const { return v_->Size(); }
  RapidJsonValue First() const { return RapidJsonValue(&(*v_)[0]); }
  template <typename Fn>
  absl::Status ForEachElement(Fn&& fn) const {
    for (const rapidjson::Value& child : v_->GetArray()) {
      absl::Status status = fn(RapidJsonValue(&child));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  size_t MemberCount() const { return v_->MemberCount(); }
  std::optional<RapidJsonValue> Find(absl::string_view key) const;
  template <typename Fn>
  absl::Status ForEachMember(Fn&& fn) const {
    for (const auto& member : v_->GetObject()) {
      absl::Status status = fn(absl::string_view(member.name.GetString(),
                                                 member.name.GetStringLength()),
                               RapidJsonValue(&member.value));
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

 private:
  const rapidjson::Value* v_;
};

class JsonDocument {
 public:
  // Parses `body`. Fails with INVALID_ARGUMENT:
  //   - "JSON Parse error: <what> at offset: <n>" (TF Serving's text) for
  //     text that is not JSON, "JSON Parse error: The document is empty" for
  //     an empty body;
  //   - "JSON Parse error: nesting deeper than 260 levels of arrays and
  //     objects ..." for deeper nesting.
  static absl::StatusOr<std::unique_ptr<JsonDocument>> Parse(
      absl::string_view body);

  // Calls fn(root) with the root as SimdJsonValue or RapidJsonValue and
  // returns what fn returns.
  template <typename Fn>
  auto Visit(Fn&& fn) const {
    if (rapid_ != nullptr) return fn(RapidJsonValue(rapid_.get()));
    return fn(SimdJsonValue(simd_root_));
  }

  // Which parser read the body ("simdjson" or "rapidjson"), for tests.
  const char* parser_name() const {
    return rapid_ != nullptr ? "rapidjson" : "simdjson";
  }

 private:
  JsonDocument() = default;

  std::unique_ptr<simdjson::dom::parser> simd_parser_;
  simdjson::dom::element simd_root_;
  std::unique_ptr<rapidjson::Document> rapid_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_DOCUMENT_H_
