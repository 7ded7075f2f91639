// TensorArrayV3 and its ops, each run alone on an array the test makes (fed
// through its resource handle), against TensorFlow's semantics and texts.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/kernels/tensor_array/tensor_array.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TensorArray::Options Options(DataType dtype, PartialShape shape = {}) {
  TensorArray::Options options;
  options.name = "ta";
  options.dtype = dtype;
  options.element_shape = std::move(shape);
  return options;
}

std::shared_ptr<TensorArray> MakeArray(TensorArray::Options options,
                                       int64_t size) {
  auto array = TensorArray::Create(std::move(options), size);
  EXPECT_TRUE(array.ok()) << array.status();
  return *array;
}

Tensor Handle(std::shared_ptr<TensorArray> array) {
  auto handle = Tensor::Create(DT_RESOURCE, TensorShape());
  handle->data<std::shared_ptr<ResourceBase>>()[0] = std::move(array);
  return *handle;
}

Tensor Flow() { return Tensor::Scalar<float>(0); }

absl::Status Write(const std::shared_ptr<TensorArray>& array, int index,
                   const Tensor& value) {
  KernelHarness write("TensorArrayWriteV3");
  write.Attr("T", value.dtype());
  return write
      .Run({Handle(array), Tensor::Scalar<int32_t>(index), value, Flow()})
      .status();
}

