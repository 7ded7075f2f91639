// AsString: each element of `input` formatted as a string ("output", same
// shape).
//
// dtypes: int8/16/32/64, uint8/16/32/64, float, double, half, bfloat16,
// complex64/128 ("(re,im)"), bool ("true"/"false") and string. Attrs as in
// TensorFlow, with its defaults: precision (-1), scientific, shortest,
// width (-1) and fill (one of " +-0#", used as the printf flag before the
// width). Numbers are printed as printf's %d / %u, and floats as %f, %e
// (scientific) or %g (shortest); precision and width apply when >= 0 / > 0.
// bool ignores width. A string input with no width is forwarded unchanged;
// with a width it is padded (and cut to `precision` characters if given).
// Attribute errors use TensorFlow's texts and fail the load.
#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

bool IsFloatingOrComplex(DataType dtype) {
  switch (dtype) {
    case DT_FLOAT:
    case DT_DOUBLE:
    case DT_HALF:
    case DT_BFLOAT16:
    case DT_COMPLEX64:
    case DT_COMPLEX128:
      return true;
    default:
      return false;
  }
}

// The printf conversion for `dtype`, or 0 if AsString does not take it.
char ConversionFor(DataType dtype, bool scientific, bool shortest) {
  switch (dtype) {
    case DT_INT8:
    case DT_INT16:
    case DT_INT32:
    case DT_INT64:
      return 'd';
    case DT_UINT8:
    case DT_UINT16:
    case DT_UINT32:
    case DT_UINT64:
      return 'u';
    case DT_STRING:
      return 's';
    case DT_BOOL:
      return 'b';  // not a printf conversion; bool is spelled out
    default:
      if (IsFloatingOrComplex(dtype)) {
        return shortest ? 'g' : (scientific ? 'e' : 'f');
      }
      return 0;
  }
}

class AsStringKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    int64_t precision, width;
    bool scientific, shortest;
    std::string fill;
    MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(attrs.GetOr("precision", int64_t{-1}, &precision));
    MS_RETURN_IF_ERROR(attrs.GetOr("scientific", false, &scientific));
    MS_RETURN_IF_ERROR(attrs.GetOr("shortest", false, &shortest));
    MS_RETURN_IF_ERROR(attrs.GetOr("width", int64_t{-1}, &width));
    MS_RETURN_IF_ERROR(attrs.GetOr("fill", std::string(), &fill));

    const char conversion = ConversionFor(dtype, scientific, shortest);
    if (conversion == 0) {
      return attrs.Error(
          absl::StrCat("Type not supported: ", DataTypeName(dtype)));
    }
    if (dtype != DT_STRING && !IsFloatingOrComplex(dtype)) {
      if (scientific || shortest) {
        return attrs.Error(absl::StrCat(
            "scientific and shortest format not supported for datatype ",
            DataTypeName(dtype)));
      }
      if (precision >= 0) {
        return attrs.Error(absl::StrCat("precision not supported for datatype ",
                                        DataTypeName(dtype)));
      }
    }
    if (fill.size() > 1) {
      return attrs.Error("Fill string must be one or fewer characters");
    }
    if (scientific && shortest) {
      return attrs.Error("Cannot select both scientific and shortest notation");
    }
    if (!fill.empty() &&
        absl::string_view(" +-0#").find(fill[0]) == absl::string_view::npos) {
      return attrs.Error(
          absl::StrCat("Fill argument not supported: \"", fill, "\""));
    }
    // Width and precision come from the (untrusted) graph; int32 in TF.
    if (width > INT32_MAX || precision > INT32_MAX) {
      return attrs.Error("width and precision must fit in int32");
    }
    Format format;
    format.width = width > 0 ? width : 0;
    format.precision = precision;
    format.spec = absl::StrCat(
        "%", fill, format.width > 0 ? absl::StrCat(format.width) : "",
        precision >= 0 ? absl::StrCat(".", precision) : "",
        absl::string_view(&conversion, 1));
    return std::unique_ptr<OpKernel>(
        new AsStringKernel(dtype, std::move(format)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    if (input.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("input must be ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(input.dtype())));
    }
    if (dtype_ == DT_STRING && format_.width == 0) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    const int64_t n = input.NumElements();
    // Padding and float digits multiply the output size; keep it bounded.
    const int64_t per_element =
        format_.width + (dtype_ == DT_STRING ? 0 : format_.precision) + 1;
    if (n > 0 && per_element > Tensor::kMaxBytes / n) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "AsString output of ", n, " elements with width ", format_.width,
          " and precision ", format_.precision, " is too large"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, input.shape()));
    std::string* strings = out->data<std::string>();
    bool ok = true;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* in = input.data<T>();
      for (int64_t i = 0; i < n && ok; ++i) {
        ok = FormatOne(in[i], &strings[i]);
      }
    });
    if (!ok) {
      return absl::InternalError(
          absl::StrCat("AsString could not apply format ", format_.spec));
    }
    return absl::OkStatus();
  }

 private:
  struct Format {
    std::string spec;  // e.g. "%08.3f"
    int64_t width = 0;
    int64_t precision = -1;
  };

  AsStringKernel(DataType dtype, Format format)
      : dtype_(dtype), format_(std::move(format)) {}

  bool Apply(const absl::FormatArg& arg, std::string* out) const {
    return absl::FormatUntyped(out, absl::UntypedFormatSpec(format_.spec),
                               {arg});
  }

  template <typename T>
  bool FormatOne(const T& value, std::string* out) const {
    if constexpr (std::is_same_v<T, bool>) {
      *out = value ? "true" : "false";
      return true;
    } else if constexpr (std::is_same_v<T, std::complex<float>> ||
                         std::is_same_v<T, std::complex<double>>) {
      std::string re, im;
      if (!Apply(absl::FormatArg(value.real()), &re) ||
          !Apply(absl::FormatArg(value.imag()), &im)) {
        return false;
      }
      *out = absl::StrCat("(", re, ",", im, ")");
      return true;
    } else if constexpr (std::is_same_v<T, Eigen::half> ||
                         std::is_same_v<T, Eigen::bfloat16>) {
      return Apply(absl::FormatArg(static_cast<float>(value)), out);
    } else if constexpr (std::is_same_v<T, std::string>) {
      return Apply(absl::FormatArg(absl::string_view(value)), out);
    } else if constexpr (std::is_arithmetic_v<T>) {
      return Apply(absl::FormatArg(value), out);
    } else {
      return false;  // resource/variant: rejected at load
    }
  }

  const DataType dtype_;
  const Format format_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("AsString").Output("output"), AsStringKernel::Create);

}  // namespace model_server
