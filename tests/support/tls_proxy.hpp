#pragma once
// HTTPS for tests, with real parts: a private CA made with the openssl program, and nginx from
// Debian terminating TLS on loopback in front of a plain-HTTP upstream (kiosk-backend serve).
//
//   testsupport::PrivateCa ca(tmp / "ca", "Kiosk Test CA");
//   auto good = ca.issue("good", "localhost");
//   auto expired = ca.issue("expired", "localhost", testsupport::PrivateCa::Validity::Expired);
//   testsupport::TlsProxy nginx(tmp / "nginx", backend.port(), {good, expired});
//   nginx.start();                       // skips the test (exit 77) when nginx is not installed
//   nginx.url(0)                         // https://localhost:PORT of the first site
//
// nginx runs with its own prefix, configuration, pid file and error log under `dir`, never as
// root: when the test runs as root, the prefix (with copies of the certificates) is owned by
// `nobody` and nginx is started through setpriv as that user. Every site uses the proxy snippet
// the backend package ships (scripts/deploy/nginx/kiosk-backend-proxy.conf): the test proxies
// exactly as an installed backend does, X-Forwarded-Proto and X-Forwarded-For included.
//
// Failures throw std::runtime_error (Catch2 reports the message). One thread only.
#include <filesystem>
#include <string>
#include <vector>

#include "child.hpp"

namespace testsupport {

struct TlsFiles {
    std::filesystem::path cert;  // PEM, the leaf only
    std::filesystem::path key;   // PEM private key
    std::string pin;             // sha256//<base64> of its public key (CURLOPT_PINNEDPUBLICKEY)
};

class PrivateCa {
public:
    enum class Validity { Good, Expired };
    // Makes the CA's key and self-signed certificate in `dir` (created).
    PrivateCa(std::filesystem::path dir, std::string commonName);
    const std::filesystem::path& certFile() const { return m_cert; }
    // A server certificate for `dnsName` (its only subjectAltName) signed by this CA: valid for
    // 30 days from now, or expired (2020-01-01 to 2021-01-01).
    TlsFiles issue(const std::string& name, const std::string& dnsName,
                   Validity validity = Validity::Good);

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_cert;
    std::filesystem::path m_key;
};

// `openssl` with arguments; throws with its stderr when it fails.
void runOpenssl(const std::vector<std::string>& args);

class TlsProxy {
public:
    TlsProxy(std::filesystem::path dir, int upstreamPort, std::vector<TlsFiles> sites);
    ~TlsProxy();  // stop()
    TlsProxy(const TlsProxy&) = delete;
    TlsProxy& operator=(const TlsProxy&) = delete;

    // False (after skipTest) when nginx is not installed; otherwise nginx listens on a free
    // loopback port per site when it returns.
    bool start();
    void stop();  // SIGQUIT (graceful), SIGKILL after 10 s
    int port(std::size_t site) const { return m_ports.at(site); }
    std::string url(std::size_t site, const std::string& host = "localhost") const {
        return "https://" + host + ":" + std::to_string(port(site));
    }
    std::string errorLog() const;
    std::string accessLog() const;

private:
    std::filesystem::path m_dir;
    int m_upstreamPort;
    std::vector<TlsFiles> m_sites;
    std::vector<int> m_ports;
    Child m_child;
};

}  // namespace testsupport
