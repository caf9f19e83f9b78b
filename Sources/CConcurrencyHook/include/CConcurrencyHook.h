#ifndef GHC_CONCURRENCY_HOOK_H
#define GHC_CONCURRENCY_HOOK_H

#include <stdbool.h>

/// Makes `hook` the Swift runtime's global-enqueue hook (`swift_task_enqueueGlobal_hook`), so that every job
/// Swift Concurrency would hand to its global executor goes to `hook` instead.
///
/// The runtime's variable is reached by the linker, not by `dlsym`: a build with the Swift standard library linked
/// statically hides the runtime's symbols from the dynamic symbol table, where `dlsym` looks.
///
/// Returns false, and changes nothing, when another hook is already installed.
bool ghc_install_concurrency_enqueue_global_hook(const void *_Nonnull hook);

#endif
