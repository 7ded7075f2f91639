// TensorList: the value behind TensorFlow's list ops (TensorListReserve,
// TensorListSetItem, TensorListStack, ...), which TF2 while loops, Keras RNNs
// and tf.map_fn use to collect one tensor per iteration.
//
// How DT_VARIANT values live in our Tensor: a DT_VARIANT tensor's elements
// are std::shared_ptr<VariantValue> (runtime/resource.h); a list op's handle
// is a scalar DT_VARIANT tensor whose element points to a TensorList. A
// TensorList is immutable once a tensor holds it: every op that "changes" a
// list (SetItem, PushBack, Resize, ...) builds a new TensorList. The copy
// shares the element tensors' buffers (Tensor copies are cheap), so a
// SetItem costs one handle copy per element, never an element copy. Because
// lists are never mutated in place, one list value can flow to several
// consumers, be captured by a loop and survive across iterations without
// aliasing surprises, and concurrent requests never share a mutable list.
//
// An element that was reserved but never set is an uninitialized Tensor
// (IsInitialized() false), TensorFlow's DT_INVALID placeholder; reading it
// gives zeros of the list's (or the op's) element shape.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_TENSOR_LIST_TENSOR_LIST_H_
#define MODEL_SERVER_RUNTIME_KERNELS_TENSOR_LIST_TENSOR_LIST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/partial_shapes.h"
#include "runtime/node_attrs.h"
#include "runtime/op_kernel.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class TensorList final : public VariantValue {
 public:
  // TensorFlow's type name for the variant (in its error messages).
  static constexpr char kTypeName[] = "tensorflow::TensorList";
  // Most elements a list may hold: its slots are bounded like a tensor's
  // bytes (Tensor::kMaxBytes), so a huge num_elements or index fails with
  // RESOURCE_EXHAUSTED instead of exhausting memory.
  static constexpr int64_t kMaxElements =
      Tensor::kMaxBytes / static_cast<int64_t>(sizeof(Tensor));

  TensorList(DataType element_dtype, PartialShape element_shape)
      : element_dtype(element_dtype), element_shape(std::move(element_shape)) {}

  std::string TypeName() const override { return kTypeName; }

  DataType element_dtype;
  // Shape every element must be compatible with; may be partially known.
  PartialShape element_shape;
  // Most elements PushBack may grow the list to; -1 for no limit.
  int64_t max_num_elements = -1;
  std::vector<Tensor> elements;
};

// --- Kernel construction ---------------------------------------------------

// The node's `element_dtype` attr; also checks an optional `shape_type` attr
// is int32 or int64.
absl::StatusOr<DataType> ListElementDtypeAttr(const KernelConstruction& c);

// --- Reading and writing list handles ------------------------------------

// The list held by a scalar DT_VARIANT tensor. INVALID_ARGUMENT (TensorFlow's
// texts) if `handle` is not a scalar or does not hold a TensorList.
absl::StatusOr<const TensorList*> ListFromHandle(const Tensor& handle);

// Sets output `index` to a scalar DT_VARIANT tensor holding `list`.
absl::Status SetListOutput(OpKernelContext& ctx, int index,
                           std::shared_ptr<TensorList> list);

// A copy of `list` (sharing its element buffers) to be changed and output.
std::shared_ptr<TensorList> CopyList(const TensorList& list);

// RESOURCE_EXHAUSTED unless 0 <= size <= TensorList::kMaxElements.
absl::Status CheckListSize(int64_t size, absl::string_view what);

// --- Element shapes ---------------------------------------------------------

// A shape given as a tensor, TensorFlow's convention for list ops: an int32
// or int64 vector with -1 for unknown dimensions, or the scalar -1 for an
// unknown rank.
absl::StatusOr<PartialShape> ShapeFromTensor(const Tensor& shape);

// The element shape to use for the list's elements: the op's element_shape
// input merged with the list's own, then with the shape of every set element
// (so all set elements are known to share it). Fails as MergeShapes.
absl::StatusOr<PartialShape> ElementShapeOfElements(
    const TensorList& list, const PartialShape& op_shape,
    absl::Span<const Tensor* const> elements);

// INVALID_ARGUMENT "Invalid data types; op elements <op> but list elements
// <list>" unless they are equal.
absl::Status CheckElementDtype(DataType op_dtype, const TensorList& list);

// --- Moving elements --------------------------------------------------------

// Copies `parts` (each of dtype out->dtype(), together exactly
// out->NumElements() elements) one after another into `out`.
void ConcatenateInto(absl::Span<const Tensor* const> parts, Tensor* out);

// Rows [begin, end) of `tensor` along its first dimension, as a new tensor
// of shape [end - begin, ...] (or without the first dimension when
// `drop_first_dim`). REQUIRES: rank >= 1, 0 <= begin <= end <= dim(0).
absl::StatusOr<Tensor> CopyRows(const Tensor& tensor, int64_t begin,
                                int64_t end, bool drop_first_dim);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_TENSOR_LIST_TENSOR_LIST_H_
