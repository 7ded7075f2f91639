// --ssl_config_file: TLS on the gRPC TCP port and the REST port with TF
// Serving's SSLConfig. A test CA, a server certificate (for 127.0.0.1) and a
// client certificate are made with the openssl command at test time; REST
// is called with curl. Skipped, saying so, when either tool is missing.
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::RunProgramToExit;
using testing::TempDirectory;
namespace tfs = tensorflow::serving;

constexpr char kOpenssl[] = "/usr/bin/openssl";
constexpr char kCurl[] = "/usr/bin/curl";

bool Exists(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

absl::Status Run(const std::vector<std::string>& argv) {
  absl::StatusOr<testing::DaemonRun> run = RunProgramToExit(argv);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(argv[0], " ", argv[1], " failed: ", run->stderr_text));
  }
  return absl::OkStatus();
}

// A key pair and a certificate signed by the CA in `dir` (ca.pem, ca.key).
absl::Status MakeSignedCertificate(const std::string& dir,
                                   const std::string& name,
                                   const std::string& subject,
                                   const std::string& extensions) {
  const std::string base = dir + "/" + name;
  WriteFile(base + ".ext", extensions);
  absl::Status status =
      Run({kOpenssl, "req", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", base + ".key",
           "-out", base + ".csr", "-subj", subject});
  if (!status.ok()) return status;
  return Run({kOpenssl, "x509", "-req", "-in", base + ".csr", "-CA",
              dir + "/ca.pem", "-CAkey", dir + "/ca.key", "-CAcreateserial",
              "-days", "2", "-out", base + ".pem", "-extfile", base + ".ext"});
}

// ca.{pem,key}, server.{pem,key} (for 127.0.0.1 and localhost) and
// client.{pem,key}, all EC P-256 (fast to make).
absl::Status MakeCertificates(const std::string& dir) {
  absl::Status status =
      Run({kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir + "/ca.key",
           "-out", dir + "/ca.pem", "-days", "2", "-subj",
           "/CN=model_server test CA"});
  if (!status.ok()) return status;
  status = MakeSignedCertificate(dir, "server", "/CN=localhost",
                                 "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 "extendedKeyUsage=serverAuth\n");
  if (!status.ok()) return status;
  return MakeSignedCertificate(dir, "client", "/CN=model_server test client",
                               "extendedKeyUsage=clientAuth\n");
}

// One version of a model computing y = x + x.
absl::Status WriteDoublingModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string y = g.Binary("y", "AddV2", x, x, DT_FLOAT);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT)
      .Output("y", y, DT_FLOAT);
  return model.Write(dir + "/1");
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Exists(kOpenssl) || !Exists(kCurl)) {
      GTEST_SKIP() << kOpenssl << " or " << kCurl
                   << " is missing: TLS tests skipped (tools/install_deps.sh "
                      "--test installs them)";
    }
    auto dir = TempDirectory::Create();
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    absl::Status status = MakeCertificates(dir_->path());
    ASSERT_TRUE(status.ok()) << status;
    status = WriteDoublingModel(dir_->path() + "/model");
    ASSERT_TRUE(status.ok()) << status;
  }

  std::string Pem(const std::string& name) const {
    return ReadFile(dir_->path() + "/" + name);
  }

  // Writes the SSLConfig text (PEMs inline, as TF Serving takes them).
  std::string WriteSslConfig(bool client_verify) const {
    const std::string path = dir_->path() + "/ssl_config.txt";
    std::string text = absl::StrCat(
        "server_key: \"", absl::CEscape(Pem("server.key")), "\"\n",
        "server_cert: \"", absl::CEscape(Pem("server.pem")), "\"\n",
        "custom_ca: \"", absl::CEscape(Pem("ca.pem")), "\"\n",
        "client_verify: ", client_verify ? "true" : "false", "\n");
    WriteFile(path, text);
    return path;
  }

  std::shared_ptr<grpc::ChannelCredentials> Credentials(
      bool with_client_certificate) const {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Pem("ca.pem");
    if (with_client_certificate) {
      options.pem_private_key = Pem("client.key");
      options.pem_cert_chain = Pem("client.pem");
    }
    return grpc::SslCredentials(options);
  }

  absl::StatusOr<std::unique_ptr<DaemonProcess>> StartDaemon(
      bool client_verify) {
    DaemonOptions options;
    options.model_name = "doubling";
    options.model_base_path = dir_->path() + "/model";
    options.rest_api = true;
    options.extra_flags = {"--ssl_config_file=" +
                           WriteSslConfig(client_verify)};
    options.channel_credentials = Credentials(true);
    return DaemonProcess::Start(options);
  }

  // Predict over a fresh channel made with `credentials`.
  grpc::Status Predict(const DaemonProcess& daemon,
                       std::shared_ptr<grpc::ChannelCredentials> credentials,
                       tfs::PredictResponse* response) const {
    auto channel = grpc::CreateChannel(daemon.address(), credentials);
    auto stub = tfs::PredictionService::NewStub(channel);
    tfs::PredictRequest request = testing::MakePredictRequest("doubling");
    (*request.mutable_inputs())["x"] = testing::FloatTensorProto({1, 2}, {2});
    return testing::CallPredict(*stub, request, response, absl::Seconds(10));
  }

  // curl's answer for GET `path`: its exit code, the HTTP status it saw
  // (0 without one) and the body.
  struct CurlResult {
    int exit_code = -1;
    int http_status = 0;
    std::string body;
    std::string stderr_text;
  };
  CurlResult Curl(const std::string& url, bool with_client_certificate) const {
    std::vector<std::string> argv = {kCurl,        "-sS",
                                     "--max-time", "10",
                                     "--cacert",   dir_->path() + "/ca.pem",
                                     "-o",         dir_->path() + "/curl_body",
                                     "-w",         "%{http_code}"};
    if (with_client_certificate) {
      argv.insert(argv.end(), {"--cert", dir_->path() + "/client.pem", "--key",
                               dir_->path() + "/client.key"});
    }
    argv.push_back(url);
    CurlResult result;
    absl::StatusOr<testing::DaemonRun> run = RunProgramToExit(argv);
    if (!run.ok()) return result;
    result.exit_code = run->exit_code;
    (void)absl::SimpleAtoi(run->stdout_text, &result.http_status);
    result.body = ReadFile(dir_->path() + "/curl_body");
    result.stderr_text = run->stderr_text;
    return result;
  }

  std::string HttpsUrl(const DaemonProcess& daemon) const {
    return absl::StrCat("https://127.0.0.1:", daemon.rest_port(),
                        "/v1/models/doubling");
  }

  std::unique_ptr<TempDirectory> dir_;
};

