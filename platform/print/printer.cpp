#include "print/printer.hpp"

#include <algorithm>
#include <charconv>

#include "print/image_writers.hpp"

namespace platform::print {

// Defined in cups_printer.cpp.
std::unique_ptr<Printer> makeCupsPrinter(std::string uri, std::string queue,
                                         const PrinterConfig& config);

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds remaining(Clock::time_point deadline) {
    return std::max(milliseconds{0},
                    std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

RenderOptions rollOptions(int paperWidthMm) {
    return paperWidthMm == 58 ? RenderOptions::roll58mm() : RenderOptions::roll80mm();
}

PrinterStatus statusOf(PrinterState state, std::string detail) {
    PrinterStatus s;
    s.state = state;
    s.detail = std::move(detail);
    return s;
}

PrintError::Kind toPrintErrorKind(TransportError::Kind kind) {
    switch (kind) {
        case TransportError::Kind::Unreachable:
            return PrintError::Kind::Unreachable;
        case TransportError::Kind::Timeout:
            return PrintError::Kind::Timeout;
        case TransportError::Kind::Io:
            return PrintError::Kind::Io;
    }
    return PrintError::Kind::Io;
}

// Keeps [A-Za-z0-9._-] so a job name is a safe file name.
std::string safeFileName(std::string_view name) {
    std::string out;
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        out.push_back(ok ? c : '_');
    }
    if (out.empty() || out[0] == '.') out = "receipt" + out;
    return out;
}

enum class EscPosLink { Usb, Serial, Tcp };

class EscPosPrinter final : public Printer {
public:
    EscPosPrinter(std::string uri, PrinterUri parsed, EscPosLink link, const PrinterConfig& config)
        : m_uri(std::move(uri)), m_parsed(std::move(parsed)), m_link(link), m_config(config) {}

    PrinterStatus status(milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        auto transport = open(timeout);
        if (!transport) return statusOf(PrinterState::Unreachable, transport.error().detail);
        return queryEscPosStatus(**transport, remaining(deadline));
    }

    std::expected<PrintReport, PrintError> print(const PrintJob& job,
                                                 milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        auto transport = open(timeout);
        if (!transport) {
            return std::unexpected(
                PrintError{toPrintErrorKind(transport.error().kind),
                           statusOf(PrinterState::Unreachable, transport.error().detail),
                           transport.error().detail});
        }
        PrintReport report;
        report.statusBefore =
            queryEscPosStatus(**transport, std::min(m_config.statusTimeout, remaining(deadline)));
        const PrinterState state = report.statusBefore.state;
        if (!canPrint(state)) {
            return std::unexpected(PrintError{PrintError::Kind::NotReady, report.statusBefore,
                                              report.statusBefore.detail});
        }
        report.statusVerified = state == PrinterState::Ready || state == PrinterState::PaperNearEnd;
        const std::vector<std::uint8_t> bytes = encodeEscPos(job.raster, m_config.escpos);
        if (auto w = (*transport)->write(bytes, remaining(deadline)); !w) {
            return std::unexpected(PrintError{toPrintErrorKind(w.error().kind), report.statusBefore,
                                              w.error().detail});
        }
        report.bytesSent = bytes.size();
        return report;
    }

    RenderOptions renderOptions() const override { return rollOptions(m_config.paperWidthMm); }
    const std::string& uri() const override { return m_uri; }

private:
    std::expected<std::unique_ptr<Transport>, TransportError> open(milliseconds timeout) {
        switch (m_link) {
            case EscPosLink::Usb:
                return openCharDevice(m_parsed.path);
            case EscPosLink::Serial: {
                int baud = 9600;
                if (auto it = m_parsed.query.find("baud"); it != m_parsed.query.end()) {
                    std::from_chars(it->second.data(), it->second.data() + it->second.size(), baud);
                }
                const auto flow = m_parsed.query.find("flow");
                return openSerial(m_parsed.path, baud,
                                  flow != m_parsed.query.end() && flow->second == "rtscts");
            }
            case EscPosLink::Tcp:
                return connectTcp(m_parsed.host, m_parsed.port, timeout);
        }
        return std::unexpected(TransportError{TransportError::Kind::Unreachable, "unknown link"});
    }

    std::string m_uri;
    PrinterUri m_parsed;
    EscPosLink m_link;
    PrinterConfig m_config;
};

class FilePrinter final : public Printer {
public:
    FilePrinter(std::string uri, std::string path, const PrinterConfig& config)
        : m_uri(std::move(uri)), m_path(std::move(path)), m_config(config) {}

    PrinterStatus status(milliseconds) override {
        return statusOf(PrinterState::Unchecked, "file printer");
    }

    std::expected<PrintReport, PrintError> print(const PrintJob& job, milliseconds) override {
        PrintReport report;
        report.statusBefore = status(milliseconds{0});
        const std::vector<std::uint8_t> bytes = encodeEscPos(job.raster, m_config.escpos);
        if (auto w = writeFileAtomically(m_path, bytes); !w) {
            return std::unexpected(
                PrintError{PrintError::Kind::Io, report.statusBefore, w.error().detail});
        }
        report.bytesSent = bytes.size();
        report.output = m_path;
        return report;
    }

    RenderOptions renderOptions() const override { return rollOptions(m_config.paperWidthMm); }
    const std::string& uri() const override { return m_uri; }

private:
    std::string m_uri;
    std::string m_path;
    PrinterConfig m_config;
};

class PngDirPrinter final : public Printer {
public:
    PngDirPrinter(std::string uri, std::filesystem::path dir, const PrinterConfig& config)
        : m_uri(std::move(uri)), m_dir(std::move(dir)), m_config(config) {}

    PrinterStatus status(milliseconds) override {
        std::error_code ec;
        if (!std::filesystem::is_directory(m_dir, ec)) {
            return statusOf(PrinterState::Unreachable, "not a directory: " + m_dir.string());
        }
        return statusOf(PrinterState::Unchecked, "png directory");
    }

    std::expected<PrintReport, PrintError> print(const PrintJob& job, milliseconds) override {
        PrintReport report;
        report.statusBefore = status(milliseconds{0});
        if (report.statusBefore.state == PrinterState::Unreachable) {
            return std::unexpected(PrintError{PrintError::Kind::Unreachable, report.statusBefore,
                                              report.statusBefore.detail});
        }
        const std::vector<std::uint8_t> png = encodePng(job.raster);
        const std::filesystem::path path = m_dir / (safeFileName(job.name) + ".png");
        if (auto w = writeFileAtomically(path, png); !w) {
            return std::unexpected(
                PrintError{PrintError::Kind::Io, report.statusBefore, w.error().detail});
        }
        report.bytesSent = png.size();
        report.output = path.string();
        return report;
    }

    RenderOptions renderOptions() const override { return rollOptions(m_config.paperWidthMm); }
    const std::string& uri() const override { return m_uri; }

private:
    std::string m_uri;
    std::filesystem::path m_dir;
    PrinterConfig m_config;
};

class NullPrinter final : public Printer {
public:
    explicit NullPrinter(std::string uri) : m_uri(std::move(uri)) {}
    PrinterStatus status(milliseconds) override {
        return statusOf(PrinterState::NotConfigured, "no printer");
    }
    std::expected<PrintReport, PrintError> print(const PrintJob&, milliseconds) override {
        return std::unexpected(
            PrintError{PrintError::Kind::NotConfigured, status(milliseconds{0}), "no printer"});
    }
    RenderOptions renderOptions() const override { return RenderOptions::roll80mm(); }
    const std::string& uri() const override { return m_uri; }

private:
    std::string m_uri;
};

std::string percentDecode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc{} && p == s.data() + i + 3) {
                out.push_back(static_cast<char>(v));
                i += 2;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

}  // namespace

std::string messageKey(const PrintError& error) {
    switch (error.kind) {
        case PrintError::Kind::NotReady:
        case PrintError::Kind::Unreachable:
        case PrintError::Kind::NotConfigured:
            return messageKey(error.status.state);
        case PrintError::Kind::Io:
            return "printer.error.io";
        case PrintError::Kind::Timeout:
            return "printer.error.timeout";
        case PrintError::Kind::Cups:
            return "printer.error.cups";
        case PrintError::Kind::Render:
            return "printer.error.render";
        case PrintError::Kind::InvalidUri:
            return "printer.error.invalid_uri";
    }
    return "printer.error.io";
}

std::expected<PrinterUri, PrintError> parsePrinterUri(std::string_view uri) {
    const auto invalid = [](std::string why) {
        PrinterStatus status = statusOf(PrinterState::NotConfigured, why);
        return std::unexpected(
            PrintError{PrintError::Kind::InvalidUri, std::move(status), std::move(why)});
    };
    PrinterUri out;
    if (uri == "none" || uri.empty()) {
        out.scheme = "none";
        return out;
    }
    const size_t colon = uri.find("://");
    if (colon == std::string_view::npos)
        return invalid("printer URI without scheme: " + std::string(uri));
    out.scheme = std::string(uri.substr(0, colon));
    std::string_view rest = uri.substr(colon + 3);
    if (const size_t q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            const size_t amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const size_t eq = pair.find('=');
            if (!pair.empty()) {
                out.query[percentDecode(pair.substr(0, eq))] =
                    eq == std::string_view::npos ? std::string{}
                                                 : percentDecode(pair.substr(eq + 1));
            }
            if (amp == std::string_view::npos) break;
            query = query.substr(amp + 1);
        }
    }
    const size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    out.path = slash == std::string_view::npos ? std::string{} : percentDecode(rest.substr(slash));

