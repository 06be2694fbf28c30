#pragma once
// Byte pipes to an ESC/POS printer: a character device (USB printer class, /dev/usb/lp0), a
// serial port (termios) or a TCP socket (port 9100). Every call is bounded by its timeout:
// file descriptors are non-blocking and waits use poll(). Not thread-safe: one thread at a
// time (in practice the PrintQueue worker).
#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string>

namespace platform::print {

struct TransportError {
    enum class Kind {
        Unreachable,  // open/connect failed (no device, refused, no route)
        Timeout,      // the peer did not accept or send data in time
        Io,           // the connection broke (EPIPE, ECONNRESET, EIO, ...)
    };
    Kind kind;
    std::string detail;  // English, for logs
};

class Transport {
public:
    virtual ~Transport() = default;
    // Writes every byte, or fails once `timeout` has passed since the call started.
    virtual std::expected<void, TransportError> write(std::span<const std::uint8_t> bytes,
                                                      std::chrono::milliseconds timeout) = 0;
    // Waits at most `timeout` for input and reads what is there (up to out.size()). Returns 0
    // when nothing arrived in time.
    virtual std::expected<size_t, TransportError> read(std::span<std::uint8_t> out,
                                                       std::chrono::milliseconds timeout) = 0;
    // Discards input that arrived unasked (e.g. automatic status bytes).
    virtual void discardInput() = 0;
};

// Opens a character device read/write (a USB printer-class device reads back status).
std::expected<std::unique_ptr<Transport>, TransportError> openCharDevice(const std::string& path);
// Opens a serial port raw, 8N1, at `baud` (9600, 19200, 38400, 57600, 115200); `rtsCts`
// turns on hardware flow control.
std::expected<std::unique_ptr<Transport>, TransportError> openSerial(const std::string& path,
                                                                     int baud, bool rtsCts);
// Connects to host:port within `timeout`. `host` should be an IP address or a name in
// /etc/hosts: name resolution itself (getaddrinfo) is not bounded by the timeout.
std::expected<std::unique_ptr<Transport>, TransportError> connectTcp(
    const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace platform::print
