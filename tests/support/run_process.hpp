#pragma once
// Runs a program with arguments (no shell), feeds stdin, captures stdout and stderr.
#include <string>
#include <vector>

namespace testsupport {

struct ProcessResult {
    int exitCode = -1;  // -1 when killed by a signal
    std::string out;
    std::string err;
};

// In a forked child: sets `env` ("NAME=value"), then replaces the process with `program`
// (no shell); exits 127 if that fails. Never returns.
[[noreturn]] void execProgram(const std::string& program, const std::vector<std::string>& args,
                              const std::vector<std::string>& env = {});

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& input = {}, const std::vector<std::string>& env = {});

}  // namespace testsupport
