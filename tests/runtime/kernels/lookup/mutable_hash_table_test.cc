// MutableHashTable[V2], MutableHashTableOfTensors[V2] and
// MutableDenseHashTable[V2] through the table ops (Find, Insert, Remove,
// Import, Export, Size), against hand-computed contents.
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A table-creating op's harness (owning the resources) and its handle.
struct Table {
  std::unique_ptr<KernelHarness> op;
  Tensor handle;
};

Table MakeMutable(const std::string& op, DataType key, DataType value,
                  std::vector<int64_t> value_shape = {},
                  std::vector<Tensor> inputs = {}) {
  Table t;
  t.op = std::make_unique<KernelHarness>(op);
  t.op->Attr("key_dtype", key)
      .Attr("value_dtype", value)
      .Attr("shared_name", "table")
      .Attr("container", "")
      .Attr("use_node_name_sharing", false);
  if (op != "MutableHashTableV2" && op != "MutableHashTable") {
    t.op->ShapeAttr("value_shape", value_shape);
  }
  auto out = t.op->Run(inputs);
  EXPECT_TRUE(out.ok()) << out.status();
  if (out.ok()) t.handle = out->at(0);
  return t;
}

Table MakeDense(DataType key, DataType value, const Tensor& empty_key,
                const Tensor& deleted_key,
                std::vector<int64_t> value_shape = {},
                int64_t initial_num_buckets = 8) {
  Table t;
  t.op = std::make_unique<KernelHarness>("MutableDenseHashTableV2");
  t.op->Attr("key_dtype", key)
      .Attr("value_dtype", value)
      .Attr("shared_name", "dense")
      .ShapeAttr("value_shape", value_shape)
      .Attr("initial_num_buckets", initial_num_buckets)
      .Attr("max_load_factor", 0.8f);
  auto out = t.op->Run({empty_key, deleted_key});
  EXPECT_TRUE(out.ok()) << out.status();
  if (out.ok()) t.handle = out->at(0);
  return t;
}

absl::Status RunOp(const std::string& op, const std::vector<Tensor>& inputs) {
  KernelHarness k(op);
  return k.Run(inputs).status();
}

absl::Status Insert(const Table& t, const Tensor& keys, const Tensor& values) {
  return RunOp("LookupTableInsertV2", {t.handle, keys, values});
}

absl::StatusOr<Tensor> Find(const Table& t, const Tensor& keys,
                            const Tensor& default_value,
                            const std::string& op = "LookupTableFindV2") {
  KernelHarness k(op);
  auto out = k.Run({t.handle, keys, default_value});
  if (!out.ok()) return out.status();
  return out->at(0);
}

int64_t Size(const Table& t) {
  KernelHarness k("LookupTableSizeV2");
  auto out = k.Run({t.handle});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->at(0).scalar<int64_t>() : -1;
}

// Export as a key -> flat values map (the row order is unspecified).
template <typename K, typename V>
std::map<K, std::vector<V>> Export(const Table& t) {
  KernelHarness k("LookupTableExportV2");
  auto out = k.Run({t.handle});
  EXPECT_TRUE(out.ok()) << out.status();
  std::map<K, std::vector<V>> entries;
  if (!out.ok()) return entries;
  const Tensor& keys = out->at(0);
  const Tensor& values = out->at(1);
  const int64_t n = keys.dim(0);
  const int64_t width = n == 0 ? 0 : values.NumElements() / n;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<V>& row = entries[keys.data<K>()[i * (keys.NumElements() / n)]];
    for (int64_t j = 0; j < width; ++j) {
      row.push_back(values.data<V>()[i * width + j]);
    }
  }
  return entries;
}

TEST(MutableHashTableV2, InsertsOverwritesFindsAndRemoves) {
  Table t = MakeMutable("MutableHashTableV2", DT_STRING, DT_INT64);
  EXPECT_EQ(Size(t), 0);
  ASSERT_TRUE(Insert(t, Tensor::Vector<std::string>({"a", "b"}),
                     Tensor::Vector<int64_t>({1, 2}))
                  .ok());
  ASSERT_TRUE(Insert(t, Tensor::Vector<std::string>({"b", "c"}),
                     Tensor::Vector<int64_t>({20, 3}))
                  .ok());
  EXPECT_EQ(Size(t), 3);
  auto out =
      Find(t, Tensor::FromVector<std::string>({"c", "x", "b", "a"}, {2, 2}),
           Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<int64_t>({3, -1, 20, 1}, {2, 2}));
  ASSERT_TRUE(RunOp("LookupTableRemoveV2",
                    {t.handle, Tensor::Vector<std::string>({"a", "zz"})})
                  .ok());
  EXPECT_EQ(Size(t), 2);
  out = Find(t, Tensor::Scalar<std::string>("a"), Tensor::Scalar<int64_t>(7));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar<int64_t>(7));
  EXPECT_EQ(
      (Export<std::string, int64_t>(t)),
      (std::map<std::string, std::vector<int64_t>>{{"b", {20}}, {"c", {3}}}));
}

