#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/resource.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A VarHandleOp harness and the handle tensor it outputs.
struct Handle {
  std::unique_ptr<KernelHarness> op;
  Tensor tensor;
};

Handle MakeHandle(DataType dtype, const std::string& shared_name = "var") {
  Handle h;
  h.op = std::make_unique<KernelHarness>("VarHandleOp");
  h.op->Attr("dtype", dtype)
      .Attr("shared_name", shared_name)
      .Attr("container", "")
      .ShapeAttr("shape", {-1});
  auto out = h.op->Run({});
  EXPECT_TRUE(out.ok()) << out.status();
  if (out.ok()) h.tensor = out->at(0);
  return h;
}

std::shared_ptr<Variable> Lookup(ResourceManager& rm, const std::string& name) {
  auto var = rm.LookupOrCreate<Variable>(
      "", name, [&]() { return std::make_shared<Variable>(DT_INVALID, name); });
  if (!var.ok() || (*var)->dtype() == DT_INVALID) return nullptr;
  return *var;
}

absl::Status Assign(const Tensor& handle, const Tensor& value,
                    const char* op = "AssignVariableOp") {
  KernelHarness k(op);
  k.Attr("dtype", value.dtype());
  return k.Run({handle, value}).status();
}

absl::StatusOr<Tensor> Read(const Tensor& handle, DataType dtype) {
  KernelHarness k("ReadVariableOp");
  k.Attr("dtype", dtype);
  auto out = k.Run({handle});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(VarHandleOp, OutputsTheSameHandleEveryRun) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_EQ(h.tensor.dtype(), DT_RESOURCE);
  EXPECT_EQ(h.tensor.rank(), 0);
  auto again = h.op->Run({});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->at(0).data<std::shared_ptr<ResourceBase>>()[0],
            h.tensor.data<std::shared_ptr<ResourceBase>>()[0]);
  auto var = Lookup(h.op->resources(), "var");
  ASSERT_NE(var, nullptr);
  EXPECT_EQ(var->dtype(), DT_FLOAT);
  EXPECT_EQ(h.tensor.data<std::shared_ptr<ResourceBase>>()[0].get(), var.get());
}

TEST(VarHandleOp, EmptySharedNameUsesTheNodeName) {
  Handle h = MakeHandle(DT_INT32, "");
  EXPECT_NE(Lookup(h.op->resources(), "op_under_test"), nullptr);
}

TEST(ResourceVariables, AssignThenReadRoundTrips) {
  Handle h = MakeHandle(DT_FLOAT);
  Tensor value = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  ASSERT_TRUE(Assign(h.tensor, value).ok());
  auto read = Read(h.tensor, DT_FLOAT);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TENSOR_EQ(*read, value);
  auto var = Lookup(h.op->resources(), "var");
  ASSERT_NE(var, nullptr);
  EXPECT_TRUE(var->initialized());
}

TEST(ReadVariableOp, UninitializedFailsWithTensorFlowMessage) {
  Handle h = MakeHandle(DT_FLOAT);
  auto read = Read(h.tensor, DT_FLOAT);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(),
              HasSubstr("Error while reading resource variable var from "
                        "Container: localhost. This could mean that the "
                        "variable was uninitialized."));
}

TEST(ReadVariableOp, RejectsWrongDtype) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Scalar(1.f)).ok());
  auto read = Read(h.tensor, DT_INT32);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(),
              HasSubstr("Trying to read variable with wrong dtype. Expected "
                        "int32 got float"));
}

TEST(ReadVariableOp, RejectsNonResourceInput) {
  auto read = Read(Tensor::Scalar(1.f), DT_FLOAT);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AssignVariableOp, RejectsValueOfAnotherDtype) {
  Handle h = MakeHandle(DT_FLOAT);
  KernelHarness k("AssignVariableOp");
  k.Attr("dtype", DT_FLOAT);
  auto out = k.Run({h.tensor, Tensor::Scalar<int32_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Variable and value dtypes don't match"));
  // The op's dtype matches the value but not the variable.
  auto status = Assign(h.tensor, Tensor::Scalar<int32_t>(1));
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr("Trying to assign variable with wrong dtype. Expected "
                        "float got int32"));
}

TEST(AssignVariableOp, ValidateShapeRejectsNewShapeOnlyWhenAsked) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Vector<float>({1, 2})).ok());
  // Default validate_shape=false: a new shape is fine.
  ASSERT_TRUE(Assign(h.tensor, Tensor::Vector<float>({1, 2, 3})).ok());
  KernelHarness k("AssignVariableOp");
  k.Attr("dtype", DT_FLOAT).Attr("validate_shape", true);
  auto out = k.Run({h.tensor, Tensor::Vector<float>({1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Trying to assign to variable with tensor with wrong "
                        "shape. Expected [3] got [1]"));
}

TEST(AssignAddVariableOp, AddsAndSubtracts) {
  Handle h = MakeHandle(DT_INT32);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Vector<int32_t>({1, 2})).ok());
  ASSERT_TRUE(
      Assign(h.tensor, Tensor::Vector<int32_t>({10, 10}), "AssignAddVariableOp")
          .ok());
  ASSERT_TRUE(
      Assign(h.tensor, Tensor::Vector<int32_t>({1, 1}), "AssignSubVariableOp")
          .ok());
  auto read = Read(h.tensor, DT_INT32);
  ASSERT_TRUE(read.ok());
  EXPECT_TENSOR_EQ(*read, Tensor::Vector<int32_t>({10, 11}));
}

