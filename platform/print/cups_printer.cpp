// The cups:// printer: the receipt as a one-page PDF handed to libcups. CUPS says nothing
// about paper for most printers; the queue state and its printer-state-reasons are mapped
// to our states where they say something.
#include <cups/cups.h>

#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "print/image_writers.hpp"
#include "print/printer.hpp"

namespace platform::print {
namespace {

using std::chrono::milliseconds;

struct HttpCloser {
    void operator()(http_t* http) const { httpClose(http); }
};
using Http = std::unique_ptr<http_t, HttpCloser>;

Http connectCups(milliseconds timeout) {
    const int ms = static_cast<int>(std::max<long long>(1, timeout.count()));
    return Http(httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1, ms,
                             nullptr));
}

PrinterStatus make(PrinterState state, std::string detail) {
    PrinterStatus s;
    s.state = state;
    s.detail = std::move(detail);
    return s;
}

class CupsPrinter final : public Printer {
public:
    CupsPrinter(std::string uri, std::string queue, const PrinterConfig& config)
        : m_uri(std::move(uri)), m_queue(std::move(queue)), m_config(config) {}

    PrinterStatus status(milliseconds timeout) override {
        Http http = connectCups(timeout);
        if (!http) return make(PrinterState::Unreachable, "cannot connect to the CUPS server");
        return statusOn(http.get());
    }

    std::expected<PrintReport, PrintError> print(const PrintJob& job,
                                                 milliseconds timeout) override {
        Http http = connectCups(timeout);
        PrintReport report;
        if (!http) {
            report.statusBefore =
                make(PrinterState::Unreachable, "cannot connect to the CUPS server");
            return std::unexpected(PrintError{PrintError::Kind::Unreachable, report.statusBefore,
                                              report.statusBefore.detail});
        }
        httpSetTimeout(http.get(), std::max(1.0, static_cast<double>(timeout.count()) / 1000.0),
                       nullptr, nullptr);
        report.statusBefore = statusOn(http.get());
        if (!canPrint(report.statusBefore.state)) {
            const auto kind = report.statusBefore.state == PrinterState::Unreachable
                                  ? PrintError::Kind::Unreachable
                                  : PrintError::Kind::NotReady;
            return std::unexpected(
                PrintError{kind, report.statusBefore, report.statusBefore.detail});
        }
        // An A4 form longer than a page (a long answer) goes on as many pages as it needs.
        const std::vector<std::uint8_t> pdf =
            m_config.pdfLayout == PdfLayout::A4Form
                ? encodePdfPages(splitIntoPages(job.raster, a4FormPageRows(job.raster.width())),
                                 m_config.pdfLayout)
                : encodePdf(job.raster, m_config.pdfLayout);
        const char* tmpdir = std::getenv("TMPDIR");
        std::string path =
            std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/kiosk-receipt-XXXXXX";
        const int fd = ::mkstemp(path.data());
        if (fd < 0) {
            return std::unexpected(
                PrintError{PrintError::Kind::Io, report.statusBefore,
                           std::string("cannot create a temporary file: ") + std::strerror(errno)});
        }
        ::close(fd);
        if (auto w = writeFileAtomically(path, pdf); !w) {
            ::unlink(path.c_str());
            return std::unexpected(
                PrintError{PrintError::Kind::Io, report.statusBefore, w.error().detail});
        }
        cups_option_t* options = nullptr;
        int numOptions = cupsAddOption("document-format", "application/pdf", 0, &options);
        const std::string title = job.name.empty() ? "receipt" : job.name;
        const int jobId = cupsPrintFile2(http.get(), m_queue.c_str(), path.c_str(), title.c_str(),
                                         numOptions, options);
        cupsFreeOptions(numOptions, options);
        ::unlink(path.c_str());
        if (jobId <= 0) {
            return std::unexpected(
                PrintError{PrintError::Kind::Cups, report.statusBefore, cupsLastErrorString()});
        }
        report.bytesSent = pdf.size();
        report.output = m_queue + "-" + std::to_string(jobId);
        return report;
    }

    RenderOptions renderOptions() const override {
        if (m_config.pdfLayout == PdfLayout::A4Form) return RenderOptions::a4Form();
        return m_config.paperWidthMm == 58 ? RenderOptions::roll58mm() : RenderOptions::roll80mm();
    }
    const std::string& uri() const override { return m_uri; }

private:
    PrinterStatus statusOn(http_t* http) {
        cups_dest_t* dest = cupsGetNamedDest(http, m_queue.c_str(), nullptr);
        if (dest == nullptr)
            return make(PrinterState::Unreachable, "no CUPS queue named " + m_queue);
        const char* state = cupsGetOption("printer-state", dest->num_options, dest->options);
        const char* accepting =
            cupsGetOption("printer-is-accepting-jobs", dest->num_options, dest->options);
        const std::string reasons = [&] {
            const char* r =
                cupsGetOption("printer-state-reasons", dest->num_options, dest->options);
            return std::string(r ? r : "");
        }();
        const bool stopped = state != nullptr && std::strcmp(state, "5") == 0;
        const bool refusing = accepting != nullptr && std::strcmp(accepting, "false") == 0;
        cupsFreeDests(1, dest);

        PrinterStatus s =
            make(PrinterState::Unchecked, "queue " + m_queue + " reasons: " + reasons);
        s.coverOpen = reasons.find("cover-open") != std::string::npos ||
                      reasons.find("door-open") != std::string::npos;
        s.paperOut = reasons.find("media-empty") != std::string::npos ||
                     reasons.find("media-needed") != std::string::npos;
        s.paperNearEnd = reasons.find("media-low") != std::string::npos;
        s.offline = stopped || refusing || reasons.find("offline") != std::string::npos;
        if (s.coverOpen)
            s.state = PrinterState::CoverOpen;
        else if (s.paperOut)
            s.state = PrinterState::PaperOut;
        else if (s.offline)
            s.state = PrinterState::Offline;
        else if (s.paperNearEnd)
            s.state = PrinterState::PaperNearEnd;
        return s;
    }

    std::string m_uri;
    std::string m_queue;
    PrinterConfig m_config;
};

}  // namespace

std::unique_ptr<Printer> makeCupsPrinter(std::string uri, std::string queue,
                                         const PrinterConfig& config) {
    return std::make_unique<CupsPrinter>(std::move(uri), std::move(queue), config);
}

}  // namespace platform::print
