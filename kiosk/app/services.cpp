#include "app/services.hpp"

#include "log/log.hpp"
#include "tts/speaker.hpp"

namespace kiosk::app {

namespace log = platform::log;
using ksync::store::Store;

Services::Services(const ServicesOptions& options, MainQueue& queue)
    : m_options(options),
      m_queue(queue),
      m_vi(platform::text::Strings::load("vi")),
      m_en(platform::text::Strings::load("en")) {}

// Members go in reverse order of declaration (see the header).
Services::~Services() = default;

std::expected<std::unique_ptr<Services>, std::string> Services::create(
    const ServicesOptions& options, MainQueue& queue) {
    std::unique_ptr<Services> s(new Services(options, queue));
    auto settings = ksync::store::loadSettings(options.dir);
    if (!settings) return std::unexpected(settings.error());
    s->m_settings = *settings;
    auto store = Store::open(options.dir.database(), Store::Open::CreateOrMigrate);
    if (!store) return std::unexpected("database: " + store.error().detail);
    s->m_store.emplace(std::move(*store));
    s->reloadConfig();

    const std::string uri =
        options.printerUri.empty() ? s->m_settings.printerUri : options.printerUri;
    auto desk = ReceiptDesk::create(uri, s->m_vi, *s->m_store, s->m_settings, s->m_config, queue);
    if (!desk) return std::unexpected(desk.error());
    s->m_receipts = std::move(*desk);

    platform::tts::SpeechOptions speech;
    speech.enabled = true;
    std::unique_ptr<platform::tts::AudioSink> sink;
    if (options.speechWavPath.empty())
        sink = std::make_unique<platform::tts::DeviceSink>();
    else
        sink = std::make_unique<platform::tts::WavFileSink>(options.speechWavPath);
    if (auto speaker = platform::tts::Speaker::create(speech, std::move(sink))) {
        s->m_speech = std::make_unique<platform::tts::SpeechWorker>(
            std::move(*speaker), [](const platform::tts::SpeechEvent& e) {
                if (e.error)
                    log::warn("speech", "not spoken: " + platform::tts::messageKey(*e.error));
            });
    } else {
        log::warn("speech", "unavailable: " + platform::tts::messageKey(speaker.error()));
    }

    s->m_worker = std::make_unique<BackgroundWorker>();
    s->m_recorder =
        std::make_unique<Recorder>(*s->m_store, s->m_settings, s->m_config, *s->m_receipts, queue);
    s->m_additions = std::make_unique<AdditionDesk>(options.dir.database(), s->m_settings,
                                                    s->m_config, *s->m_worker, queue);
    s->m_lookup = std::make_unique<StatusLookup>(*s->m_store, s->m_settings, *s->m_worker, queue);
    s->m_staff = std::make_unique<StaffAuth>(s->m_settings, *s->m_worker, queue);
    ReceiptDesk* receipts = s->m_receipts.get();
    s->m_usb = std::make_unique<UsbTransfer>(options.dir, s->m_settings, *s->m_worker, queue,
                                             [receipts] { return receipts->printerStateKey(); });

    if (auto n = s->m_store->recoverSending(); n && *n > 0)
        log::info("store", "requeued " + std::to_string(*n) + " record(s) left sending");
    return s;
}

void Services::setOnRecordStored(std::function<void()> f) {
    m_recorder->setOnStored(f);
    m_additions->setOnStored(std::move(f));
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
    if (auto* e = std::get_if<fx::StoreRecord>(&effect))
        m_recorder->store(e->draft);
    else if (auto* p = std::get_if<fx::PrintReceipt>(&effect))
        m_receipts->print(p->trackingCode);
    else if (auto* a = std::get_if<fx::PrintAnswer>(&effect))
        m_receipts->printAnswer(a->trackingCode, a->timeline);
    else if (auto* sp = std::get_if<fx::Speak>(&effect))
        speak(sp->text);
    else if (auto* k = std::get_if<fx::SpeakKey>(&effect))
        speak(k->params.empty() ? t.get(k->key) : t.format(k->key, k->params));
    else if (auto* c = std::get_if<fx::SpeakCode>(&effect))
        speak(t.get("tts.code_intro") + " " + platform::tts::spellTrackingCode(c->trackingCode));
    else if (auto* l = std::get_if<fx::LookupStatus>(&effect))
        m_lookup->lookup(l->trackingCode);
    else if (auto* pin = std::get_if<fx::CheckPin>(&effect))
        m_staff->check(pin->pin);
    else if (std::holds_alternative<fx::UsbExport>(effect))
        m_usb->exportBundle();
    else if (std::holds_alternative<fx::UsbImport>(effect))
        m_usb->importBundle();
    else if (std::holds_alternative<fx::PrintTest>(effect))
        m_receipts->printTest();
    else if (auto* cp = std::get_if<fx::CheckProof>(&effect))
        m_additions->check(cp->code, cp->secret);
    else if (auto* sa = std::get_if<fx::StoreAddition>(&effect))
        m_additions->store(sa->draft);
    else if (auto* pa = std::get_if<fx::PrintAddition>(&effect))
        m_receipts->printAddition(pa->receipt);
    else if (std::holds_alternative<fx::CallStaff>(effect))
        log::info("kiosk", "resident asked for staff help");  // the staff panel lists the call
}

void Services::speak(std::string text) {
    if (m_speech) m_speech->speak(std::move(text));
}

std::string Services::printerStateKey() {
    return m_receipts->printerStateKey();
}
std::string Services::lastPrinterKey() {
    return m_receipts->lastPrinterKey();
}
void Services::requestPrinterStatus() {
    m_receipts->requestStatus();
}

}  // namespace kiosk::app
