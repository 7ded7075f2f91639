// Readies fresh memory that a read is about to fill, in one step instead of
// one page fault per 4 KiB page.
//
// A tensor's buffer fresh from the allocator has no pages behind it yet:
// reading 1 GiB into it takes 262,144 page faults, each a trip through the
// kernel (and, in a virtual machine, often through the hypervisor), and the
// 4 KiB pages then cost TLB misses on every later pass (the checksum).
// PrefaultForOverwrite asks for transparent huge pages on the buffer's whole
// 2 MiB pages (MADV_HUGEPAGE) and faults the range in with one call
// (MADV_POPULATE_WRITE, Linux 5.14+). On the project's 2-core VM this took
// reading 1 GiB of tensors from the page cache from 4.7 s of CPU to about
// 1 s (docs/performance.md, "Loading big models").
//
// Advisory only: where the kernel lacks either call, has transparent huge
// pages disabled, or refuses, nothing changes but the speed. Contents are
// kept; only pages lying wholly inside [data, data + size) are touched, so
// memory next to the buffer (another allocation) is left alone. Ranges
// under 256 KiB are left as they are (their few faults cost less than the
// calls). Thread-safe.
#ifndef MODEL_SERVER_RUNTIME_BUNDLE_PREFAULT_H_
#define MODEL_SERVER_RUNTIME_BUNDLE_PREFAULT_H_

#include <cstddef>

namespace model_server {

// REQUIRES: [data, data + size) is memory the caller owns and is about to
// overwrite completely.
void PrefaultForOverwrite(char* data, size_t size);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_BUNDLE_PREFAULT_H_
