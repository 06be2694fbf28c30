#include "tls_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "run_process.hpp"
#include "skip.hpp"

namespace testsupport {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

void writeFile(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("no free loopback port");
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

void runOpenssl(const std::vector<std::string>& args) {
    auto r = runProcess("/usr/bin/openssl", args);
    if (r.exitCode != 0)
        throw std::runtime_error("openssl " + (args.empty() ? std::string{} : args[0]) +
                                 " failed: " + r.err);
}

PrivateCa::PrivateCa(fs::path dir, std::string commonName) : m_dir(std::move(dir)) {
    fs::create_directories(m_dir / "issued");
    m_cert = m_dir / "ca.pem";
    m_key = m_dir / "ca.key";
    runOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", m_key.string(), "-out", m_cert.string(), "-days", "30", "-subj",
                "/CN=" + commonName, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"});
    writeFile(m_dir / "index.txt", "");
    writeFile(m_dir / "serial", "1000\n");
    const std::string d = m_dir.string();
    writeFile(m_dir / "ca.cnf", "[ ca ]\ndefault_ca = test_ca\n[ test_ca ]\ndatabase = " + d +
                                    "/index.txt\nnew_certs_dir = " + d + "/issued\nserial = " + d +
                                    "/serial\ncertificate = " + m_cert.string() +
                                    "\nprivate_key = " + m_key.string() +
                                    "\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                                    "copy_extensions = none\n[ any ]\ncommonName = supplied\n");
}

TlsFiles PrivateCa::issue(const std::string& name, const std::string& dnsName, Validity validity) {
    TlsFiles f{m_dir / (name + ".pem"), m_dir / (name + ".key"), {}};
    const fs::path csr = m_dir / (name + ".csr");
    const fs::path ext = m_dir / (name + ".ext");
    runOpenssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f.key.string(), "-out", csr.string(), "-subj", "/CN=" + dnsName});
    writeFile(ext,
              "[ server ]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
              "extendedKeyUsage = serverAuth\nsubjectAltName = DNS:" +
                  dnsName + "\n");
    std::vector<std::string> args{
        "ca",         "-batch",      "-notext", "-config",       (m_dir / "ca.cnf").string(),
        "-in",        csr.string(),  "-out",    f.cert.string(), "-extfile",
        ext.string(), "-extensions", "server"};
    if (validity == Validity::Expired) {
        args.insert(args.end(), {"-startdate", "20200101000000Z", "-enddate", "20210101000000Z"});
    } else {
        args.insert(args.end(), {"-days", "30"});
    }
    runOpenssl(args);
    // The pin: base64 of the SHA-256 of the DER public key (what CURLOPT_PINNEDPUBLICKEY takes).
    const fs::path der = m_dir / (name + ".pub.der");
    const fs::path sha = m_dir / (name + ".pub.sha256");
    const fs::path b64 = m_dir / (name + ".pub.b64");
    runOpenssl({"pkey", "-in", f.key.string(), "-pubout", "-outform", "DER", "-out", der.string()});
    runOpenssl({"dgst", "-sha256", "-binary", "-out", sha.string(), der.string()});
    runOpenssl({"base64", "-A", "-in", sha.string(), "-out", b64.string()});
    f.pin = "sha256//" + trim(readFile(b64));
    return f;
}

TlsProxy::TlsProxy(fs::path dir, int upstreamPort, std::vector<TlsFiles> sites)
    : m_dir(std::move(dir)), m_upstreamPort(upstreamPort), m_sites(std::move(sites)) {}

TlsProxy::~TlsProxy() {
    stop();
}

bool TlsProxy::start() {
    if (::access(kNginx, X_OK) != 0) {
        skipTest("nginx is not installed (scripts/bootstrap.sh installs nginx-light)");
        return false;
    }
    fs::create_directories(m_dir / "tls");
    fs::create_directories(m_dir / "tmp");
    m_ports.clear();
    std::string servers;
    for (std::size_t i = 0; i < m_sites.size(); ++i) {
        const int port = freeLoopbackPort();
        m_ports.push_back(port);
        const fs::path cert = m_dir / "tls" / ("site" + std::to_string(i) + ".pem");
        const fs::path key = m_dir / "tls" / ("site" + std::to_string(i) + ".key");
        fs::copy_file(m_sites[i].cert, cert, fs::copy_options::overwrite_existing);
        fs::copy_file(m_sites[i].key, key, fs::copy_options::overwrite_existing);
        servers += "  server {\n    listen 127.0.0.1:" + std::to_string(port) +
                   " ssl;\n    server_name _;\n    ssl_certificate " + cert.string() +
                   ";\n    ssl_certificate_key " + key.string() +
                   ";\n    ssl_protocols TLSv1.2 TLSv1.3;\n    location / {\n      include " +
                   KIOSK_SOURCE_DIR "/scripts/deploy/nginx/kiosk-backend-proxy.conf;\n    }\n  }\n";
    }
    const std::string p = m_dir.string();
    writeFile(m_dir / "nginx.conf",
              "worker_processes 1;\npid " + p + "/nginx.pid;\nerror_log " + p +
                  "/error.log info;\nevents { worker_connections 64; }\nhttp {\n  access_log " + p +
                  "/access.log;\n  client_body_temp_path " + p + "/tmp/body;\n  proxy_temp_path " +
                  p + "/tmp/proxy;\n  fastcgi_temp_path " + p +
                  "/tmp/fastcgi;\n  uwsgi_temp_path " + p + "/tmp/uwsgi;\n  scgi_temp_path " + p +
                  "/tmp/scgi;\n  upstream kiosk_backend {\n    server 127.0.0.1:" +
                  std::to_string(m_upstreamPort) + ";\n    keepalive 4;\n  }\n" + servers + "}\n");
    std::vector<std::string> nginxArgs{
        kNginx, "-p", p, "-e", p + "/error.log", "-c", p + "/nginx.conf", "-g", "daemon off;"};
    std::string program = kNginx;
    std::vector<std::string> args(nginxArgs.begin() + 1, nginxArgs.end());
    if (::geteuid() == 0) {
        // Never as root: the prefix belongs to nobody, and setpriv execs nginx as nobody (no
        // fork in between, so the Child is nginx's master process).
        const passwd* nobody = ::getpwnam("nobody");
        if (nobody == nullptr) throw std::runtime_error("no user nobody");
        for (const auto& e : fs::recursive_directory_iterator(m_dir))
            if (::chown(e.path().c_str(), nobody->pw_uid, nobody->pw_gid) != 0)
                throw std::runtime_error("chown " + e.path().string());
        if (::chown(m_dir.c_str(), nobody->pw_uid, nobody->pw_gid) != 0)
            throw std::runtime_error("chown " + p);
        // Every directory above the prefix must let nobody through.
        for (fs::path up = m_dir.parent_path(); up != up.root_path(); up = up.parent_path())
            fs::permissions(up, fs::perms::others_exec, fs::perm_options::add);
        program = "/usr/bin/setpriv";
        args = {"--reuid=" + std::to_string(nobody->pw_uid),
                "--regid=" + std::to_string(nobody->pw_gid), "--clear-groups", "--"};
        args.insert(args.end(), nginxArgs.begin(), nginxArgs.end());
    }
    m_child = Child::spawn(program, args, m_dir / "stdout.log", m_dir / "stdout.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        bool all = true;
        for (int port : m_ports) all = all && accepts(port);
        if (all) return true;
        if (!m_child.running())
            throw std::runtime_error("nginx exited: " + readFile(m_dir / "stdout.log") +
                                     errorLog());
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("nginx did not listen within 15 s: " + errorLog());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void TlsProxy::stop() {
    if (!m_child.running()) return;
    ::kill(m_child.pid(), SIGQUIT);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (m_child.running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    m_child.kill9();
}

std::string TlsProxy::errorLog() const {
    return readFile(m_dir / "error.log");
}
std::string TlsProxy::accessLog() const {
    return readFile(m_dir / "access.log");
}

}  // namespace testsupport
