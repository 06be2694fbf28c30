// Printers from URIs, the fake network printer, file/png/none printers and the print queue.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <fstream>
#include <future>
#include <iterator>
#include <mutex>
#include <thread>

#include "escpos_decoder.hpp"
#include "fake_escpos_printer.hpp"
#include "print/print_queue.hpp"
#include "print/printer.hpp"
#include "print_test_tools.hpp"

using namespace platform::print;
using namespace std::chrono_literals;
using Mode = printtest::FakeEscPosPrinter::Mode;

namespace {

Receipt sampleReceipt(int index = 3) {
    return makeReceipt(printtest::fixtureReceiptInput(
        testsupport::seedFixtures().at(static_cast<size_t>(index)), index));
}

PrintJob jobFor(const Printer& printer, const Receipt& receipt) {
    auto raster = printtest::renderer().render(receipt, printer.renderOptions());
    REQUIRE(raster);
    return PrintJob{receipt.trackingCode, std::move(*raster)};
}

std::unique_ptr<Printer> tcpPrinter(int port, PrinterConfig config = {}) {
    auto p = makePrinter("escpos+tcp://127.0.0.1:" + std::to_string(port), config);
    REQUIRE(p);
    return std::move(*p);
}

// Runs f on another thread and gives up waiting after `limit`: a call that hangs fails the
// test instead of hanging the suite. The limit is the call's own timeout plus generous slack;
// it checks that the call returns, not how fast.
template <class F>
auto withinLimit(F f, std::chrono::milliseconds limit) {
    auto fut = std::async(std::launch::async, std::move(f));
    const bool returned = fut.wait_for(limit) == std::future_status::ready;
    REQUIRE(returned);
    return fut.get();
}

std::vector<std::uint8_t> readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("printer URIs are parsed into transports, paths and options") {
    auto usb = parsePrinterUri("escpos+usb:///dev/usb/lp0");
    REQUIRE(usb);
    CHECK(usb->scheme == "escpos+usb");
    CHECK(usb->path == "/dev/usb/lp0");
    auto serial = parsePrinterUri("escpos+serial:///dev/ttyUSB0?baud=19200&flow=rtscts");
    REQUIRE(serial);
    CHECK(serial->path == "/dev/ttyUSB0");
    CHECK(serial->query.at("baud") == "19200");
    CHECK(serial->query.at("flow") == "rtscts");
    auto tcp = parsePrinterUri("escpos+tcp://192.168.1.50:9101");
    REQUIRE(tcp);
    CHECK(tcp->host == "192.168.1.50");
    CHECK(tcp->port == 9101);
    CHECK(parsePrinterUri("escpos+tcp://printer.local")->port == 9100);
    CHECK(parsePrinterUri("escpos+tcp://[::1]:9100")->host == "::1");
    CHECK(parsePrinterUri("file:///tmp/out.bin")->path == "/tmp/out.bin");
    CHECK(parsePrinterUri("png:///var/lib/kiosk/receipts")->path == "/var/lib/kiosk/receipts");
    CHECK(parsePrinterUri("cups://Quay_A4?layout=a4")->host == "Quay_A4");
    CHECK(parsePrinterUri("none")->scheme == "none");

    for (const char* bad :
         {"escpos+tcp://:9100", "escpos+tcp://host:99999", "escpos+tcp://host:abc",
          "escpos+usb://dev/usb/lp0", "lpt1", "smb://x/y", "cups://", "file://"}) {
        INFO(bad);
        auto parsed = parsePrinterUri(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().kind == PrintError::Kind::InvalidUri);
        CHECK(parsed.error().status.state == PrinterState::NotConfigured);
        CHECK_FALSE(parsed.error().detail.empty());
        auto printer = makePrinter(bad);
        REQUIRE_FALSE(printer);
        CHECK(printer.error().kind == PrintError::Kind::InvalidUri);
    }
    // Paper width and layout from the URI decide how receipts are rendered.
    CHECK((*makePrinter("file:///tmp/x.bin?paper=58"))->renderOptions().widthDots == 384);
    CHECK((*makePrinter("file:///tmp/x.bin"))->renderOptions().widthDots == 576);
    CHECK((*makePrinter("cups://q?layout=a4"))->renderOptions().widthDots ==
          RenderOptions::a4Form().widthDots);
}

TEST_CASE("the network printer reports each condition the fake printer is in") {
    const std::pair<Mode, PrinterState> cases[] = {
        {Mode::Ok, PrinterState::Ready},          {Mode::PaperNearEnd, PrinterState::PaperNearEnd},
        {Mode::PaperOut, PrinterState::PaperOut}, {Mode::CoverOpen, PrinterState::CoverOpen},
        {Mode::Silent, PrinterState::NoAnswer},   {Mode::Garbage, PrinterState::InvalidReply},
    };
    for (const auto& [mode, expected] : cases) {
        printtest::FakeEscPosPrinter fake(mode);
        auto printer = tcpPrinter(fake.port());
        const PrinterStatus status = withinLimit([&] { return printer->status(600ms); }, 5s);
        INFO(status.detail);
        CHECK(status.state == expected);
        // The queries were really sent: DLE EOT 1 first.
        const auto sent = fake.received();
        REQUIRE(sent.size() >= 3);
        CHECK(sent[0] == 0x10);
        CHECK(sent[1] == 0x04);
        CHECK(sent[2] == 0x01);
    }
}

TEST_CASE("a silent or absent printer is reported without blocking past the timeout") {
    {
        printtest::FakeEscPosPrinter fake(Mode::Silent);
        auto printer = tcpPrinter(fake.port());
        CHECK(withinLimit([&] { return printer->status(300ms); }, 5s).state ==
              PrinterState::NoAnswer);
    }
    {
        // Nothing listens on the port of a fake that has gone away.
        int port = 0;
        {
            printtest::FakeEscPosPrinter gone(Mode::Ok);
            port = gone.port();
        }
        auto printer = tcpPrinter(port);
        CHECK(withinLimit([&] { return printer->status(300ms); }, 5s).state ==
              PrinterState::Unreachable);
        auto result = withinLimit(
            [&] { return printer->print(jobFor(*printer, sampleReceipt()), 500ms); }, 5s);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == PrintError::Kind::Unreachable);
    }
    {
        // Accepts the connection, never reads: the print times out instead of hanging.
        printtest::FakeEscPosPrinter fake(Mode::StopReading);
        PrinterConfig config;
        config.statusTimeout = 200ms;
        auto printer = tcpPrinter(fake.port(), config);
        // 5 MB of raster: more than loopback socket buffers hold (tcp_wmem max is 4 MB).
        Bitmap tall(576, 72000);
        auto result = withinLimit([&] { return printer->print(PrintJob{"big", tall}, 700ms); }, 6s);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == PrintError::Kind::Timeout);
        CHECK(result.error().status.state == PrinterState::NoAnswer);
    }
}

