#include "app/services.hpp"

#include "app/receipt_builder.hpp"

#include "auth/staff_pin.hpp"
#include "client/bundle.hpp"
#include "clock/clock.hpp"
#include "log/log.hpp"
#include "proto/messages.hpp"
#include "record/validation.hpp"
#include "tts/speaker.hpp"

namespace kiosk::app {

namespace print = platform::print;
namespace log = platform::log;
using ksync::store::Store;

Services::Services(const ServicesOptions& options, MainQueue& queue)
    : m_options(options), m_queue(queue), m_vi(platform::text::Strings::load("vi")), m_en(platform::text::Strings::load("en")) {}

Services::~Services() {
    // The print and speech workers call back into this object (onPrintEvent writes
    // m_printerKey): stop them before the members they touch die, which happens in reverse
    // order of declaration — m_printerKey would go before m_printQueue (found by ASan: a leak
    // from a worker writing into the destroyed string).
    m_printQueue.reset();
    m_speech.reset();
    for (auto& t : m_background)
        if (t.joinable()) t.join();
}

std::expected<std::unique_ptr<Services>, std::string> Services::create(const ServicesOptions& options, MainQueue& queue) {
    std::unique_ptr<Services> s(new Services(options, queue));
    auto settings = ksync::store::loadSettings(options.dir);
    if (!settings) return std::unexpected(settings.error());
    s->m_settings = *settings;
    auto store = Store::open(options.dir.database(), Store::Open::CreateOrMigrate);
    if (!store) return std::unexpected("database: " + store.error().detail);
    s->m_store.emplace(std::move(*store));
    s->reloadConfig();

    const std::string uri = options.printerUri.empty() ? s->m_settings.printerUri : options.printerUri;
    auto printer = print::makePrinter(uri);
    if (!printer) return std::unexpected("printer: " + printer.error().detail);
    auto renderer = print::ReceiptRenderer::create(s->m_vi);
    if (!renderer) return std::unexpected("receipt renderer: " + renderer.error().detail);
    Services* self = s.get();
    s->m_printQueue = std::make_unique<print::PrintQueue>(std::move(*printer), std::move(*renderer),
                                                          [self](const print::PrintEvent& e) { self->onPrintEvent(e); });

    platform::tts::SpeechOptions speech;
    speech.enabled = true;
    std::unique_ptr<platform::tts::AudioSink> sink;
    if (options.speechWavPath.empty()) sink = std::make_unique<platform::tts::DeviceSink>();
    else sink = std::make_unique<platform::tts::WavFileSink>(options.speechWavPath);
    if (auto speaker = platform::tts::Speaker::create(speech, std::move(sink))) {
        s->m_speech = std::make_unique<platform::tts::SpeechWorker>(std::move(*speaker), [](const platform::tts::SpeechEvent& e) {
            if (e.error) log::warn("speech", "not spoken: " + platform::tts::messageKey(*e.error));
        });
    } else {
        log::warn("speech", "unavailable: " + platform::tts::messageKey(speaker.error()));
    }
    if (auto n = s->m_store->recoverSending(); n && *n > 0) log::info("store", "requeued " + std::to_string(*n) + " record(s) left sending");
    return s;
}

void Services::reloadConfig() {
    auto cached = m_store->config();
    if (cached && *cached) {
        if (auto parsed = ksync::proto::parseBackendConfig((*cached)->document)) {
            m_config = *parsed;
            return;
        }
        log::warn("config", "cached config unreadable; using the default");
    }
    m_config = ksync::proto::parseBackendConfig(ksync::proto::defaultBackendConfigJson()).value();
}

void Services::run(const core::Effect& effect, const core::State& state) {
    namespace fx = core::effect;
    const auto& t = strings(state.prefs.language);
    if (auto* e = std::get_if<fx::StoreRecord>(&effect)) storeRecord(e->draft);
    else if (auto* p = std::get_if<fx::PrintReceipt>(&effect)) printReceipt(p->trackingCode);
    else if (auto* sp = std::get_if<fx::Speak>(&effect)) speak(sp->text);
    else if (auto* k = std::get_if<fx::SpeakKey>(&effect)) speak(t.get(k->key));
    else if (auto* c = std::get_if<fx::SpeakCode>(&effect))
        speak(t.get("tts.code_intro") + " " + platform::tts::spellTrackingCode(c->trackingCode));
    else if (auto* l = std::get_if<fx::LookupStatus>(&effect)) lookupStatus(l->trackingCode);
    else if (auto* pin = std::get_if<fx::CheckPin>(&effect)) checkPin(pin->pin);
    else if (std::holds_alternative<fx::UsbExport>(effect)) usbExport();
    else if (std::holds_alternative<fx::UsbImport>(effect)) usbImport();
    else if (std::holds_alternative<fx::CallStaff>(effect)) log::info("kiosk", "resident asked for staff help");
}

void Services::storeRecord(const ksync::record::ValidDraft& draft) {
    const auto now = platform::clock::now();
    auto rec = m_store->createRecord(draft, m_settings.kioskId, platform::clock::formatUtc(now),
                                     platform::clock::isSystemClockSynchronised());
    if (!rec) {
        log::error("store", "record not stored: " + std::string(rec.error().messageKey()));
        m_queue.post(core::intent::StoreFailed{std::string(rec.error().messageKey())});
        return;
    }
    // The receipt is made from the plain record, before anything else happens to the content.
    const print::Receipt receipt = print::makeReceipt(receiptInputFor(*rec, m_settings, m_config, draft.language));
    m_receipts[receipt.trackingCode] = receipt;
    log::info("store", "stored " + rec->header.trackingCode);
    m_queue.post(core::intent::Stored{receiptInfoFor(receipt)});
    if (m_onRecordStored) m_onRecordStored();
}

std::optional<print::Receipt> Services::receiptFor(const std::string& code) {
    if (auto it = m_receipts.find(code); it != m_receipts.end()) return it->second;
    auto rec = m_store->findByCode(code);
    if (!rec || !*rec) return std::nullopt;
    return print::makeReceipt(receiptInputFor(**rec, m_settings, m_config, "vi"));
}

void Services::printReceipt(const std::string& code) {
    auto receipt = receiptFor(code);
    if (!receipt) {
        m_queue.post(core::intent::PrintFailed{"store.not_found"});
        return;
    }
    m_printQueue->submit(*receipt);
}

void Services::onPrintEvent(const print::PrintEvent& e) {  // print worker thread
    using Kind = print::PrintEvent::Kind;
    {
        std::lock_guard lock(m_printerMutex);
        m_printerKey = print::messageKey(e.status.state);
    }
    if (e.kind == Kind::Printed) {
        log::info("print", "printed " + e.trackingCode);
        m_queue.post(core::intent::Printed{});
    } else if (e.kind == Kind::Failed) {
        log::warn("print", "failed " + e.trackingCode + ": " + (e.error ? e.error->detail : std::string{}));
        m_queue.post(core::intent::PrintFailed{e.error ? print::messageKey(*e.error) : std::string("printer.error.io")});
    }
}

void Services::requestPrinterStatus() { m_printQueue->requestStatus(); }

void Services::lookupStatus(const std::string& code) {
    std::vector<core::StatusEntry> timeline;
    bool found = false;
    if (auto rec = m_store->findByCode(code); rec && *rec) {
        found = true;
        timeline.push_back({"queued", "", "", "", "", (*rec)->header.createdAt});
        if (auto sum = m_store->summaryByCode(code); sum && *sum && (*sum)->outboxState == "uploaded")
            timeline.push_back({"uploaded", "", "", "", "", (*rec)->header.createdAt});
    }
    if (auto history = m_store->statusHistory(code); history) {
        for (const auto& u : *history) {
            found = true;
            timeline.push_back({u.status, u.note, u.agency, u.officer, u.expectedDate, u.updatedAt});
        }
    }
    // Another kiosk's code, or one this kiosk has only heard of: the next USB bundle asks the
    // backend for it (a commune without a link learns the status from the return bundle).
    if (!m_store->findByCode(code).value_or(std::nullopt))
        if (auto r = ksync::client::rememberAskedCode(*m_store, code); !r) log::warn("store", "asked code not kept: " + r.error().detail);
    if (found || m_settings.backendUrl.empty()) {
        m_queue.post(core::intent::StatusLoaded{found, std::move(timeline)});
        return;
    }
    // Not one of this kiosk's records: ask the backend's public timeline, off the UI thread.
    // Any failure (offline, a captive portal's HTML, a timeout) reads as "not found here".
    ksync::client::TransportOptions opts;
    opts.baseUrl = m_settings.backendUrl;
    opts.caBundle = m_settings.caBundle;
    opts.connectTimeoutMs = 3000;
    opts.totalTimeoutMs = 6000;
    opts.maxResponseBytes = 256 * 1024;
    MainQueue* queue = &m_queue;
    m_background.emplace_back([opts, code, queue] { queue->post(core::intent::StatusLoaded{fetchPublicStatus(opts, code)}); });
}

core::intent::StatusLoaded Services::fetchPublicStatus(const ksync::client::TransportOptions& opts, const std::string& code) {
    core::intent::StatusLoaded result{false, {}};
    auto transport = ksync::client::HttpTransport::create(opts);
    if (!transport) return result;
    ksync::client::HttpRequest req;
    req.path = "/api/v1/public/status/" + code;
    auto resp = transport->send(req);
    if (!resp || resp->status != 200) return result;
    const auto reply = ksync::proto::parseMessage<ksync::proto::PublicStatusReply>(resp->body);
    if (!reply) return result;
    result.found = true;
    result.timeline.push_back({"uploaded", "", "", "", "", reply->receivedAt});
    for (const auto& e : reply->events)
        result.timeline.push_back({e.status, e.note, e.agency, e.officer, e.expectedDate, e.updatedAt});
    return result;
}

void Services::checkPin(const std::string& pin) {
    // Argon2 takes a few hundred milliseconds: not on the UI thread.
    const std::string hash = m_settings.staffPinHash;
    MainQueue* queue = &m_queue;
    m_background.emplace_back([pin, hash, queue] {
        const bool ok = !hash.empty() && platform::auth::verifyPin(pin, hash);
        log::info("staff", ok ? "panel opened" : "wrong PIN");
        queue->post(core::intent::PinChecked{ok});
    });
}

// USB bundles (docs/USB.md) on a background thread: a bundle of weeks of records takes seconds.
// Each opens its own database connection; the answer comes back as UsbDone.
void Services::usbExport() {
    const auto dir = m_options.dir;
    const std::string usb = m_settings.usbPath;
    MainQueue* queue = &m_queue;
    ksync::client::ExportOptions options;
    options.printerState = [this] { return printerStateKey(); };
    m_background.emplace_back([dir, usb, options, queue] {
        auto r = ksync::client::exportBundle(dir, usb, options);
        if (!r) {
            log::warn("usb", "export refused: " + std::string(ksync::proto::bundleRefusalCode(r.error().refusal)) + ": " + r.error().detail);
            queue->post(core::intent::UsbDone{false, ksync::client::bundleMessageKey(r.error()), {}});
            return;
        }
        log::info("usb", "exported " + std::to_string(r->records) + " records");
        queue->post(core::intent::UsbDone{true, "bundle.exported",
                                          {{"records", std::to_string(r->records)}, {"file", r->file}}});
    });
}

void Services::usbImport() {
    const auto dir = m_options.dir;
    const std::string usb = m_settings.usbPath;
    MainQueue* queue = &m_queue;
    m_background.emplace_back([dir, usb, queue] {
        auto file = ksync::client::findReturnBundle(dir, usb);
        auto r = file ? ksync::client::importBundle(dir, *file) : std::unexpected(file.error());
        if (!r) {
            log::warn("usb", "import refused: " + std::string(ksync::proto::bundleRefusalCode(r.error().refusal)) + ": " + r.error().detail);
            queue->post(core::intent::UsbDone{false, ksync::client::bundleMessageKey(r.error()), {}});
            return;
        }
        log::info("usb", "imported: " + std::to_string(r->acknowledged) + " acknowledged, " +
                             std::to_string(r->statusUpdates) + " status updates");
        queue->post(core::intent::UsbDone{true, "bundle.imported_kiosk",
                                          {{"acked", std::to_string(r->acknowledged)},
                                           {"quarantined", std::to_string(r->quarantined)},
                                           {"updates", std::to_string(r->statusUpdates)},
                                           {"queued", std::to_string(r->stillQueued)}},
                                          r->configTaken});
    });
}

void Services::speak(std::string text) {
    if (m_speech) m_speech->speak(std::move(text));
}

std::string Services::printerStateKey() {
    std::lock_guard lock(m_printerMutex);
    return m_printerKey.empty() ? std::string("unknown") : m_printerKey;
}

std::string Services::lastPrinterKey() {
    std::lock_guard lock(m_printerMutex);
    return m_printerKey;
}

}  // namespace kiosk::app
