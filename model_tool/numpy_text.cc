#include "model_tool/numpy_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace model_server {
namespace {

constexpr int kLineWidth = 75;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kMaxPrecision = 8;

// Parses `text` back at the tensor's precision.
bool RoundTrips(const std::string& text, double value, bool is_float32) {
  if (is_float32) {
    return std::strtof(text.c_str(), nullptr) == static_cast<float>(value);
  }
  return std::strtod(text.c_str(), nullptr) == value;
}

// Fewest fractional digits (<= kMaxPrecision) that identify `value`.
std::string FixedDigits(double value, bool is_float32) {
  for (int digits = 0; digits < kMaxPrecision; ++digits) {
    std::string text = absl::StrFormat("%.*f", digits, value);
    if (RoundTrips(text, value, is_float32)) {
      return digits == 0 ? text + "." : text;
    }
  }
  std::string text = absl::StrFormat("%.*f", kMaxPrecision, value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  return text;
}

// Shortest mantissa digits in scientific notation: "1.5e-05".
std::string ScientificDigits(double value, bool is_float32) {
  for (int digits = 0; digits <= kMaxPrecision; ++digits) {
    std::string text = absl::StrFormat("%.*e", digits, value);
    if (RoundTrips(text, value, is_float32) || digits == kMaxPrecision) {
      if (digits == 0) text.insert(text.find('e'), ".");
      return text;
    }
  }
  return absl::StrFormat("%e", value);
}

// Formats every element of a float tensor, padded to one width with points
// aligned.
std::vector<std::string> FormatFloats(const std::vector<double>& values,
                                      bool is_float32) {
  double max_abs = 0, min_abs = INFINITY;
  for (double v : values) {
    if (!std::isfinite(v) || v == 0) continue;
    max_abs = std::max(max_abs, std::fabs(v));
    min_abs = std::min(min_abs, std::fabs(v));
  }
  const bool scientific =
      max_abs >= 1e8 ||
      (max_abs > 0 && (min_abs < 1e-4 || max_abs / min_abs > 1e3));
  std::vector<std::string> texts;
  // Widths of the integer part and of the point plus fraction, over the
  // finite values; nan and inf widen the integer part (as numpy pads them).
  size_t left = 0, right = 0, special = 0;
  for (double v : values) {
    std::string text;
    if (std::isnan(v)) {
      text = "nan";
    } else if (std::isinf(v)) {
      text = v > 0 ? "inf" : "-inf";
    } else {
      text = scientific ? ScientificDigits(v, is_float32)
                        : FixedDigits(v, is_float32);
    }
    size_t point = text.find('.');
    if (point == std::string::npos) {
      special = std::max(special, text.size());
    } else {
      left = std::max(left, point);
      right = std::max(right, text.size() - point);
    }
    texts.push_back(std::move(text));
  }
  if (special > left + right) left = special - right;
  for (std::string& text : texts) {
    size_t point = text.find('.');
    if (point == std::string::npos) {
      text = std::string(left + right - text.size(), ' ') + text;
      continue;
    }
    text = std::string(left - point, ' ') + text +
           std::string(right - (text.size() - point), ' ');
  }
  return texts;
}

std::string BytesLiteral(const std::string& bytes) {
  const bool has_single = bytes.find('\'') != std::string::npos;
  const bool has_double = bytes.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out = absl::StrCat("b", std::string(1, quote));
  for (unsigned char c : bytes) {
    if (c == '\\' || c == quote) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      out += absl::StrFormat("\\x%02x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

// Element i as text, unpadded.
std::string ElementText(const Tensor& t, int64_t i) {
  std::string text;
  bool handled = SwitchOnDataType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      text = t.data<bool>()[i] ? "True" : "False";
    } else if constexpr (std::is_same_v<T, std::string>) {
      text = BytesLiteral(t.data<std::string>()[i]);
    } else if constexpr (std::is_integral_v<T>) {
      text = absl::StrCat(t.data<T>()[i]);
    } else {
      text = "?";
    }
  });
  if (!handled) text = "?";
  return text;
}

bool IsFloating(DataType dtype) {
  return dtype == DT_FLOAT || dtype == DT_DOUBLE || dtype == DT_HALF ||
         dtype == DT_BFLOAT16;
}

double FloatAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DT_FLOAT:
      return t.data<float>()[i];
    case DT_DOUBLE:
      return t.data<double>()[i];
    case DT_HALF:
      return static_cast<float>(t.data<Eigen::half>()[i]);
    case DT_BFLOAT16:
      return static_cast<float>(t.data<Eigen::bfloat16>()[i]);
    default:
      return 0;
  }
}

