// A minimal libmicrohttpd server for the HTTP library measurement
// (docs/rest_api_libraries.md): MHD's own pool of THREADS polling threads
// (epoll); each request's body is read and answered with a fixed small JSON
// on the thread that read it. Loopback only.
//   g++ -O2 -std=c++17 mhd_hello.cc -lmicrohttpd -o mhd_hello
//   ./mhd_hello PORT THREADS
#include <arpa/inet.h>
#include <microhttpd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

static MHD_Result Handle(void*, MHD_Connection* connection, const char*,
                         const char*, const char*, const char* upload,
                         size_t* upload_size, void** state) {
  if (*state == nullptr) {
    *state = new size_t(0);
    return MHD_YES;
  }
  size_t* length = static_cast<size_t*>(*state);
  if (*upload_size != 0) {
    *length += *upload_size;
    *upload_size = 0;
    return MHD_YES;
  }
  char text[64];
  int n = snprintf(text, sizeof(text), "{\"predictions\": [%zu]}", *length);
  MHD_Response* response =
      MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header(response, "Content-Type", "application/json");
  MHD_Result result = MHD_queue_response(connection, 200, response);
  MHD_destroy_response(response);
  return result;
}

static void Completed(void*, MHD_Connection*, void** state,
                      MHD_RequestTerminationCode) {
  delete static_cast<size_t*>(*state);
  *state = nullptr;
}

int main(int argc, char** argv) {
  const int port = argc > 1 ? atoi(argv[1]) : 8602;
  const unsigned threads = argc > 2 ? atoi(argv[2]) : 4;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  MHD_Daemon* daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, port, nullptr, nullptr,
      &Handle, nullptr, MHD_OPTION_SOCK_ADDR, &address,
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
      &Completed, nullptr, MHD_OPTION_END);
  if (daemon == nullptr) return 1;
  pause();
}
