#include "tests/testing/hostile_matrix.h"

#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tensorflow_serving/apis/predict.pb.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"
#include "tests/testing/tf1_while_loop_builder.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace testing {

namespace tfs = tensorflow::serving;

// One signature per op under test; inputs are named after the op's inputs.
absl::Status WriteHostileModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  auto scalar = [&](const std::string& name, DataType dtype) {
    return g.Placeholder(name, dtype, {});
  };
  auto vec = [&](const std::string& name, DataType dtype) {
    return g.Placeholder(name, dtype, {-1});
  };
  {
    std::string x = g.Placeholder("add/x", DT_FLOAT);
    std::string y = g.Placeholder("add/y", DT_FLOAT);
    std::string z = g.Binary("add/z", "AddV2", x, y, DT_FLOAT);
    model.AddSignature("add")
        .Input("x", x, DT_FLOAT)
        .Input("y", y, DT_FLOAT)
        .Output("z", z, DT_FLOAT);
  }
  {
    std::string start = scalar("range/start", DT_INT64);
    std::string limit = scalar("range/limit", DT_INT64);
    std::string delta = scalar("range/delta", DT_INT64);
    g.Op("range/out", "Range")
        .Input(start)
        .Input(limit)
        .Input(delta)
        .Attr("Tidx", DT_INT64);
    model.AddSignature("range")
        .Input("start", start, DT_INT64)
        .Input("limit", limit, DT_INT64)
        .Input("delta", delta, DT_INT64)
        .Output("out", "range/out:0", DT_INT64);
  }
  {
    std::string dims = vec("fill/dims", DT_INT64);
    std::string value = g.Placeholder("fill/value", DT_FLOAT);
    g.Op("fill/out", "Fill")
        .Input(dims)
        .Input(value)
        .Attr("T", DT_FLOAT)
        .Attr("index_type", DT_INT64);
    model.AddSignature("fill")
        .Input("dims", dims, DT_INT64)
        .Input("value", value, DT_FLOAT)
        .Output("out", "fill/out:0", DT_FLOAT);
  }
  {
    std::string x = g.Placeholder("tile/x", DT_FLOAT);
    std::string multiples = vec("tile/multiples", DT_INT32);
    g.Op("tile/out", "Tile")
        .Input(x)
        .Input(multiples)
        .Attr("T", DT_FLOAT)
        .Attr("Tmultiples", DT_INT32);
    model.AddSignature("tile")
        .Input("x", x, DT_FLOAT)
        .Input("multiples", multiples, DT_INT32)
        .Output("out", "tile/out:0", DT_FLOAT);
  }
  {
    std::string indices = g.Placeholder("one_hot/indices", DT_INT32);
    std::string depth = scalar("one_hot/depth", DT_INT32);
    std::string on = g.Const("one_hot/on", Tensor::Scalar(1.0f));
    std::string off = g.Const("one_hot/off", Tensor::Scalar(0.0f));
    g.Op("one_hot/out", "OneHot")
        .Input(indices)
        .Input(depth)
        .Input(on)
        .Input(off)
        .Attr("T", DT_FLOAT)
        .Attr("TI", DT_INT32)
        .Attr("axis", -1);
    model.AddSignature("one_hot")
        .Input("indices", indices, DT_INT32)
        .Input("depth", depth, DT_INT32)
        .Output("out", "one_hot/out:0", DT_FLOAT);
  }
  {
    std::string x = g.Placeholder("reshape/x", DT_FLOAT);
    std::string shape = vec("reshape/shape", DT_INT32);
    g.Op("reshape/out", "Reshape")
        .Input(x)
        .Input(shape)
        .Attr("T", DT_FLOAT)
        .Attr("Tshape", DT_INT32);
    model.AddSignature("reshape")
        .Input("x", x, DT_FLOAT)
        .Input("shape", shape, DT_INT32)
        .Output("out", "reshape/out:0", DT_FLOAT);
  }
  {
    std::string x = g.Placeholder("pad/x", DT_FLOAT);
    std::string paddings = g.Placeholder("pad/paddings", DT_INT32);
    g.Op("pad/out", "Pad")
        .Input(x)
        .Input(paddings)
        .Attr("T", DT_FLOAT)
        .Attr("Tpaddings", DT_INT32);
    model.AddSignature("pad")
        .Input("x", x, DT_FLOAT)
        .Input("paddings", paddings, DT_INT32)
        .Output("out", "pad/out:0", DT_FLOAT);
  }
  {
    std::string x = g.Placeholder("broadcast_to/x", DT_FLOAT);
    std::string shape = vec("broadcast_to/shape", DT_INT64);
    g.Op("broadcast_to/out", "BroadcastTo")
        .Input(x)
        .Input(shape)
        .Attr("T", DT_FLOAT)
        .Attr("Tidx", DT_INT64);
    model.AddSignature("broadcast_to")
        .Input("x", x, DT_FLOAT)
        .Input("shape", shape, DT_INT64)
        .Output("out", "broadcast_to/out:0", DT_FLOAT);
  }
  {
    std::string params = g.Placeholder("gather/params", DT_FLOAT);
    std::string indices = g.Placeholder("gather/indices", DT_INT32);
    std::string axis = g.Const("gather/axis", Tensor::Scalar<int32_t>(0));
    g.Op("gather/out", "GatherV2")
        .Input(params)
        .Input(indices)
        .Input(axis)
        .Attr("Tparams", DT_FLOAT)
        .Attr("Tindices", DT_INT32)
        .Attr("Taxis", DT_INT32)
        .Attr("batch_dims", 0);
    g.Op("gather/nd", "GatherNd")
        .Input(params)
        .Input(indices)
        .Attr("Tparams", DT_FLOAT)
        .Attr("Tindices", DT_INT32);
    model.AddSignature("gather")
        .Input("params", params, DT_FLOAT)
        .Input("indices", indices, DT_INT32)
        .Output("out", "gather/out:0", DT_FLOAT);
    model.AddSignature("gather_nd")
        .Input("params", params, DT_FLOAT)
        .Input("indices", indices, DT_INT32)
        .Output("out", "gather/nd:0", DT_FLOAT);
  }
  {
    std::string x = g.Placeholder("slice/x", DT_FLOAT);
    std::string begin = vec("slice/begin", DT_INT32);
    std::string size = vec("slice/size", DT_INT32);
    std::string strides = vec("slice/strides", DT_INT32);
    g.Op("slice/out", "Slice")
        .Input(x)
        .Input(begin)
        .Input(size)
        .Attr("T", DT_FLOAT)
        .Attr("Index", DT_INT32);
    g.Op("slice/strided", "StridedSlice")
        .Input(x)
        .Input(begin)
        .Input(size)
        .Input(strides)
        .Attr("T", DT_FLOAT)
        .Attr("Index", DT_INT32)
        .Attr("begin_mask", 0)
        .Attr("end_mask", 0)
        .Attr("ellipsis_mask", 0)
        .Attr("new_axis_mask", 0)
        .Attr("shrink_axis_mask", 0);
    model.AddSignature("slice")
        .Input("x", x, DT_FLOAT)
        .Input("begin", begin, DT_INT32)
        .Input("size", size, DT_INT32)
        .Output("out", "slice/out:0", DT_FLOAT);
    model.AddSignature("strided_slice")
        .Input("x", x, DT_FLOAT)
        .Input("begin", begin, DT_INT32)
        .Input("end", size, DT_INT32)
        .Input("strides", strides, DT_INT32)
        .Output("out", "slice/strided:0", DT_FLOAT);
  }
  {
    // while (i < n) i += 1, with n from the request.
    std::string n = scalar("loop/n", DT_INT32);
    std::string i0 = g.Const("loop/i0", Tensor::Scalar<int32_t>(0));
    Tf1WhileLoopBuilder loop(&g, "loop/while", {{i0, DT_INT32}});
    std::string limit = loop.Invariant(n, DT_INT32);
    loop.Cond(g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], limit,
                       DT_INT32));
    std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
    std::vector<std::string> exits = loop.Body({g.Binary(
        loop.Name("add"), "AddV2", loop.body_vars()[0], one, DT_INT32)});
    model.AddSignature("loop")
        .Input("n", n, DT_INT32)
        .Output("i", exits[0], DT_INT32);
  }
  return model.Write(dir);
}

