#include "tools/npy/npy_header.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_shape.h"

namespace model_server {
namespace {

constexpr absl::string_view kMagic = "\x93NUMPY";
constexpr size_t kAlignment = 64;

absl::Status HeaderError(absl::string_view what, absl::string_view text) {
  constexpr size_t kShown = 120;
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return absl::InvalidArgumentError(
      absl::StrCat(".npy header ", what, " (header: ", shown, ")"));
}

// A cursor over the dict literal. Accepts what numpy's writer produces and
// Python's literal syntax for the same values: single- or double-quoted
// strings without escapes, True/False, tuples of non-negative integers
// (with Python 2's "L" suffix), optional trailing commas, whitespace.
class DictParser {
 public:
  explicit DictParser(absl::string_view text) : text_(text), rest_(text) {}

  absl::StatusOr<NpyHeader> Parse() {
    NpyHeader header;
    std::set<std::string> seen;
    MS_RETURN_IF_ERROR(Expect('{'));
    while (!Peek('}')) {
      std::string key;
      MS_RETURN_IF_ERROR(ParseString(&key));
      if (!seen.insert(key).second) {
        return Error(absl::StrCat("repeats the key '", key, "'"));
      }
      MS_RETURN_IF_ERROR(Expect(':'));
      if (key == "descr") {
        if (Peek('[')) {
          return Error(
              "has a structured dtype (a list as 'descr'), which has no "
              "tensor equivalent");
        }
        MS_RETURN_IF_ERROR(ParseString(&header.descr));
      } else if (key == "fortran_order") {
        MS_RETURN_IF_ERROR(ParseBool(&header.fortran_order));
      } else if (key == "shape") {
        MS_RETURN_IF_ERROR(ParseShape(&header.shape));
      } else {
        return Error(absl::StrCat(
            "has the unknown key '", key,
            "' (expected exactly 'descr', 'fortran_order' and 'shape')"));
      }
      if (!Consume(',')) break;
    }
    MS_RETURN_IF_ERROR(Expect('}'));
    SkipSpace();
    if (!rest_.empty()) return Error("has text after the closing '}'");
    for (const char* key : {"descr", "fortran_order", "shape"}) {
      if (seen.count(key) == 0) {
        return Error(absl::StrCat("lacks the key '", key, "'"));
      }
    }
    return header;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return HeaderError(what, text_);
  }

  void SkipSpace() {
    while (!rest_.empty() && absl::ascii_isspace(rest_.front())) {
      rest_.remove_prefix(1);
    }
  }
  bool Peek(char c) {
    SkipSpace();
    return !rest_.empty() && rest_.front() == c;
  }
  bool Consume(char c) {
    if (!Peek(c)) return false;
    rest_.remove_prefix(1);
    return true;
  }
  absl::Status Expect(char c) {
    if (Consume(c)) return absl::OkStatus();
    return Error(absl::StrCat("is malformed: expected '", std::string(1, c),
                              "' at offset ", text_.size() - rest_.size()));
  }

  absl::Status ParseString(std::string* out) {
    SkipSpace();
    if (rest_.empty() || (rest_.front() != '\'' && rest_.front() != '"')) {
      return Error(
          absl::StrCat("is malformed: expected a quoted string at "
                       "offset ",
                       text_.size() - rest_.size()));
    }
    const char quote = rest_.front();
    size_t end = rest_.find(quote, 1);
    if (end == absl::string_view::npos) return Error("has an unclosed string");
    absl::string_view value = rest_.substr(1, end - 1);
    if (value.find('\\') != absl::string_view::npos) {
      return Error("has an escape sequence in a string");
    }
    *out = std::string(value);
    rest_.remove_prefix(end + 1);
    return absl::OkStatus();
  }

  absl::Status ParseBool(bool* out) {
    SkipSpace();
    if (absl::ConsumePrefix(&rest_, "True")) {
      *out = true;
    } else if (absl::ConsumePrefix(&rest_, "False")) {
      *out = false;
    } else {
      return Error("has a 'fortran_order' that is neither True nor False");
    }
    return absl::OkStatus();
  }

