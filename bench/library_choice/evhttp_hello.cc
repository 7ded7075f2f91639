// A minimal libevent evhttp server for the HTTP library measurement
// (docs/rest_api_libraries.md): THREADS event loops share one listening
// socket; each request's body is read and answered with a fixed small JSON
// on the loop's own thread. Loopback only.
//   g++ -O2 -std=c++17 evhttp_hello.cc -levent -levent_pthreads -lpthread -o
//   evhttp_hello
//   ./evhttp_hello PORT THREADS
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <event2/util.h>

#include <cstdlib>
#include <thread>
#include <vector>

static void Handle(evhttp_request* request, void*) {
  evbuffer* in = evhttp_request_get_input_buffer(request);
  size_t length = evbuffer_get_length(in);
  evbuffer_drain(in, length);
  evbuffer* out = evbuffer_new();
  evbuffer_add_printf(out, "{\"predictions\": [%zu]}", length);
  evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type",
                    "application/json");
  evhttp_send_reply(request, 200, "OK", out);
  evbuffer_free(out);
}

int main(int argc, char** argv) {
  const int port = argc > 1 ? atoi(argv[1]) : 8601;
  const int threads = argc > 2 ? atoi(argv[2]) : 4;
  evthread_use_pthreads();
  event_base* first = event_base_new();
  evhttp* first_http = evhttp_new(first);
  evhttp_bound_socket* bound =
      evhttp_bind_socket_with_handle(first_http, "127.0.0.1", port);
  if (bound == nullptr) return 1;
  evutil_socket_t fd = evhttp_bound_socket_get_fd(bound);
  evhttp_set_gencb(first_http, Handle, nullptr);
  std::vector<std::thread> loops;
  for (int i = 1; i < threads; ++i) {
    loops.emplace_back([fd] {
      event_base* base = event_base_new();
      evhttp* http = evhttp_new(base);
      evhttp_accept_socket(http, fd);
      evhttp_set_gencb(http, Handle, nullptr);
      event_base_dispatch(base);
    });
  }
  event_base_dispatch(first);
}
