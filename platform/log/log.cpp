#include "log/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

#include "clock/clock.hpp"

namespace platform::log {
namespace {

struct Sink {
    std::mutex mutex;
    std::FILE* file = nullptr;
    ~Sink() {
        if (file) std::fclose(file);
    }
};

Sink& sink() {
    static Sink s;  // process-wide log sink; the one deliberate static
    return s;
}

}  // namespace

void setFile(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    Sink& s = sink();
    std::lock_guard lock(s.mutex);
    if (s.file) std::fclose(s.file);
    s.file = std::fopen(file.c_str(), "a");
}

void write(Level level, std::string_view component, std::string_view text) {
    const char* lv = level == Level::Info ? "info" : level == Level::Warn ? "warn" : "error";
    const std::string line = clock::formatUtc(clock::now()) + " " + lv + " " +
                             std::string(component) + ": " + std::string(text) + "\n";
    Sink& s = sink();
    std::lock_guard lock(s.mutex);
    std::FILE* out = s.file ? s.file : stderr;
    std::fwrite(line.data(), 1, line.size(), out);
    std::fflush(out);
}

}  // namespace platform::log
