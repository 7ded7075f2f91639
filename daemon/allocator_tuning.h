// How the daemon sets up glibc's malloc so that memory a request used goes
// back to the system once the request is done.
//
// glibc's default raises its mmap threshold to the size of the largest
// block freed so far (up to 32 MiB): after one large request, every later
// tensor of that size comes from the heap arenas, which keep freed memory.
// A hostile-request matrix left the daemon at 4x its starting RSS that way
// (26.8 MB -> 106.7 MB; tests/daemon/hostile_requests_test.cc). A fixed
// threshold keeps larger tensors in their own mappings (returned on free)
// and trims the heap top past it; the RSS then returns near its start.
//
// The threshold is 2 MiB. At 1 MiB the blocks a batched dense layer
// allocates per run (Eigen's packed operands, ~1.6 MB for a 784x512
// weight) were mapped, faulted in, zeroed and unmapped on every run: the
// MLP of bench/batching.sh served ~600-1,000 QPS at 32 in flight with
// batching on, ~3,300 at 2 MiB. Higher serves larger layers too (16 MiB:
// ~3,500-5,700) but keeps more of the hostile matrix's memory: its RSS
// test grew 40 -> 101 MB at 16 MiB and 45 -> 58 MB at 4 MiB, past its
// bound; 2 MiB passes it (docs/performance.md). glibc.malloc.* tunables
// set by the operator (in GLIBC_TUNABLES) win.
#ifndef MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_
#define MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_

namespace model_server {

// Call once, first thing in main (before threads start).
void TuneAllocatorForServing();

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_ALLOCATOR_TUNING_H_
