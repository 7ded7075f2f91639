// Assert(condition: bool scalar, data: list of tensors; attrs T, summarize)
// -> no outputs. Succeeds when condition is true; otherwise fails with
// INVALID_ARGUMENT "assertion failed: [d0] [d1] ..." where each data tensor
// is summarized as TensorFlow's Tensor::SummarizeValue does: at most
// `summarize` elements (all when negative; default 3), space separated,
// nested in brackets per dimension, "..." where elements were left out;
// floats in shortest round-trip form, bools as 1/0, strings C-escaped
// (UTF-8 kept). Complex, resource and variant elements print as "?".
//
// Graphs use Assert as a control dependency, typically inside a tf.cond
// (AssertGuard) whose untaken branch makes it dead, so it does not run.
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// "%.{digits}g", widened to `max_digits` if that does not read back exactly.
template <typename F>
std::string FloatText(F value, int digits, int max_digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*g", digits, value);
  F back;
  if constexpr (std::is_same_v<F, float>) {
    back = std::strtof(buffer, nullptr);
  } else {
    back = std::strtod(buffer, nullptr);
  }
  if (back != value) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", max_digits, value);
  }
  return buffer;
}

// C-style escapes for quotes, backslash and ASCII control characters; bytes
// of multi-byte UTF-8 sequences pass through.
std::string EscapedText(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x80 && (c < 0x20 || c == 0x7f)) {
          char octal[8];
          std::snprintf(octal, sizeof(octal), "\\%03o", c);
          out += octal;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

template <typename T>
std::string ElementText(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    return EscapedText(value);
  } else if constexpr (std::is_same_v<T, float>) {
    return FloatText(value, FLT_DIG, FLT_DIG + 3);
  } else if constexpr (std::is_same_v<T, double>) {
    return FloatText(value, DBL_DIG, DBL_DIG + 2);
  } else if constexpr (std::is_same_v<T, Eigen::half> ||
                       std::is_same_v<T, Eigen::bfloat16>) {
    return FloatText(static_cast<float>(value), FLT_DIG, FLT_DIG + 3);
  } else if constexpr (std::is_same_v<T, bool>) {
    return value ? "1" : "0";
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    return absl::StrCat(static_cast<int64_t>(value));
  } else if constexpr (std::is_integral_v<T>) {
    return absl::StrCat(static_cast<uint64_t>(value));
  } else {
    return "?";
  }
}

// Appends the elements under dimension `dim` from flat index *next on,
// stopping once `limit` elements are printed.
template <typename T>
void AppendDimension(const T* data, absl::Span<const int64_t> dims, int dim,
                     int64_t limit, int64_t* next, std::string* out) {
  if (*next >= limit) return;
  const int64_t count = dims[dim];
  if (dim == static_cast<int>(dims.size()) - 1) {
    for (int64_t i = 0; i < count; ++i) {
      if (*next >= limit) {
        if (dim != 0) absl::StrAppend(out, "...");
        return;
      }
      if (i > 0) absl::StrAppend(out, " ");
      absl::StrAppend(out, ElementText(data[(*next)++]));
    }
    return;
  }
  for (int64_t i = 0; i < count && *next < limit; ++i) {
    absl::StrAppend(out, "[");
    AppendDimension(data, dims, dim + 1, limit, next, out);
    absl::StrAppend(out, "]");
  }
}

// TensorFlow's Tensor::SummarizeValue(max_entries) (the non-v2 form).
std::string Summarize(const Tensor& t, int64_t max_entries) {
  const int64_t count = t.NumElements();
  const int64_t limit =
      max_entries < 0 ? count : std::min<int64_t>(max_entries, count);
  std::string out;
  auto append = [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, std::shared_ptr<ResourceBase>> ||
                  std::is_same_v<T, std::shared_ptr<VariantValue>>) {
      for (int64_t i = 0; i < limit; ++i) {
        absl::StrAppend(&out, i > 0 ? " ?" : "?");
      }
    } else {
      const T* data = t.data<T>();
      if (t.rank() == 0) {
        for (int64_t i = 0; i < limit; ++i) {
          if (i > 0) absl::StrAppend(&out, " ");
          absl::StrAppend(&out, ElementText(data[i]));
        }
      } else {
        int64_t next = 0;
        AppendDimension(data, t.shape().dims(), 0, limit, &next, &out);
      }
    }
  };
  if (!SwitchOnDataType(t.dtype(), append)) {
    for (int64_t i = 0; i < limit; ++i) {
      absl::StrAppend(&out, i > 0 ? " ?" : "?");
    }
  }
  if (count > limit) absl::StrAppend(&out, "...");
  return out;
}

class AssertKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    std::vector<DataType> types;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &types));
    if (c.num_inputs != 1 + static_cast<int>(types.size())) {
      return c.attrs.Error(
          absl::StrCat("expects 1 + ", types.size(),
                       " inputs (condition, then the data attr T lists), got ",
                       c.num_inputs));
    }
    int64_t summarize = 3;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("summarize", int64_t{3}, &summarize));
    return std::unique_ptr<OpKernel>(new AssertKernel(summarize));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& condition = ctx.input(0);
    if (condition.dtype() != DT_BOOL) {
      return ctx.InvalidArgument(
          absl::StrCat("Assert's condition must be bool, got ",
                       DataTypeName(condition.dtype())));
    }
    // TensorFlow accepts a legacy scalar: rank 0, or a vector of one.
    if (condition.rank() > 1 || condition.NumElements() != 1) {
      return ctx.InvalidArgument(absl::StrCat("In[0] should be a scalar: ",
                                              condition.shape().DebugString()));
    }
    if (condition.scalar<bool>()) return absl::OkStatus();
    std::string message = "assertion failed: ";
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      if (i > 1) absl::StrAppend(&message, " ");
      absl::StrAppend(&message, "[", Summarize(ctx.input(i), summarize_), "]");
    }
    return ctx.InvalidArgument(message);
  }

 private:
  explicit AssertKernel(int64_t summarize) : summarize_(summarize) {}
  const int64_t summarize_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Assert"), AssertKernel::Create);

}  // namespace model_server
