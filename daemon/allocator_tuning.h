// How the daemon sets up glibc's malloc so that memory a request used goes
// back to the system once the request is done.
//
// glibc's default raises its mmap threshold to the size of the largest
// block freed so far (up to 32 MiB): after one large request, every later
// tensor of that size comes from the heap arenas, which keep freed memory.
// A hostile-request matrix left the daemon at 4x its starting RSS that way
// (26.8 MB -> 106.7 MB; tests/daemon/hostile_requests_test.cc). A fixed
// threshold of 1 MiB keeps large tensors in their own mappings (returned on
// free) and trims the heap top past 1 MiB; the RSS then returns within a
// few MB of its start. glibc.malloc.* tunables set by the operator (in
// GLIBC_TUNABLES) win.
#ifndef MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_
#define MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_

namespace model_server {

// Call once, first thing in main (before threads start).
void TuneAllocatorForServing();

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_
