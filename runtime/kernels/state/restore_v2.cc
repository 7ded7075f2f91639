// RestoreV2: reads tensors from a TensorBundle checkpoint. This is how a
// SavedModel's variables are restored: the loader runs the SaverDef's
// restore op with the prefix "<export_dir>/variables/variables".
//
// Inputs: prefix (string scalar), tensor_names (string [N]),
// shape_and_slices (string [N], "" for whole tensors). Attr: dtypes
// (list(type), N entries). Outputs: tensors, one per name, of those dtypes.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/bundle/bundle_reader.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class RestoreV2Kernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& construction) {
    std::vector<DataType> dtypes;
    MS_RETURN_IF_ERROR(construction.attrs.Get("dtypes", &dtypes));
    for (DataType dtype : dtypes) {
      if (dtype == DT_RESOURCE || dtype == DT_VARIANT) {
        return construction.attrs.Error(absl::StrCat(
            "cannot restore tensors of type ", DataTypeName(dtype)));
      }
    }
    if (construction.num_inputs != 3) {
      return construction.attrs.Error(absl::StrCat(
          "expects 3 inputs (prefix, tensor_names, shape_and_slices), got ",
          construction.num_inputs));
    }
    return std::unique_ptr<OpKernel>(new RestoreV2Kernel(std::move(dtypes)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& prefix = ctx.input(0);
    const Tensor& names = ctx.input(1);
    const Tensor& slices = ctx.input(2);
    if (prefix.dtype() != DT_STRING || prefix.NumElements() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input prefix should be a single string, got ",
          DataTypeName(prefix.dtype()), " ", prefix.shape().DebugString()));
    }
    if (names.dtype() != DT_STRING || slices.dtype() != DT_STRING ||
        names.rank() != 1 || slices.rank() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input tensor_names and shape_and_slices should be 1-D string "
          "tensors, got ",
          DataTypeName(names.dtype()), " ", names.shape().DebugString(),
          " and ", DataTypeName(slices.dtype()), " ",
          slices.shape().DebugString()));
    }
    const int64_t n = names.NumElements();
    if (slices.NumElements() != n) {
      return ctx.InvalidArgument(absl::StrCat(
          "tensor_names and shape_and_slices have different number of "
          "elements: ",
          n, " vs. ", slices.NumElements()));
    }
    if (n != static_cast<int64_t>(dtypes_.size()) || n != ctx.num_outputs()) {
      return ctx.InvalidArgument(absl::StrCat("Got ", n, " tensor names, but ",
                                              dtypes_.size(),
                                              " expected dtypes."));
    }
    absl::Span<const std::string> name_list = names.flat<std::string>();
    absl::Span<const std::string> slice_list = slices.flat<std::string>();

    MS_ASSIGN_OR_RETURN(std::unique_ptr<BundleReader> reader,
                        BundleReader::Open(prefix.flat<std::string>()[0]));
    // Like TensorFlow, report every dtype mismatch at once before reading.
    std::vector<std::string> mismatches;
    for (int64_t i = 0; i < n; ++i) {
      MS_ASSIGN_OR_RETURN(BundleEntryInfo info,
                          reader->GetEntryInfo(name_list[i]));
      if (info.dtype != dtypes_[i]) {
        mismatches.push_back(absl::StrCat(
            "tensor_name = ", name_list[i], "; expected dtype ",
            DataTypeName(dtypes_[i]), " does not equal original dtype ",
            DataTypeName(info.dtype)));
      }
    }
    if (!mismatches.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(mismatches, "\n"));
    }
    for (int64_t i = 0; i < n; ++i) {
      MS_ASSIGN_OR_RETURN(Tensor tensor,
                          reader->LookupSlice(name_list[i], slice_list[i]));
      ctx.set_output(static_cast<int>(i), std::move(tensor));
    }
    return absl::OkStatus();
  }

 private:
  explicit RestoreV2Kernel(std::vector<DataType> dtypes)
      : dtypes_(std::move(dtypes)) {}

  const std::vector<DataType> dtypes_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RestoreV2").Output("tensors", "dtypes"),
                RestoreV2Kernel::Create);

}  // namespace model_server
