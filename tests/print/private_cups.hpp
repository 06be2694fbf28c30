#pragma once
// A private cupsd for the tests: its own ServerRoot, spool and log under a temporary
// directory, listening only on a unix socket there, with a cups-pdf queue. Started with
// `cupsd -f -c ... -s ...` (no systemd needed; must run as root, as CI does) and stopped by
// its pid when the object dies. The client side is pointed at it with cupsSetServer() on the
// calling thread and CUPS_SERVER in the environment.
//
// cups-pdf reads its settings only from /etc/cups/cups-pdf.conf (compiled in), so its output
// lands in the Out directory configured there: by default ~/PDF of the job's user.
#include <sys/types.h>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace printtest {

class PrivateCups {
public:
    PrivateCups();
    ~PrivateCups();
    PrivateCups(const PrivateCups&) = delete;
    PrivateCups& operator=(const PrivateCups&) = delete;

    // Empty when cupsd is up with the queue; otherwise why not.
    const std::string& error() const { return m_error; }
    const std::string& queue() const { return m_queue; }
    const std::filesystem::path& socket() const { return m_socket; }
    // Where cups-pdf writes for the current user (from /etc/cups/cups-pdf.conf "Out").
    std::filesystem::path outputDir() const;
    // The last lines of cupsd's error log (for failure messages).
    std::string logTail() const;

private:
    testsupport::TempDir m_dir;
    std::filesystem::path m_socket;
    std::string m_queue = "kiosk_receipts";
    std::string m_error;
    pid_t m_pid = -1;
};

}  // namespace printtest