class Printer {
 public:
  explicit Printer(const Tensor& t) : t_(t) {
    summarize_ = t.NumElements() > kThreshold;
    // Format the elements that will be shown, to one width.
    std::vector<int64_t> shown;
    CollectShown(0, 0, &shown);
    std::vector<std::string> texts;
    if (IsFloating(t.dtype())) {
      std::vector<double> values;
      for (int64_t i : shown) values.push_back(FloatAt(t, i));
      texts = FormatFloats(values, t.dtype() != DT_DOUBLE);
    } else {
      size_t width = 0;
      for (int64_t i : shown) {
        texts.push_back(ElementText(t, i));
        width = std::max(width, texts.back().size());
      }
      if (t.dtype() != DT_STRING) {
        for (std::string& text : texts) {
          text = std::string(width - text.size(), ' ') + text;
        }
      }
    }
    for (size_t k = 0; k < shown.size(); ++k) text_[shown[k]] = texts[k];
  }

  std::string Print() { return Format(0, 0, " "); }

 private:
  // Indices of dimension `axis` to show.
  std::vector<int64_t> Indices(int axis) const {
    const int64_t n = t_.dim(axis);
    std::vector<int64_t> indices;
    if (summarize_ && n > 2 * kEdgeItems) {
      for (int64_t i = 0; i < kEdgeItems; ++i) indices.push_back(i);
      indices.push_back(-1);  // "..."
      for (int64_t i = n - kEdgeItems; i < n; ++i) indices.push_back(i);
    } else {
      for (int64_t i = 0; i < n; ++i) indices.push_back(i);
    }
    return indices;
  }

  int64_t Stride(int axis) const {
    int64_t stride = 1;
    for (int d = axis + 1; d < t_.rank(); ++d) stride *= t_.dim(d);
    return stride;
  }

  void CollectShown(int axis, int64_t offset, std::vector<int64_t>* shown) {
    if (axis == t_.rank()) {
      shown->push_back(offset);
      return;
    }
    for (int64_t i : Indices(axis)) {
      if (i >= 0) CollectShown(axis + 1, offset + i * Stride(axis), shown);
    }
  }

  std::string Format(int axis, int64_t offset, const std::string& indent) {
    if (axis == t_.rank()) return text_[offset];
    const std::vector<int64_t> indices = Indices(axis);
    if (axis == t_.rank() - 1) {
      std::string s, line = "[";
      for (size_t k = 0; k < indices.size(); ++k) {
        std::string word = indices[k] < 0 ? "..." : text_[offset + indices[k]];
        const bool last = k + 1 == indices.size();
        const int limit = kLineWidth - (last ? axis + 1 : 0);
        if (line.size() + word.size() > static_cast<size_t>(limit) &&
            line.size() > indent.size()) {
          while (!line.empty() && line.back() == ' ') line.pop_back();
          s += line + "\n";
          line = indent;
        }
        line += word;
        if (!last) line += " ";
      }
      return s + line + "]";
    }
    std::string s = "[";
    const std::string separator =
        std::string(t_.rank() - axis - 1, '\n') + indent;
    for (size_t k = 0; k < indices.size(); ++k) {
      if (k > 0) s += separator;
      s += indices[k] < 0 ? "..."
                          : Format(axis + 1, offset + indices[k] * Stride(axis),
                                   indent + " ");
    }
    return s + "]";
  }

  const Tensor& t_;
  bool summarize_ = false;
  std::map<int64_t, std::string> text_;
};

}  // namespace

std::string NumpyText(const Tensor& tensor) {
  if (tensor.rank() == 0) {
    if (IsFloating(tensor.dtype())) {
      double v = FloatAt(tensor, 0);
      if (!std::isfinite(v))
        return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
      // numpy scalars print like Python floats: shortest digits, "3.0".
      const bool is_float32 = tensor.dtype() != DT_DOUBLE;
      for (int p = 1; p <= 17; ++p) {
        std::string text = absl::StrFormat("%.*g", p, v);
        if (RoundTrips(text, v, is_float32)) {
          if (text.find_first_of(".en") == std::string::npos) text += ".0";
          return text;
        }
      }
    }
    return ElementText(tensor, 0);
  }
  if (tensor.NumElements() == 0) {
    std::string shape;
    for (int d = 0; d < tensor.rank(); ++d) {
      absl::StrAppend(&shape, d ? ", " : "", tensor.dim(d));
    }
    if (tensor.rank() == 1) return "[]";
    return absl::StrCat("[]  # shape (", shape, ")");
  }
  return Printer(tensor).Print();
}

}  // namespace model_server