TEST_CASE(
    "the network printer prints a readable receipt when ready and refuses when out of paper") {
    testsupport::TempDir dir;
    const Receipt receipt = sampleReceipt();
    {
        printtest::FakeEscPosPrinter fake(Mode::Ok);
        auto printer = tcpPrinter(fake.port());
        auto result = printer->print(jobFor(*printer, receipt), 5s);
        REQUIRE(result);
        CHECK(result->statusVerified);
        CHECK(result->statusBefore.state == PrinterState::Ready);
        // The fake saw the status queries, then the job; decode the job.
        std::vector<std::uint8_t> sent;
        for (int i = 0; i < 200 && sent.size() < 9 + result->bytesSent; ++i) {
            sent = fake.received();
            std::this_thread::sleep_for(10ms);
        }
        REQUIRE(sent.size() == 9 + result->bytesSent);
        const auto decoded = printtest::decodeEscPos(sent);
        CHECK(decoded.errors.empty());
        CHECK(decoded.statusQueries == std::vector<std::uint8_t>{1, 2, 4});
        CHECK(decoded.cuts == 1);
        CHECK(printtest::zbarDecode(decoded.image, dir.path(), "tcp") == receipt.trackingUrl);
    }
    for (Mode mode : {Mode::PaperOut, Mode::CoverOpen}) {
        printtest::FakeEscPosPrinter fake(mode);
        auto printer = tcpPrinter(fake.port());
        auto result = printer->print(jobFor(*printer, receipt), 5s);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == PrintError::Kind::NotReady);
        CHECK(result.error().status.state ==
              (mode == Mode::PaperOut ? PrinterState::PaperOut : PrinterState::CoverOpen));
        CHECK(messageKey(result.error()) == messageKey(result.error().status.state));
        // Only the status queries went out: no half receipt.
        CHECK(fake.received().size() == 9);
    }
}

