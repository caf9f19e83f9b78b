#include "CConcurrencyHook.h"

#include <stddef.h>

/// The Swift runtime's hook, defined in libswift_Concurrency: a function pointer the runtime calls, when set,
/// instead of its own global executor.
extern const void *swift_task_enqueueGlobal_hook;

bool ghc_install_concurrency_enqueue_global_hook(const void *hook) {
    const void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
