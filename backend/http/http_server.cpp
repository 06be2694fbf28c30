#include "http/http_server.hpp"

#include <httplib.h>

#include <algorithm>

#include "proto/messages.hpp"
#include "proto/payload_codec.hpp"

namespace ksync::backend {

struct HttpServer::Impl {
    BackendService& service;
    httplib::Server server;
    std::function<HttpReply(const HttpRequestView&)> console;
};

namespace {

HttpRequestView view(const httplib::Request& req) {
    HttpRequestView v;
    v.method = req.method;
    v.path = req.path;
    v.body = req.body;
    v.remoteAddr = req.remote_addr;
    for (const auto& [k, val] : req.params) v.query.emplace(k, val);
    for (const auto& [k, val] : req.headers) {
        std::string key = k;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        v.headers.emplace(std::move(key), val);
    }
    return v;
}

// The refusals httplib makes before or instead of the service speak the protocol too.
std::string errorBody(std::string code) {
    return proto::dumpMessage(proto::ErrorReply{std::move(code), {}, {}});
}

void send(httplib::Response& res, const HttpReply& r) {
    res.status = r.status;
    // Several cookies come as "Set-Cookie", "Set-Cookie#1", ... (one map key each).
    for (const auto& [k, v] : r.headers)
        res.set_header(k.starts_with("Set-Cookie#") ? "Set-Cookie" : k.c_str(), v);
    if (r.status == 304) {
        res.body.clear();
    } else if (r.stream) {
        // Chunked: httplib calls the provider once; each write goes to the socket (blocking
        // while the client is slow), so memory stays flat whatever the size.
        res.set_chunked_content_provider(
            r.contentType, [stream = r.stream](size_t, httplib::DataSink& sink) {
                const bool ok = stream([&sink](std::string_view piece) {
                    return piece.empty() || sink.write(piece.data(), piece.size());
                });
                if (ok) sink.done();
                return ok;
            });
    } else {
        res.set_content(r.body, r.contentType.c_str());
    }
}

}  // namespace

HttpServer::HttpServer(BackendService& service, int threads, bool reusePort)
    : m_impl(new Impl{service, {}, {}}) {
    auto& s = m_impl->server;
    // httplib 0.11's default socket options set SO_REUSEPORT, which lets a second process bind a
    // port that is already served, without a word. Sharing is asked for explicitly (--reuse-port).
    s.set_socket_options([reusePort](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        if (reusePort) setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes));
    });
    const auto n = static_cast<std::size_t>(std::max(1, threads));
    s.new_task_queue = [n] { return new httplib::ThreadPool(n); };
    s.set_payload_max_length(proto::kMaxRequestBytes);
    s.set_read_timeout(30, 0);
    s.set_write_timeout(30, 0);
    // httplib writes a reply's headers and body separately: with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux), which capped each kiosk at ~25 batches/s.
    s.set_tcp_nodelay(true);
    // httplib's default closes a keep-alive connection after 5 requests; on a 300 ms link every
    // new connection costs a handshake and a fresh slow start. A kiosk's pass is ~100 requests.
    s.set_keep_alive_max_count(1000);
    // httplib would inflate gzip, deflate and br bodies itself, before any signature check and
    // with no bound on the inflated size (payload_max_length counts wire bytes): a 8 MiB gzip
    // bomb is 8 GiB of memory. Only "zstd" (opened by the service, bounded, after the signature)
    // and no encoding are taken; anything else is refused before the body is read.
    s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        const std::string enc = req.get_header_value("Content-Encoding");
        if (enc.empty() || enc == "identity" || enc == proto::kBodyEncodingZstd)
            return httplib::Server::HandlerResponse::Unhandled;
        res.status = 415;
        res.set_content(errorBody("unsupported_encoding"), "application/json");
        return httplib::Server::HandlerResponse::Handled;
    });
    BackendService& svc = service;
    auto route = [&svc](HttpReply (BackendService::*fn)(const HttpRequestView&)) {
        return [&svc, fn](const httplib::Request& req, httplib::Response& res) {
            send(res, (svc.*fn)(view(req)));
        };
    };
    s.Get(std::string(proto::kPathHealth), route(&BackendService::health));
    s.Post(std::string(proto::kPathEnroll), route(&BackendService::enroll));
    s.Post(std::string(proto::kPathRecords), route(&BackendService::uploadRecords));
    s.Post(std::string(proto::kPathStatus), route(&BackendService::statusUpdates));
    s.Get(std::string(proto::kPathConfig), route(&BackendService::config));
    s.Post(std::string(proto::kPathHeartbeat), route(&BackendService::heartbeat));
    s.Post(std::string(proto::kPathStaffUpdates), route(&BackendService::staffUpdate));
    // The QR on receipts is all upper case (alphanumeric QR mode): /T/CODE as well as /t/CODE.
    s.Get(R"(/[tT]/([^/]{1,80}))", [&svc](const httplib::Request& req, httplib::Response& res) {
        send(res, svc.trackingPage(req.matches[1]));
    });
    s.Get("/open311/v2/services.json", [&svc](const httplib::Request&, httplib::Response& res) {
        send(res, svc.open311Services());
    });
    s.Get("/open311/v2/requests.json", [&svc](const httplib::Request& req, httplib::Response& res) {
        std::map<std::string, std::string> q;
        for (const auto& [k, v] : req.params) q[k] = v;
        send(res, svc.open311Requests(q));
    });
    s.Get(R"(/open311/v2/requests/([^/]{1,80})\.json)",
          [&svc](const httplib::Request& req, httplib::Response& res) {
              send(res, svc.open311Request(req.matches[1]));
          });
    s.Get(R"(/api/v1/public/status/([^/]{1,80}))",
          [&svc](const httplib::Request& req, httplib::Response& res) {
              send(res, svc.publicStatus(req.matches[1]));
          });
    // The officers' console (backend/console), when serve enabled it.
    Impl* impl = m_impl.get();
    auto console = [impl](const httplib::Request& req, httplib::Response& res) {
        if (!impl->console) {
            res.status = 404;
            res.set_content(errorBody("not_found"), "application/json");
            return;
        }
        auto v = view(req);
        // Query parameters only: a form body is the console's to parse (CSRF lives there).
        v.query.clear();
        for (const auto& [k, val] : req.params)
            if (req.method == "GET") v.query.emplace(k, val);
        send(res, impl->console(v));
    };
    s.Get(R"(/console(/.*)?)", console);
    s.Get("/thong-ke", console);  // public statistics (the console renders them)
    s.Get("/thong-ke.csv", console);
    s.Post(R"(/console(/.*)?)", console);
    // What httplib refuses by itself (no route, a body over the limit, an unreadable request)
    // gets a JSON error like every other refusal; replies that already have a body keep it.
    s.set_error_handler([&svc](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        const char* code = res.status == 413   ? "payload_too_large"
                           : res.status == 404 ? "not_found"
                           : res.status == 400 ? "bad_request"
                                               : "http_error";
        svc.log(req.method + " " + req.path.substr(0, 80) + " " + std::to_string(res.status) + " " +
                code);
        res.set_content(errorBody(code), "application/json");
    });
    s.set_exception_handler(
        [&svc](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
            svc.log(req.method + " " + req.path + " 500 internal error");
            res.status = 500;
            res.set_content(errorBody("internal"), "application/json");
        });
}

HttpServer::~HttpServer() {
    stop();
}

std::expected<int, std::string> HttpServer::bind(const std::string& host, int port) {
    if (port == 0) {
        const int p = m_impl->server.bind_to_any_port(host);
        if (p <= 0) return std::unexpected("cannot bind " + host);
        return p;
    }
    if (!m_impl->server.bind_to_port(host, port))
        return std::unexpected("cannot bind " + host + ":" + std::to_string(port));
    return port;
}

void HttpServer::setConsole(std::function<HttpReply(const HttpRequestView&)> handler) {
    m_impl->console = std::move(handler);
}

bool HttpServer::run() {
    return m_impl->server.listen_after_bind();
}

void HttpServer::stop() {
    if (m_impl) m_impl->server.stop();
}

std::optional<std::pair<std::string, int>> parseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    try {
        std::size_t used = 0;
        const int port = std::stoi(listen.substr(colon + 1), &used);
        if (used != listen.size() - colon - 1 || port < 0 || port > 65535) return std::nullopt;
        return std::pair{host, port};
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace ksync::backend
