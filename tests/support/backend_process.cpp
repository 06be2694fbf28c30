#include "backend_process.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace testsupport {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string readFrom(const fs::path& file, std::uintmax_t offset = 0) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    in.seekg(static_cast<std::streamoff>(offset));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string tail(const std::string& text, std::size_t n = 2000) {
    return text.size() <= n ? text : text.substr(text.size() - n);
}

}  // namespace

BackendProcess::BackendProcess(std::string database, fs::path dataDir,
                               std::vector<std::string> serveArgs, fs::path logFile,
                               fs::path stdoutFile)
    : m_database(std::move(database)),
      m_dataDir(std::move(dataDir)),
      m_serveArgs(std::move(serveArgs)),
      m_logFile(std::move(logFile)),
      m_stdoutFile(stdoutFile.empty() ? fs::path(m_logFile.string() + ".stdout")
                                      : std::move(stdoutFile)) {}

BackendProcess::~BackendProcess() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; the Child's destructor kills what is left.
    }
}

std::vector<std::string> BackendProcess::globalArgs() const {
    std::vector<std::string> args;
    if (!m_database.empty()) args = {"--database", m_database};
    args.push_back("--data-dir");
    args.push_back(m_dataDir.string());
    return args;
}

void BackendProcess::start(int port) {
    launch(port);
    awaitListening();
}

void BackendProcess::launch(int port) {
    if (m_child.running()) throw std::runtime_error("BackendProcess::launch: already running");
    const int p = port >= 0 ? port : m_port.load();
    std::vector<std::string> args = globalArgs();
    for (const std::string& a :
         {std::string("serve"), std::string("--listen"), "127.0.0.1:" + std::to_string(p)})
        args.push_back(a);
    args.insert(args.end(), m_serveArgs.begin(), m_serveArgs.end());
    if (!m_logFile.parent_path().empty()) fs::create_directories(m_logFile.parent_path());
    if (!m_stdoutFile.parent_path().empty()) fs::create_directories(m_stdoutFile.parent_path());
    std::error_code ec;
    const auto size = fs::file_size(m_stdoutFile, ec);
    m_stdoutFrom = ec ? 0 : size;
    m_child = Child::spawn(KIOSK_BACKEND_PATH, args, m_stdoutFile, m_logFile);
    m_launched = true;
    m_pid = m_child.pid();
    m_port = p;
}

void BackendProcess::awaitListening() {
    if (!m_launched) throw std::runtime_error("BackendProcess::awaitListening without launch");
    m_launched = false;
    std::string line;
    bool exited = false;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
        line = readFrom(m_stdoutFile, m_stdoutFrom);
        if (line.find('\n') != std::string::npos) break;
        if (!m_child.running()) {
            line = readFrom(m_stdoutFile, m_stdoutFrom);  // what it wrote before it ended
            exited = line.find('\n') == std::string::npos;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    line = line.substr(0, line.find('\n'));
    // "listening on 127.0.0.1:PORT key FINGERPRINT"
    const auto colon = line.find(':');
    const auto keyAt = line.find(" key ");
    if (!line.starts_with("listening on ") || colon == std::string::npos ||
        keyAt == std::string::npos) {
        m_child.kill9();
        m_pid = -1;
        throw std::runtime_error(std::string("kiosk-backend serve did not start (") +
                                 (exited ? "exited" : "no line in time") + "); stdout: " + line +
                                 "; log tail: " + tail(log()));
    }
    m_port = std::stoi(line.substr(colon + 1, keyAt - colon - 1));
    m_fingerprint = line.substr(keyAt + 5);
    while (!m_fingerprint.empty() && m_fingerprint.back() == '\r') m_fingerprint.pop_back();
    ++m_starts;
}

void BackendProcess::kill9() {
    m_child.kill9();
    m_pid = -1;
}

void BackendProcess::stop() {
    if (m_child.running()) {
        ::kill(m_child.pid(), SIGTERM);
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (m_child.running() && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        m_child.kill9();
    }
    m_pid = -1;
}

bool BackendProcess::running() {
    return m_child.running();
}

std::string BackendProcess::log() const {
    return readFrom(m_logFile);
}

ProcessResult BackendProcess::cli(std::vector<std::string> args) const {
    std::vector<std::string> all = globalArgs();
    all.insert(all.end(), args.begin(), args.end());
    return runProcess(KIOSK_BACKEND_PATH, all);
}

}  // namespace testsupport
