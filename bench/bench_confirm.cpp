// bench_confirm — confirm latency (issue #7): what Services::storeRecord and the print worker do
// after the resident taps "Gửi" (confirm), in the same order and with the same functions:
// validate the draft, Store::createRecord (one durable transaction, synchronous=FULL), build the
// receipt (receiptInputFor + makeReceipt) and render it to the 1-bit raster (ReceiptRenderer,
// 80 mm). The Flow core's intent handling (pure, microseconds) and the thread hop to the print
// worker are left out.
//
// Usage: bench_confirm --fixtures DIR --work DIR --out results.json [--n 1000]
#include <iostream>

#include "app/receipt_builder.hpp"
#include "bench_common.hpp"
#include "clock/clock.hpp"
#include "print/receipt.hpp"
#include "print/receipt_renderer.hpp"
#include "proto/backend_config.hpp"
#include "store/store.hpp"
#include "text/strings.hpp"

int main(int argc, char** argv) {
    using namespace bench;
    namespace fs = std::filesystem;
    const fs::path fixtures = arg(argc, argv, "--fixtures");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-confirm");
    const fs::path out = arg(argc, argv, "--out", "bench/results/latest.json");
    const std::size_t n = std::stoul(arg(argc, argv, "--n", "1000"));

    fs::remove_all(work);
    const auto seeds = loadSeeds(fixtures);
    auto dir = makeKioskDir(work / "kiosk", "7K3M", "http://127.0.0.1:1");
    auto settings = ksync::store::loadSettings(dir);
    if (!settings) die("settings");
    const auto config =
        ksync::proto::parseBackendConfig(ksync::proto::defaultBackendConfigJson()).value();
    auto store = ksync::store::Store::open(dir.database());
    if (!store) die("store");
    auto renderer = platform::print::ReceiptRenderer::create(platform::text::Strings::load("vi"));
    if (!renderer) die("renderer: " + renderer.error().detail);
    const auto opts = platform::print::RenderOptions::roll80mm();

    std::vector<ksync::record::Draft> drafts;
    for (std::size_t i = 0; i < n; ++i) drafts.push_back(makeDraft(seeds, i));
    std::vector<double> total, storeMs, receiptMs;
    for (const auto& d : drafts) {
        const auto t0 = Clock::now();
        auto valid = ksync::record::validateDraft(d);
        if (!valid) die("invalid draft");
        auto rec = store->createRecord(*valid, settings->kioskId,
                                       platform::clock::formatUtc(platform::clock::now()),
                                       platform::clock::isSystemClockSynchronised());
        if (!rec) die("createRecord: " + rec.error().detail);
        const double tStored = msSince(t0);
        const auto receipt = platform::print::makeReceipt(
            kiosk::app::receiptInputFor(*rec, *settings, config, d.language));
        auto bitmap = renderer->render(receipt, opts);
        if (!bitmap || bitmap->height() <= 0) die("render");
        const double tAll = msSince(t0);
        total.push_back(tAll);
        storeMs.push_back(tStored);
        receiptMs.push_back(tAll - tStored);
    }
    nlohmann::json j{{"n", n},
                     {"total_ms", summary(total)},
                     {"store_ms", summary(storeMs)},
                     {"receipt_ms", summary(receiptMs)}};
    std::cout << "confirm: p50 " << percentile(total, 50) << " ms, p99 " << percentile(total, 99)
              << " ms (store p99 " << percentile(storeMs, 99) << ", receipt p99 "
              << percentile(receiptMs, 99) << ")\n";
    writeResult(out, "confirm", j);
    return 0;
}
