#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A HashTableV2 harness (owning the resource manager) and its handle.
struct Table {
  std::unique_ptr<KernelHarness> op;
  Tensor handle;
};

Table MakeTable(DataType key, DataType value,
                const std::string& shared_name = "table") {
  Table t;
  t.op = std::make_unique<KernelHarness>("HashTableV2");
  t.op->Attr("key_dtype", key)
      .Attr("value_dtype", value)
      .Attr("shared_name", shared_name)
      .Attr("container", "")
      .Attr("use_node_name_sharing", false);
  auto out = t.op->Run({});
  EXPECT_TRUE(out.ok()) << out.status();
  if (out.ok()) t.handle = out->at(0);
  return t;
}

absl::Status Init(const Tensor& handle, const Tensor& keys,
                  const Tensor& values) {
  KernelHarness k("InitializeTableV2");
  k.Attr("Tkey", keys.dtype()).Attr("Tval", values.dtype());
  return k.Run({handle, keys, values}).status();
}

absl::StatusOr<Tensor> Find(const Tensor& handle, const Tensor& keys,
                            const Tensor& default_value) {
  KernelHarness k("LookupTableFindV2");
  k.Attr("Tin", keys.dtype()).Attr("Tout", default_value.dtype());
  auto out = k.Run({handle, keys, default_value});
  if (!out.ok()) return out.status();
  return out->at(0);
}

absl::StatusOr<int64_t> Size(const Tensor& handle) {
  KernelHarness k("LookupTableSizeV2");
  auto out = k.Run({handle});
  if (!out.ok()) return out.status();
  return out->at(0).scalar<int64_t>();
}

absl::Status InitFromFile(const Tensor& handle, const std::string& path,
                          int64_t key_index, int64_t value_index,
                          int64_t vocab_size = -1,
                          const std::string& delimiter = "\t",
                          int64_t offset = 0) {
  KernelHarness k("InitializeTableFromTextFileV2");
  k.Attr("key_index", key_index)
      .Attr("value_index", value_index)
      .Attr("vocab_size", vocab_size)
      .Attr("delimiter", delimiter)
      .Attr("offset", offset);
  return k.Run({handle, Tensor::Scalar<std::string>(path)}).status();
}

std::string WriteFile(const ScopedTempDir& dir, const std::string& name,
                      const std::string& contents) {
  const std::string path = dir.Child(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(HashTableV2, SharesTablesByNameAcrossNodes) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  ASSERT_EQ(t.handle.dtype(), DT_RESOURCE);
  auto again = t.op->Run({});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->at(0).scalar<std::shared_ptr<ResourceBase>>(),
            t.handle.scalar<std::shared_ptr<ResourceBase>>());
  EXPECT_EQ(t.op->resources().size(), 1u);
}

TEST(HashTableV2, RejectsADifferentDtypeUnderTheSameName) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  t.op->Attr("value_dtype", DT_FLOAT);
  auto out = t.op->Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("already exists"));
}

TEST(HashTableV2, RejectsUnsupportedDtypes) {
  KernelHarness k("HashTableV2");
  k.Attr("key_dtype", DT_FLOAT).Attr("value_dtype", DT_INT64);
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());
  // The plan compiler keeps the kernel's code: UNIMPLEMENTED, not a
  // malformed-model INVALID_ARGUMENT.
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("are not supported"));
}

TEST(LookupTableFindV2, FindsKeysAndFallsBackToTheDefault) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  ASSERT_TRUE(Init(t.handle, Tensor::Vector<std::string>({"a", "b", "c"}),
                   Tensor::Vector<int64_t>({0, 1, 2}))
                  .ok());
  auto out = Find(
      t.handle,
      Tensor::FromVector<std::string>({"c", "x", "a", "b"}, TensorShape{2, 2}),
      Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<int64_t>({2, -1, 0, 1}, TensorShape{2, 2}));
  EXPECT_EQ(*Size(t.handle), 3);
}

