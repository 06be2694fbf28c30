#include "client/http_transport.hpp"

#include <curl/curl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ksync::client {

struct HttpTransport::Handle {
    CURL* curl = curl_easy_init();
    std::string congestion;  // asked for on every new connection; "" when not allowed
    ~Handle() { curl_easy_cleanup(curl); }
};

namespace {

struct Sink {
    HttpResponse* response;
    std::size_t limit;
    bool tooLarge = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * n;
    if (sink->response->body.size() + bytes > sink->limit) {
        sink->tooLarge = true;
        return 0;  // aborts the transfer
    }
    sink->response->body.append(data, bytes);
    return bytes;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * n;
    std::string line(data, bytes);
    if (line.starts_with("HTTP/"))
        sink->response->headers.clear();  // a new response (e.g. after 100)
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        const auto b = value.find_first_not_of(" \t");
        const auto e = value.find_last_not_of(" \t\r\n");
        value = b == std::string::npos ? std::string{} : value.substr(b, e - b + 1);
        sink->response->headers[name] = value;
    }
    return bytes;
}

TransportErrorKind classify(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return TransportErrorKind::Resolve;
        case CURLE_COULDNT_CONNECT:
            return TransportErrorKind::Connect;
        case CURLE_OPERATION_TIMEDOUT:
            return TransportErrorKind::Timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ISSUER_ERROR:
            return TransportErrorKind::Tls;
        case CURLE_SSL_CACERT_BADFILE:
            return TransportErrorKind::TlsCaFile;
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return TransportErrorKind::TlsPin;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return TransportErrorKind::BadUrl;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING:
            return TransportErrorKind::Interrupted;
        default:
            return TransportErrorKind::Other;
    }
}

// Which certificate check failed, from OpenSSL's verify result (X509_V_ERR_*, stable numbers;
// named here so that the sync layer does not include OpenSSL) or, for the host name, which curl
// checks itself after the chain verified, from curl's message.
TransportErrorKind classifyVerification(long verifyResult, const std::string& message) {
    switch (verifyResult) {
        case 9:   // X509_V_ERR_CERT_NOT_YET_VALID
        case 10:  // X509_V_ERR_CERT_HAS_EXPIRED
            return TransportErrorKind::TlsExpired;
        case 2:   // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
        case 18:  // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
        case 19:  // X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
        case 20:  // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        case 21:  // X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
        case 27:  // X509_V_ERR_CERT_UNTRUSTED
            return TransportErrorKind::TlsUntrusted;
        case 62:  // X509_V_ERR_HOSTNAME_MISMATCH
            return TransportErrorKind::TlsHostName;
        default:
            break;
    }
    if (message.find("host name") != std::string::npos ||
        message.find("subject name") != std::string::npos)
        return TransportErrorKind::TlsHostName;
    return TransportErrorKind::Tls;
}

struct SocketSetup {
    std::string congestion;  // "" when the kernel does not allow the wanted one
};

int onSocket(void* user, curl_socket_t fd, curlsocktype purpose) {
    const auto* setup = static_cast<const SocketSetup*>(user);
    if (purpose == CURLSOCKTYPE_IPCXN && !setup->congestion.empty()) {
        // Quietly ignored when refused: the connection keeps the kernel's default.
        (void)setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, setup->congestion.data(),
                         static_cast<socklen_t>(setup->congestion.size()));
    }
    return CURL_SOCKOPT_OK;
}

}  // namespace

bool congestionAllowed(const std::string& allowedFile, const std::string& name) {
    std::ifstream in(allowedFile);
    std::string word;
    while (in >> word)
        if (word == name) return true;
    return false;
}

void globalInit() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

bool isLoopbackUrl(const std::string& url) {
    CURLU* u = curl_url();
    bool loopback = false;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char* host = nullptr;
        if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host != nullptr) {
            const std::string h = host;
            loopback = h == "localhost" || h == "[::1]" || h == "::1" || h.starts_with("127.");
            curl_free(host);
        }
    }
    curl_url_cleanup(u);
    return loopback;
}

std::expected<HttpTransport, TransportError> HttpTransport::create(TransportOptions options) {
    std::string url = options.baseUrl;
    while (!url.empty() && url.back() == '/') url.pop_back();
    options.baseUrl = url;
    const bool https = url.starts_with("https://");
    const bool http = url.starts_with("http://");
    if (http && !isLoopbackUrl(url))
        return std::unexpected(
            TransportError{TransportErrorKind::PlainHttp,
                           "plain http:// is allowed only to loopback; use https://: " + url});
    if (!https && !http)
        return std::unexpected(
            TransportError{TransportErrorKind::BadUrl, "backend URL must be https://: " + url});
    HttpTransport t;
    t.m_options = std::move(options);
    t.m_handle = std::make_unique<Handle>();
    if (t.m_handle->curl == nullptr)
        return std::unexpected(TransportError{TransportErrorKind::Other, "curl_easy_init failed"});
    if (!t.m_options.congestion.empty() &&
        congestionAllowed(t.m_options.allowedCongestionFile, t.m_options.congestion))
        t.m_handle->congestion = t.m_options.congestion;
    return t;
}

HttpTransport::HttpTransport(HttpTransport&&) noexcept = default;
HttpTransport& HttpTransport::operator=(HttpTransport&&) noexcept = default;
HttpTransport::~HttpTransport() = default;

std::expected<HttpResponse, TransportError> HttpTransport::send(const HttpRequest& request) {
    CURL* c = m_handle->curl;
    curl_easy_reset(c);  // keeps the connection cache, forgets the last request's options
    const std::string url = m_options.baseUrl + request.path;
    HttpResponse response;
    Sink sink{&response, m_options.maxResponseBytes};
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : request.headers)
        headers = curl_slist_append(headers, (k + ": " + v).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip on slow links
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caBundle.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, m_options.caBundle.c_str());
    if (!m_options.pinnedPublicKey.empty())
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, m_options.pinnedPublicKey.c_str());
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    SocketSetup socketSetup{m_handle->congestion};
    curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, onSocket);
    curl_easy_setopt(c, CURLOPT_SOCKOPTDATA, &socketSetup);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connectTimeoutMs));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.totalTimeoutMs));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, m_options.stallBytesPerSecond);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, m_options.stallSeconds);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip if the server offers it
    if (request.method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (sink.tooLarge)
        return std::unexpected(TransportError{TransportErrorKind::TooLarge, "response too large"});
    if (rc != CURLE_OK) {
        std::string detail =
            errorBuffer[0] != '\0' ? std::string(errorBuffer) : curl_easy_strerror(rc);
        TransportErrorKind kind = classify(rc);
        if (rc == CURLE_PEER_FAILED_VERIFICATION) {
            long verify = 0;
            curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &verify);
            kind = classifyVerification(verify, detail);
        }
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);  // the buffer ends with this call
        return std::unexpected(TransportError{kind, std::move(detail)});
    }
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
}

std::string HttpTransport::lastCongestion() const {
    curl_socket_t fd = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(m_handle->curl, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
        fd == CURL_SOCKET_BAD)
        return {};
    char name[32] = {};
    socklen_t len = sizeof name;
    if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) != 0) return {};
    return std::string(name, strnlen(name, len));
}

}  // namespace ksync::client