namespace {

// TensorProto builders.
tensorflow::TensorProto Proto(tensorflow::DataType dtype,
                              const std::vector<int64_t>& shape) {
  tensorflow::TensorProto proto;
  proto.set_dtype(dtype);
  for (int64_t d : shape) proto.mutable_tensor_shape()->add_dim()->set_size(d);
  return proto;
}

tensorflow::TensorProto Floats(const std::vector<float>& values,
                               const std::vector<int64_t>& shape) {
  tensorflow::TensorProto proto = Proto(tensorflow::DT_FLOAT, shape);
  for (float v : values) proto.add_float_val(v);
  return proto;
}

tensorflow::TensorProto Ints(const std::vector<int32_t>& values,
                             const std::vector<int64_t>& shape) {
  tensorflow::TensorProto proto = Proto(tensorflow::DT_INT32, shape);
  for (int32_t v : values) proto.add_int_val(v);
  return proto;
}

tensorflow::TensorProto Int64s(const std::vector<int64_t>& values,
                               const std::vector<int64_t>& shape) {
  tensorflow::TensorProto proto = Proto(tensorflow::DT_INT64, shape);
  for (int64_t v : values) proto.add_int64_val(v);
  return proto;
}

tensorflow::TensorProto Scalar64(int64_t v) { return Int64s({v}, {}); }
tensorflow::TensorProto Scalar32(int32_t v) { return Ints({v}, {}); }

// A DT_VARIANT tensor whose variant_val holds a tensor that holds a
// tensor... `levels` deep.
tensorflow::TensorProto NestedVariant(int levels) {
  tensorflow::TensorProto root = Proto(tensorflow::DT_VARIANT, {});
  tensorflow::TensorProto* at = &root;
  for (int i = 0; i < levels; ++i) {
    tensorflow::VariantTensorDataProto* variant = at->add_variant_val();
    variant->set_type_name("tensorflow::Tensor");
    at = variant->add_tensors();
    at->set_dtype(i + 1 == levels ? tensorflow::DT_FLOAT
                                  : tensorflow::DT_VARIANT);
  }
  return root;
}

tfs::PredictRequest Request(
    const std::string& signature,
    const std::vector<std::pair<std::string, tensorflow::TensorProto>>&
        inputs) {
  tfs::PredictRequest request = MakePredictRequest("hostile", signature);
  for (const auto& [alias, proto] : inputs) {
    (*request.mutable_inputs())[alias] = proto;
  }
  return request;
}

}  // namespace

