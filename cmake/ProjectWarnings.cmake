# Warnings as errors on our own targets only (third-party headers come in as SYSTEM).
# The fuzz build (clang, KIOSK_FUZZ) shows the warnings but does not fail on them: warnings are
# policed by the g++ builds; a clang-only warning must not stop the fuzzers.
function(kiosk_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wcast-align -Wimplicit-fallthrough $<$<NOT:$<BOOL:${KIOSK_FUZZ}>>:-Werror>
    # g++ 12 reports false positives for std::variant/std::optional members at -O2
    # (GCC bugs 105562, 107138); real uninitialised reads are caught by the sanitizer build.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endfunction()
