// SIGTERM lets a request that is being computed finish: a model whose
// Predict takes a while (three n x n matrix products, n chosen by the
// request) is called, SIGTERM arrives while it computes, and the call still
// gets its answer before the daemon exits 0.
#include <signal.h>

#include <cmath>
#include <future>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::TempDirectory;

constexpr char kModelName[] = "slow";

// y = mean(((a a) a)) with a = fill([n, n], v): every product keeps the
// entries at n v^2 = v when v = 1/n, so y = v. About 4 n^3 flops.
absl::Status WriteSlowModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  const std::string n = g.Placeholder("n", DT_INT32, {});
  const std::string v = g.Placeholder("v", DT_FLOAT, {});
  const std::string dims = g.Op("dims", "Pack")
                               .Input(n)
                               .Input(n)
                               .Attr("T", DT_INT32)
                               .Attr("N", 2)
                               .Attr("axis", 0)
                               .Output(0);
  const std::string a = g.Op("a", "Fill")
                            .Input(dims)
                            .Input(v)
                            .Attr("T", DT_FLOAT)
                            .Attr("index_type", DT_INT32)
                            .Output(0);
  std::string product = a;
  for (int i = 0; i < 2; ++i) {
    product = g.Op(absl::StrCat("product", i), "MatMul")
                  .Input(product)
                  .Input(a)
                  .Attr("T", DT_FLOAT)
                  .Attr("transpose_a", false)
                  .Attr("transpose_b", false)
                  .Output(0);
  }
  const std::string axes =
      g.Const("axes", Tensor::FromVector<int32_t>({0, 1}, TensorShape({2})));
  const std::string y = g.Op("y", "Mean")
                            .Input(product)
                            .Input(axes)
                            .Attr("T", DT_FLOAT)
                            .Attr("Tidx", DT_INT32)
                            .Attr("keep_dims", false)
                            .Output(0);
  model.AddSignature("serving_default")
      .Input("n", n, DT_INT32, {})
      .Input("v", v, DT_FLOAT, {})
      .Output("y", y, DT_FLOAT, {});
  return model.Write(dir);
}

tfs::PredictRequest SlowRequest(int n) {
  tfs::PredictRequest request = testing::MakePredictRequest(kModelName);
  tensorflow::TensorProto& n_proto = (*request.mutable_inputs())["n"];
  n_proto.set_dtype(tensorflow::DT_INT32);
  n_proto.mutable_tensor_shape();
  n_proto.add_int_val(n);
  tensorflow::TensorProto& v_proto = (*request.mutable_inputs())["v"];
  v_proto.set_dtype(tensorflow::DT_FLOAT);
  v_proto.mutable_tensor_shape();
  v_proto.add_float_val(1.0f / static_cast<float>(n));
  return request;
}

TEST(DaemonDrain, SigtermLetsARequestBeingComputedFinish) {
  auto scratch = TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string base = (*scratch)->path() + "/slow";
  ASSERT_TRUE(WriteSlowModel(base + "/1").ok());
  DaemonOptions options;
  options.model_name = kModelName;
  options.model_base_path = base;
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  // Calibrate: time one call so that the one in flight at SIGTERM surely
  // still computes when the signal arrives, even on a busy machine.
  constexpr int kN = 1500;
  const tfs::PredictRequest request = SlowRequest(kN);
  const absl::Time calibration_start = absl::Now();
  {
    tfs::PredictResponse response;
    grpc::Status status =
        testing::CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(testing::FloatValues(response.outputs().at("y")).size(), 1u);
  }
  const absl::Duration one_call = absl::Now() - calibration_start;

  // The second call goes over the channel the calibration already
  // connected, so it reaches the model without a handshake and then
  // computes for about `one_call`. SIGTERM comes a third of the way in: both
  // the delivery delay and the compute time grow with the machine's load,
  // so the ratio holds on a busy machine too.
  auto in_flight = std::async(std::launch::async, [&] {
    tfs::PredictResponse response;
    grpc::Status status =
        testing::CallPredict((*daemon)->prediction(), request, &response);
    return std::make_pair(status, response);
  });
  absl::SleepFor(one_call / 3);
  (*daemon)->Signal(SIGTERM);
  auto [status, response] = in_flight.get();
  auto exit_code = (*daemon)->WaitForExit(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
  ASSERT_TRUE(status.ok()) << status.error_message() << "; one call took "
                           << one_call;
  const std::vector<float> y = testing::FloatValues(response.outputs().at("y"));
  ASSERT_EQ(y.size(), 1u);
  EXPECT_NEAR(y[0], 1.0f / kN, 1e-3f / kN);
}

}  // namespace
}  // namespace model_server
