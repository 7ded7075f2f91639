#include "runtime/kernels/image/decode_common.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<const std::string*> ImageContents(const Tensor& contents) {
  MS_RETURN_IF_ERROR(CheckInputDtype(contents, DT_STRING));
  if (contents.rank() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("`contents` must be scalar but got shape",
                     contents.shape().DebugString()));
  }
  const std::string& data = contents.scalar<std::string>();
  if (data.empty()) return absl::InvalidArgumentError("Input is empty.");
  return &data;
}

absl::Status ReadDecodeChannels(const KernelConstruction& c, int* channels) {
  int64_t value;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("channels", int64_t{0}, &value));
  if (value != 0 && value != 1 && value != 3 && value != 4) {
    return c.attrs.Error(
        absl::StrCat("`channels` must be 0, 1, 3 or 4 but got ", value));
  }
  *channels = static_cast<int>(value);
  return absl::OkStatus();
}

absl::Status ReadJpegDecodeAttrs(const KernelConstruction& c,
                                 JpegDecodeOptions* options) {
  int64_t ratio;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("ratio", int64_t{1}, &ratio));
  if (ratio != 1 && ratio != 2 && ratio != 4 && ratio != 8) {
    return c.attrs.Error(
        absl::StrCat("ratio must be 1, 2, 4, or 8, got ", ratio));
  }
  options->ratio = static_cast<int>(ratio);
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("fancy_upscaling", true, &options->fancy_upscaling));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("try_recover_truncated", false,
                                   &options->try_recover_truncated));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("acceptable_fraction", 1.0f,
                                   &options->acceptable_fraction));
  std::string dct_method;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("dct_method", std::string(), &dct_method));
  if (dct_method != "" && dct_method != "INTEGER_FAST" &&
      dct_method != "INTEGER_ACCURATE") {
    return c.attrs.Error(
        "dct_method must be one of {'', 'INTEGER_FAST', 'INTEGER_ACCURATE'}");
  }
  options->integer_accurate = dct_method == "INTEGER_ACCURATE";
  return absl::OkStatus();
}

}  // namespace model_server