    if (out.scheme == "escpos+usb" || out.scheme == "escpos+serial" || out.scheme == "file" ||
        out.scheme == "png") {
        if (!authority.empty() && authority != "localhost") {
            return invalid(out.scheme +
                           " URI must name a local path (three slashes): " + std::string(uri));
        }
        if (out.path.size() < 2)
            return invalid(out.scheme + " URI without a path: " + std::string(uri));
        return out;
    }
    if (out.scheme == "escpos+tcp") {
        std::string_view host = authority;
        out.port = 9100;
        if (!host.empty() && host.front() == '[') {  // [IPv6]:port
            const size_t close = host.find(']');
            if (close == std::string_view::npos)
                return invalid("bad IPv6 host: " + std::string(uri));
            const std::string_view after = host.substr(close + 1);
            host = host.substr(1, close - 1);
            if (!after.empty()) {
                if (after[0] != ':') return invalid("bad port: " + std::string(uri));
                auto [p, ec] =
                    std::from_chars(after.data() + 1, after.data() + after.size(), out.port);
                if (ec != std::errc{} || p != after.data() + after.size())
                    return invalid("bad port: " + std::string(uri));
            }
        } else if (const size_t c = host.rfind(':'); c != std::string_view::npos) {
            const std::string_view port = host.substr(c + 1);
            auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
            if (ec != std::errc{} || p != port.data() + port.size())
                return invalid("bad port: " + std::string(uri));
            host = host.substr(0, c);
        }
        if (host.empty()) return invalid("escpos+tcp URI without host: " + std::string(uri));
        if (out.port <= 0 || out.port > 65535) return invalid("bad port: " + std::string(uri));
        out.host = std::string(host);
        return out;
    }
    if (out.scheme == "cups") {
        out.host = percentDecode(authority);
        if (out.host.empty()) return invalid("cups URI without a queue name: " + std::string(uri));
        return out;
    }
    return invalid("unknown printer scheme: " + out.scheme);
}