tfs::PredictRequest HostileModelGoodRequest() {
  return Request("add", {{"x", Floats({1, 2}, {2})}, {"y", Floats({3}, {})}});
}

std::vector<GrpcCase> GrpcCases() {
  using grpc::StatusCode;
  const StatusCode kInvalid = StatusCode::INVALID_ARGUMENT;
  const StatusCode kExhausted = StatusCode::RESOURCE_EXHAUSTED;
  std::vector<GrpcCase> cases;
  auto add = [&](std::string name, tfs::PredictRequest request,
                 StatusCode expected, std::string message = "") {
    cases.push_back(
        {std::move(name), std::move(request), expected, std::move(message)});
  };
  const auto x2 = Floats({1, 2}, {2});
  // Addressing.
  {
    tfs::PredictRequest r = Request("add", {{"x", x2}, {"y", x2}});
    r.clear_model_spec();
    add("no model_spec", r, kInvalid, "Missing ModelSpec");
  }
  {
    tfs::PredictRequest r = Request("add", {{"x", x2}, {"y", x2}});
    r.mutable_model_spec()->set_name("nope");
    add("unknown model", r, StatusCode::NOT_FOUND, "nope");
  }
  {
    tfs::PredictRequest r = Request("add", {{"x", x2}, {"y", x2}});
    r.mutable_model_spec()->mutable_version()->set_value(-7);
    add("negative version", r, StatusCode::NOT_FOUND);
  }
  add("unknown signature", Request("nope", {{"x", x2}}),
      StatusCode::FAILED_PRECONDITION, "nope");
  // Inputs and their TensorProtos.
  add("missing input", Request("add", {{"x", x2}}), kInvalid);
  add("extra input", Request("add", {{"x", x2}, {"y", x2}, {"z", x2}}),
      kInvalid);
  add("wrong dtype", Request("add", {{"x", Ints({1, 2}, {2})}, {"y", x2}}),
      kInvalid);
  add("DT_INVALID",
      Request("add", {{"x", Proto(tensorflow::DT_INVALID, {2})}, {"y", x2}}),
      kInvalid);
  add("dtype out of the enum",
      Request("add",
              {{"x", Proto(static_cast<tensorflow::DataType>(9999), {2})},
               {"y", x2}}),
      kInvalid);
  add("DT_RESOURCE input",
      Request("add", {{"x", Proto(tensorflow::DT_RESOURCE, {})}, {"y", x2}}),
      kInvalid);
  add("negative dimension",
      Request("add", {{"x", Floats({1}, {-2})}, {"y", x2}}), kInvalid);
  add("element count overflows int64",
      Request("add", {{"x", Floats({1}, {int64_t{1} << 40, int64_t{1} << 40})},
                      {"y", x2}}),
      kInvalid);
  add("one value repeated over 10^12 elements",
      Request("add", {{"x", Floats({1}, {1000000, 1000000})}, {"y", x2}}),
      kExhausted, "--max_tensor_elements");
  add("just over the element limit",
      Request("add",
              {{"x", Floats({1}, {kHostileMaxTensorElements + 1})}, {"y", x2}}),
      kExhausted, "--max_tensor_elements");
  {
    auto x = Proto(tensorflow::DT_FLOAT, {int64_t{1} << 28});
    x.set_tensor_content(std::string(4, '\0'));
    add("tensor_content of 4 bytes for a 1 GiB shape",
        Request("add", {{"x", x}, {"y", x2}}), kExhausted);
  }
  add("two inputs over the request's tensor bytes",
      Request("add", {{"x", Floats({1}, {kHostileMaxTensorElements})},
                      {"y", Floats({1}, {kHostileMaxTensorElements})}}),
      kExhausted, "--max_request_tensor_bytes");
  add("more values than the shape holds",
      Request("add", {{"x", Floats({1, 2, 3}, {2})}, {"y", x2}}), kInvalid);
  {
    auto x = Proto(tensorflow::DT_FLOAT, {2});
    x.set_tensor_content(std::string(7, '\0'));
    add("tensor_content size mismatch", Request("add", {{"x", x}, {"y", x2}}),
        kInvalid, "tensor_content");
  }
  {
    auto x = Proto(tensorflow::DT_FLOAT, {});
    x.mutable_tensor_shape()->set_unknown_rank(true);
    add("unknown rank", Request("add", {{"x", x}, {"y", x2}}), kInvalid);
  }
  add("shapes that do not broadcast",
      Request("add", {{"x", x2}, {"y", Floats({1, 2, 3}, {3})}}), kInvalid);
  {
    auto s = Proto(tensorflow::DT_STRING, {1});
    s.add_string_val(std::string(3 << 20, 'a'));
    add("3 MiB string for a float input", Request("add", {{"x", s}, {"y", x2}}),
        kInvalid);
  }
  {
    auto s = Proto(tensorflow::DT_STRING, {1});
    s.add_string_val(std::string(kHostileMaxRequestBytes + 1, 'a'));
    add("message over --max_request_bytes",
        Request("add", {{"x", s}, {"y", x2}}), kExhausted);
  }
  {
    auto c = Proto(tensorflow::DT_COMPLEX64, {1});
    c.add_scomplex_val(1);
    add("odd complex values", Request("add", {{"x", c}, {"y", x2}}), kInvalid);
  }
  add("variant nested 10 deep",
      Request("add", {{"x", NestedVariant(10)}, {"y", x2}}), kInvalid,
      "DT_VARIANT");
  add("variant nested 99 deep",
      Request("add", {{"x", NestedVariant(99)}, {"y", x2}}), kInvalid,
      "deeper than protobuf's limit");
  add("variant nested 2000 deep",
      Request("add", {{"x", NestedVariant(2000)}, {"y", x2}}), kInvalid,
      "deeper than protobuf's limit");
  {
    tfs::PredictRequest r = Request("add", {{"x", x2}, {"y", x2}});
    r.add_output_filter("nope");
    add("unknown output_filter", r, kInvalid, "nope");
    r.clear_output_filter();
    r.add_output_filter("z");
    r.add_output_filter("z");
    add("repeated output_filter", r, kInvalid);
  }
  // Kernels sized by request values.
  add("Range of 10^12 elements",
      Request("range", {{"start", Scalar64(0)},
                        {"limit", Scalar64(1000000000000)},
                        {"delta", Scalar64(1)}}),
      kExhausted, "--max_tensor_elements");
  add("Range with delta 0",
      Request("range", {{"start", Scalar64(0)},
                        {"limit", Scalar64(10)},
                        {"delta", Scalar64(0)}}),
      kInvalid);
  add("Range going the wrong way",
      Request("range", {{"start", Scalar64(0)},
                        {"limit", Scalar64(10)},
                        {"delta", Scalar64(-1)}}),
      kInvalid);
  add("Range over the whole int64 line",
      Request("range", {{"start", Scalar64(INT64_MIN)},
                        {"limit", Scalar64(INT64_MAX)},
                        {"delta", Scalar64(1)}}),
      kInvalid);
  add("Range with a vector limit",
      Request("range", {{"start", Scalar64(0)},
                        {"limit", Int64s({1, 2}, {2})},
                        {"delta", Scalar64(1)}}),
      kInvalid);
  add("Fill of 10^12 elements",
      Request("fill", {{"dims", Int64s({1000000, 1000000}, {2})},
                       {"value", Floats({1}, {})}}),
      kExhausted, "--max_tensor_elements");
  add("Fill with a negative dimension",
      Request("fill",
              {{"dims", Int64s({-1}, {1})}, {"value", Floats({1}, {})}}),
      kInvalid);
  add("Fill whose dims overflow",
      Request("fill", {{"dims", Int64s({int64_t{1} << 62, 4}, {2})},
                       {"value", Floats({1}, {})}}),
      kInvalid);
  add("Fill with a vector value",
      Request("fill", {{"dims", Int64s({2}, {1})}, {"value", x2}}), kInvalid);
  add("Tile by 2^30",
      Request("tile", {{"x", x2}, {"multiples", Ints({1 << 30}, {1})}}),
      kExhausted, "--max_tensor_elements");
  add("Tile by -1",
      Request("tile", {{"x", x2}, {"multiples", Ints({-1}, {1})}}), kInvalid);
  add("Tile with too many multiples",
      Request("tile", {{"x", x2}, {"multiples", Ints({1, 1}, {2})}}), kInvalid);
  add("OneHot of depth 2^31-1",
      Request("one_hot", {{"indices", Ints({0, 1, 2, 3}, {4})},
                          {"depth", Scalar32(INT32_MAX)}}),
      kExhausted, "--max_tensor_elements");
  add("OneHot of depth -1",
      Request("one_hot",
              {{"indices", Ints({0}, {1})}, {"depth", Scalar32(-1)}}),
      kInvalid);
  add("Reshape with two -1",
      Request("reshape", {{"x", x2}, {"shape", Ints({-1, -1}, {2})}}),
      kInvalid);
  add("Reshape to a different size",
      Request("reshape", {{"x", x2}, {"shape", Ints({3}, {1})}}), kInvalid);
  add("Reshape to a huge shape",
      Request("reshape",
              {{"x", x2}, {"shape", Ints({1 << 30, 1 << 30, 1 << 30}, {3})}}),
      kInvalid);
  add("Pad by 2^30 on each side",
      Request("pad",
              {{"x", x2}, {"paddings", Ints({1 << 30, 1 << 30}, {1, 2})}}),
      kExhausted);
  add("Pad by a negative amount",
      Request("pad", {{"x", x2}, {"paddings", Ints({-5, 0}, {1, 2})}}),
      kInvalid);
  add("Pad with paddings of the wrong shape",
      Request("pad", {{"x", x2}, {"paddings", Ints({1, 1, 1}, {3})}}),
      kInvalid);
  add("BroadcastTo 2^40 elements",
      Request("broadcast_to",
              {{"x", Floats({1}, {1})},
               {"shape", Int64s({int64_t{1} << 20, int64_t{1} << 20}, {2})}}),
      kExhausted, "--max_tensor_elements");
  add("BroadcastTo a negative dimension",
      Request("broadcast_to",
              {{"x", Floats({1}, {1})}, {"shape", Int64s({-1}, {1})}}),
      kInvalid);
  add("BroadcastTo an incompatible shape",
      Request("broadcast_to", {{"x", x2}, {"shape", Int64s({3}, {1})}}),
      kInvalid);
  add("Gather index past the end",
      Request("gather", {{"params", x2}, {"indices", Ints({10}, {1})}}),
      kInvalid);
  add("Gather negative index",
      Request("gather", {{"params", x2}, {"indices", Ints({-1}, {1})}}),
      kInvalid);
  add("Gather index INT32_MAX",
      Request("gather", {{"params", x2}, {"indices", Ints({INT32_MAX}, {1})}}),
      kInvalid);
  add("GatherNd index past the end",
      Request("gather_nd", {{"params", Floats({1, 2, 3, 4}, {2, 2})},
                            {"indices", Ints({5, 0}, {1, 2})}}),
      kInvalid);
  add("GatherNd index deeper than params",
      Request("gather_nd",
              {{"params", x2}, {"indices", Ints({0, 0, 0}, {1, 3})}}),
      kInvalid);
  add("Slice past the end",
      Request("slice",
              {{"x", x2}, {"begin", Ints({1}, {1})}, {"size", Ints({5}, {1})}}),
      kInvalid);
  add("Slice from a negative begin",
      Request(
          "slice",
          {{"x", x2}, {"begin", Ints({-1}, {1})}, {"size", Ints({1}, {1})}}),
      kInvalid);
  add("Slice of size -2",
      Request(
          "slice",
          {{"x", x2}, {"begin", Ints({0}, {1})}, {"size", Ints({-2}, {1})}}),
      kInvalid);
  add("StridedSlice with stride 0",
      Request("strided_slice", {{"x", x2},
                                {"begin", Ints({0}, {1})},
                                {"end", Ints({2}, {1})},
                                {"strides", Ints({0}, {1})}}),
      kInvalid);
  add("StridedSlice with begin and end of different lengths",
      Request("strided_slice", {{"x", x2},
                                {"begin", Ints({0, 0}, {2})},
                                {"end", Ints({2}, {1})},
                                {"strides", Ints({1}, {1})}}),
      kInvalid);
  {
    GrpcCase loop{"while loop to 2^31-1 stops at the deadline",
                  Request("loop", {{"n", Scalar32(INT32_MAX)}}),
                  StatusCode::DEADLINE_EXCEEDED, "", absl::Seconds(1)};
    cases.push_back(loop);
  }
  return cases;
}

