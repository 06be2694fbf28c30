#pragma once
// Printers, chosen by a URI in the config:
//   escpos+usb:///dev/usb/lp0           ESC/POS to a USB printer-class character device
//   escpos+serial:///dev/ttyUSB0?baud=19200[&flow=rtscts]
//   escpos+tcp://192.168.1.50:9100      ESC/POS over raw TCP (port defaults to 9100)
//   file:///var/lib/kiosk/out.bin       ESC/POS bytes written to a file (replaced per job)
//   png:///var/lib/kiosk/receipts       one PNG per job, named after the job
//   cups://QUEUE                        a PDF through libcups (CUPS_SERVER / client.conf apply)
//   none                                no printer
// A query parameter `paper=58` (or 80) on any URI overrides PrinterConfig::paperWidthMm;
// on cups:// a parameter `layout=a4` prints an A4 form instead of a centred slip.
//
// Thread safety: a Printer is used by one thread at a time (the PrintQueue worker); the
// factory and parsePrinterUri are pure and thread-safe. No call blocks longer than the
// timeout it is given (plus the DNS caveat of connectTcp, and CUPS' own connect timeout).
#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "print/bitmap.hpp"
#include "print/escpos.hpp"
#include "print/image_writers.hpp"
#include "print/receipt_renderer.hpp"
#include "print/transport.hpp"

namespace platform::print {

struct PrintJob {
    std::string name;  // the tracking code: file name (png://) and job title (cups://)
    Bitmap raster;     // rendered with Printer::renderOptions()
};

struct PrintError {
    enum class Kind {
        NotReady,       // status says no (paper out, cover open, offline, invalid reply)
        Unreachable,    // cannot open / connect
        Io,             // failed part way
        Timeout,        // the printer did not take the data in time
        Cups,           // CUPS refused the job
        Render,         // the receipt could not be drawn
        NotConfigured,  // printer "none"
        InvalidUri,     // the configured URI cannot be used
    };
    Kind kind;
    PrinterStatus status;  // the status seen before printing (NoAnswer if not asked)
    std::string detail;    // English, for logs; never personal data
};

// The string key for the UI: the status message for NotReady/Unreachable/NotConfigured,
// else "printer.error.*".
std::string messageKey(const PrintError& error);

struct PrintReport {
    PrinterStatus statusBefore;   // Ready/PaperNearEnd when verified; Unchecked/NoAnswer if not
    bool statusVerified = false;  // the printer itself said it was ready
    size_t bytesSent = 0;
    std::string output;  // the file written (file://, png://) or the CUPS job id
};

struct PrinterConfig {
    int paperWidthMm = 80;                         // 80 (576 dots) or 58 (384 dots)
    PdfLayout pdfLayout = PdfLayout::CentredSlip;  // cups:// only
    EscPosOptions escpos;
    std::chrono::milliseconds statusTimeout{800};  // used by print() for its own status check
};

class Printer {
public:
    virtual ~Printer() = default;
    // Asks the printer where the transport can read (ESC/POS DLE EOT 1, 2, 4; CUPS queue
    // state). Never fails: problems are states (Unreachable, NoAnswer, ...). Returns within
    // `timeout`.
    virtual PrinterStatus status(std::chrono::milliseconds timeout) = 0;
    // Checks the status first (where it can) and refuses to print when the printer says it
    // cannot (NotReady); a printer that does not answer is printed to anyway, reported as
    // unverified. `timeout` bounds the whole call.
    virtual std::expected<PrintReport, PrintError> print(const PrintJob& job,
                                                         std::chrono::milliseconds timeout) = 0;
    // How receipts for this printer must be rendered (width, QR module size).
    virtual RenderOptions renderOptions() const = 0;
    // The URI, for logs.
    virtual const std::string& uri() const = 0;
};

struct PrinterUri {
    std::string
        scheme;        // "escpos+usb", "escpos+serial", "escpos+tcp", "file", "png", "cups", "none"
    std::string host;  // tcp host, cups queue
    int port = 0;      // tcp port
    std::string path;  // device, file or directory
    std::map<std::string, std::string> query;
};

// Parses a printer URI (see the list above). Error: Kind::InvalidUri, status NotConfigured,
// the reason (English) in detail.
std::expected<PrinterUri, PrintError> parsePrinterUri(std::string_view uri);

// Creates the printer for `uri`. Opens nothing yet (devices and connections are opened per
// call), so a printer switched off now can print later. Error: Kind::InvalidUri with the
// reason in detail.
std::expected<std::unique_ptr<Printer>, PrintError> makePrinter(std::string_view uri,
                                                                const PrinterConfig& config = {});

// Asks DLE EOT 1, 2 and 4 over `transport` within `timeout` and classifies the replies. Stops
// after the first unanswered query (a silent printer costs one timeout, not three).
PrinterStatus queryEscPosStatus(Transport& transport, std::chrono::milliseconds timeout);

}  // namespace platform::print
