#include "daemon/rest/json_document.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace model_server {
namespace {

std::string TooDeepError() {
  return absl::StrCat(
      "JSON Parse error: nesting deeper than ", kMaxJsonDepth,
      " levels of arrays and objects (a tensor has at most 254 dimensions); "
      "the body was refused before decoding");
}

// Forwards RapidJSON's SAX events to a Document, failing past kMaxJsonDepth.
class DepthLimitedHandler
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>,
                                          DepthLimitedHandler> {
 public:
  explicit DepthLimitedHandler(rapidjson::Document* document)
      : document_(document) {}

  bool too_deep() const { return too_deep_; }

  bool Null() { return document_->Null(); }
  bool Bool(bool b) { return document_->Bool(b); }
  bool Int(int i) { return document_->Int(i); }
  bool Uint(unsigned u) { return document_->Uint(u); }
  bool Int64(int64_t i) { return document_->Int64(i); }
  bool Uint64(uint64_t u) { return document_->Uint64(u); }
  bool Double(double d) { return document_->Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return document_->RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return document_->String(s, n, copy);
  }
  bool StartObject() { return Enter() && document_->StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return document_->Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_->EndObject(members);
  }
  bool StartArray() { return Enter() && document_->StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_->EndArray(elements);
  }

 private:
  bool Enter() {
    if (++depth_ > kMaxJsonDepth) too_deep_ = true;
    return !too_deep_;
  }

  rapidjson::Document* document_;
  int depth_ = 0;
  bool too_deep_ = false;
};

// RapidJSON, with TF Serving's flags plus iterative parsing.
absl::StatusOr<std::unique_ptr<rapidjson::Document>> ParseWithRapidJson(
    absl::string_view body) {
  auto document = std::make_unique<rapidjson::Document>();
  DepthLimitedHandler handler(document.get());
  rapidjson::ParseResult result;
  auto generate = [&](rapidjson::Document&) {
    rapidjson::MemoryStream stream(body.data(), body.size());
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseNanAndInfFlag |
                          rapidjson::kParseIterativeFlag>(stream, handler);
    return !result.IsError();
  };
  document->Populate(generate);
  if (handler.too_deep()) return absl::InvalidArgumentError(TooDeepError());
  if (result.IsError()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JSON Parse error: ", rapidjson::GetParseError_En(result.Code()),
        " at offset: ", result.Offset()));
  }
  return document;
}

}  // namespace

const char* JsonTypeName(JsonType type) {
  switch (type) {
    case JsonType::kNull:
      return "Null";
    case JsonType::kBool:
      return "Bool";
    case JsonType::kNumber:
      return "Number";
    case JsonType::kString:
      return "String";
    case JsonType::kArray:
      return "Array";
    case JsonType::kObject:
      return "Object";
  }
  return "Unknown";
}

JsonType SimdJsonValue::type() const {
  switch (e_.type()) {
    case Type::ARRAY:
      return JsonType::kArray;
    case Type::OBJECT:
      return JsonType::kObject;
    case Type::INT64:
    case Type::UINT64:
    case Type::DOUBLE:
      return JsonType::kNumber;
    case Type::STRING:
      return JsonType::kString;
    case Type::BOOL:
      return JsonType::kBool;
    case Type::NULL_VALUE:
      return JsonType::kNull;
  }
  return JsonType::kNull;
}

double SimdJsonValue::GetDouble() const {
  switch (e_.type()) {
    case Type::INT64:
      return static_cast<double>(int64_t(e_));
    case Type::UINT64:
      return static_cast<double>(uint64_t(e_));
    default:
      return double(e_);
  }
}

size_t SimdJsonValue::Size() const {
  // simdjson's count saturates at 2^24 - 1; count such arrays by walking.
  constexpr size_t kSaturated = 0xFFFFFF;
  const size_t size = array().size();
  if (size < kSaturated) return size;
  size_t count = 0;
  for (simdjson::dom::element child : array()) {
    (void)child;
    ++count;
  }
  return count;
}

size_t SimdJsonValue::MemberCount() const {
  size_t count = 0;
  for (const simdjson::dom::key_value_pair& member : object()) {
    (void)member;
    ++count;
  }
  return count;
}

std::optional<SimdJsonValue> SimdJsonValue::Find(absl::string_view key) const {
  for (const simdjson::dom::key_value_pair& member : object()) {
    if (absl::string_view(member.key.data(), member.key.size()) == key) {
      return SimdJsonValue(member.value);
    }
  }
  return std::nullopt;
}

JsonType RapidJsonValue::type() const {
  switch (v_->GetType()) {
    case rapidjson::kNullType:
      return JsonType::kNull;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return JsonType::kBool;
    case rapidjson::kObjectType:
      return JsonType::kObject;
    case rapidjson::kArrayType:
      return JsonType::kArray;
    case rapidjson::kStringType:
      return JsonType::kString;
    case rapidjson::kNumberType:
      return JsonType::kNumber;
  }
  return JsonType::kNull;
}

std::optional<RapidJsonValue> RapidJsonValue::Find(
    absl::string_view key) const {
  for (const auto& member : v_->GetObject()) {
    if (absl::string_view(member.name.GetString(),
                          member.name.GetStringLength()) == key) {
      return RapidJsonValue(&member.value);
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<JsonDocument>> JsonDocument::Parse(
    absl::string_view body) {
  if (body.empty()) {
    return absl::InvalidArgumentError(
        "JSON Parse error: The document is empty");
  }
  std::unique_ptr<JsonDocument> document(new JsonDocument());
  document->simd_parser_ = std::make_unique<simdjson::dom::parser>();
  simdjson::error_code error =
      document->simd_parser_->allocate(body.size(), kMaxJsonDepth);
  if (error == simdjson::SUCCESS) {
    error = document->simd_parser_->parse(body.data(), body.size())
                .get(document->simd_root_);
  }
  if (error == simdjson::DEPTH_ERROR) {
    return absl::InvalidArgumentError(TooDeepError());
  }
  if (error == simdjson::SUCCESS) return document;
  // NaN/Infinity tokens, or not JSON: RapidJSON accepts the former and words
  // the latter as TF Serving does.
  document->simd_parser_.reset();
  absl::StatusOr<std::unique_ptr<rapidjson::Document>> rapid =
      ParseWithRapidJson(body);
  if (!rapid.ok()) return rapid.status();
  document->rapid_ = *std::move(rapid);
  return document;
}

}  // namespace model_server
