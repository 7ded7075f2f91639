// Making and inspecting TensorList handles in kernel tests.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_TENSOR_LIST_LIST_TEST_HELPERS_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_TENSOR_LIST_LIST_TEST_HELPERS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/tensor.h"

namespace model_server {
namespace list_testing {

// A partial shape: -1 dimensions unknown; UnknownRank() for no rank.
inline PartialShape Shape(std::vector<int64_t> dims) {
  PartialShape shape;
  shape.rank = static_cast<int>(dims.size());
  shape.dims = std::move(dims);
  return shape;
}
inline PartialShape UnknownRank() { return PartialShape(); }

// A handle (scalar DT_VARIANT) holding a list of `elements`; an
// uninitialized Tensor() is an element never set.
inline Tensor ListHandle(DataType dtype, PartialShape element_shape,
                         std::vector<Tensor> elements,
                         int64_t max_num_elements = -1) {
  auto list = std::make_shared<TensorList>(dtype, std::move(element_shape));
  list->elements = std::move(elements);
  list->max_num_elements = max_num_elements;
  return Tensor::Scalar<std::shared_ptr<VariantValue>>(std::move(list));
}

// The list behind a handle a kernel produced (null if it is not one).
inline const TensorList* ListOf(const Tensor& handle) {
  if (handle.dtype() != DT_VARIANT || handle.rank() != 0) return nullptr;
  return dynamic_cast<const TensorList*>(
      handle.scalar<std::shared_ptr<VariantValue>>().get());
}

// An element shape input: int32 vector, or the scalar -1 for unknown rank.
inline Tensor ShapeInput(std::vector<int32_t> dims) {
  return Tensor::Vector<int32_t>(std::move(dims));
}
inline Tensor UnknownShapeInput() { return Tensor::Scalar<int32_t>(-1); }

// A variant that is not a list, to feed where a list is expected.
class NotAList final : public VariantValue {
 public:
  std::string TypeName() const override { return "NotAList"; }
};

}  // namespace list_testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_TENSOR_LIST_LIST_TEST_HELPERS_H_
