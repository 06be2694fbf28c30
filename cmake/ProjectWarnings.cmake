# Warnings as errors on our own targets only (third-party headers come in as SYSTEM).
function(kiosk_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wcast-align -Wimplicit-fallthrough -Werror
    # g++ 12 reports false positives for std::variant/std::optional members at -O2
    # (GCC bugs 105562, 107138); real uninitialised reads are caught by the sanitizer build.
    -Wno-maybe-uninitialized)
endfunction()
