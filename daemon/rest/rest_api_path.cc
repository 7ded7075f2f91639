#include "daemon/rest/rest_api_path.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace model_server {
namespace {

constexpr absl::string_view kModelsPrefix = "/v1/models";

// %XX escapes decoded; a malformed escape is kept as is (as curl's
// unescaping, which TF Serving uses, does).
std::string PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    int value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        absl::ascii_isxdigit(text[i + 1]) &&
        absl::ascii_isxdigit(text[i + 2])) {
      std::string hex(text.substr(i + 1, 2));
      value = std::stoi(hex, nullptr, 16);
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool IsSegment(absl::string_view s) {
  return !s.empty() && s.find(':') == absl::string_view::npos;
}

bool IsDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// Parses [versions/<n> | labels/<l>] from segments[*i...].
absl::StatusOr<bool> ParseVersionOrLabel(
    const std::vector<absl::string_view>& segments, size_t* i,
    RestApiPath* out) {
  if (*i + 1 >= segments.size()) return true;
  const absl::string_view kind = segments[*i];
  const absl::string_view value = segments[*i + 1];
  if (absl::EqualsIgnoreCase(kind, "versions")) {
    if (!IsDigits(value)) return false;
    int64_t version = 0;
    if (!absl::SimpleAtoi(value, &version)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Failed to convert version: ", value, " to numeric."));
    }
    out->version = version;
    *i += 2;
  } else if (absl::EqualsIgnoreCase(kind, "labels")) {
    if (!IsSegment(value)) return false;
    out->label = PercentDecode(value);
    *i += 2;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::optional<RestApiPath>> ParseRestApiPath(
    absl::string_view method, absl::string_view path) {
  if (path.size() < kModelsPrefix.size() ||
      !absl::EqualsIgnoreCase(path.substr(0, kModelsPrefix.size()),
                              kModelsPrefix)) {
    return std::nullopt;
  }
  absl::string_view rest = path.substr(kModelsPrefix.size());
  RestApiPath out;
  if (method == "POST") {
    const size_t colon = rest.rfind(':');
    if (colon == absl::string_view::npos) return std::nullopt;
    out.verb = std::string(rest.substr(colon + 1));
    if (out.verb != "predict" && out.verb != "classify" &&
        out.verb != "regress") {
      return std::nullopt;
    }
    rest = rest.substr(0, colon);
  } else if (method != "GET") {
    return std::nullopt;
  }
  if (rest.empty()) {
    if (method == "POST") return std::nullopt;
    return out;  // GET /v1/models
  }
  if (rest[0] != '/') return std::nullopt;
  const std::vector<absl::string_view> segments =
      absl::StrSplit(rest.substr(1), '/');
  if (!IsSegment(segments[0])) return std::nullopt;
  out.model_name = PercentDecode(segments[0]);
  size_t i = 1;
  absl::StatusOr<bool> matched = ParseVersionOrLabel(segments, &i, &out);
  if (!matched.ok()) return matched.status();
  if (!*matched) return std::nullopt;
  if (method == "GET" && i + 1 == segments.size() &&
      absl::EqualsIgnoreCase(segments[i], "metadata")) {
    out.verb = "metadata";
    ++i;
  }
  if (i != segments.size()) return std::nullopt;
  return out;
}

}  // namespace model_server
