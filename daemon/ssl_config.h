// --ssl_config_file: TF Serving's text-format tensorflow.serving.SSLConfig,
// which turns on TLS for the gRPC TCP port and the REST port:
//   server_key, server_cert  the server's PEM key and certificate (required);
//   custom_ca                PEM certificates that sign client certificates;
//   client_verify            refuse clients without a certificate signed by
//                            custom_ca (which it then requires).
// The UNIX socket (--grpc_socket_path) stays plaintext: its file
// permissions are its access control.
#ifndef MODEL_SERVER_DAEMON_SSL_CONFIG_H_
#define MODEL_SERVER_DAEMON_SSL_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "tensorflow_serving/config/ssl_config.pb.h"

namespace model_server {

// Reads and checks the file: INVALID_ARGUMENT naming the file for text that
// does not parse, a missing key or certificate, or client_verify without
// custom_ca; the read error for a file that cannot be read.
absl::StatusOr<tensorflow::serving::SSLConfig> ReadSslConfigFile(
    const std::string& path);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_SSL_CONFIG_H_
