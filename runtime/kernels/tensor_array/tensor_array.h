// The TensorArray behind TensorFlow 1's TensorArrayV3 ops: a list of
// write-once tensors that one run builds and reads (tf.TensorArray,
// dynamic_rnn's inputs and outputs, tf.map_fn's results).
//
// A TensorArrayV3 node creates a new TensorArray every time it runs, so each
// request has its own; the ops that use it receive it through a DT_RESOURCE
// scalar handle (TensorArrayFromHandle) and a `flow` float scalar that only
// orders them. Semantics follow TensorFlow's tensor_array.h:
//   - writes: an index is written once ("has already been written to"), not
//     after it was read, within the size unless the array has dynamic_size
//     (then it grows); the value's dtype must be the array's and its shape
//     compatible with the element shape, which an array with
//     identical_element_shapes learns from its first write;
//   - reads: of a written index; an unwritten index inside the size reads as
//     zeros when the element shape is fully defined and is an error
//     otherwise; with clear_after_read an index can be read only once;
//   - Close() drops the elements; any later use fails.
// Error texts are TensorFlow's, prefixed with "TensorArray <name>: ".
// Thread-safe (one mutex), though a run uses it from one thread.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_H_
#define MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "runtime/kernels/partial_shapes.h"
#include "runtime/node_attrs.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class TensorArray final : public ResourceBase {
 public:
  struct Options {
    // The tensor_array_name attr, or the node name when it is empty.
    std::string name;
    DataType dtype = DT_FLOAT;
    PartialShape element_shape;
    bool identical_element_shapes = false;
    bool dynamic_size = false;
    bool clear_after_read = true;
  };

  // Most elements one TensorArray may hold: its bookkeeping is allocated up
  // front, and the size comes from request data.
  static constexpr int64_t kMaxSize = int64_t{1} << 20;

  // INVALID_ARGUMENT "Size should be >= 0." for a negative size,
  // RESOURCE_EXHAUSTED above kMaxSize.
  static absl::StatusOr<std::shared_ptr<TensorArray>> Create(Options options,
                                                             int64_t size);

  std::string TypeName() const override { return "TensorArray"; }
  DataType dtype() const { return options_.dtype; }
  const std::string& name() const { return options_.name; }

  absl::Status Write(int64_t index, const Tensor& value);
  // Writes values[i] at indices[i], in order, stopping at the first error.
  absl::Status WriteMany(const std::vector<int64_t>& indices,
                         const std::vector<Tensor>& values);
  absl::StatusOr<Tensor> Read(int64_t index);
  absl::Status ReadMany(const std::vector<int64_t>& indices,
                        std::vector<Tensor>* values);

  absl::StatusOr<int64_t> Size() const;
  bool dynamic_size() const { return options_.dynamic_size; }
  PartialShape element_shape() const;
  // Narrows the element shape by `shape` (Gather's element_shape attr).
  absl::Status MergeElementShape(const PartialShape& shape);
  void Close();

 private:
  struct Element {
    Tensor tensor;
    TensorShape shape;
    bool written = false;
    bool read = false;
    bool cleared = false;
  };

  explicit TensorArray(Options options) : options_(std::move(options)) {}
  absl::Status Error(absl::string_view message) const;
  absl::Status CheckOpen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Grow(int64_t size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LockedWrite(int64_t index, const Tensor& value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Tensor> LockedRead(int64_t index)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  PartialShape element_shape_ ABSL_GUARDED_BY(mu_);
  std::vector<Element> elements_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// The TensorArray a handle input points to: INVALID_ARGUMENT unless `handle`
// is a DT_RESOURCE scalar made by TensorArrayV3.
absl::StatusOr<std::shared_ptr<TensorArray>> TensorArrayFromHandle(
    const Tensor& handle);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_H_
