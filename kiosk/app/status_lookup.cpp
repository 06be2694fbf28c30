#include "app/status_lookup.hpp"

#include "client/bundle.hpp"
#include "log/log.hpp"
#include "proto/messages.hpp"

namespace kiosk::app {

namespace log = platform::log;

void StatusLookup::lookup(const std::string& code) {
    std::vector<core::StatusEntry> timeline;
    bool found = false;
    const auto rec = m_store.findByCode(code);
    const bool ours = rec && *rec;
    if (ours) {
        found = true;
        timeline.push_back({"queued", "", "", "", "", (*rec)->header.createdAt});
        if (auto sum = m_store.summaryByCode(code);
            sum && *sum && (*sum)->outboxState == "uploaded")
            timeline.push_back({"uploaded", "", "", "", "", (*rec)->header.createdAt});
    }
    if (auto history = m_store.statusHistory(code); history) {
        for (const auto& u : *history) {
            found = true;
            timeline.push_back(
                {u.status, u.note, u.agency, u.officer, u.expectedDate, u.updatedAt});
        }
    }
    // Another kiosk's code, or one this kiosk has only heard of: the next USB bundle asks the
    // backend for it (a commune without a link learns the status from the return bundle).
    if (!ours)
        if (auto r = ksync::client::rememberAskedCode(m_store, code); !r)
            log::warn("store", "asked code not kept: " + r.error().detail);
    if (found || m_settings.backendUrl.empty()) {
        m_queue.post(core::intent::StatusLoaded{found, std::move(timeline)});
        return;
    }
    ksync::client::TransportOptions opts;
    opts.baseUrl = m_settings.backendUrl;
    opts.caBundle = m_settings.caBundle;
    opts.connectTimeoutMs = 3000;
    opts.totalTimeoutMs = 6000;
    opts.maxResponseBytes = 256 * 1024;
    MainQueue* queue = &m_queue;
    if (!m_worker.post([opts, code, queue] { queue->post(fetchPublic(opts, code)); })) {
        log::warn("track", "online lookup not started: background worker busy");
        core::intent::StatusLoaded busy{false, {}};
        busy.busy = true;
        m_queue.post(std::move(busy));
    }
}

core::intent::StatusLoaded StatusLookup::fetchPublic(const ksync::client::TransportOptions& opts,
                                                     const std::string& code) {
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
        result.timeline.push_back(
            {e.status, e.note, e.agency, e.officer, e.expectedDate, e.updatedAt});
    return result;
}

}  // namespace kiosk::app
