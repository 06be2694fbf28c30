// The public side of the backend: the tracking page that a receipt's QR opens (/t/CODE and
// /T/CODE) and the Open311 GeoReport v2 read endpoints. Neither shows content or contact data:
// only the code, type, category, dates and the status timeline. The public status JSON that
// kiosks read is a protocol message (proto/messages.hpp); Open311's JSON is built here, since
// that shape is Open311's, not ours.
#include "clock/clock.hpp"
#include "proto/backend_config.hpp"
#include "proto/messages.hpp"
#include "record/tracking_code.hpp"
#include "service/backend_service.hpp"

namespace ksync::backend {

using nlohmann::json;

namespace {

std::string escapeHtml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string localTime(const std::string& utc) {
    auto t = platform::clock::parseUtc(utc);
    return t ? platform::clock::formatLocalVi(*t) : utc;
}

// dd/mm/yyyy from YYYY-MM-DD
std::string viDate(const std::string& ymd) {
    if (ymd.size() != 10) return ymd;
    return ymd.substr(8, 2) + "/" + ymd.substr(5, 2) + "/" + ymd.substr(0, 4);
}

bool isClosedStatus(std::string_view s) {
    return s == "answered" || s == "closed" || s == "rejected" || s == "duplicate";
}

constexpr std::string_view kPageStyle =
    "body{font-family:'Noto "
    "Sans',Arial,sans-serif;margin:0;background:#f4f6f8;color:#1c2430;font-size:18px}"
    "main{max-width:640px;margin:0 auto;padding:16px}"
    "h1{font-size:1.3em;margin:8px 0 "
    "16px}.code{font-size:1.6em;font-weight:bold;letter-spacing:.05em}"
    ".card{background:#fff;border-radius:10px;padding:16px;margin-bottom:16px;box-shadow:0 1px 3px "
    "rgba(0,0,0,.1)}"
    "ol{list-style:none;padding:0;margin:0}li{border-left:4px solid #1565c0;padding:4px 0 12px "
    "14px;margin-left:6px}"
    "li:last-child{border-color:#2e7d32}.when{color:#5a6470;font-size:.85em}.st{font-weight:bold}"
    ".muted{color:#5a6470;font-size:.85em}";

}  // namespace

std::map<std::string, std::string> BackendService::categoryNames() {
    std::string doc = m_configFallback;
    if (auto c = m_storage.config(); c && *c) doc = (*c)->document;
    std::map<std::string, std::string> out;
    if (auto cfg = proto::parseBackendConfig(doc))
        for (const auto* list : {&cfg->removedCategories, &cfg->categories})
            for (const auto& cat : *list) out[cat.code] = cat.nameVi;  // removed: old cases
    return out;
}

std::string BackendService::categoryName(const std::string& code) {
    const auto names = categoryNames();
    auto it = names.find(code);
    return it == names.end() ? code : it->second;
}

HttpReply BackendService::trackingPage(const std::string& rawCode) {
    HttpReply r;
    r.contentType = "text/html; charset=utf-8";
    r.headers["Cache-Control"] = "no-store";
    const auto& S = m_strings;
    std::string html =
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>" +
        escapeHtml(S.get("backend.page_title")) + "</title><style>" + std::string(kPageStyle) +
        "</style></head><body><main><h1>" + escapeHtml(S.get("backend.page_title")) + "</h1>";
    auto finish = [&](int status) {
        html += "<p class=\"muted\">" + escapeHtml(S.get("backend.page_privacy")) +
                "</p></main></body></html>";
        r.status = status;
        r.body = std::move(html);
        return r;
    };
    auto code = record::parseTrackingCode(rawCode);
    if (!code) {
        html +=
            "<div class=\"card\"><p>" + escapeHtml(S.get("backend.page_bad_code")) + "</p></div>";
        return finish(404);
    }
    auto rec = m_storage.publicRecord(code->text());
    if (!rec) {
        log("GET /t 503 storage error: " + rec.error().detail);
        html += "<div class=\"card\"><p>" + escapeHtml(S.get("backend.page_unavailable")) +
                "</p></div>";
        return finish(503);
    }
    if (!*rec) {
        html += "<div class=\"card\"><p class=\"code\">" + escapeHtml(code->text()) + "</p><p>" +
                escapeHtml(S.get("backend.page_not_found")) + "</p></div>";
        return finish(404);
    }
    const PublicRecord& p = **rec;
    html += "<div class=\"card\"><div class=\"code\">" + escapeHtml(p.trackingCode) + "</div><p>" +
            escapeHtml(S.get("type." + std::string(record::typeCode(p.type)))) + "<br>" +
            escapeHtml(S.get("backend.page_category")) + ": " +
            escapeHtml(categoryName(p.category)) + "<br>" +
            escapeHtml(S.get("backend.page_submitted")) + ": " +
            escapeHtml(localTime(p.createdAt)) + "</p></div>";
    html += "<div class=\"card\"><h2>" + escapeHtml(S.get("backend.page_timeline")) + "</h2><ol>";
    html += "<li><div class=\"st\">" + escapeHtml(S.get("status.uploaded")) +
            "</div><div class=\"when\">" + escapeHtml(localTime(p.receivedAt)) + "</div></li>";
    for (const auto& e : p.events) {
        html += "<li><div class=\"st\">" + escapeHtml(S.get("status." + e.status)) + "</div>";
        if (!e.agency.empty())
            html += "<div>" + escapeHtml(S.get("backend.page_agency")) + ": " +
                    escapeHtml(e.agency) + "</div>";
        if (!e.officer.empty())
            html += "<div>" + escapeHtml(S.get("backend.page_officer")) + ": " +
                    escapeHtml(e.officer) + "</div>";
        if (!e.expectedDate.empty())
            html += "<div>" + escapeHtml(S.get("backend.page_expected")) + ": " +
                    escapeHtml(viDate(e.expectedDate)) + "</div>";
        if (!e.note.empty()) html += "<div>" + escapeHtml(e.note) + "</div>";
        html += "<div class=\"when\">" + escapeHtml(localTime(e.updatedAt)) + "</div></li>";
    }
    html += "</ol></div>";
    // Issue #14: what the resident added, without its content (this page is public): the dates
    // supplements arrived, and whether the answer was rated (not the face, not the comment).
    auto added = m_storage.caseAdditions(p.trackingCode);
    auto rating = m_storage.caseRating(p.trackingCode);
    if (!added || !rating) {
        log("GET /t 503 storage error: " + (!added ? added.error() : rating.error()).detail);
        html += "<div class=\"card\"><p>" + escapeHtml(S.get("backend.page_unavailable")) +
                "</p></div>";
        return finish(503);
    }
    std::string supplements;
    for (const auto& a : *added)
        if (a.header.category == "supplement")
            supplements += "<li class=\"supplement\"><div class=\"st\">" +
                           escapeHtml(S.get("backend.page_supplement_received")) +
                           "</div><div class=\"when\">" +
                           escapeHtml(localTime(a.header.createdAt)) + "</div></li>";
    if (!supplements.empty())
        html += "<div class=\"card\" id=\"supplements\"><h2>" +
                escapeHtml(S.get("backend.page_supplements")) + "</h2><ol>" + supplements +
                "</ol></div>";
    const bool decided = !p.events.empty() && isClosedStatus(p.events.back().status);
    if (*rating || decided)
        html += "<div class=\"card\" id=\"rating\"><h2>" +
                escapeHtml(S.get("backend.page_rating")) + "</h2><p>" +
                escapeHtml(S.get(*rating ? "backend.page_rated" : "backend.page_not_rated")) +
                "</p></div>";
    return finish(200);
}

namespace {

// Issue #14: the resident's rating as an extension (status_notes stays the last event's note).
json ratingAttributes(const std::optional<CaseRating>& r) {
    return {{"rated", r.has_value()},
            {"rating", r ? json(r->rating) : json()},
            {"reopen_requested", r && r->reopen}};
}

json open311Item(const PublicRecord& p, const std::string& serviceName,
                 const std::optional<CaseRating>& rating) {
    const StatusEvent* last = p.events.empty() ? nullptr : &p.events.back();
    std::string agency, expected;
    for (const auto& e : p.events) {
        if (!e.agency.empty()) agency = e.agency;
        if (!e.expectedDate.empty()) expected = e.expectedDate + "T17:00:00+07:00";
    }
    return {{"service_request_id", p.trackingCode},
            {"status", last && isClosedStatus(last->status) ? "closed" : "open"},
            {"status_notes", last ? last->note : std::string{}},
            {"service_name", serviceName},
            {"service_code", p.category},
            {"agency_responsible", agency},
            {"expected_datetime", expected.empty() ? json() : json(expected)},
            {"requested_datetime", p.createdAt},
            {"updated_datetime", last ? last->updatedAt : p.receivedAt},
            {"extended_attributes", ratingAttributes(rating)}};
}

}  // namespace

HttpReply BackendService::open311Services() {
    std::string doc = m_configFallback;
    if (auto c = m_storage.config(); c && *c) doc = (*c)->document;
    json out = json::array();
    if (auto cfg = proto::parseBackendConfig(doc))
        for (const auto& c : cfg->categories)
            out.push_back({{"service_code", c.code},
                           {"service_name", c.nameVi},
                           {"description", c.nameEn},
                           {"metadata", false},
                           {"type", "batch"},
                           {"keywords", ""},
                           {"group", ""}});
    return HttpReply{200, "application/json; charset=utf-8", {}, out.dump()};
}

HttpReply BackendService::open311Requests(const std::map<std::string, std::string>& query) {
    RequestFilter f;
    auto get = [&](const char* k) {
        auto it = query.find(k);
        return it == query.end() ? std::string{} : it->second;
    };
    f.serviceCode = get("service_code");
    f.status = get("status");
    f.startDate = get("start_date");
    f.endDate = get("end_date");
    auto recs = m_storage.publicRecords(f);
    if (!recs)
        return HttpReply{503,
                         "application/json",
                         {{"Retry-After", "5"}},
                         R"([{"code":503,"description":"busy"}])"};
    // One config read and parse per request, not one per item (bench: 202 statements a page).
    const auto names = categoryNames();
    std::vector<std::string> codes;
    for (const auto& p : *recs) codes.push_back(p.trackingCode);
    auto ratings = m_storage.caseRatingsOf(codes);  // one query for the page
    if (!ratings)
        return HttpReply{503,
                         "application/json",
                         {{"Retry-After", "5"}},
                         R"([{"code":503,"description":"busy"}])"};
    std::map<std::string, CaseRating> ratingOf;
    for (auto& r : *ratings) ratingOf.emplace(r.trackingCode, std::move(r));
    json out = json::array();
    for (const auto& p : *recs) {
        auto it = names.find(p.category);
        auto rated = ratingOf.find(p.trackingCode);
        out.push_back(
            open311Item(p, it == names.end() ? p.category : it->second,
                        rated == ratingOf.end() ? std::nullopt : std::optional(rated->second)));
    }
    return HttpReply{200, "application/json; charset=utf-8", {}, out.dump()};
}

HttpReply BackendService::open311Request(const std::string& id) {
    auto code = record::parseTrackingCode(id);
    auto rec = code ? m_storage.publicRecord(code->text())
                    : Result<std::optional<PublicRecord>>(std::nullopt);
    if (!rec)
        return HttpReply{503,
                         "application/json",
                         {{"Retry-After", "5"}},
                         R"([{"code":503,"description":"busy"}])"};
    if (!*rec)
        return HttpReply{
            404, "application/json", {}, R"([{"code":404,"description":"not found"}])"};
    auto rating = m_storage.caseRating((*rec)->trackingCode);
    if (!rating)
        return HttpReply{503,
                         "application/json",
                         {{"Retry-After", "5"}},
                         R"([{"code":503,"description":"busy"}])"};
    json out = json::array({open311Item(**rec, categoryName((*rec)->category), *rating)});
    return HttpReply{200, "application/json; charset=utf-8", {}, out.dump()};
}

HttpReply BackendService::publicStatus(const std::string& rawCode) {
    auto error = [](int status, const char* code) {
        HttpReply r{
            status, "application/json", {}, proto::dumpMessage(proto::ErrorReply{code, {}, {}})};
        if (status == 503) r.headers["Retry-After"] = "5";
        return r;
    };
    auto code = record::parseTrackingCode(rawCode);
    if (!code) return error(400, "bad_code");
    auto rec = m_storage.publicRecord(code->text());
    if (!rec) return error(503, "busy");
    if (!*rec) return error(404, "not_found");
    const PublicRecord& p = **rec;
    proto::PublicStatusReply reply{p.trackingCode, p.createdAt, p.receivedAt, {}};
    for (const auto& e : p.events)
        reply.events.push_back(
            {e.status, e.note, e.agency, e.officer, e.expectedDate, e.updatedAt});
    return HttpReply{200, "application/json; charset=utf-8", {}, proto::dumpMessage(reply)};
}

}  // namespace ksync::backend
