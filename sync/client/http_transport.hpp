#pragma once
// HTTP(S) over libcurl for the sync client. Transport failures (no route, timeout, TLS, a
// connection cut mid-response) come back as TransportError values, kept apart from HTTP
// status codes, which come back inside an HttpResponse. Nothing here retries: retry policy
// belongs to the caller.
//
// TLS is always verified (peer and host name); a CA bundle can be configured (then only that
// CA is trusted) and the server's public key can be pinned (CURLOPT_PINNEDPUBLICKEY). A refused
// certificate comes back as one of the Tls* kinds, each its own reason. Plain http:// is
// accepted only for loopback hosts (a backend running next to the kiosk, tests).
//
// The connection asks for TCP congestion control "bbr" (TCP_CONGESTION) when the kernel lists
// it in tcp_allowed_congestion_control, and keeps the kernel's default quietly otherwise.
// Redirects are never followed: a 302 from a captive portal is just a response.
//
// Thread-safety: an HttpTransport (one curl handle, reused for keep-alive) belongs to one
// thread. Call curl_global_init once in main() before starting threads (globalInit()).
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ksync::client {

enum class TransportErrorKind {
    BadUrl,        // not a URL curl takes
    PlainHttp,     // http:// to a host that is not loopback (only https:// is allowed there)
    Resolve,       // DNS
    Connect,       // refused, unreachable
    Timeout,       // connect, total or stall timeout
    Tls,           // TLS handshake or certificate failure not named below
    TlsUntrusted,  // the chain does not lead to a trusted CA (wrong or self-made CA)
    TlsExpired,    // the certificate expired or is not valid yet (or the kiosk clock is wrong)
    TlsHostName,   // the certificate is not for this host name
    TlsPin,        // the server's public key is not the pinned one
    TlsCaFile,     // the configured CA file cannot be read
    Interrupted,   // reset, truncated, or not HTTP at all
    TooLarge,      // response bigger than the limit
    Other,
};

struct TransportError {
    TransportErrorKind kind = TransportErrorKind::Other;
    std::string detail;  // curl's message; no personal data
};

struct HttpRequest {
    std::string method = "GET";
    std::string path;  // e.g. /api/v1/records (appended to the base URL)
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower case; last value wins
    std::string body;
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string{} : it->second;
    }
};

struct TransportOptions {
    std::string baseUrl;   // https://host[:port][/prefix] or http://127.0.0.1:port
    std::string caBundle;  // PEM file; empty: the system store
    // sha256//<base64>[;sha256//…] (curl's CURLOPT_PINNEDPUBLICKEY) or a PEM/DER public key
    // file; empty: no pin.
    std::string pinnedPublicKey;
    // Where the kernel lists the congestion controls unprivileged sockets may choose; tests
    // point it elsewhere to take the fallback path.
    std::string allowedCongestionFile = "/proc/sys/net/ipv4/tcp_allowed_congestion_control";
    std::string congestion = "bbr";  // empty: do not ask
    std::int64_t connectTimeoutMs = 15000;
    std::int64_t totalTimeoutMs = 120000;
    // A transfer slower than this many bytes/s for stallSeconds is cut (2G can be slow, not dead).
    long stallBytesPerSecond = 10;
    long stallSeconds = 45;
    std::size_t maxResponseBytes = 4 * 1024 * 1024;
};

// Call once at program start, before threads (curl_global_init is not thread-safe).
void globalInit();

// True for http(s) URLs whose host is 127.0.0.0/8, ::1 or localhost.
bool isLoopbackUrl(const std::string& url);

// True when `name` is one of the words of the allowed-congestion file (false when unreadable).
bool congestionAllowed(const std::string& allowedFile, const std::string& name);

class HttpTransport {
public:
    static std::expected<HttpTransport, TransportError> create(TransportOptions options);
    HttpTransport(HttpTransport&&) noexcept;
    HttpTransport& operator=(HttpTransport&&) noexcept;
    ~HttpTransport();

    std::expected<HttpResponse, TransportError> send(const HttpRequest& request);
    const TransportOptions& options() const { return m_options; }
    // The congestion control of the connection the last send() used, read back from its socket
    // with getsockopt(TCP_CONGESTION); "" when there is no live connection.
    std::string lastCongestion() const;

private:
    HttpTransport() = default;
    TransportOptions m_options;
    struct Handle;
    std::unique_ptr<Handle> m_handle;
};

}  // namespace ksync::client
