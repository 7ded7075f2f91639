#include "model_tool/python_literal.h"

#include <cctype>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/example/example.pb.h"

namespace model_server {
namespace {

constexpr char kUnderstood[] =
    "model_tool understands Python literals (nested lists and tuples of "
    "numbers, 'strings', True/False, {dicts}) and np.array(x), "
    "np.zeros(shape), np.ones(shape)";

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<PyValue> ParseAll() {
    MS_ASSIGN_OR_RETURN(PyValue value, Parse(0));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text");
    return value;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " at position ", pos_, " of '", text_, "'; ", kUnderstood));
  }
  void SkipSpace() {
    while (pos_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  bool Consume(absl::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  absl::StatusOr<PyValue> Parse(int depth) {
    if (depth > 64) return Error("nesting too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("expected a value");
    const char c = text_[pos_];
    if (c == '[' || c == '(') return ParseList(c == '[' ? ']' : ')', depth);
    if (c == '{') return ParseDict(depth);
    if (c == '\'' || c == '"') {
      PyValue value;
      value.kind = PyValue::Kind::kString;
      MS_ASSIGN_OR_RETURN(value.string_value, ParseString());
      return value;
    }
    if (Consume("True")) return Bool(true);
    if (Consume("False")) return Bool(false);
    if (Consume("np.array(") || Consume("numpy.array(")) {
      MS_ASSIGN_OR_RETURN(PyValue value, Parse(depth + 1));
      if (Consume(",")) {  // dtype=... is left to the signature's dtype
        while (pos_ < text_.size() && text_[pos_] != ')') ++pos_;
      }
      if (!Consume(")")) return Error("expected ')'");
      return value;
    }
    for (const auto& [name, fill] :
         {std::pair<const char*, double>{"np.zeros(", 0.0},
          {"np.ones(", 1.0}}) {
      if (Consume(name)) {
        MS_ASSIGN_OR_RETURN(PyValue shape, Parse(depth + 1));
        if (!Consume(")")) return Error("expected ')'");
        return Filled(shape, fill);
      }
    }
    return ParseNumber();
  }

  static PyValue Bool(bool b) {
    PyValue value;
    value.kind = PyValue::Kind::kBool;
    value.bool_value = b;
    return value;
  }

  absl::StatusOr<PyValue> Filled(const PyValue& shape, double fill) {
    std::vector<int64_t> dims;
    if (shape.kind == PyValue::Kind::kInt) {
      dims.push_back(shape.int_value);
    } else if (shape.kind == PyValue::Kind::kList) {
      for (const PyValue& dim : shape.items) {
        if (dim.kind != PyValue::Kind::kInt) return Error("bad shape");
        dims.push_back(dim.int_value);
      }
    } else {
      return Error("bad shape");
    }
    int64_t total = 1;
    for (int64_t dim : dims) {
      if (dim < 0 || dim > (1 << 24) || total * dim > (1 << 24)) {
        return Error("shape too large for a command-line input");
      }
      total *= dim;
    }
    PyValue leaf;
    leaf.kind = PyValue::Kind::kFloat;
    leaf.float_value = fill;
    PyValue value = leaf;
    for (auto it = dims.rbegin(); it != dims.rend(); ++it) {
      PyValue list;
      list.kind = PyValue::Kind::kList;
      list.items.assign(static_cast<size_t>(*it), value);
      value = std::move(list);
    }
    return value;
  }

  absl::StatusOr<PyValue> ParseList(char close, int depth) {
    ++pos_;
    PyValue value;
    value.kind = PyValue::Kind::kList;
    SkipSpace();
    if (Consume(std::string(1, close))) return value;
    while (true) {
      MS_ASSIGN_OR_RETURN(PyValue item, Parse(depth + 1));
      value.items.push_back(std::move(item));
      if (Consume(",")) {
        if (Consume(std::string(1, close))) return value;
        continue;
      }
      if (Consume(std::string(1, close))) return value;
      return Error(
          absl::StrCat("expected ',' or '", std::string(1, close), "'"));
    }
  }

  absl::StatusOr<PyValue> ParseDict(int depth) {
    ++pos_;
    PyValue value;
    value.kind = PyValue::Kind::kDict;
    if (Consume("}")) return value;
    while (true) {
      SkipSpace();
      MS_ASSIGN_OR_RETURN(std::string key, ParseString());
      if (!Consume(":")) return Error("expected ':'");
      MS_ASSIGN_OR_RETURN(PyValue item, Parse(depth + 1));
      value.entries.emplace_back(std::move(key), std::move(item));
      if (Consume(",")) {
        if (Consume("}")) return value;
        continue;
      }
      if (Consume("}")) return value;
      return Error("expected ',' or '}'");
    }
  }

  absl::StatusOr<std::string> ParseString() {
    if (pos_ < text_.size() && text_[pos_] == 'b') ++pos_;  // b'bytes'
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
      return Error("expected a quoted string");
    }
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        char e = text_[pos_++];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        out += c;
      }
    }
    if (pos_ >= text_.size()) return Error("unterminated string");
    ++pos_;
    return out;
  }

  absl::StatusOr<PyValue> ParseNumber() {
    const size_t start = pos_;
    bool is_float = false;
    if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      ++pos_;
    }
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' ||
                 ((c == '-' || c == '+') && pos_ > start &&
                  (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E'))) {
        is_float = true;
        ++pos_;
      } else {
        break;
      }
    }
    std::string token(text_.substr(start, pos_ - start));
    if (token.empty() || token == "-" || token == "+") {
      return Error("expected a value");
    }
    PyValue value;
    char* end = nullptr;
    if (is_float) {
      value.kind = PyValue::Kind::kFloat;
      value.float_value = std::strtod(token.c_str(), &end);
    } else {
      value.kind = PyValue::Kind::kInt;
      value.int_value = std::strtoll(token.c_str(), &end, 10);
    }
    if (end != token.c_str() + token.size()) return Error("bad number");
    return value;
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

// Flattens a rectangular nested list; fails when ragged.
absl::Status Flatten(const PyValue& value, size_t depth,
                     std::vector<int64_t>* shape,
                     std::vector<const PyValue*>* leaves) {
  if (value.kind != PyValue::Kind::kList) {
    if (depth != shape->size() && !leaves->empty()) {
      return absl::InvalidArgumentError("the nested lists are not rectangular");
    }
    if (leaves->empty()) shape->resize(depth);
    leaves->push_back(&value);
    return absl::OkStatus();
  }
  if (leaves->empty() && shape->size() <= depth) {
    shape->push_back(static_cast<int64_t>(value.items.size()));
  } else if (depth >= shape->size() ||
             (*shape)[depth] != static_cast<int64_t>(value.items.size())) {
    return absl::InvalidArgumentError("the nested lists are not rectangular");
  }
  for (const PyValue& item : value.items) {
    MS_RETURN_IF_ERROR(Flatten(item, depth + 1, shape, leaves));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PyValue> ParsePythonLiteral(absl::string_view text) {
  return Parser(text).ParseAll();
}

absl::StatusOr<Tensor> TensorFromPyValue(const PyValue& value, DataType dtype) {
  std::vector<int64_t> shape;
  std::vector<const PyValue*> leaves;
  MS_RETURN_IF_ERROR(Flatten(value, 0, &shape, &leaves));
  if (leaves.empty()) {
    // An empty list: shape as written, numpy's float64 unless told.
    if (dtype == DT_INVALID) dtype = DT_DOUBLE;
  }
  if (dtype == DT_INVALID) {
    dtype = DT_INT64;
    for (const PyValue* leaf : leaves) {
      if (leaf->kind == PyValue::Kind::kString) dtype = DT_STRING;
      if (leaf->kind == PyValue::Kind::kBool && dtype == DT_INT64) {
        dtype = DT_BOOL;
      }
      if (leaf->kind == PyValue::Kind::kFloat && dtype != DT_STRING) {
        dtype = DT_DOUBLE;
      }
    }
  }
  MS_ASSIGN_OR_RETURN(TensorShape tensor_shape, TensorShape::FromDims(shape));
  MS_ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(dtype, tensor_shape));
  absl::Status status;
  bool handled = SwitchOnDataType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* out = tensor.data<T>();
    for (size_t i = 0; i < leaves.size(); ++i) {
      const PyValue& leaf = *leaves[i];
      if constexpr (std::is_same_v<T, std::string>) {
        if (leaf.kind != PyValue::Kind::kString) {
          status =
              absl::InvalidArgumentError("a string input needs quoted strings");
          return;
        }
        out[i] = leaf.string_value;
      } else if constexpr (std::is_arithmetic_v<T> ||
                           std::is_same_v<T, Eigen::half> ||
                           std::is_same_v<T, Eigen::bfloat16>) {
        double v = leaf.kind == PyValue::Kind::kFloat ? leaf.float_value
                   : leaf.kind == PyValue::Kind::kBool
                       ? (leaf.bool_value ? 1.0 : 0.0)
                       : static_cast<double>(leaf.int_value);
        if (leaf.kind == PyValue::Kind::kString) {
          status = absl::InvalidArgumentError(absl::StrCat(
              "a ", DataTypeName(dtype), " input cannot take the string '",
              leaf.string_value, "'"));
          return;
        }
        if constexpr (std::is_same_v<T, int64_t>) {
          out[i] = leaf.kind == PyValue::Kind::kInt ? leaf.int_value
                                                    : static_cast<int64_t>(v);
        } else {
          out[i] = static_cast<T>(v);
        }
      } else {
        status = absl::InvalidArgumentError(absl::StrCat(
            "cannot make a ", DataTypeName(dtype), " input from a literal"));
      }
    }
  });
  if (!handled) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot make a ", DataTypeName(dtype), " input from a literal"));
  }
  MS_RETURN_IF_ERROR(status);
  return tensor;
}

