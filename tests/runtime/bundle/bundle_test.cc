// BundleWriter / BundleReader: TensorFlow's checkpoint V2 format, including
// bundles written by TensorFlow itself (../shared/models).
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/bundle/bundle_reader.h"
#include "runtime/bundle/bundle_writer.h"
#include "runtime/bundle/coding.h"
#include "runtime/bundle/crc32c.h"
#include "runtime/bundle/table_writer.h"
#include "tensorflow/core/protobuf/tensor_bundle.pb.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

// A fresh directory per test; returns "<dir>/variables".
std::string TestPrefix() {
  const std::string dir = absl::StrCat(
      ::testing::TempDir(), "/bundle_test_",
      ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir + "/variables";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

std::string DataPath(const std::string& prefix) {
  return prefix + ".data-00000-of-00001";
}

std::unique_ptr<BundleReader> OpenOrDie(const std::string& prefix) {
  absl::StatusOr<std::unique_ptr<BundleReader>> reader =
      BundleReader::Open(prefix);
  EXPECT_TRUE(reader.ok()) << reader.status();
  return reader.ok() ? *std::move(reader) : nullptr;
}

template <typename T>
std::vector<T> Values(const Tensor& t) {
  auto flat = t.flat<T>();
  return std::vector<T>(flat.begin(), flat.end());
}

TEST(Bundle, RoundTripsNumericTensors) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer
                  .Add("dense/kernel",
                       Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {2, 3}))
                  .ok());
  ASSERT_TRUE(writer.Add("global_step", Tensor::Scalar<int64_t>(-7)).ok());
  ASSERT_TRUE(writer.Add("ids", Tensor::Vector<int64_t>({1, 1LL << 40})).ok());
  ASSERT_TRUE(writer.Add("mask", Tensor::Vector<bool>({true, false})).ok());
  ASSERT_TRUE(writer.Add("d", Tensor::Scalar<double>(0.25)).ok());
  ASSERT_TRUE(writer.Add("empty", Tensor::FromVector<float>({}, {0, 4})).ok());
  ASSERT_TRUE(writer.Finish().ok());

  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Keys(),
            (std::vector<std::string>{"d", "dense/kernel", "empty",
                                      "global_step", "ids", "mask"}));
  absl::StatusOr<Tensor> kernel = reader->Lookup("dense/kernel");
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  EXPECT_EQ(kernel->dtype(), DT_FLOAT);
  EXPECT_EQ(kernel->shape(), TensorShape({2, 3}));
  EXPECT_EQ(Values<float>(*kernel), (std::vector<float>{1, 2, 3, 4, 5, 6}));

  absl::StatusOr<Tensor> step = reader->Lookup("global_step");
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->shape(), TensorShape());
  EXPECT_EQ(step->scalar<int64_t>(), -7);
  EXPECT_EQ(Values<int64_t>(*reader->Lookup("ids")),
            (std::vector<int64_t>{1, 1LL << 40}));
  EXPECT_EQ(Values<bool>(*reader->Lookup("mask")),
            (std::vector<bool>{true, false}));
  EXPECT_EQ(reader->Lookup("d")->scalar<double>(), 0.25);
  absl::StatusOr<Tensor> empty = reader->Lookup("empty");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->shape(), TensorShape({0, 4}));

  absl::StatusOr<BundleEntryInfo> info = reader->GetEntryInfo("ids");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->dtype, DT_INT64);
  EXPECT_EQ(info->shape, TensorShape({2}));
  EXPECT_FALSE(info->partitioned);
  EXPECT_TRUE(reader->Contains("mask"));
  EXPECT_FALSE(reader->Contains("mas"));
  EXPECT_FALSE(reader->Contains(""));
}