TEST(MutableHashTableV2, ImportReplacesTheContent) {
  // The TF2 checkpoint restore: LookupTableImportV2 with RestoreV2's tensors.
  Table t = MakeMutable("MutableHashTableV2", DT_INT64, DT_INT64);
  ASSERT_TRUE(
      Insert(t, Tensor::Vector<int64_t>({5}), Tensor::Vector<int64_t>({50}))
          .ok());
  ASSERT_TRUE(RunOp("LookupTableImportV2",
                    {t.handle, Tensor::Vector<int64_t>({1, 2, 3}),
                     Tensor::Vector<int64_t>({10, 20, 30})})
                  .ok());
  EXPECT_EQ(Size(t), 3);
  auto out =
      Find(t, Tensor::Vector<int64_t>({3, 5, 1}), Tensor::Scalar<int64_t>(0));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({30, 0, 10}));
}

TEST(MutableHashTableV2, TakesElementwiseDefaultsAndEmptyKeys) {
  Table t = MakeMutable("MutableHashTableV2", DT_INT32, DT_FLOAT);
  ASSERT_TRUE(
      Insert(t, Tensor::Vector<int32_t>({7}), Tensor::Vector<float>({0.5f}))
          .ok());
  auto out = Find(t, Tensor::Vector<int32_t>({1, 7, 2}),
                  Tensor::Vector<float>({10, 20, 30}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({10, 0.5f, 30}));
  out = Find(t, Tensor::FromVector<int32_t>({}, {0, 3}),
             Tensor::Scalar<float>(1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0, 3}));
  ASSERT_TRUE(
      Insert(t, Tensor::Vector<int32_t>({}), Tensor::Vector<float>({})).ok());
  EXPECT_EQ(Size(t), 1);
}

TEST(MutableHashTableV2, SupportsBoolAndStringValues) {
  Table t = MakeMutable("MutableHashTableV2", DT_STRING, DT_BOOL);
  ASSERT_TRUE(Insert(t, Tensor::Vector<std::string>({"yes"}),
                     Tensor::Vector<bool>({true}))
                  .ok());
  auto out = Find(t, Tensor::Vector<std::string>({"no", "yes"}),
                  Tensor::Scalar<bool>(false));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<bool>({false, true}));
  Table s = MakeMutable("MutableHashTable", DT_INT64, DT_STRING);
  ASSERT_TRUE(Insert(s, Tensor::Vector<int64_t>({4}),
                     Tensor::Vector<std::string>({"four"}))
                  .ok());
  out = Find(s, Tensor::Vector<int64_t>({4, 5}),
             Tensor::Scalar<std::string>("UNK"), "LookupTableFind");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<std::string>({"four", "UNK"}));
}