  absl::Status ParseShape(std::vector<int64_t>* shape) {
    MS_RETURN_IF_ERROR(Expect('('));
    while (!Peek(')')) {
      size_t digits = 0;
      while (digits < rest_.size() && absl::ascii_isdigit(rest_[digits])) {
        ++digits;
      }
      int64_t dim;
      if (digits == 0 || !absl::SimpleAtoi(rest_.substr(0, digits), &dim)) {
        return Error(
            "has a 'shape' that is not a tuple of non-negative integers");
      }
      rest_.remove_prefix(digits);
      absl::ConsumePrefix(&rest_, "L");
      if (static_cast<int>(shape->size()) == TensorShape::kMaxRank) {
        return Error(absl::StrCat("has more than ", TensorShape::kMaxRank,
                                  " dimensions"));
      }
      shape->push_back(dim);
      if (!Consume(',')) break;
    }
    return Expect(')');
  }

  absl::string_view text_;
  absl::string_view rest_;
};

uint32_t ReadLittleEndian(absl::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = bytes.size(); i-- > 0;) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

void AppendLittleEndian(uint32_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

}  // namespace

absl::StatusOr<NpyHeader> ParseNpyHeaderDict(absl::string_view text) {
  return DictParser(text).Parse();
}

absl::StatusOr<NpyPreamble> ParseNpyPreamble(absl::string_view file) {
  if (file.size() < kMagic.size() + 2 || !absl::StartsWith(file, kMagic)) {
    return absl::InvalidArgumentError(
        "not a .npy file: it does not start with \"\\x93NUMPY\" and a "
        "version");
  }
  const int major = static_cast<uint8_t>(file[6]);
  const int minor = static_cast<uint8_t>(file[7]);
  if (major < 1 || major > 3 || minor != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(".npy format version ", major, ".", minor,
                     " is not supported (only 1.0, 2.0 and 3.0 exist)"));
  }
  const size_t length_bytes = major == 1 ? 2 : 4;
  const size_t header_start = kMagic.size() + 2 + length_bytes;
  if (file.size() < header_start) {
    return absl::InvalidArgumentError(absl::StrCat(
        ".npy file of ", file.size(), " bytes ends inside its preamble"));
  }
  const size_t header_length =
      ReadLittleEndian(file.substr(kMagic.size() + 2, length_bytes));
  if (header_length > kMaxNpyHeaderBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(".npy header length ", header_length,
                     " exceeds the limit of ", kMaxNpyHeaderBytes, " bytes"));
  }
  if (header_length > file.size() - header_start) {
    return absl::InvalidArgumentError(
        absl::StrCat(".npy header length ", header_length,
                     " runs past the end of the ", file.size(), "-byte file"));
  }
  NpyPreamble preamble;
  MS_ASSIGN_OR_RETURN(preamble.header, ParseNpyHeaderDict(file.substr(
                                           header_start, header_length)));
  preamble.data_offset = header_start + header_length;
  return preamble;
}

std::string FormatNpyPreamble(const NpyHeader& header) {
  std::vector<std::string> dims;
  for (int64_t d : header.shape) dims.push_back(absl::StrCat(d));
  std::string shape = absl::StrJoin(dims, ", ");
  if (dims.size() == 1) shape += ",";
  std::string dict = absl::StrCat(
      "{'descr': '", header.descr,
      "', 'fortran_order': ", header.fortran_order ? "True" : "False",
      ", 'shape': (", shape, "), }");
  // Version 1.0 stores the length in 2 bytes, 2.0 in 4.
  size_t length_bytes = 2;
  if (kMagic.size() + 2 + length_bytes + dict.size() + 1 > 65535) {
    length_bytes = 4;
  }
  const size_t unpadded = kMagic.size() + 2 + length_bytes + dict.size() + 1;
  const size_t padding = (kAlignment - unpadded % kAlignment) % kAlignment;
  dict.append(padding, ' ');
  dict.push_back('\n');

  std::string out(kMagic);
  out.push_back(length_bytes == 2 ? 1 : 2);
  out.push_back(0);
  AppendLittleEndian(static_cast<uint32_t>(dict.size()),
                     static_cast<int>(length_bytes), &out);
  out += dict;
  return out;
}

}  // namespace model_server
