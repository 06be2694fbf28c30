#pragma once
// The HTTP adapter of the reference backend (cpp-httplib): routes requests to BackendService.
// Thread-safety: bind() and run() from one thread; stop() from any thread. Requests are served
// by a pool of worker threads.
#include <expected>
#include <functional>
#include <memory>
#include <string>

#include "service/backend_service.hpp"

namespace ksync::backend {

class HttpServer {
public:
    // `reusePort`: share the listening address with other kiosk-backend processes (SO_REUSEPORT;
    // the kernel spreads new connections over them). Off, a second process on the same port
    // fails to bind instead of silently sharing it.
    explicit HttpServer(BackendService& service, int threads = 8, bool reusePort = false);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Serves /console and /console/... with `handler` (the officers' console); call before run().
    void setConsole(std::function<HttpReply(const HttpRequestView&)> handler);
    // Binds host:port (port 0 picks a free port). Returns the bound port or a reason.
    std::expected<int, std::string> bind(const std::string& host, int port);
    // Serves until stop(). Returns false if the server could not run.
    bool run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Splits "HOST:PORT" ("[::1]:8470" too); nullopt when malformed.
std::optional<std::pair<std::string, int>> parseListen(const std::string& listen);

}  // namespace ksync::backend