TEST(MutableHashTableV2, RejectsBadArgumentsWithTensorFlowsTexts) {
  Table t = MakeMutable("MutableHashTableV2", DT_STRING, DT_INT64);
  absl::Status s = Insert(t, Tensor::Vector<std::string>({"a", "b"}),
                          Tensor::Vector<int64_t>({1}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("Expected shape [2] for value, got [1]"));
  s = Insert(t, Tensor::Vector<int64_t>({1}), Tensor::Vector<int64_t>({1}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("Key must be type string but got int64"));
  auto out =
      Find(t, Tensor::Vector<std::string>({"a"}), Tensor::Scalar<float>(0));
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Value must be type int64 but got float"));
  out = Find(t, Tensor::Vector<std::string>({"a", "b"}),
             Tensor::Vector<int64_t>({1, 2, 3}));
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Expected shape [] or [2] for default value, got [3]"));
}

TEST(MutableHashTableV2, RejectsUnsupportedDtypesAtLoad) {
  KernelHarness k("MutableHashTableV2");
  k.Attr("key_dtype", DT_FLOAT).Attr("value_dtype", DT_INT64);
  auto out = k.Run({});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MutableHashTableV2, RejectsAnotherDtypeUnderTheSameName) {
  Table t = MakeMutable("MutableHashTableV2", DT_STRING, DT_INT64);
  t.op->Attr("value_dtype", DT_FLOAT);
  auto out = t.op->Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("already exists"));
}

TEST(MutableHashTableV2, StaticTablesRefuseInsert) {
  KernelHarness k("HashTableV2");
  k.Attr("key_dtype", DT_STRING).Attr("value_dtype", DT_INT64);
  auto handle = k.Run({});
  ASSERT_TRUE(handle.ok());
  absl::Status s = RunOp("LookupTableInsertV2",
                         {handle->at(0), Tensor::Vector<std::string>({"a"}),
                          Tensor::Vector<int64_t>({1})});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
}

TEST(MutableHashTableV2, ServesConcurrentInsertsAndFinds) {
  Table t = MakeMutable("MutableHashTableV2", DT_INT64, DT_INT64);
  std::vector<std::thread> threads;
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w]() {
      for (int64_t j = 0; j < 40; ++j) {
        const int64_t key = w * 1000 + j;
        ASSERT_TRUE(Insert(t, Tensor::Vector<int64_t>({key}),
                           Tensor::Vector<int64_t>({key * 2}))
                        .ok());
        auto out = Find(t, Tensor::Vector<int64_t>({key}),
                        Tensor::Scalar<int64_t>(-1));
        ASSERT_TRUE(out.ok());
        EXPECT_EQ(out->data<int64_t>()[0], key * 2);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(Size(t), 120);
}

TEST(MutableHashTableOfTensorsV2, StoresVectorValues) {
  Table t =
      MakeMutable("MutableHashTableOfTensorsV2", DT_STRING, DT_FLOAT, {2});
  ASSERT_TRUE(Insert(t, Tensor::Vector<std::string>({"a", "b"}),
                     Tensor::FromVector<float>({1, 2, 3, 4}, {2, 2}))
                  .ok());
  auto out = Find(t, Tensor::Vector<std::string>({"b", "x", "a"}),
                  Tensor::Vector<float>({-1, -2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<float>({3, 4, -1, -2, 1, 2}, {3, 2}));
  EXPECT_EQ((Export<std::string, float>(t)),
            (std::map<std::string, std::vector<float>>{{"a", {1, 2}},
                                                       {"b", {3, 4}}}));
  absl::Status s = Insert(t, Tensor::Vector<std::string>({"c"}),
                          Tensor::Vector<float>({1, 2}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("Expected shape [1,2] for value, got [2]"));
}

TEST(MutableHashTableOfTensorsV2, RequiresAVectorValueShape) {
  KernelHarness k("MutableHashTableOfTensorsV2");
  k.Attr("key_dtype", DT_STRING)
      .Attr("value_dtype", DT_FLOAT)
      .ShapeAttr("value_shape", {2, 2});
  auto out = k.Run({});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Default value must be a vector"));
}

TEST(MutableDenseHashTableV2, InsertsFindsRemovesAndExportsBuckets) {
  Table t = MakeDense(DT_INT64, DT_FLOAT, Tensor::Scalar<int64_t>(-1),
                      Tensor::Scalar<int64_t>(-2));
  ASSERT_TRUE(Insert(t, Tensor::Vector<int64_t>({10, 20}),
                     Tensor::Vector<float>({1, 2}))
                  .ok());
  auto out =
      Find(t, Tensor::Vector<int64_t>({20, 30, 10}), Tensor::Scalar<float>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({2, 0, 1}));
  ASSERT_TRUE(
      RunOp("LookupTableRemoveV2", {t.handle, Tensor::Vector<int64_t>({10})})
          .ok());
  EXPECT_EQ(Size(t), 1);
  KernelHarness k("LookupTableExportV2");
  auto exported = k.Run({t.handle});
  ASSERT_TRUE(exported.ok());
  // TensorFlow's layout: one row per bucket, empty buckets hold empty_key.
  EXPECT_EQ(exported->at(0).shape(), (TensorShape{8, 1}));
  EXPECT_EQ(exported->at(1).shape(), (TensorShape{8, 1}));
  int empty = 0;
  for (int i = 0; i < 8; ++i) empty += exported->at(0).data<int64_t>()[i] == -1;
  EXPECT_EQ(empty, 7);
}

TEST(MutableDenseHashTableV2, GrowsBucketsPastTheLoadFactor) {
  Table t = MakeDense(DT_INT64, DT_INT64, Tensor::Scalar<int64_t>(0),
                      Tensor::Scalar<int64_t>(-1), {}, 4);
  // 4 buckets * 0.8 hold 3 entries; 5 need 8 buckets.
  ASSERT_TRUE(Insert(t, Tensor::Vector<int64_t>({1, 2, 3, 4, 5}),
                     Tensor::Vector<int64_t>({1, 2, 3, 4, 5}))
                  .ok());
  KernelHarness k("LookupTableExportV2");
  auto exported = k.Run({t.handle});
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->at(0).dim(0), 8);
}

TEST(MutableDenseHashTableV2, ImportRoundTripsAnExport) {
  Table t = MakeDense(DT_STRING, DT_INT64, Tensor::Scalar<std::string>(""),
                      Tensor::Scalar<std::string>("$"));
  ASSERT_TRUE(Insert(t, Tensor::Vector<std::string>({"x", "y"}),
                     Tensor::Vector<int64_t>({1, 2}))
                  .ok());
  KernelHarness k("LookupTableExportV2");
  auto exported = k.Run({t.handle});
  ASSERT_TRUE(exported.ok());
  ASSERT_TRUE(RunOp("LookupTableRemoveV2",
                    {t.handle, Tensor::Vector<std::string>({"x", "y"})})
                  .ok());
  EXPECT_EQ(Size(t), 0);
  ASSERT_TRUE(
      RunOp("LookupTableImportV2", {t.handle, exported->at(0), exported->at(1)})
          .ok());
  EXPECT_EQ(Size(t), 2);
  auto out = Find(t, Tensor::Vector<std::string>({"y", "z"}),
                  Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({2, -1}));
}

TEST(MutableDenseHashTableV2, SupportsVectorKeysAndValues) {
  Table t = MakeDense(DT_INT64, DT_FLOAT, Tensor::Vector<int64_t>({0, 0}),
                      Tensor::Vector<int64_t>({-1, -1}), {3});
  ASSERT_TRUE(Insert(t, Tensor::FromVector<int64_t>({1, 2, 3, 4}, {2, 2}),
                     Tensor::FromVector<float>({1, 1, 1, 2, 2, 2}, {2, 3}))
                  .ok());
  auto out = Find(t, Tensor::FromVector<int64_t>({3, 4, 2, 1}, {2, 2}),
                  Tensor::Vector<float>({9, 9, 9}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({2, 2, 2, 9, 9, 9}, {2, 3}));
  out = Find(t, Tensor::Vector<int64_t>({3, 4}),
             Tensor::Vector<float>({9, 9, 9}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MutableDenseHashTableV2, RefusesTheReservedKeys) {
  Table t = MakeDense(DT_INT64, DT_INT64, Tensor::Scalar<int64_t>(-1),
                      Tensor::Scalar<int64_t>(-2));
  absl::Status s = Insert(t, Tensor::Vector<int64_t>({3, -1}),
                          Tensor::Vector<int64_t>({1, 2}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("Using the empty_key as a table key is not allowed"));
  EXPECT_EQ(Size(t), 0);
  auto out = Find(t, Tensor::Vector<int64_t>({-2}), Tensor::Scalar<int64_t>(0));
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Using the deleted_key as a table key is not allowed"));
}

TEST(MutableDenseHashTableV2, ValidatesItsAttrsAndReservedKeys) {
  KernelHarness k("MutableDenseHashTableV2");
  k.Attr("key_dtype", DT_INT64)
      .Attr("value_dtype", DT_INT64)
      .ShapeAttr("value_shape", {})
      .Attr("initial_num_buckets", int64_t{6});
  auto out = k.Run({Tensor::Scalar<int64_t>(-1), Tensor::Scalar<int64_t>(-2)});
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Number of buckets must be at least 4 and a power of "
                        "2, got: 6"));
  k.Attr("initial_num_buckets", int64_t{8}).Attr("max_load_factor", 1.5f);
  out = k.Run({Tensor::Scalar<int64_t>(-1), Tensor::Scalar<int64_t>(-2)});
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("max_load_factor must be between 0 and 1"));
  k.Attr("max_load_factor", 0.5f);
  out = k.Run({Tensor::Scalar<int64_t>(-1), Tensor::Scalar<int64_t>(-1)});
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Empty and deleted keys cannot be equal"));
}

}  // namespace
}  // namespace model_server
