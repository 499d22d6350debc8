// tests/fuzz — the oracle check every fuzz target uses.
//
// A broken property must stop the run the way a crash does, so that libFuzzer saves the input
// (crash-<sha1> in the artifact folder) and the run counts as a finding. Plain assert() would
// vanish under NDEBUG, which the fuzz preset (RelWithDebInfo) defines.
#pragma once

#include <cstdio>
#include <cstdlib>

#define ZAI_FUZZ_CHECK(cond)                                                                  \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond);    \
            std::abort();                                                                     \
        }                                                                                     \
    } while (false)
