#pragma once
// A fake network ESC/POS printer on 127.0.0.1 (an ephemeral port): answers DLE EOT 1/2/4 the
// way a real one in the chosen condition does, and records everything it receives. Each
// connection is served in turn on the fake's own thread.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace printtest {

class FakeEscPosPrinter {
public:
    enum class Mode {
        Ok,
        PaperNearEnd,
        PaperOut,
        CoverOpen,
        Silent,       // reads everything, never answers
        Garbage,      // answers 0xFF
        StopReading,  // accepts the connection, answers nothing and never reads (buffers fill)
    };

    explicit FakeEscPosPrinter(Mode mode);
    ~FakeEscPosPrinter();
    FakeEscPosPrinter(const FakeEscPosPrinter&) = delete;
    FakeEscPosPrinter& operator=(const FakeEscPosPrinter&) = delete;

    int port() const { return m_port; }
    // Everything received so far, over all connections.
    std::vector<std::uint8_t> received() const;

private:
    void serve();
    void handle(int fd);

    Mode m_mode;
    int m_listen = -1;
    int m_port = 0;
    int m_wakePipe[2] = {-1, -1};
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<std::uint8_t> m_received;
    std::thread m_thread;
};

}  // namespace printtest
