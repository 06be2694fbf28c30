#include "private_cups.hpp"

#include <cups/cups.h>

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "print_test_tools.hpp"

namespace printtest {
namespace {

void writeFile(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p);
    out << text;
}

}  // namespace

PrivateCups::PrivateCups() {
    namespace fs = std::filesystem;
    const fs::path d = m_dir.path();
    // Filters run as user lp: it must be able to reach the spool.
    ::chmod(d.c_str(), 0755);
    for (const char* sub : {"root", "spool", "spool/tmp", "cache", "state", "log"})
        fs::create_directories(d / sub);
    m_socket = d / "cups.sock";
    writeFile(d / "root/cups-files.conf",
              "ServerRoot " + (d / "root").string() + "\nRequestRoot " + (d / "spool").string() +
                  "\nTempDir " + (d / "spool/tmp").string() + "\nCacheDir " +
                  (d / "cache").string() + "\nStateDir " + (d / "state").string() + "\nAccessLog " +
                  (d / "log/access_log").string() + "\nErrorLog " + (d / "log/error_log").string() +
                  "\nPageLog " + (d / "log/page_log").string() +
                  "\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSystemGroup root\nUser "
                  "lp\nGroup lp\n");
    writeFile(d / "root/cupsd.conf",
              "Listen " + m_socket.string() +
                  "\nLogLevel info\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
                  "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                  "<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  "
                  "</Limit>\n</Policy>\n");

    if (::geteuid() != 0) {
        m_error = "the CUPS test needs root (cupsd and the cups-pdf backend run as root)";
        return;
    }
    const std::string confC = (d / "root/cupsd.conf").string();
    const std::string confS = (d / "root/cups-files.conf").string();
    m_pid = ::fork();
    if (m_pid == 0) {
        ::execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", confC.c_str(), "-s", confS.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    if (m_pid < 0) {
        m_error = "fork failed";
        return;
    }
    // Wait (bounded) for the socket to accept connections.
    for (int i = 0; i < 200 && !fs::exists(m_socket); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(m_socket)) {
        m_error = "cupsd did not start: " + logTail();
        return;
    }
    ::setenv("CUPS_SERVER", m_socket.c_str(), 1);
    cupsSetServer(m_socket.c_str());
    const auto r = run("CUPS_SERVER=" + shellQuote(m_socket.string()) + " lpadmin -p " + m_queue +
                       " -E -v cups-pdf:/ -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>&1");
    if (r.exitCode != 0) m_error = "lpadmin failed: " + r.output;
}

PrivateCups::~PrivateCups() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    ::unsetenv("CUPS_SERVER");
    cupsSetServer(nullptr);
}

std::filesystem::path PrivateCups::outputDir() const {
    std::string out = "${HOME}/PDF";
    std::ifstream conf("/etc/cups/cups-pdf.conf");
    for (std::string line; std::getline(conf, line);) {
        if (line.rfind("Out ", 0) == 0) out = line.substr(4);
    }
    const passwd* pw = ::getpwuid(::getuid());
    const std::string home = pw != nullptr ? pw->pw_dir : "/root";
    if (const auto pos = out.find("${HOME}"); pos != std::string::npos) out.replace(pos, 7, home);
    if (const auto pos = out.find("${USER}"); pos != std::string::npos)
        out.replace(pos, 7, pw ? pw->pw_name : "root");
    return out;
}

std::string PrivateCups::logTail() const {
    std::ifstream log(m_dir.path() / "log/error_log");
    std::stringstream ss;
    ss << log.rdbuf();
    std::string s = ss.str();
    return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

}  // namespace printtest