TEST_CASE("the file printer writes ESC/POS bytes that decode to the receipt") {
    testsupport::TempDir dir;
    const std::string path = (dir / "out.bin").string();
    for (const char* paper : {"80", "58"}) {
        auto printer = makePrinter("file://" + path + "?paper=" + paper);
        REQUIRE(printer);
        CHECK((*printer)->status(100ms).state == PrinterState::Unchecked);
        const Receipt receipt = sampleReceipt(5);
        auto result = (*printer)->print(jobFor(**printer, receipt), 5s);
        REQUIRE(result);
        CHECK_FALSE(result->statusVerified);
        const auto decoded = printtest::decodeEscPos(readAll(path));
        CHECK(decoded.errors.empty());
        CHECK(decoded.image.width() == (std::string(paper) == "58" ? 384 : 576));
        CHECK(printtest::zbarDecode(decoded.image, dir.path(), std::string("file-") + paper) ==
              receipt.trackingUrl);
    }
}

TEST_CASE(
    "the png printer writes one readable image per receipt and a missing directory is "
    "unreachable") {
    testsupport::TempDir dir;
    auto printer = makePrinter("png://" + dir.path().string());
    REQUIRE(printer);
    const Receipt receipt = sampleReceipt(7);
    auto result = (*printer)->print(jobFor(**printer, receipt), 5s);
    REQUIRE(result);
    CHECK(result->output == (dir / (receipt.trackingCode + ".png")).string());
    CHECK(printtest::zbarDecode(result->output) == receipt.trackingUrl);

    auto missing = makePrinter("png://" + (dir / "no-such-dir").string());
    REQUIRE(missing);
    CHECK((*missing)->status(100ms).state == PrinterState::Unreachable);
    auto failed = (*missing)->print(jobFor(**missing, receipt), 5s);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().kind == PrintError::Kind::Unreachable);
}

TEST_CASE("the none printer says that there is no printer") {
    auto printer = makePrinter("none");
    REQUIRE(printer);
    CHECK((*printer)->status(100ms).state == PrinterState::NotConfigured);
    auto result = (*printer)->print(PrintJob{"x", Bitmap(576, 10)}, 100ms);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == PrintError::Kind::NotConfigured);
    CHECK(messageKey(result.error()) == "printer.state.not_configured");
}

TEST_CASE(
    "the print queue prints and checks status on its own thread and reports through the callback") {
    testsupport::TempDir dir;
    printtest::FakeEscPosPrinter paperOut(Mode::PaperOut);

    std::mutex mutex;
    std::condition_variable cv;
    std::vector<PrintEvent> events;
    std::vector<std::thread::id> threads;
    auto callback = [&](const PrintEvent& e) {
        std::lock_guard lock(mutex);
        events.push_back(e);
        threads.push_back(std::this_thread::get_id());
        cv.notify_all();
    };
    auto waitFor = [&](size_t n) {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 30s, [&] { return events.size() >= n; });
    };

    {
        auto png = makePrinter("png://" + dir.path().string());
        REQUIRE(png);
        PrintQueue queue(std::move(*png), printtest::renderer(), callback);
        const Receipt a = sampleReceipt(1), b = sampleReceipt(2);
        const JobId first = queue.submit(a);
        queue.requestStatus();
        const JobId second = queue.submit(b);
        CHECK(first != second);
        REQUIRE(waitFor(3));
        std::lock_guard lock(mutex);
        CHECK(events[0].kind == PrintEvent::Kind::Printed);
        CHECK(events[0].job == first);
        CHECK(events[0].trackingCode == a.trackingCode);
        CHECK(events[1].kind == PrintEvent::Kind::Status);
        CHECK(events[1].status.state == PrinterState::Unchecked);
        CHECK(events[2].job == second);
        CHECK(printtest::zbarDecode(events[2].report->output) == b.trackingUrl);
        for (auto id : threads) CHECK(id != std::this_thread::get_id());
    }
    {
        std::lock_guard lock(mutex);
        events.clear();
        threads.clear();
    }
    {
        // A failed print comes back as a value with the state; reprinting is another submit.
        PrintQueue queue(tcpPrinter(paperOut.port()), printtest::renderer(), callback);
        const Receipt r = sampleReceipt(4);
        queue.submit(r);
        queue.submit(r);
        REQUIRE(waitFor(2));
        std::lock_guard lock(mutex);
        for (const auto& e : events) {
            CHECK(e.kind == PrintEvent::Kind::Failed);
            REQUIRE(e.error);
            CHECK(e.error->kind == PrintError::Kind::NotReady);
            CHECK(e.status.state == PrinterState::PaperOut);
            CHECK(e.trackingCode == r.trackingCode);
        }
    }
}