std::expected<std::unique_ptr<Printer>, PrintError> makePrinter(std::string_view uri,
                                                                const PrinterConfig& config) {
    auto parsed = parsePrinterUri(uri);
    if (!parsed) return std::unexpected(parsed.error());
    PrinterConfig cfg = config;
    if (auto it = parsed->query.find("paper"); it != parsed->query.end())
        cfg.paperWidthMm = it->second == "58" ? 58 : 80;
    if (auto it = parsed->query.find("layout"); it != parsed->query.end()) {
        cfg.pdfLayout = it->second == "a4" ? PdfLayout::A4Form : PdfLayout::CentredSlip;
    }
    std::string u(uri);
    const std::string& scheme = parsed->scheme;
    std::unique_ptr<Printer> printer;
    if (scheme == "none")
        printer = std::make_unique<NullPrinter>(u);
    else if (scheme == "escpos+usb")
        printer = std::make_unique<EscPosPrinter>(u, *parsed, EscPosLink::Usb, cfg);
    else if (scheme == "escpos+serial")
        printer = std::make_unique<EscPosPrinter>(u, *parsed, EscPosLink::Serial, cfg);
    else if (scheme == "escpos+tcp")
        printer = std::make_unique<EscPosPrinter>(u, *parsed, EscPosLink::Tcp, cfg);
    else if (scheme == "file")
        printer = std::make_unique<FilePrinter>(u, parsed->path, cfg);
    else if (scheme == "png")
        printer = std::make_unique<PngDirPrinter>(u, parsed->path, cfg);
    else
        printer = makeCupsPrinter(u, parsed->host, cfg);
    return printer;
}

PrinterStatus queryEscPosStatus(Transport& transport, milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    transport.discardInput();
    StatusReplies replies;
    const std::uint8_t queries[] = {kStatusQueryPrinter, kStatusQueryOffline, kStatusQueryPaper};
    std::optional<std::uint8_t>* slots[] = {&replies.printer, &replies.offline, &replies.paper};
    for (size_t i = 0; i < 3; ++i) {
        const auto budget = remaining(deadline);
        const std::vector<std::uint8_t> q = statusQuery(queries[i]);
        if (auto w = transport.write(q, budget); !w) {
            if (w.error().kind == TransportError::Kind::Timeout) break;
            return statusOf(PrinterState::Unreachable, w.error().detail);
        }
        // Each query gets an equal share of what is left, so all three fit in the timeout.
        const auto share = remaining(deadline) / static_cast<long>(3 - i);
        std::uint8_t byte = 0;
        auto r = transport.read(std::span<std::uint8_t>(&byte, 1), share);
        if (!r) {
            // A device that cannot be read (one-way cable) or a dropped connection: no answer.
            PrinterStatus s = parseStatusReplies(replies);
            s.detail += "; " + r.error().detail;
            return s;
        }
        if (*r == 0) break;  // silent: do not spend the rest of the budget on the others
        *slots[i] = byte;
    }
    return parseStatusReplies(replies);
}

}  // namespace platform::print