namespace {

std::vector<RestCase> MakeRestCases() {
  const std::string predict = "/v1/models/hostile:predict";
  auto sig = [](const std::string& name, const std::string& inputs) {
    return absl::StrCat(R"({"signature_name": ")", name, R"(", "inputs": )",
                        inputs, "}");
  };
  std::string deep_json(100000, '[');
  std::string many_zeros = "[0";
  for (int64_t i = 1; i < kHostileMaxTensorElements + 10; ++i) {
    many_zeros += ",0";
  }
  many_zeros += "]";
  std::string bomb = Gzip(std::string(64 << 20, ' '));
  return {
      {"not JSON", predict, "{nope", 400, "JSON Parse error"},
      {"empty body", predict, "", 400, ""},
      {"JSON nested 100000 deep", predict, deep_json, 400, "nesting deeper"},
      {"body over --max_request_bytes", predict,
       std::string(kHostileMaxRequestBytes + 1, ' '), 413, ""},
      {"gzip bomb inflating past --max_request_bytes",
       predict,
       bomb,
       413,
       "inflates",
       {{"Content-Encoding", "gzip"}}},
      {"unknown model", "/v1/models/nope:predict", sig("add", "{}"), 404,
       "nope"},
      {"unknown version", "/v1/models/hostile/versions/99:predict",
       sig("add", "{}"), 404, ""},
      {"unknown verb", "/v1/models/hostile:explode", "{}", 400, "Malformed"},
      {"unknown signature", predict, sig("nope", "{}"), 400, "nope"},
      {"string for a float input", predict,
       sig("add", R"({"x": ["a"], "y": [1]})"), 400, ""},
      {"ragged instances", predict,
       R"({"signature_name": "add", "instances": [{"x": [1], "y": [1]}, {"x": [1, 2], "y": [1]}]})",
       400, ""},
      {"both instances and inputs", predict,
       R"({"instances": [1], "inputs": [1]})", 400, ""},
      {"invalid base64", predict,
       sig("add", R"({"x": {"b64": "!!!"}, "y": [1]})"), 400, ""},
      {"number too large for float", predict,
       sig("add", R"({"x": [1e400], "y": [1]})"), 400, ""},
      {"integer too large for int32", predict,
       sig("tile", R"({"x": [1], "multiples": [99999999999]})"), 400, ""},
      {"over the element limit", predict,
       sig("add", absl::StrCat(R"({"x": )", many_zeros, R"(, "y": [1]})")), 429,
       "--max_tensor_elements"},
      {"Range of 10^12 elements", predict,
       sig("range", R"({"start": 0, "limit": 1000000000000, "delta": 1})"), 429,
       "--max_tensor_elements"},
      {"Range with delta 0", predict,
       sig("range", R"({"start": 0, "limit": 10, "delta": 0})"), 400, ""},
      {"Fill of 10^12 elements", predict,
       sig("fill", R"({"dims": [1000000, 1000000], "value": 1})"), 429,
       "--max_tensor_elements"},
      {"Tile by 2^30", predict,
       sig("tile", R"({"x": [1, 2], "multiples": [1073741824]})"), 429,
       "--max_tensor_elements"},
      {"OneHot of depth 2^31-1", predict,
       sig("one_hot", R"({"indices": [0, 1], "depth": 2147483647})"), 429,
       "--max_tensor_elements"},
      {"Reshape to a different size", predict,
       sig("reshape", R"({"x": [1, 2], "shape": [3]})"), 400, ""},
      {"Pad by 2^30", predict,
       sig("pad", R"({"x": [1, 2], "paddings": [[1073741824, 1073741824]]})"),
       429, ""},
      {"BroadcastTo 2^40 elements", predict,
       sig("broadcast_to", R"({"x": [1], "shape": [1048576, 1048576]})"), 429,
       "--max_tensor_elements"},
      {"Gather index past the end", predict,
       sig("gather", R"({"params": [1, 2], "indices": [7]})"), 400, ""},
      {"Slice past the end", predict,
       sig("slice", R"({"x": [1, 2], "begin": [1], "size": [5]})"), 400, ""},
      {"while loop to 2^31-1 stops at --rest_api_timeout_in_ms", predict,
       sig("loop", R"({"n": 2147483647})"), 504, ""},
      {"Classify on a predict signature", "/v1/models/hostile:classify",
       R"({"signature_name": "add", "examples": [{"x": [1]}]})", 400, ""},
      {"examples that are not objects", "/v1/models/hostile:regress",
       R"({"examples": [1, 2, 3]})", 400, ""},
  };
}

}  // namespace

const std::vector<RestCase>& RestCases() {
  static const auto* cases = new std::vector<RestCase>(MakeRestCases());
  return *cases;
}

}  // namespace testing
}  // namespace model_server
