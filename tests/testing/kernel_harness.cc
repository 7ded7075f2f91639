#include "tests/testing/kernel_harness.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "runtime/executor.h"
#include "runtime/graph.h"
#include "runtime/op_registry.h"
#include "runtime/plan.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace model_server {

KernelHarness::KernelHarness(std::string op) : op_(std::move(op)) {
  node_.set_name("op_under_test");
  node_.set_op(op_);
}

KernelHarness& KernelHarness::Attr(const std::string& name, int64_t value) {
  (*node_.mutable_attr())[name].set_i(value);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name, float value) {
  (*node_.mutable_attr())[name].set_f(value);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name, bool value) {
  (*node_.mutable_attr())[name].set_b(value);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name,
                                   const std::string& value) {
  (*node_.mutable_attr())[name].set_s(value);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name, DataType value) {
  (*node_.mutable_attr())[name].set_type(
      static_cast<tensorflow::DataType>(value));
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name,
                                   const std::vector<int64_t>& value) {
  auto* list = (*node_.mutable_attr())[name].mutable_list();
  list->Clear();
  for (int64_t v : value) list->add_i(v);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name,
                                   const std::vector<DataType>& value) {
  auto* list = (*node_.mutable_attr())[name].mutable_list();
  list->Clear();
  for (DataType v : value) list->add_type(static_cast<tensorflow::DataType>(v));
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name,
                                   const std::vector<std::string>& value) {
  auto* list = (*node_.mutable_attr())[name].mutable_list();
  list->Clear();
  for (const auto& v : value) list->add_s(v);
  return *this;
}
KernelHarness& KernelHarness::Attr(const std::string& name,
                                   const Tensor& value) {
  auto* proto = (*node_.mutable_attr())[name].mutable_tensor();
  absl::Status status = TensorToProto(value, proto);
  (void)status;
  return *this;
}
KernelHarness& KernelHarness::ShapeAttr(const std::string& name,
                                        const std::vector<int64_t>& dims) {
  auto* shape = (*node_.mutable_attr())[name].mutable_shape();
  shape->Clear();
  for (int64_t d : dims) shape->add_dim()->set_size(d);
  return *this;
}
KernelHarness& KernelHarness::ShapeListAttr(
    const std::string& name, const std::vector<std::vector<int64_t>>& shapes) {
  auto* list = (*node_.mutable_attr())[name].mutable_list();
  list->Clear();
  for (const auto& dims : shapes) {
    auto* shape = list->add_shape();
    for (int64_t d : dims) shape->add_dim()->set_size(d);
  }
  return *this;
}
KernelHarness& KernelHarness::RawAttr(const std::string& name,
                                      const tensorflow::AttrValue& value) {
  (*node_.mutable_attr())[name] = value;
  return *this;
}

absl::StatusOr<std::vector<Tensor>> KernelHarness::Run(
    const std::vector<Tensor>& inputs) {
  tensorflow::GraphDef graph_def;
  tensorflow::NodeDef node = node_;
  node.clear_input();
  std::vector<std::string> feeds;
  for (size_t i = 0; i < inputs.size(); ++i) {
    tensorflow::NodeDef* input = graph_def.add_node();
    input->set_name(absl::StrCat("input_", i));
    input->set_op("Placeholder");
    (*input->mutable_attr())["dtype"].set_type(
        static_cast<tensorflow::DataType>(inputs[i].dtype()));
    node.add_input(input->name());
    feeds.push_back(absl::StrCat(input->name(), ":0"));
  }
  *graph_def.add_node() = node;
  absl::StatusOr<std::unique_ptr<Graph>> graph =
      Graph::FromGraphDef(graph_def, nullptr);
  if (!graph.ok()) return graph.status();
  const GraphNode& op_node = (*graph)->node((*graph)->FindNode(node.name()));
  if (!op_node.error.empty()) return absl::InvalidArgumentError(op_node.error);
  std::vector<std::string> fetches;
  for (int i = 0; i < op_node.num_outputs; ++i) {
    fetches.push_back(absl::StrCat(node.name(), ":", i));
  }
  CompileEnv env{&resources_, nullptr, ""};
  absl::StatusOr<std::unique_ptr<Plan>> plan =
      Plan::CompileByName(**graph, feeds, fetches, {node.name()}, env);
  if (!plan.ok()) return plan.status();
  std::vector<Tensor> outputs;
  absl::Status status = RunPlan(**plan, inputs, &outputs);
  if (!status.ok()) return status;
  return outputs;
}

std::string CompareTensors(const Tensor& actual, const Tensor& expected,
                           double rtol, double atol) {
  if (actual.dtype() != expected.dtype()) {
    return absl::StrCat("dtype ", DataTypeName(actual.dtype()),
                        " != ", DataTypeName(expected.dtype()));
  }
  if (actual.shape() != expected.shape()) {
    return absl::StrCat("shape ", actual.shape().DebugString(),
                        " != ", expected.shape().DebugString());
  }
  std::string diff;
  SwitchOnDataType(actual.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* a = actual.data<T>();
    const T* e = expected.data<T>();
    for (int64_t i = 0; i < actual.NumElements() && diff.empty(); ++i) {
      bool equal;
      if constexpr (std::is_floating_point_v<T> ||
                    std::is_same_v<T, Eigen::half> ||
                    std::is_same_v<T, Eigen::bfloat16>) {
        double x = static_cast<double>(a[i]), y = static_cast<double>(e[i]);
        // An infinity matches only itself: with y = inf the tolerance
        // would be infinite and accept any x.
        equal = (std::isnan(x) && std::isnan(y)) || x == y ||
                (!std::isinf(x) && !std::isinf(y) &&
                 std::fabs(x - y) <= atol + rtol * std::fabs(y));
      } else if constexpr (std::is_same_v<T, std::complex<float>> ||
                           std::is_same_v<T, std::complex<double>>) {
        equal = std::abs(a[i] - e[i]) <= atol + rtol * std::abs(e[i]);
      } else {
        equal = a[i] == e[i];
      }
      if (!equal) {
        diff = absl::StrCat("element ", i, " differs: actual ",
                            actual.DebugString(16), " expected ",
                            expected.DebugString(16));
      }
    }
  });
  return diff;
}

}  // namespace model_server