TEST(Bundle, RoundTripsStringTensors) {
  const std::string prefix = TestPrefix();
  const std::string large(3 << 20, 'x');  // Larger than the read buffer.
  std::vector<std::string> many;
  for (int i = 0; i < 20000; ++i) many.push_back(std::string(i % 97, 'a'));
  const std::vector<std::string> mixed = {"", "a", large, "", "bin\0ary"};
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("mixed", Tensor::Vector<std::string>(mixed)).ok());
  ASSERT_TRUE(writer
                  .Add("matrix", Tensor::FromVector<std::string>(
                                     {"a", "bb", "", "dddd"}, {2, 2}))
                  .ok());
  ASSERT_TRUE(writer.Add("scalar", Tensor::Scalar<std::string>("")).ok());
  ASSERT_TRUE(writer.Add("none", Tensor::Vector<std::string>({})).ok());
  ASSERT_TRUE(writer.Add("many", Tensor::Vector<std::string>(many)).ok());
  ASSERT_TRUE(writer.Finish().ok());

  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  absl::StatusOr<Tensor> t = reader->Lookup("mixed");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Values<std::string>(*t), mixed);
  t = reader->Lookup("matrix");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->shape(), TensorShape({2, 2}));
  EXPECT_EQ(Values<std::string>(*t),
            (std::vector<std::string>{"a", "bb", "", "dddd"}));
  t = reader->Lookup("scalar");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->scalar<std::string>(), "");
  t = reader->Lookup("none");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->NumElements(), 0);
  t = reader->Lookup("many");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Values<std::string>(*t), many);
}

// The shard layout TensorFlow reads: varint64 lengths, the masked CRC of the
// lengths (as uint32 LE), then the bytes.
TEST(Bundle, StringTensorLayoutMatchesTensorFlow) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("s", Tensor::Vector<std::string>({"ab", ""})).ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::string lengths_as_uint32;
  coding::PutFixed32(&lengths_as_uint32, 2);
  coding::PutFixed32(&lengths_as_uint32, 0);
  std::string expected = "\x02";
  expected.push_back('\0');
  coding::PutFixed32(&expected,
                     crc32c::Mask(crc32c::Value(lengths_as_uint32.data(),
                                                lengths_as_uint32.size())));
  expected += "ab";
  EXPECT_EQ(ReadFile(DataPath(prefix)), expected);
}

