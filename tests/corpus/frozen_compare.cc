#include "tests/corpus/frozen_compare.h"

#include <cmath>
#include <complex>
#include <type_traits>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kIsReal =
    std::is_floating_point_v<T> || std::is_same_v<T, Eigen::half> ||
    std::is_same_v<T, Eigen::bfloat16>;
template <typename T>
constexpr bool kIsComplex = std::is_same_v<T, std::complex<float>> ||
                            std::is_same_v<T, std::complex<double>>;

bool RealClose(double got, double want, const Tolerance& tolerance) {
  if (std::isnan(want) || std::isnan(got)) {
    return std::isnan(want) && std::isnan(got);
  }
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(got - want) <=
         tolerance.absolute + tolerance.relative * std::fabs(want);
}

template <typename T>
bool ElementMatches(const T& got, const T& want, const Tolerance& tolerance) {
  if constexpr (kIsReal<T>) {
    return RealClose(static_cast<double>(got), static_cast<double>(want),
                     tolerance);
  } else if constexpr (kIsComplex<T>) {
    return RealClose(got.real(), want.real(), tolerance) &&
           RealClose(got.imag(), want.imag(), tolerance);
  } else {
    return got == want;
  }
}

template <typename T>
std::string ElementText(const T& value) {
  if constexpr (kIsReal<T>) {
    return absl::StrFormat("%.9g", static_cast<double>(value));
  } else if constexpr (kIsComplex<T>) {
    return absl::StrFormat("(%.9g,%.9g)", value.real(), value.imag());
  } else if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return absl::StrCat("\"", absl::CHexEscape(value.substr(0, 40)), "\"");
  } else if constexpr (std::is_arithmetic_v<T>) {
    return absl::StrCat(value);
  } else {
    return "<handle>";
  }
}

// "[1,2]": the row-major coordinates of flat index `index`.
std::string Coordinates(const TensorShape& shape, int64_t index) {
  std::vector<int64_t> coords(shape.rank());
  for (int d = shape.rank() - 1; d >= 0; --d) {
    coords[d] = index % shape.dim(d);
    index /= shape.dim(d);
  }
  return absl::StrCat("[", absl::StrJoin(coords, ","), "]");
}

}  // namespace

std::optional<OutputMismatch> CompareWithTensorFlow(const Tensor& got,
                                                    const Tensor& want,
                                                    const Tolerance& tolerance,
                                                    bool check_values) {
  if (got.dtype() != want.dtype() || got.shape() != want.shape()) {
    return OutputMismatch{OutputMismatch::Kind::kDtypeOrShape,
                          absl::StrCat("got ", DataTypeName(got.dtype()), " ",
                                       got.shape().DebugString(), ", want ",
                                       DataTypeName(want.dtype()), " ",
                                       want.shape().DebugString())};
  }
  if (!check_values) return std::nullopt;
  std::optional<OutputMismatch> mismatch;
  SwitchOnDataType(got.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kIsReal<T> || kIsComplex<T> || std::is_arithmetic_v<T> ||
                  std::is_same_v<T, std::string>) {
      const T* g = got.data<T>();
      const T* w = want.data<T>();
      int64_t first = -1;
      int64_t differing = 0;
      for (int64_t i = 0; i < got.NumElements(); ++i) {
        if (ElementMatches(g[i], w[i], tolerance)) continue;
        if (first < 0) first = i;
        ++differing;
      }
      if (first < 0) return;
      mismatch = OutputMismatch{
          OutputMismatch::Kind::kValue,
          absl::StrCat("element ", first, " ", Coordinates(got.shape(), first),
                       ": got ", ElementText(g[first]), ", want ",
                       ElementText(w[first]), " (", differing, " of ",
                       got.NumElements(), " elements differ)")};
    } else {
      mismatch = OutputMismatch{OutputMismatch::Kind::kDtypeOrShape,
                                absl::StrCat("cannot compare values of type ",
                                             DataTypeName(got.dtype()))};
    }
  });
  return mismatch;
}

}  // namespace model_server
