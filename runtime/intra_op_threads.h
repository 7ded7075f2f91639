// Sizing the one intra-op thread pool (eigen_device.h) that every kernel of
// every model shares (--tensorflow_intra_op_parallelism).
#ifndef MODEL_SERVER_RUNTIME_INTRA_OP_THREADS_H_
#define MODEL_SERVER_RUNTIME_INTRA_OP_THREADS_H_

namespace model_server {

// Asks for `threads` pool threads (<= 0: one per core, the default). Takes
// effect only before the pool's first use (it is created once); returns
// false, changing nothing, if the pool already exists.
bool SetIntraOpThreads(int threads);

// The pool's size: its actual size once created, else what it will be.
int IntraOpThreads();

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_INTRA_OP_THREADS_H_