TEST(Bundle, MissingKeyIsNotFound) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("a", Tensor::Scalar<float>(1)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  absl::StatusOr<Tensor> t = reader->Lookup("b");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(t.status().message(),
            absl::StrCat("Key b not found in checkpoint ", prefix));
  EXPECT_EQ(reader->GetEntryInfo("b").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(reader->LookupSlice("b", "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Bundle, FlippedDataByteIsDataLossNamingKeyAndFile) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("f", Tensor::Vector<float>({1, 2, 3})).ok());
  ASSERT_TRUE(writer.Add("s", Tensor::Vector<std::string>({"xyz"})).ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::string data = ReadFile(DataPath(prefix));
  ASSERT_EQ(data.size(), 12u + 1 + 4 + 3);
  for (size_t i = 0; i < data.size(); ++i) {
    std::string corrupt = data;
    corrupt[i] ^= 0x10;
    WriteFile(DataPath(prefix), corrupt);
    std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
    ASSERT_NE(reader, nullptr);
    const std::string key = i < 12 ? "f" : "s";
    absl::StatusOr<Tensor> t = reader->Lookup(key);
    ASSERT_FALSE(t.ok()) << "byte " << i;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kDataLoss) << t.status();
    EXPECT_NE(t.status().message().find(key), std::string::npos);
    EXPECT_NE(t.status().message().find(DataPath(prefix)), std::string::npos)
        << t.status();
  }
}

// Tensors are read 1 MiB at a time, each block checksummed after its read,
// and those of 16 MiB and more in parts on several threads
// (bundle_reader.cc): the values and the checksum check are the same as for
// a read in one piece, whichever block or part a corrupt byte falls in.
void CheckBlockwiseRead(int64_t elements) {
  const std::string prefix = TestPrefix();
  std::vector<int32_t> values(elements);
  for (int64_t i = 0; i < elements; ++i) {
    values[i] = static_cast<int32_t>(i * 2654435761u);
  }
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("small", Tensor::Vector<float>({1, 2})).ok());
  ASSERT_TRUE(writer.Add("big", Tensor::Vector<int32_t>(values)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  {
    std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
    ASSERT_NE(reader, nullptr);
    absl::StatusOr<Tensor> big = reader->Lookup("big");
    ASSERT_TRUE(big.ok()) << big.status();
    EXPECT_EQ(big->shape(), TensorShape({elements}));
    EXPECT_TRUE(Values<int32_t>(*big) == values);
  }
  const std::string data = ReadFile(DataPath(prefix));
  ASSERT_EQ(data.size(), 8u + elements * 4);
  // The first and last byte of the tensor, and bytes in its middle blocks
  // and parts.
  for (size_t i :
       {size_t{8}, size_t{8} + (1u << 20), size_t{8} + (2u << 20),
        data.size() / 2, data.size() - (1u << 20), data.size() - 1}) {
    std::string corrupt = data;
    corrupt[i] ^= 0x01;
    WriteFile(DataPath(prefix), corrupt);
    std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
    ASSERT_NE(reader, nullptr);
    absl::StatusOr<Tensor> big = reader->Lookup("big");
    EXPECT_EQ(big.status().code(), absl::StatusCode::kDataLoss)
        << "byte " << i << ": " << big.status();
  }
  WriteFile(DataPath(prefix), data.substr(0, data.size() - 1));
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Lookup("big").status().code(), absl::StatusCode::kDataLoss);
}

TEST(Bundle, LargeTensorReadInPartsRoundTripsAndChecksEveryPart) {
  CheckBlockwiseRead((int64_t{20} << 20) / 4 + 3);  // odd split
}

TEST(Bundle, MidSizeTensorReadInBlocksRoundTripsAndChecksEveryBlock) {
  CheckBlockwiseRead((int64_t{3} << 20) / 4 + 1);  // one part, 4 blocks
}

TEST(Bundle, TruncatedShardIsDataLoss) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("f", Tensor::Vector<float>({1, 2, 3})).ok());
  ASSERT_TRUE(writer.Add("s", Tensor::Vector<std::string>({"xyz", "w"})).ok());
  ASSERT_TRUE(writer.Finish().ok());
  const std::string data = ReadFile(DataPath(prefix));
  for (size_t n = 0; n < data.size(); ++n) {
    WriteFile(DataPath(prefix), data.substr(0, n));
    std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->Lookup("s").status().code(), absl::StatusCode::kDataLoss)
        << "length " << n;
    if (n < 12) {
      EXPECT_EQ(reader->Lookup("f").status().code(),
                absl::StatusCode::kDataLoss);
    }
  }
}

TEST(Bundle, CorruptOrTruncatedIndexIsAnErrorNotACrash) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("a", Tensor::Vector<float>({1, 2})).ok());
  ASSERT_TRUE(writer.Add("b", Tensor::Vector<std::string>({"q"})).ok());
  ASSERT_TRUE(writer.Finish().ok());
  const std::string index = ReadFile(prefix + ".index");
  for (size_t i = 0; i < index.size(); ++i) {
    std::string corrupt = index;
    corrupt[i] ^= 0x01;
    WriteFile(prefix + ".index", corrupt);
    absl::StatusOr<std::unique_ptr<BundleReader>> reader =
        BundleReader::Open(prefix);
    if (reader.ok()) {
      // Only the footer padding is unchecked; lookups must still work.
      EXPECT_TRUE((*reader)->Lookup("a").ok()) << "byte " << i;
    } else {
      EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss)
          << reader.status();
    }
    WriteFile(prefix + ".index", index.substr(0, i));
    EXPECT_FALSE(BundleReader::Open(prefix).ok()) << "length " << i;
  }
}