absl::StatusOr<Tensor> Read(const std::shared_ptr<TensorArray>& array,
                            int index, DataType dtype) {
  KernelHarness read("TensorArrayReadV3");
  read.Attr("dtype", dtype);
  auto out = read.Run({Handle(array), Tensor::Scalar<int32_t>(index), Flow()});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(TensorArrayV3, CreatesAnArrayOfTheGivenSize) {
  KernelHarness create("TensorArrayV3");
  create.Attr("dtype", DT_FLOAT).Attr("tensor_array_name", "");
  auto out = create.Run({Tensor::Scalar<int32_t>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<float>(0));
  auto array = TensorArrayFromHandle(out->at(0));
  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_EQ(*(*array)->Size(), 3);
  EXPECT_EQ((*array)->dtype(), DT_FLOAT);
}

TEST(TensorArrayV3, EachRunMakesANewArray) {
  KernelHarness create("TensorArrayV3");
  create.Attr("dtype", DT_INT32);
  auto first = create.Run({Tensor::Scalar<int32_t>(1)});
  auto second = create.Run({Tensor::Scalar<int32_t>(1)});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*TensorArrayFromHandle(first->at(0)),
            *TensorArrayFromHandle(second->at(0)));
}

TEST(TensorArrayV3, RejectsBadSizes) {
  KernelHarness create("TensorArrayV3");
  create.Attr("dtype", DT_FLOAT);
  auto negative = create.Run({Tensor::Scalar<int32_t>(-1)});
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.status().message(), HasSubstr("Size should be >= 0."));
  auto huge = create.Run({Tensor::Scalar<int32_t>(1 << 30)});
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  auto vector = create.Run({Tensor::Vector<int32_t>({1, 2})});
  EXPECT_THAT(vector.status().message(),
              HasSubstr("TensorArray size must be scalar, but had shape: [2]"));
  auto wrong_type = create.Run({Tensor::Scalar<float>(2)});
  EXPECT_EQ(wrong_type.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TensorArrayWriteV3, WritesOnceAndReadsBack) {
  auto array = MakeArray(Options(DT_FLOAT), 2);
  Tensor value = Tensor::Vector<float>({1, 2, 3});
  ASSERT_TRUE(Write(array, 1, value).ok());
  auto read = Read(array, 1, DT_FLOAT);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TENSOR_EQ(*read, value);
  absl::Status again = Write(array, 0, value);
  EXPECT_TRUE(again.ok());
  absl::Status twice = Write(array, 0, value);
  EXPECT_THAT(twice.message(),
              HasSubstr("TensorArray ta: Could not write to TensorArray index "
                        "0 because it has already been written to."));
}

TEST(TensorArrayWriteV3, PassesTheFlowThrough) {
  auto array = MakeArray(Options(DT_INT64), 1);
  KernelHarness write("TensorArrayWriteV3");
  write.Attr("T", DT_INT64);
  auto out = write.Run({Handle(array), Tensor::Scalar<int32_t>(0),
                        Tensor::Scalar<int64_t>(7), Tensor::Scalar<float>(5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<float>(5));
}

TEST(TensorArrayWriteV3, StaysInsideAFixedSize) {
  auto array = MakeArray(Options(DT_FLOAT), 2);
  absl::Status status = Write(array, 2, Tensor::Scalar<float>(1));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("Tried to write to index 2 but array is not "
                        "resizeable and size is: 2"));
  EXPECT_THAT(Write(array, -1, Tensor::Scalar<float>(1)).message(),
              HasSubstr("Tried to write to index -1"));
}

TEST(TensorArrayWriteV3, GrowsADynamicArray) {
  TensorArray::Options options = Options(DT_FLOAT);
  options.dynamic_size = true;
  auto array = MakeArray(options, 0);
  ASSERT_TRUE(Write(array, 4, Tensor::Scalar<float>(1)).ok());
  EXPECT_EQ(*array->Size(), 5);
  // Growing past the limit is RESOURCE_EXHAUSTED, not an abort.
  absl::Status huge = Write(array, (1 << 30), Tensor::Scalar<float>(1));
  EXPECT_EQ(huge.code(), absl::StatusCode::kResourceExhausted);
}

TEST(TensorArrayWriteV3, ChecksDtypeAndElementShape) {
  auto array = MakeArray(Options(DT_FLOAT, PartialShape{2, {-1, 3}}), 2);
  absl::Status dtype = Write(array, 0, Tensor::Scalar<int32_t>(1));
  EXPECT_THAT(dtype.message(),
              HasSubstr("TensorArray dtype is float but Op is trying to write "
                        "dtype int32."));
  absl::Status shape =
      Write(array, 0, Tensor::FromVector<float>({1, 2}, {1, 2}));
  EXPECT_THAT(shape.message(),
              HasSubstr("because the value shape is [1,2] which is "
                        "incompatible with the TensorArray's inferred element "
                        "shape: [?,3]"));
  EXPECT_TRUE(
      Write(array, 0, Tensor::FromVector<float>({1, 2, 3}, {1, 3})).ok());
}

TEST(TensorArrayWriteV3, IdenticalElementShapesAreLearnedFromTheFirstWrite) {
  TensorArray::Options options = Options(DT_FLOAT);
  options.identical_element_shapes = true;
  auto array = MakeArray(options, 2);
  ASSERT_TRUE(Write(array, 0, Tensor::Vector<float>({1, 2})).ok());
  EXPECT_EQ(array->element_shape().DebugString(), "[2]");
  EXPECT_FALSE(Write(array, 1, Tensor::Vector<float>({1, 2, 3})).ok());
}

TEST(TensorArrayReadV3, ReadsZerosForAnUnwrittenIndexOfKnownShape) {
  auto array = MakeArray(Options(DT_INT32, PartialShape{1, {2}}), 3);
  auto read = Read(array, 2, DT_INT32);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TENSOR_EQ(*read, Tensor::Vector<int32_t>({0, 0}));
}

TEST(TensorArrayReadV3, FailsOnAnUnwrittenIndexOfUnknownShape) {
  auto array = MakeArray(Options(DT_FLOAT), 3);
  auto read = Read(array, 1, DT_FLOAT);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(),
              HasSubstr("Could not read from TensorArray index 1.  "
                        "Furthermore, the element shape is not fully defined: "
                        "<unknown>."));
  EXPECT_THAT(Read(array, 3, DT_FLOAT).status().message(),
              HasSubstr("Tried to read from index 3 but array size is: 3"));
}

TEST(TensorArrayReadV3, ClearAfterReadAllowsOneRead) {
  auto array = MakeArray(Options(DT_FLOAT), 1);
  ASSERT_TRUE(Write(array, 0, Tensor::Scalar<float>(4)).ok());
  ASSERT_TRUE(Read(array, 0, DT_FLOAT).ok());
  auto again = Read(array, 0, DT_FLOAT);
  EXPECT_THAT(again.status().message(),
              HasSubstr("Could not read index 0 twice because it was cleared "
                        "after a previous read (perhaps try setting "
                        "clear_after_read = false?)."));
  // A read index cannot be written again either.
  EXPECT_THAT(Write(array, 0, Tensor::Scalar<float>(1)).message(),
              HasSubstr("because it has already been read."));
}

TEST(TensorArrayReadV3, WithoutClearAfterReadReadsRepeatedly) {
  TensorArray::Options options = Options(DT_STRING);
  options.clear_after_read = false;
  auto array = MakeArray(options, 1);
  ASSERT_TRUE(Write(array, 0, Tensor::Scalar<std::string>("abc")).ok());
  for (int i = 0; i < 3; ++i) {
    auto read = Read(array, 0, DT_STRING);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_TENSOR_EQ(*read, Tensor::Scalar<std::string>("abc"));
  }
}

TEST(TensorArrayReadV3, ChecksTheRequestedDtypeAndIndex) {
  auto array = MakeArray(Options(DT_FLOAT), 1);
  ASSERT_TRUE(Write(array, 0, Tensor::Scalar<float>(4)).ok());
  EXPECT_THAT(Read(array, 0, DT_INT32).status().message(),
              HasSubstr("TensorArray dtype is float but Op requested dtype "
                        "int32."));
  KernelHarness read("TensorArrayReadV3");
  read.Attr("dtype", DT_FLOAT);
  auto vector_index =
      read.Run({Handle(array), Tensor::Vector<int32_t>({0}), Flow()});
  EXPECT_THAT(vector_index.status().message(),
              HasSubstr("TensorArray index must be scalar, but had shape: "
                        "[1]"));
  auto not_an_array =
      read.Run({Tensor::Scalar<float>(1), Tensor::Scalar<int32_t>(0), Flow()});
  EXPECT_EQ(not_an_array.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TensorArraySizeV3, ReportsTheSizeAndCloseEndsTheArray) {
  auto array = MakeArray(Options(DT_FLOAT), 4);
  KernelHarness size("TensorArraySizeV3");
  auto out = size.Run({Handle(array), Flow()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(4));
  KernelHarness close("TensorArrayCloseV3");
  ASSERT_TRUE(close.Run({Handle(array)}).ok());
  EXPECT_THAT(size.Run({Handle(array), Flow()}).status().message(),
              HasSubstr("TensorArray ta has already been closed."));
}

absl::StatusOr<Tensor> Gather(const std::shared_ptr<TensorArray>& array,
                              const Tensor& indices, DataType dtype,
                              std::vector<int64_t> element_shape,
                              bool shape_known) {
  KernelHarness gather("TensorArrayGatherV3");
  gather.Attr("dtype", dtype);
  if (shape_known) gather.ShapeAttr("element_shape", element_shape);
  auto out = gather.Run({Handle(array), indices, Flow()});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(TensorArrayGatherV3, StacksTheElementsAtTheIndices) {
  auto array = MakeArray(Options(DT_FLOAT), 3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Write(array, i, Tensor::Vector<float>({float(i), 10.f + i})).ok());
  }
  auto out =
      Gather(array, Tensor::Vector<int32_t>({2, 0}), DT_FLOAT, {}, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({2, 12, 0, 10}, {2, 2}));
}

TEST(TensorArrayGatherV3, AnEmptyGatherNeedsAKnownElementShape) {
  auto array = MakeArray(Options(DT_FLOAT), 0);
  auto known = Gather(array, Tensor::Vector<int32_t>({}), DT_FLOAT, {3}, true);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(known->shape(), TensorShape({0, 3}));
  // The array keeps the shape the first gather merged in.
  auto learned =
      Gather(array, Tensor::Vector<int32_t>({}), DT_FLOAT, {}, false);
  ASSERT_TRUE(learned.ok()) << learned.status();
  EXPECT_EQ(learned->shape(), TensorShape({0, 3}));
  auto unknown = Gather(MakeArray(Options(DT_FLOAT), 0),
                        Tensor::Vector<int32_t>({}), DT_FLOAT, {}, false);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("TensorArray has size zero, but element shape "
                        "<unknown> is not fully defined. Currently only "
                        "static shapes are supported when packing zero-size "
                        "TensorArrays."));
}

TEST(TensorArrayGatherV3, RejectsInconsistentShapes) {
  auto array = MakeArray(Options(DT_INT32), 2);
  ASSERT_TRUE(Write(array, 0, Tensor::Vector<int32_t>({1})).ok());
  ASSERT_TRUE(Write(array, 1, Tensor::Vector<int32_t>({1, 2})).ok());
  auto out =
      Gather(array, Tensor::Vector<int32_t>({0, 1}), DT_INT32, {}, false);
  EXPECT_THAT(out.status().message(),
              HasSubstr("TensorArray has inconsistent shapes.  Index 0 has "
                        "shape: [1] but index 1 has shape: [2]"));
}

TEST(TensorArrayGatherV3, StacksStrings) {
  auto array = MakeArray(Options(DT_STRING), 2);
  ASSERT_TRUE(Write(array, 0, Tensor::Scalar<std::string>("a")).ok());
  ASSERT_TRUE(Write(array, 1, Tensor::Scalar<std::string>("bc")).ok());
  auto out =
      Gather(array, Tensor::Vector<int32_t>({0, 1}), DT_STRING, {}, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<std::string>({"a", "bc"}));
}

absl::Status Scatter(const std::shared_ptr<TensorArray>& array,
                     const Tensor& indices, const Tensor& value) {
  KernelHarness scatter("TensorArrayScatterV3");
  scatter.Attr("T", value.dtype());
  return scatter.Run({Handle(array), indices, value, Flow()}).status();
}

TEST(TensorArrayScatterV3, WritesRowsAtTheIndices) {
  auto array = MakeArray(Options(DT_FLOAT), 3);
  ASSERT_TRUE(Scatter(array, Tensor::Vector<int32_t>({2, 0}),
                      Tensor::FromVector<float>({1, 2, 3, 4}, {2, 2}))
                  .ok());
  EXPECT_TENSOR_EQ(*Read(array, 2, DT_FLOAT), Tensor::Vector<float>({1, 2}));
  EXPECT_TENSOR_EQ(*Read(array, 0, DT_FLOAT), Tensor::Vector<float>({3, 4}));
}

TEST(TensorArrayScatterV3, ChecksIndicesAgainstValueAndSize) {
  auto array = MakeArray(Options(DT_FLOAT), 2);
  EXPECT_THAT(Scatter(array, Tensor::Vector<int32_t>({0}),
                      Tensor::Vector<float>({1, 2}))
                  .message(),
              HasSubstr("Expected len(indices) == values.shape[0], but saw: "
                        "1 vs. 2"));
  EXPECT_THAT(Scatter(array, Tensor::Vector<int32_t>({0, 5}),
                      Tensor::Vector<float>({1, 2}))
                  .message(),
              HasSubstr("Max scatter index must be < array size (5 vs. 2)"));
  EXPECT_THAT(
      Scatter(array, Tensor::Vector<int32_t>({}), Tensor::Scalar<float>(1))
          .message(),
      HasSubstr("Input value for unpack must be at least a vector but "
                "received shape: []"));
}

TEST(TensorArrayScatterV3, GrowsADynamicArray) {
  TensorArray::Options options = Options(DT_INT32);
  options.dynamic_size = true;
  auto array = MakeArray(options, 0);
  ASSERT_TRUE(Scatter(array, Tensor::Vector<int32_t>({0, 1, 2}),
                      Tensor::Vector<int32_t>({7, 8, 9}))
                  .ok());
  EXPECT_EQ(*array->Size(), 3);
}

TEST(TensorArrayConcatV3, ConcatenatesAlongTheFirstDimension) {
  auto array = MakeArray(Options(DT_INT32), 2);
  ASSERT_TRUE(
      Write(array, 0, Tensor::FromVector<int32_t>({1, 2}, {1, 2})).ok());
  ASSERT_TRUE(
      Write(array, 1, Tensor::FromVector<int32_t>({3, 4, 5, 6}, {2, 2})).ok());
  KernelHarness concat("TensorArrayConcatV3");
  concat.Attr("dtype", DT_INT32);
  auto out = concat.Run({Handle(array), Flow()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({1, 2}));
}

TEST(TensorArrayConcatV3, RejectsScalarsAndHandlesEmptyArrays) {
  auto array = MakeArray(Options(DT_FLOAT), 1);
  ASSERT_TRUE(Write(array, 0, Tensor::Scalar<float>(1)).ok());
  KernelHarness concat("TensorArrayConcatV3");
  concat.Attr("dtype", DT_FLOAT);
  EXPECT_THAT(concat.Run({Handle(array), Flow()}).status().message(),
              HasSubstr("Concat saw a scalar shape at index 0 but requires at "
                        "least vectors.  Did you mean to call pack?"));
  auto empty = MakeArray(Options(DT_FLOAT), 0);
  concat.ShapeAttr("element_shape_except0", {2});
  auto out = concat.Run({Handle(empty), Flow()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), TensorShape({0, 2}));
  EXPECT_EQ(out->at(1).shape(), TensorShape({0}));
}

absl::Status Split(const std::shared_ptr<TensorArray>& array,
                   const Tensor& value, const Tensor& lengths) {
  KernelHarness split("TensorArraySplitV3");
  split.Attr("T", value.dtype());
  return split.Run({Handle(array), value, lengths, Flow()}).status();
}

TEST(TensorArraySplitV3, SplitsRowsByLengths) {
  auto array = MakeArray(Options(DT_FLOAT), 3);
  ASSERT_TRUE(Split(array, Tensor::Vector<float>({1, 2, 3}),
                    Tensor::Vector<int64_t>({2, 0, 1}))
                  .ok());
  EXPECT_TENSOR_EQ(*Read(array, 0, DT_FLOAT), Tensor::Vector<float>({1, 2}));
  EXPECT_EQ(Read(array, 1, DT_FLOAT)->shape(), TensorShape({0}));
  EXPECT_TENSOR_EQ(*Read(array, 2, DT_FLOAT), Tensor::Vector<float>({3}));
}

TEST(TensorArraySplitV3, ChecksLengths) {
  auto array = MakeArray(Options(DT_FLOAT), 2);
  EXPECT_THAT(Split(array, Tensor::Vector<float>({1, 2, 3}),
                    Tensor::Vector<int64_t>({1, 1}))
                  .message(),
              HasSubstr("Expected sum of lengths to be equal to "
                        "values.shape[0], but sum of lengths is 2 and value's "
                        "shape is: [3]"));
  EXPECT_THAT(Split(array, Tensor::Vector<float>({1, 2, 3}),
                    Tensor::Vector<int64_t>({4, -1}))
                  .message(),
              HasSubstr("non-negative"));
  EXPECT_THAT(Split(array, Tensor::Vector<float>({1, 2, 3}),
                    Tensor::Vector<int64_t>({3}))
                  .message(),
              HasSubstr("TensorArray's size is not equal to the size of "
                        "lengths (2 vs. 1)"));
}

}  // namespace
}  // namespace model_server