TEST(AssignAddVariableOp, DoesNotChangeATensorAReaderHolds) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Scalar(1.f)).ok());
  auto before = Read(h.tensor, DT_FLOAT);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(
      Assign(h.tensor, Tensor::Scalar(2.f), "AssignAddVariableOp").ok());
  EXPECT_TENSOR_EQ(*before, Tensor::Scalar(1.f));
  EXPECT_TENSOR_EQ(*Read(h.tensor, DT_FLOAT), Tensor::Scalar(3.f));
}

TEST(AssignAddVariableOp, ConcurrentUpdatesAreNotLost) {
  Handle h = MakeHandle(DT_INT64);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Scalar<int64_t>(0)).ok());
  constexpr int kThreads = 4, kAdds = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h]() {
      KernelHarness k("AssignAddVariableOp");
      k.Attr("dtype", DT_INT64);
      for (int i = 0; i < kAdds; ++i) {
        EXPECT_TRUE(k.Run({h.tensor, Tensor::Scalar<int64_t>(1)}).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_TENSOR_EQ(*Read(h.tensor, DT_INT64),
                   Tensor::Scalar<int64_t>(kThreads * kAdds));
}

TEST(AssignAddVariableOp, RejectsShapeMismatch) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Vector<float>({1, 2})).ok());
  auto status =
      Assign(h.tensor, Tensor::Vector<float>({1}), "AssignAddVariableOp");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr("Cannot update variable with shape [2] using a Tensor "
                        "with shape [1], shapes must be equal."));
}

TEST(AssignAddVariableOp, UninitializedFails) {
  Handle h = MakeHandle(DT_FLOAT);
  auto status = Assign(h.tensor, Tensor::Scalar(1.f), "AssignAddVariableOp");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(AssignAddVariableOp, RejectsBoolAtLoad) {
  Handle h = MakeHandle(DT_BOOL);
  EXPECT_FALSE(
      Assign(h.tensor, Tensor::Scalar(true), "AssignAddVariableOp").ok());
}

TEST(VarIsInitializedOp, ReportsAssignment) {
  Handle h = MakeHandle(DT_FLOAT);
  KernelHarness k("VarIsInitializedOp");
  k.Attr("dtype", DT_FLOAT);
  auto out = k.Run({h.tensor});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(false));
  ASSERT_TRUE(Assign(h.tensor, Tensor::Scalar(1.f)).ok());
  out = k.Run({h.tensor});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(true));
}

TEST(VariableShape, ReturnsTheValueShape) {
  Handle h = MakeHandle(DT_FLOAT);
  KernelHarness k("VariableShape");
  k.Attr("out_type", DT_INT64);
  EXPECT_FALSE(k.Run({h.tensor}).ok());  // uninitialized
  ASSERT_TRUE(Assign(h.tensor, Tensor::FromVector<float>({1, 2, 3, 4, 5, 6},
                                                         TensorShape{3, 2}))
                  .ok());
  auto out = k.Run({h.tensor});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({3, 2}));
}

TEST(DisableCopyOnRead, IsANoOp) {
  Handle h = MakeHandle(DT_FLOAT);
  KernelHarness k("DisableCopyOnRead");
  auto out = k.Run({h.tensor});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->empty());
}

TEST(ResourceGather, GathersRows) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::FromVector<float>({0, 1, 10, 11, 20, 21},
                                                         TensorShape{3, 2}))
                  .ok());
  KernelHarness k("ResourceGather");
  k.Attr("dtype", DT_FLOAT).Attr("Tindices", DT_INT64);
  auto out = k.Run(
      {h.tensor, Tensor::FromVector<int64_t>({2, 0, 2, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({20, 21, 0, 1, 20, 21, 10, 11},
                                             TensorShape{2, 2, 2}));
}

TEST(ResourceGather, BatchDimsGathersWithinEachBatch) {
  Handle h = MakeHandle(DT_INT32);
  // params [2, 3]: batch 0 = {0, 1, 2}, batch 1 = {10, 11, 12}.
  ASSERT_TRUE(Assign(h.tensor, Tensor::FromVector<int32_t>(
                                   {0, 1, 2, 10, 11, 12}, TensorShape{2, 3}))
                  .ok());
  KernelHarness k("ResourceGather");
  k.Attr("dtype", DT_INT32).Attr("Tindices", DT_INT32).Attr("batch_dims", 1);
  auto out = k.Run(
      {h.tensor, Tensor::FromVector<int32_t>({2, 0, 1, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({2, 0, 11, 11},
                                                           TensorShape{2, 2}));
}

TEST(ResourceGather, RejectsOutOfRangeIndex) {
  Handle h = MakeHandle(DT_FLOAT);
  ASSERT_TRUE(Assign(h.tensor, Tensor::Vector<float>({1, 2, 3})).ok());
  KernelHarness k("ResourceGather");
  k.Attr("dtype", DT_FLOAT).Attr("Tindices", DT_INT32);
  auto out = k.Run({h.tensor, Tensor::Vector<int32_t>({0, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1] = 3 is not in [0, 3)"));
}

TEST(ResourceGather, GathersStrings) {
  Handle h = MakeHandle(DT_STRING);
  ASSERT_TRUE(
      Assign(h.tensor, Tensor::Vector<std::string>({"a", "b", "c"})).ok());
  KernelHarness k("ResourceGather");
  k.Attr("dtype", DT_STRING).Attr("Tindices", DT_INT32);
  auto out = k.Run({h.tensor, Tensor::Scalar<int32_t>(1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<std::string>("b"));
}

}  // namespace
}  // namespace model_server