TEST(Bundle, MissingFilesAreReportedClearly) {
  const std::string prefix = TestPrefix();
  absl::StatusOr<std::unique_ptr<BundleReader>> missing =
      BundleReader::Open(prefix);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(prefix + ".index"),
            std::string::npos)
      << missing.status();

  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Add("a", Tensor::Scalar<float>(1)).ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::remove(DataPath(prefix).c_str());
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  absl::StatusOr<Tensor> t = reader->Lookup("a");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(t.status().message().find(DataPath(prefix)), std::string::npos)
      << t.status();
}

TEST(Bundle, LookupSliceAcceptsOnlyWholeTensors) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(
      writer.Add("m", Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}))
          .ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  for (const char* spec : {"", "2 3 -:-", "2 3 0,2:0,3", " 2  3 -:0,3 "}) {
    absl::StatusOr<Tensor> t = reader->LookupSlice("m", spec);
    ASSERT_TRUE(t.ok()) << spec << ": " << t.status();
    EXPECT_EQ(Values<int32_t>(*t), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
  }
  absl::StatusOr<Tensor> part = reader->LookupSlice("m", "2 3 0,1:-");
  EXPECT_EQ(part.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(part.status().message().find("0,1:-"), std::string::npos)
      << part.status();
  for (const char* bad : {"3 3 -:-", "2 3", "x 3 -:-", "2 3 -", "2 3 0,4:-",
                          "2 3 -1,1:-", "2 3 a,b:-", "2 -3 -:-"}) {
    EXPECT_EQ(reader->LookupSlice("m", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(Bundle, WriterRejectsBadKeys) {
  BundleWriter writer(TestPrefix());
  EXPECT_EQ(writer.Add("", Tensor::Scalar<float>(1)).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer.Add("a", Tensor::Scalar<float>(1)).ok());
  EXPECT_EQ(writer.Add("a", Tensor::Scalar<float>(2)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer.Add("u", Tensor()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(writer.Finish().ok());
  EXPECT_EQ(writer.Add("b", Tensor::Scalar<float>(1)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Bundle, EmptyBundleRoundTrips) {
  const std::string prefix = TestPrefix();
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Finish().ok());
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->Keys().empty());
  EXPECT_EQ(reader->num_shards(), 1);
}

// Writes a bundle by hand: `data` as the only shard and an index with
// `header` and `entries` (sorted by key).
void WriteRawBundle(
    const std::string& prefix, const tensorflow::BundleHeaderProto& header,
    const std::vector<std::pair<std::string, tensorflow::BundleEntryProto>>&
        entries,
    const std::string& data) {
  TableWriter table;
  ASSERT_TRUE(table.Add("", header.SerializeAsString()).ok());
  for (const auto& [key, entry] : entries) {
    ASSERT_TRUE(table.Add(key, entry.SerializeAsString()).ok());
  }
  WriteFile(prefix + ".index", table.Finish());
  WriteFile(DataPath(prefix), data);
}

tensorflow::BundleHeaderProto LittleEndianHeader() {
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(1);
  header.mutable_version()->set_producer(1);
  return header;
}

tensorflow::BundleEntryProto Entry(tensorflow::DataType dtype,
                                   std::vector<int64_t> dims, int64_t offset,
                                   int64_t size) {
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(dtype);
  for (int64_t d : dims) entry.mutable_shape()->add_dim()->set_size(d);
  entry.set_offset(offset);
  entry.set_size(size);
  return entry;
}

TEST(Bundle, HostileEntriesFailCleanlyBeforeAllocating) {
  const std::string prefix = TestPrefix();
  tensorflow::BundleEntryProto bad_shard =
      Entry(tensorflow::DT_FLOAT, {1}, 0, 4);
  bad_shard.set_shard_id(3);
  tensorflow::BundleEntryProto sliced = Entry(tensorflow::DT_FLOAT, {4}, 0, 0);
  sliced.add_slices()->add_extent();
  WriteRawBundle(
      prefix, LittleEndianHeader(),
      {{"big_float", Entry(tensorflow::DT_FLOAT, {int64_t{1} << 40}, 0, 16)},
       {"big_string", Entry(tensorflow::DT_STRING, {int64_t{1} << 27}, 0, 16)},
       {"huge_size", Entry(tensorflow::DT_FLOAT, {4}, 0, int64_t{1} << 62)},
       {"invalid_dtype", Entry(tensorflow::DT_INVALID, {1}, 0, 4)},
       {"negative_offset", Entry(tensorflow::DT_FLOAT, {1}, -4, 4)},
       {"past_end", Entry(tensorflow::DT_FLOAT, {2}, 12, 8)},
       {"shard", bad_shard},
       {"sliced", sliced},
       {"variant", Entry(tensorflow::DT_VARIANT, {1}, 0, 4)}},
      std::string(16, '\0'));
  std::unique_ptr<BundleReader> reader = OpenOrDie(prefix);
  ASSERT_NE(reader, nullptr);
  const std::vector<std::pair<std::string, absl::StatusCode>> expected = {
      {"big_float", absl::StatusCode::kDataLoss},
      {"big_string", absl::StatusCode::kDataLoss},
      {"huge_size", absl::StatusCode::kDataLoss},
      {"invalid_dtype", absl::StatusCode::kUnimplemented},
      {"negative_offset", absl::StatusCode::kDataLoss},
      {"past_end", absl::StatusCode::kDataLoss},
      {"shard", absl::StatusCode::kDataLoss},
      {"sliced", absl::StatusCode::kUnimplemented},
      {"variant", absl::StatusCode::kUnimplemented}};
  for (const auto& [key, code] : expected) {
    absl::StatusOr<Tensor> t = reader->Lookup(key);
    EXPECT_EQ(t.status().code(), code) << key << ": " << t.status();
    EXPECT_NE(t.status().message().find(key), std::string::npos) << t.status();
  }
  EXPECT_TRUE(reader->GetEntryInfo("sliced")->partitioned);
}

TEST(Bundle, RejectsBadHeadersAndEntries) {
  const std::string prefix = TestPrefix();
  tensorflow::BundleHeaderProto header = LittleEndianHeader();
  header.set_endianness(tensorflow::BundleHeaderProto::BIG);
  WriteRawBundle(prefix, header, {}, "");
  EXPECT_EQ(BundleReader::Open(prefix).status().code(),
            absl::StatusCode::kUnimplemented);

  header = LittleEndianHeader();
  header.mutable_version()->set_min_consumer(2);
  WriteRawBundle(prefix, header, {}, "");
  EXPECT_EQ(BundleReader::Open(prefix).status().code(),
            absl::StatusCode::kFailedPrecondition);

  tensorflow::BundleEntryProto negative_dim =
      Entry(tensorflow::DT_FLOAT, {-1}, 0, 0);
  WriteRawBundle(prefix, LittleEndianHeader(), {{"x", negative_dim}}, "");
  EXPECT_EQ(BundleReader::Open(prefix).status().code(),
            absl::StatusCode::kDataLoss);

  // An index whose first key is not the header.
  TableWriter table;
  ASSERT_TRUE(table.Add("a", "").ok());
  WriteFile(prefix + ".index", table.Finish());
  EXPECT_EQ(BundleReader::Open(prefix).status().code(),
            absl::StatusCode::kDataLoss);

  // An unparseable entry.
  TableWriter garbage;
  ASSERT_TRUE(garbage.Add("", LittleEndianHeader().SerializeAsString()).ok());
  ASSERT_TRUE(garbage.Add("a", "\xff\xff\xff").ok());
  WriteFile(prefix + ".index", garbage.Finish());
  absl::StatusOr<std::unique_ptr<BundleReader>> reader =
      BundleReader::Open(prefix);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(reader.status().message().find("not parseable"), std::string::npos)
      << reader.status();
}

// Bundles written by TensorFlow.

std::string SharedModelPrefix(const std::string& relative) {
  return absl::StrCat(testing::SharedDir(), "/models/", relative,
                      "/variables/variables");
}

bool HaveShared() {
  struct stat st;
  return ::stat((testing::SharedDir() + "/models").c_str(), &st) == 0;
}

#define SKIP_WITHOUT_SHARED()                                                \
  if (!HaveShared()) {                                                       \
    GTEST_SKIP() << testing::SharedDir()                                     \
                 << "/models not found; skipping TensorFlow-written bundle " \
                    "tests";                                                 \
  }

TEST(TensorFlowBundles, ReadsHalfPlusTwo) {
  SKIP_WITHOUT_SHARED();
  std::unique_ptr<BundleReader> reader =
      OpenOrDie(SharedModelPrefix("tfs_half_plus_two_cpu/00000123"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Keys(),
            (std::vector<std::string>{"a", "a2", "b", "c", "c2"}));
  const std::vector<std::pair<std::string, float>> expected = {
      {"a", 0.5f}, {"a2", 0.5f}, {"b", 2.0f}, {"c", 3.0f}, {"c2", 3.0f}};
  for (const auto& [key, value] : expected) {
    absl::StatusOr<Tensor> t = reader->Lookup(key);
    ASSERT_TRUE(t.ok()) << key << ": " << t.status();
    EXPECT_EQ(t->dtype(), DT_FLOAT);
    EXPECT_EQ(t->shape(), TensorShape());
    EXPECT_EQ(t->scalar<float>(), value) << key;
  }
}

TEST(TensorFlowBundles, ReadsTf2ObjectGraphString) {
  SKIP_WITHOUT_SHARED();
  std::unique_ptr<BundleReader> reader =
      OpenOrDie(SharedModelPrefix("tfs_half_plus_two_tf2_cpu/00000123"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(
      reader->Keys(),
      (std::vector<std::string>{
          "_CHECKPOINTABLE_OBJECT_GRAPH", "a/.ATTRIBUTES/VARIABLE_VALUE",
          "b/.ATTRIBUTES/VARIABLE_VALUE", "c/.ATTRIBUTES/VARIABLE_VALUE"}));
  absl::StatusOr<Tensor> graph = reader->Lookup("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_EQ(graph->dtype(), DT_STRING);
  EXPECT_EQ(graph->shape(), TensorShape());
  EXPECT_GT(graph->scalar<std::string>().size(), 100u);
  absl::StatusOr<Tensor> b = reader->Lookup("b/.ATTRIBUTES/VARIABLE_VALUE");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->scalar<float>(), 2.0f);
}

TEST(TensorFlowBundles, ReadsEveryMobilenetEntry) {
  SKIP_WITHOUT_SHARED();
  std::unique_ptr<BundleReader> reader =
      OpenOrDie(SharedModelPrefix("arm_openmv_mobilenet/1"));
  ASSERT_NE(reader, nullptr);
  const std::vector<std::string> keys = reader->Keys();
  EXPECT_EQ(keys.size(), 317u);
  int64_t total_elements = 0;
  for (const std::string& key : keys) {
    absl::StatusOr<BundleEntryInfo> info = reader->GetEntryInfo(key);
    ASSERT_TRUE(info.ok()) << info.status();
    absl::StatusOr<Tensor> t = reader->Lookup(key);
    ASSERT_TRUE(t.ok()) << key << ": " << t.status();
    EXPECT_EQ(t->dtype(), info->dtype) << key;
    EXPECT_EQ(t->shape(), info->shape) << key;
    total_elements += t->NumElements();
  }
  EXPECT_GT(total_elements, 500000);
}

}  // namespace
}  // namespace model_server
