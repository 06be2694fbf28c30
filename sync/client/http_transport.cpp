#include "client/http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace ksync::client {

struct HttpTransport::Handle {
    CURL* curl = curl_easy_init();
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
    if (line.starts_with("HTTP/")) sink->response->headers.clear();  // a new response (e.g. after 100)
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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
        case CURLE_COULDNT_RESOLVE_PROXY: return TransportErrorKind::Resolve;
        case CURLE_COULDNT_CONNECT: return TransportErrorKind::Connect;
        case CURLE_OPERATION_TIMEDOUT: return TransportErrorKind::Timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR: return TransportErrorKind::Tls;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL: return TransportErrorKind::BadUrl;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING: return TransportErrorKind::Interrupted;
        default: return TransportErrorKind::Other;
    }
}

}  // namespace

void globalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }

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
    if (!https && !(http && isLoopbackUrl(url)))
        return std::unexpected(TransportError{TransportErrorKind::BadUrl,
                                              "backend URL must be https:// (plain http only to loopback): " + url});
    HttpTransport t;
    t.m_options = std::move(options);
    t.m_handle = std::make_unique<Handle>();
    if (t.m_handle->curl == nullptr) return std::unexpected(TransportError{TransportErrorKind::Other, "curl_easy_init failed"});
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
    for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip on slow links
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caBundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, m_options.caBundle.c_str());
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
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (sink.tooLarge) return std::unexpected(TransportError{TransportErrorKind::TooLarge, "response too large"});
    if (rc != CURLE_OK) return std::unexpected(TransportError{classify(rc), curl_easy_strerror(rc)});
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
}

}  // namespace ksync::client