absl::StatusOr<Tensor> ExamplesFromPyValue(const PyValue& value) {
  if (value.kind != PyValue::Kind::kList) {
    return absl::InvalidArgumentError(
        "tf.Example input must be a list of dictionaries");
  }
  std::vector<std::string> serialized;
  for (const PyValue& item : value.items) {
    if (item.kind != PyValue::Kind::kDict) {
      return absl::InvalidArgumentError(
          "tf.Example input must be a list of dictionaries");
    }
    tensorflow::Example example;
    auto& features = *example.mutable_features()->mutable_feature();
    for (const auto& [name, list] : item.entries) {
      if (list.kind != PyValue::Kind::kList || list.items.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "feature value must be a non-empty list, but ", name, " is not"));
      }
      tensorflow::Feature& feature = features[name];
      const PyValue::Kind kind = list.items[0].kind;
      for (const PyValue& v : list.items) {
        if (kind == PyValue::Kind::kFloat) {
          feature.mutable_float_list()->add_value(static_cast<float>(
              v.kind == PyValue::Kind::kInt ? v.int_value : v.float_value));
        } else if (kind == PyValue::Kind::kString) {
          feature.mutable_bytes_list()->add_value(v.string_value);
        } else if (kind == PyValue::Kind::kInt) {
          feature.mutable_int64_list()->add_value(v.int_value);
        } else {
          return absl::InvalidArgumentError(absl::StrCat(
              "feature ", name, ": values must be floats, ints or strings"));
        }
      }
    }
    serialized.push_back(example.SerializeAsString());
  }
  const int64_t n = static_cast<int64_t>(serialized.size());
  return Tensor::FromVector<std::string>(serialized, TensorShape{n});
}

}  // namespace model_server