TEST(LookupTableExportV2, ExportsEveryEntryOfAStaticTable) {
  Table t = MakeTable(DT_INT64, DT_STRING);
  KernelHarness uninitialized("LookupTableExportV2");
  EXPECT_THAT(uninitialized.Run({t.handle}).status().message(),
              HasSubstr("not initialized"));
  ASSERT_TRUE(Init(t.handle, Tensor::Vector<int64_t>({30, 10, 20}),
                   Tensor::Vector<std::string>({"c", "a", "b"}))
                  .ok());
  KernelHarness k("LookupTableExportV2");
  auto out = k.Run({t.handle});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& keys = out->at(0);
  const Tensor& values = out->at(1);
  ASSERT_EQ(keys.shape(), TensorShape{3});
  ASSERT_EQ(values.shape(), TensorShape{3});
  std::map<int64_t, std::string> entries;
  for (int i = 0; i < 3; ++i) {
    entries[keys.data<int64_t>()[i]] = values.data<std::string>()[i];
  }
  EXPECT_EQ(entries,
            (std::map<int64_t, std::string>{{10, "a"}, {20, "b"}, {30, "c"}}));
}

TEST(LookupTableFindV2, TakesElementwiseDefaults) {
  Table t = MakeTable(DT_INT64, DT_FLOAT);
  ASSERT_TRUE(Init(t.handle, Tensor::Vector<int64_t>({7}),
                   Tensor::Vector<float>({0.5f}))
                  .ok());
  auto out = Find(t.handle, Tensor::Vector<int64_t>({1, 7, 2}),
                  Tensor::Vector<float>({10, 20, 30}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({10, 0.5f, 30}));
  out = Find(t.handle, Tensor::Vector<int64_t>({1, 7, 2}),
             Tensor::Vector<float>({10, 20}));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("for default value"));
}

TEST(LookupTableFindV2, FailsOnAnUninitializedTable) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  auto out = Find(t.handle, Tensor::Vector<std::string>({"a"}),
                  Tensor::Scalar<int64_t>(-1));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*Size(t.handle), 0);
}

TEST(LookupTableFindV2, RejectsKeysOfTheWrongDtype) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  ASSERT_TRUE(Init(t.handle, Tensor::Vector<std::string>({"a"}),
                   Tensor::Vector<int64_t>({0}))
                  .ok());
  auto out =
      Find(t.handle, Tensor::Vector<int64_t>({1}), Tensor::Scalar<int64_t>(-1));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LookupTableFindV2, RejectsAHandleToAVariable) {
  KernelHarness var("VarHandleOp");
  var.Attr("dtype", DT_FLOAT).Attr("shared_name", "v").ShapeAttr("shape", {});
  auto handle = var.Run({});
  ASSERT_TRUE(handle.ok());
  auto out = Find(handle->at(0), Tensor::Vector<std::string>({"a"}),
                  Tensor::Scalar<int64_t>(-1));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("LookupTable"));
}

TEST(LookupTableFindV2, ServesConcurrentReaders) {
  Table t = MakeTable(DT_INT32, DT_STRING);
  ASSERT_TRUE(Init(t.handle, Tensor::Vector<int32_t>({1, 2}),
                   Tensor::Vector<std::string>({"one", "two"}))
                  .ok());
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&]() {
      for (int j = 0; j < 50; ++j) {
        auto out = Find(t.handle, Tensor::Vector<int32_t>({2, 3, 1}),
                        Tensor::Scalar<std::string>("?"));
        ASSERT_TRUE(out.ok());
        EXPECT_TENSOR_EQ(*out,
                         Tensor::Vector<std::string>({"two", "?", "one"}));
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(InitializeTableV2, AcceptsTheSameDataTwiceButNotDifferentData) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  const Tensor keys = Tensor::Vector<std::string>({"a", "b"});
  ASSERT_TRUE(Init(t.handle, keys, Tensor::Vector<int64_t>({0, 1})).ok());
  EXPECT_TRUE(Init(t.handle, keys, Tensor::Vector<int64_t>({0, 1})).ok());
  absl::Status s = Init(t.handle, keys, Tensor::Vector<int64_t>({0, 2}));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("already initialized with different data"));
}

TEST(InitializeTableV2, RejectsConflictingDuplicateKeys) {
  Table t = MakeTable(DT_INT64, DT_INT64);
  absl::Status s = Init(t.handle, Tensor::Vector<int64_t>({4, 4}),
                        Tensor::Vector<int64_t>({1, 2}));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("different value for same key. Key 4 has 1"));
  // Repeating a key with the same value is fine.
  EXPECT_TRUE(Init(t.handle, Tensor::Vector<int64_t>({4, 4}),
                   Tensor::Vector<int64_t>({1, 1}))
                  .ok());
  EXPECT_EQ(*Size(t.handle), 1);
}