TEST_F(Tls, ClientWithACertificateIsServedOverGrpcAndRest) {
  auto daemon = StartDaemon(/*client_verify=*/true);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  tfs::PredictResponse response;
  grpc::Status status = Predict(**daemon, Credentials(true), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(testing::FloatValues(response.outputs().at("y")),
            (std::vector<float>{2, 4}));
  CurlResult curl = Curl(HttpsUrl(**daemon), /*with_client_certificate=*/true);
  EXPECT_EQ(curl.exit_code, 0) << curl.stderr_text;
  EXPECT_EQ(curl.http_status, 200) << curl.body;
  EXPECT_NE(curl.body.find("AVAILABLE"), std::string::npos) << curl.body;
  EXPECT_NE((*daemon)->Stderr().find("client certificates required"),
            std::string::npos);
}

TEST_F(Tls, ClientWithoutACertificateIsRefusedWhenClientVerify) {
  auto daemon = StartDaemon(/*client_verify=*/true);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  tfs::PredictResponse response;
  grpc::Status status = Predict(**daemon, Credentials(false), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  CurlResult curl = Curl(HttpsUrl(**daemon), /*with_client_certificate=*/false);
  EXPECT_EQ(curl.http_status, 403) << curl.stderr_text;
  EXPECT_NE(curl.body.find("client certificate"), std::string::npos)
      << curl.body;
  ASSERT_TRUE((*daemon)->running());
}

TEST_F(Tls, PlaintextClientsFail) {
  auto daemon = StartDaemon(/*client_verify=*/true);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  tfs::PredictResponse response;
  grpc::Status status =
      Predict(**daemon, grpc::InsecureChannelCredentials(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  CurlResult curl =
      Curl(absl::StrCat("http://127.0.0.1:", (*daemon)->rest_port(),
                        "/v1/models/doubling"),
           /*with_client_certificate=*/true);
  EXPECT_NE(curl.exit_code, 0);
  EXPECT_EQ(curl.http_status, 0) << curl.body;
  // The daemon still serves TLS clients afterwards.
  EXPECT_TRUE(Predict(**daemon, Credentials(true), &response).ok());
}

TEST_F(Tls, WithoutClientVerifyAnyTlsClientIsServed) {
  auto daemon = StartDaemon(/*client_verify=*/false);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  tfs::PredictResponse response;
  grpc::Status status = Predict(**daemon, Credentials(false), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  CurlResult curl = Curl(HttpsUrl(**daemon), /*with_client_certificate=*/false);
  EXPECT_EQ(curl.http_status, 200) << curl.stderr_text;
}

TEST_F(Tls, ClientVerifyWithoutCustomCaStopsTheStart) {
  const std::string path = dir_->path() + "/bad_ssl_config.txt";
  WriteFile(path, absl::StrCat(
                      "server_key: \"", absl::CEscape(Pem("server.key")),
                      "\"\nserver_cert: \"", absl::CEscape(Pem("server.pem")),
                      "\"\nclient_verify: true\n"));
  auto run = testing::RunDaemonToExit(
      {"--port=0", "--grpc_socket_path=" + dir_->path() + "/socket",
       "--model_base_path=" + dir_->path() + "/model",
       "--ssl_config_file=" + path});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_NE(run->stderr_text.find("no custom_ca"), std::string::npos)
      << run->stderr_text;
}

}  // namespace
}  // namespace model_server