TEST(InitializeTableV2, RejectsMismatchedShapes) {
  Table t = MakeTable(DT_INT64, DT_INT64);
  absl::Status s = Init(t.handle, Tensor::Vector<int64_t>({1, 2}),
                        Tensor::Vector<int64_t>({1}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST(InitializeTableFromTextFileV2, MapsWholeLinesToLineNumbers) {
  ScopedTempDir dir;
  const std::string path =
      WriteFile(dir, "vocab", "Cash\nCredit Card\r\nNo Charge");
  Table t = MakeTable(DT_STRING, DT_INT64);
  ASSERT_TRUE(InitFromFile(t.handle, path, -2, -1).ok());
  auto out = Find(t.handle,
                  Tensor::Vector<std::string>(
                      {"No Charge", "Cash", "Credit Card", "Dispute"}),
                  Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({2, 0, 1, -1}));
  EXPECT_EQ(*Size(t.handle), 3);
}

TEST(InitializeTableFromTextFileV2, ReadsColumnsWithOffsetAndVocabSize) {
  ScopedTempDir dir;
  const std::string path =
      WriteFile(dir, "pairs", "x,1.5,7\ny,2.5,8\nz,3.5,9\n");
  Table floats = MakeTable(DT_STRING, DT_FLOAT, "floats");
  ASSERT_TRUE(InitFromFile(floats.handle, path, 0, 1, -1, ",").ok());
  auto out = Find(floats.handle, Tensor::Vector<std::string>({"z", "x"}),
                  Tensor::Scalar<float>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({3.5f, 1.5f}));

  // Line numbers start at `offset`; vocab_size keeps the first lines only.
  Table ids = MakeTable(DT_INT64, DT_INT64, "ids");
  ASSERT_TRUE(InitFromFile(ids.handle, path, 2, -1, 2, ",", 100).ok());
  EXPECT_EQ(*Size(ids.handle), 2);
  out = Find(ids.handle, Tensor::Vector<int64_t>({8, 7, 9}),
             Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({101, 100, -1}));
}

TEST(InitializeTableFromTextFileV2, IgnoresASecondInitialization) {
  ScopedTempDir dir;
  Table t = MakeTable(DT_STRING, DT_INT64);
  ASSERT_TRUE(
      InitFromFile(t.handle, WriteFile(dir, "a", "a\nb\n"), -2, -1).ok());
  EXPECT_TRUE(
      InitFromFile(t.handle, WriteFile(dir, "b", "q\nr\ns\n"), -2, -1).ok());
  EXPECT_EQ(*Size(t.handle), 2);
}

TEST(InitializeTableFromTextFileV2, FailsCleanlyOnBadFiles) {
  ScopedTempDir dir;
  Table t = MakeTable(DT_STRING, DT_INT64);
  absl::Status s = InitFromFile(t.handle, dir.Child("missing"), -2, -1);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("missing"));

  s = InitFromFile(t.handle, WriteFile(dir, "empty_line", "a\n\nb\n"), -2, -1);
  EXPECT_THAT(std::string(s.message()), HasSubstr("empty line"));

  s = InitFromFile(t.handle, WriteFile(dir, "short", "a\nb\n"), -2, -1, 3);
  EXPECT_THAT(std::string(s.message()), HasSubstr("Invalid vocab_size"));

  s = InitFromFile(t.handle, WriteFile(dir, "columns", "a\t1\nc\n"), 0, 1);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("Invalid number of columns"));

  s = InitFromFile(t.handle, WriteFile(dir, "ints", "a\tx\n"), 0, 1);
  EXPECT_THAT(std::string(s.message()), HasSubstr("is not a valid int64"));

  s = InitFromFile(t.handle, WriteFile(dir, "dups", "a\na\n"), -2, -1);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);

  // Line numbers need int64 keys/values.
  Table strings = MakeTable(DT_STRING, DT_STRING, "strings");
  s = InitFromFile(strings.handle, WriteFile(dir, "ok", "a\n"), -2, -1);
  EXPECT_THAT(std::string(s.message()), HasSubstr("requires table value"));
  EXPECT_FALSE(*Size(t.handle) > 0);
}

TEST(InitializeTableFromTextFileV2, RejectsBadAttrsAndFilenames) {
  Table t = MakeTable(DT_STRING, DT_INT64);
  EXPECT_FALSE(InitFromFile(t.handle, "/x", -2, -1, -1, "ab").ok());
  EXPECT_FALSE(InitFromFile(t.handle, "/x", -3, -1).ok());
  EXPECT_FALSE(InitFromFile(t.handle, "", -2, -1).ok());
}

}  // namespace
}  // namespace model_server
