#include "console/admin.hpp"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "calendar/working_days.hpp"
#include "clock/clock.hpp"
#include "proto/backend_config.hpp"
#include "text/assets.hpp"

namespace ksync::backend {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
using nlohmann::json;

namespace {

const char* const kAdminTemplates[] = {"admin_agencies", "admin_kiosks", "admin_categories",
                                       "admin_calendar", "admin_versions"};

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxProblems = proto::kMaxCommonProblems;  // all on one kiosk screen
constexpr std::size_t kMaxProblemLength = 160;
constexpr const char* kTypes[] = {"PAKN", "SKGP"};

std::string clip(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    s.resize(max);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    return s;
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

// Control characters would end up in a kiosk's tiles and receipts: refused.
bool hasControl(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

std::string viDate(const std::string& ymd) {
    if (ymd.size() != 10) return ymd;
    return ymd.substr(8, 2) + "/" + ymd.substr(5, 2) + "/" + ymd.substr(0, 4);
}

std::string localTime(const std::string& utc) {
    auto t = platform::clock::parseUtc(utc);
    return t ? platform::clock::formatLocalVi(*t) : utc;
}

// Blank -> nullopt (no override); otherwise 0..365 or an error.
std::optional<std::optional<int>> parseDays(const std::string& text) {
    const std::string t = trim(text);
    if (t.empty()) return std::make_optional(std::optional<int>{});
    if (t.size() > 3 ||
        !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const int n = std::stoi(t);
    if (n > 365) return std::nullopt;
    return std::make_optional(std::optional<int>{n});
}

std::string compactUtc(std::int64_t ms) {
    std::string s = platform::clock::formatUtc(platform::clock::fromUnixMillis(ms));  // 2026-…Z
    std::string out;
    for (char c : s.substr(0, 19))
        if (c != '-' && c != ':') out += c;
    return out + "Z";
}

}  // namespace

std::string normaliseAdminDate(const std::string& raw) {
    const std::string text = trim(raw);
    if (calendar::parseIsoDate(text)) return text;
    // dd/mm/yyyy or d/m/yyyy
    const auto a = text.find('/'), b = text.rfind('/');
    if (a == std::string::npos || a == b) return {};
    auto num = [](const std::string& s) -> int {
        if (s.empty() || s.size() > 4 ||
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return -1;
        return std::stoi(s);
    };
    const int d = num(text.substr(0, a)), m = num(text.substr(a + 1, b - a - 1)),
              y = num(text.substr(b + 1));
    if (d < 1 || m < 1 || y < 1000) return {};
    const std::string iso = calendar::formatIsoDate({y, m, d});
    return calendar::parseIsoDate(iso) ? iso : std::string{};
}

std::string loadConsoleTemplate(const std::string& name) {
    const std::string text = platform::assets::load("console/" + name + ".mustache");
    if (text.empty()) throw std::runtime_error("console template missing: " + name);
    mustache check(text);
    if (!check.is_valid())
        throw std::runtime_error("console template " + name + ": " + check.error_message());
    return text;
}

void AdminPages::checkTemplates() {
    for (const char* name : kAdminTemplates) (void)loadConsoleTemplate(name);
}

AdminPages::AdminPages(BackendStorage& storage, BackendService& service,
                       const std::map<std::string, json>& strings)
    : m_storage(storage), m_service(service), m_strings(strings) {}

namespace {

// One request's work: the strings, the config being edited and the pages.
struct Admin {
    BackendStorage& storage;
    BackendService& service;
    const std::map<std::string, json>& strings;
    const AdminRequest& req;

    std::string t(const std::string& key) const {
        for (const std::string& lang : {req.lang, std::string("vi")}) {
            const auto& table = strings.at(lang);
            if (auto it = table.find(key); it != table.end() && it->is_string())
                return it->get<std::string>();
        }
        return key;
    }

    data stringsData() const {
        data d;
        for (const auto& [k, v] : strings.at("vi").items()) d.set(k, v.get<std::string>());
        for (const auto& [k, v] : strings.at(req.lang).items()) d.set(k, v.get<std::string>());
        return d;
    }

    std::string f(const char* key, std::size_t max = kMaxName) const {
        auto it = req.form.find(key);
        return it == req.form.end() ? std::string{} : trim(clip(it->second, max));
    }

    std::string q(const char* key) const {
        auto it = req.query.find(key);
        return it == req.query.end() ? std::string{} : clip(it->second, kMaxName);
    }

    AdminReply render(const std::string& name, const std::string& titleKey, data& d,
                      int status = 200) const {
        d.set("t", stringsData());
        d.set("csrf", req.csrf);
        data nav{data::type::list};
        for (const char* page : {"agencies", "kiosks", "categories", "calendar", "versions"}) {
            data x;
            x.set("href", std::string("/console/admin/") + page);
            x.set("label", t(std::string("admin_nav_") + page));
            x.set("current", req.path == std::string("/console/admin/") + page);
            nav.push_back(x);
        }
        d.set("admin_nav", nav);
        const std::string saved = q("saved");
        if (!saved.empty()) d.set("saved", t("admin_saved") + " " + saved);
        const std::string cases = q("cases");
        if (!cases.empty() &&
            std::all_of(cases.begin(), cases.end(), [](char c) { return c >= '0' && c <= '9'; }))
            d.set("cases_changed", t("admin_cases_changed") + " " + cases);
        AdminReply r;
        r.status = status;
        r.title = t(titleKey);
        mustache tmpl(platform::assets::load("console/" + name + ".mustache"));
        r.body = tmpl.render(d);
        return r;
    }

    static AdminReply failed(const StorageError& e) {
        AdminReply r;
        r.error = e;
        return r;
    }

    // --- the document being edited ------------------------------------------------------------

    struct Draft {
        json doc;
        std::string expectedVersion;  // "" while the shipped default is served
        proto::BackendConfig parsed;
    };

    Result<Draft> load() const {
        auto stored = storage.config();
        if (!stored) return std::unexpected(stored.error());
        Draft d;
        const std::string text = *stored ? (*stored)->document : defaultServedConfig();
        d.expectedVersion = *stored ? (*stored)->version : std::string{};
        d.doc = json::parse(text, nullptr, false);
        if (!d.doc.is_object()) d.doc = json::parse(defaultServedConfig());
        auto parsed = proto::parseBackendConfig(d.doc.dump());
        d.parsed = parsed ? *parsed : *proto::parseBackendConfig(proto::defaultBackendConfigJson());
        return d;
    }

    // Saves the draft as the next version and sends the admin back to `page`.
    // `effects`: what the change means for stored cases (in the same transaction); how many
    // cases it changed is shown to the admin.
    AdminReply save(Draft& d, const std::string& page, const std::string& note,
                    const ConfigEffects& effects = {}) const {
        auto history = storage.configHistory(1);
        if (!history) return failed(history.error());
        const std::int64_t seq = history->empty() ? 1 : history->front().seq + 1;
        const std::string version = "console-" + std::to_string(seq) + "-" + compactUtc(req.nowMs);
        d.doc["version"] = version;
        const std::string text = d.doc.dump(2);
        if (auto check = proto::parseBackendConfig(text); !check) {
            m_log("config edit refused: " + check.error());
            return message(400, "admin_error_invalid");
        }
        const ConfigDocument cd = makeConfigDocument(text);
        ConfigVersionRow row;
        row.version = version;
        row.etag = cd.etag;
        row.savedBy = req.userName;
        row.savedAt = platform::clock::formatUtc(platform::clock::fromUnixMillis(req.nowMs));
        row.note = clip(note, kMaxName);
        auto ok = storage.saveConfigVersionWith(cd, d.expectedVersion, row, effects);
        if (!ok) return failed(ok.error());
        if (!ok->saved) return message(409, "admin_error_conflict");
        // Only the version and who saved it: never the content of a form.
        m_log("config version " + version + " saved by a console admin");
        AdminReply r;
        r.location = "/console/admin/" + page + "?saved=" + version;
        if (ok->casesChanged > 0) r.location += "&cases=" + std::to_string(ok->casesChanged);
        return r;
    }

    void m_log(const std::string& line) const { service.log(line); }

    static AdminReply message(int status, const std::string& key) {
        AdminReply r;
        r.status = status;
        r.messageKey = key;
        return r;
    }

    // --- agencies ---------------------------------------------------------------------------

    AdminReply agencies(const std::string& error = {}, int status = 200) {
        auto d0 = load();
        if (!d0) return failed(d0.error());
        data rows{data::type::list};
        for (const auto& a : d0->parsed.agencies) {
            data x;
            x.set("code", a.code);
            x.set("name", a.name);
            x.set("disabled", a.disabled);
            rows.push_back(x);
        }
        data d;
        d.set("rows", rows);
        d.set("empty", d0->parsed.agencies.empty());
        if (!error.empty()) d.set("error", t(error));
        return render("admin_agencies", "admin_agencies_title", d, status);
    }

    AdminReply agenciesPost() {
        auto d = load();
        if (!d) return failed(d.error());
        if (!d->doc.contains("agencies") || !d->doc["agencies"].is_array())
            d->doc["agencies"] = json::array();
        json& list = d->doc["agencies"];
        const std::string op = f("op"), code = f("code"), name = f("name");
        auto sameName = [&](const std::string& other) {
            for (const auto& a : d->parsed.agencies)
                if (a.name == name && a.code != other) return true;
            return false;
        };
        if (op == "add") {
            if (name.empty() || hasControl(name)) return agencies("admin_error_agency_name", 400);
            if (sameName("")) return agencies("admin_error_agency_taken", 400);
            int next = 1;
            for (const auto& a : d->parsed.agencies)
                if (a.code.starts_with("AG")) {
                    try {
                        next = std::max(next, std::stoi(a.code.substr(2)) + 1);
                    } catch (...) {
                    }
                }
            list.push_back({{"code", "AG" + std::to_string(next)}, {"name", name}});
            return save(*d, "agencies", "agency added: AG" + std::to_string(next));
        }
        for (auto& e : list) {
            if (!e.is_object() || !e.contains("code") || e["code"] != code) continue;
            if (op == "rename") {
                if (name.empty() || hasControl(name))
                    return agencies("admin_error_agency_name", 400);
                if (sameName(code)) return agencies("admin_error_agency_taken", 400);
                const std::string old = e.value("name", "");
                e["name"] = name;
                // A forward typed with a former name (a case page loaded before the rename)
                // still reaches this agency: the console maps former names to the current one.
                json former = e.contains("former_names") && e["former_names"].is_array()
                                  ? e["former_names"]
                                  : json::array();
                if (!old.empty() && old != name &&
                    std::find(former.begin(), former.end(), old) == former.end())
                    former.push_back(old);
                former.erase(std::remove(former.begin(), former.end(), name), former.end());
                if (former.empty())
                    e.erase("former_names");
                else
                    e["former_names"] = former;
                // Cases forwarded under the old name and the agency's officers (both scoped by
                // the name) follow the rename in the version's transaction.
                ConfigEffects fx;
                fx.agencyFrom = old;
                fx.agencyTo = name;
                return save(*d, "agencies", "agency renamed: " + code, fx);
            }
            if (op == "disable" || op == "enable") {
                e["disabled"] = op == "disable";
                return save(*d, "agencies", "agency " + op + "d: " + code);
            }
        }
        return message(400, "error_bad_action");
    }

    // --- kiosks: ward of each kiosk, enrolment tokens -----------------------------------------

    AdminReply kiosks(const std::string& error = {}, int status = 200,
                      const std::string& token = {}) {
        auto d0 = load();
        if (!d0) return failed(d0.error());
        auto list = storage.kiosks();
        if (!list) return failed(list.error());
        const auto& cfg = d0->parsed;
        data rows{data::type::list};
        for (const auto& k : *list) {
            data x;
            x.set("id", k.kioskId);
            x.set("enrolled", localTime(k.enrolledAt));
            x.set("last_seen", k.lastSeenAt.empty() ? t("kiosks_never") : localTime(k.lastSeenAt));
            const auto it = cfg.kioskWards.find(k.kioskId);
            const std::string ward = it == cfg.kioskWards.end() ? std::string{} : it->second;
            data wards{data::type::list};
            for (const auto& w : cfg.wards) {
                data y;
                y.set("code", w.code);
                y.set("name", w.name);
                y.set("selected", w.code == ward);
                wards.push_back(y);
            }
            x.set("wards", wards);
            x.set("no_ward", ward.empty());
            rows.push_back(x);
        }
        data d;
        d.set("rows", rows);
        d.set("empty", list->empty());
        if (!error.empty()) d.set("error", t(error));
        if (!token.empty()) d.set("token", token);
        return render("admin_kiosks", "admin_kiosks_title", d, status);
    }

    AdminReply kiosksPost() {
        const std::string op = f("op");
        if (op == "token") {
            const std::string kiosk = f("kiosk_id");
            auto hours = parseDays(f("hours"));  // 0..365 digits; reused for hours
            const int h = hours && *hours ? **hours : 72;
            if (!hours || h < 1 || hasControl(kiosk)) return kiosks("admin_error_hours", 400);
            auto token = storage.issueEnrolToken(kiosk, req.nowMs + std::int64_t{h} * 3'600'000);
            if (!token) return failed(token.error());
            m_log("enrolment token issued from the console");
            return kiosks({}, 200, *token);
        }
        if (op != "ward") return message(400, "error_bad_action");
        auto d = load();
        if (!d) return failed(d.error());
        const std::string kiosk = f("kiosk"), ward = f("ward");
        auto list = storage.kiosks();
        if (!list) return failed(list.error());
        if (std::none_of(list->begin(), list->end(),
                         [&](const KioskRow& k) { return k.kioskId == kiosk; }))
            return kiosks("admin_error_kiosk", 400);
        if (!ward.empty() && std::none_of(d->parsed.wards.begin(), d->parsed.wards.end(),
                                          [&](const proto::Ward& w) { return w.code == ward; }))
            return kiosks("admin_error_ward", 400);
        if (!d->doc.contains("kiosk_wards") || !d->doc["kiosk_wards"].is_object())
            d->doc["kiosk_wards"] = json::object();
        if (ward.empty())
            d->doc["kiosk_wards"].erase(kiosk);
        else
            d->doc["kiosk_wards"][kiosk] = ward;
        // The kiosk's cases that have no ward yet (nobody's inbox) take it now; cases with a
        // ward keep it, so no case a ward officer is working on moves (README, admin pages).
        ConfigEffects fx;
        fx.kioskId = kiosk;
        fx.kioskWard = ward;
        return save(*d, "kiosks", "kiosk ward set: " + kiosk, fx);
    }

    // --- categories ---------------------------------------------------------------------------

    AdminReply categories(const std::string& error = {}, int status = 200) {
        auto d0 = load();
        if (!d0) return failed(d0.error());
        const auto& cfg = d0->parsed;
        const std::string editing = q("edit");
        data rows{data::type::list};
        const proto::Category* edit = nullptr;
        for (const auto& c : cfg.categories) {
            data x;
            x.set("code", c.code);
            x.set("name_vi", c.nameVi);
            x.set("name_en", c.nameEn);
            for (const char* type : kTypes) {
                auto it = c.replyDays.find(type);
                x.set(std::string("days_") + type,
                      it == c.replyDays.end() ? std::string{} : std::to_string(it->second));
                x.set(std::string("effective_") + type,
                      std::to_string(cfg.replyDaysFor(type, c.code)));
            }
            data probs{data::type::list};
            for (const auto& p : c.commonProblems) {
                data y;
                y.set("vi", p.vi);
                y.set("en", p.en);
                probs.push_back(y);
            }
            x.set("problems", probs);
            rows.push_back(x);
            if (c.code == editing) edit = &c;
        }
        data removed{data::type::list};
        for (const auto& c : cfg.removedCategories) {
            data x;
            x.set("code", c.code);
            x.set("name_vi", c.nameVi);
            x.set("name_en", c.nameEn);
            removed.push_back(x);
        }
        data d;
        d.set("rows", rows);
        d.set("removed", removed);
        d.set("has_removed", !cfg.removedCategories.empty());
        for (const char* type : kTypes) {
            auto it = cfg.replyDays.find(type);
            d.set(std::string("type_days_") + type,
                  it == cfg.replyDays.end() ? std::string{} : std::to_string(it->second));
        }
        if (edit) {
            d.set("edit_code", edit->code);
            d.set("edit_existing", true);
            d.set("edit_name_vi", edit->nameVi);
            d.set("edit_name_en", edit->nameEn);
            for (const char* type : kTypes) {
                auto it = edit->replyDays.find(type);
                d.set(std::string("edit_days_") + type,
                      it == edit->replyDays.end() ? std::string{} : std::to_string(it->second));
            }
            std::string lines;
            for (const auto& p : edit->commonProblems)
                lines += p.vi + (p.en != p.vi ? " | " + p.en : std::string{}) + "\n";
            d.set("edit_problems", lines);
        }
        if (!error.empty()) d.set("error", t(error));
        return render("admin_categories", "admin_categories_title", d, status);
    }

    AdminReply categoriesPost() {
        auto d = load();
        if (!d) return failed(d.error());
        const std::string op = f("op");
        if (op == "types") {
            json days = d->doc.contains("reply_days") && d->doc["reply_days"].is_object()
                            ? d->doc["reply_days"]
                            : json::object();
            for (const char* type : kTypes) {
                auto n = parseDays(f((std::string("days_") + type).c_str()));
                if (!n) return categories("admin_error_days", 400);
                if (*n)
                    days[type] = **n;
                else
                    days.erase(type);
            }
            d->doc["reply_days"] = days;
            return save(*d, "categories", "reply days by type");
        }
        if (op == "remove" || op == "restore") return categoryMove(*d, op == "remove");
        if (op != "save") return message(400, "error_bad_action");
        std::string code = f("code");
        std::transform(code.begin(), code.end(), code.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        const std::string nameVi = f("name_vi"), nameEn = f("name_en");
        if (code.empty() || code.size() > 32 || !std::all_of(code.begin(), code.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            }))
            return categories("admin_error_category_code", 400);
        if (nameVi.empty() || hasControl(nameVi) || hasControl(nameEn))
            return categories("admin_error_category_name", 400);
        json days = json::object();
        for (const char* type : kTypes) {
            auto n = parseDays(f((std::string("days_") + type).c_str()));
            if (!n) return categories("admin_error_days", 400);
            if (*n) days[type] = **n;
        }
        // One problem a line: "Vietnamese | English" (the English may be left out).
        json problems = json::array();
        const std::string text = f("problems", kMaxProblems * (kMaxProblemLength * 2 + 8));
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            std::string line = trim(text.substr(start, end - start));
            start = end + 1;
            if (line.empty()) continue;
            std::string vi = line, en;
            if (auto bar = line.find('|'); bar != std::string::npos) {
                vi = trim(line.substr(0, bar));
                en = trim(line.substr(bar + 1));
            }
            if (vi.empty() || vi.size() > kMaxProblemLength || en.size() > kMaxProblemLength ||
                hasControl(vi) || hasControl(en) || problems.size() >= kMaxProblems)
                return categories("admin_error_problems", 400);
            json p = {{"vi", vi}};
            if (!en.empty()) p["en"] = en;
            problems.push_back(p);
        }
        json& cats = d->doc["categories"];
        json* found = nullptr;
        for (auto& c : cats)
            if (c.is_object() && c.value("code", "") == code) found = &c;
        if (!found) {
            if (f("existing") == "1") return categories("admin_error_category_code", 400);
            cats.push_back({{"code", code}});
            found = &cats.back();
        }
        (*found)["name_vi"] = nameVi;
        if (nameEn.empty())
            found->erase("name_en");
        else
            (*found)["name_en"] = nameEn;
        if (days.empty())
            found->erase("reply_days");
        else
            (*found)["reply_days"] = days;
        if (problems.empty())
            found->erase("common_problems");
        else
            (*found)["common_problems"] = problems;
        // A code saved again is in use again: no longer among the removed ones.
        if (auto rc = d->doc.find("removed_categories"); rc != d->doc.end() && rc->is_array())
            rc->erase(std::remove_if(rc->begin(), rc->end(),
                                     [&](const json& c) {
                                         return c.is_object() && c.value("code", "") == code;
                                     }),
                      rc->end());
        return save(*d, "categories", "category saved: " + code);
    }

    // Removing moves the category to "removed_categories" (kiosks stop offering it; old cases
    // keep its names), only while no open case has it; restoring moves it back. Either way the
    // entry is kept whole, so nothing an admin wrote is lost.
    AdminReply categoryMove(Draft& d, bool remove) {
        const std::string code = f("code");
        const char* fromKey = remove ? "categories" : "removed_categories";
        const char* toKey = remove ? "removed_categories" : "categories";
        if (!d.doc.contains(fromKey) || !d.doc[fromKey].is_array())
            return categories("admin_error_category_code", 400);
        json& from = d.doc[fromKey];
        auto it = std::find_if(from.begin(), from.end(), [&](const json& c) {
            return c.is_object() && c.value("code", "") == code;
        });
        if (code.empty() || it == from.end()) return categories("admin_error_category_code", 400);
        if (remove) {
            if (from.size() <= 1) return categories("admin_error_category_last", 400);
            CaseQuery open;
            open.category = code;
            open.openOnly = true;
            open.limit = 1;
            auto found = storage.cases(open);
            if (!found) return failed(found.error());
            if (!found->empty()) return categories("admin_error_category_open", 409);
        }
        if (!d.doc.contains(toKey) || !d.doc[toKey].is_array()) d.doc[toKey] = json::array();
        json& to = d.doc[toKey];
        to.erase(std::remove_if(
                     to.begin(), to.end(),
                     [&](const json& c) { return c.is_object() && c.value("code", "") == code; }),
                 to.end());
        to.push_back(*it);
        from.erase(it);
        if (d.doc.contains("removed_categories") && d.doc["removed_categories"].empty())
            d.doc.erase("removed_categories");
        return save(d, "categories",
                    std::string(remove ? "category removed: " : "category restored: ") + code);
    }

    // --- the working-day calendar -------------------------------------------------------------

    AdminReply calendarPage(const std::string& error = {}, int status = 200) {
        auto d0 = load();
        if (!d0) return failed(d0.error());
        const auto& cfg = d0->parsed;
        std::vector<std::string> hol = cfg.holidays;
        std::sort(hol.begin(), hol.end());
        data rows{data::type::list};
        for (const auto& h : hol) {
            data x;
            x.set("iso", h);
            x.set("date", viDate(h));
            if (auto dt = calendar::parseIsoDate(h))
                x.set("weekday", t("admin_weekday_" + std::to_string(calendar::weekday(*dt))));
            rows.push_back(x);
        }
        data swaps{data::type::list};
        for (std::size_t i = 0; i < cfg.swappedDays.size(); ++i) {
            const auto& s = cfg.swappedDays[i];
            data x;
            x.set("index", std::to_string(i));
            x.set("off", s.off.empty() ? std::string("—") : viDate(s.off));
            x.set("worked", s.worked.empty() ? std::string("—") : viDate(s.worked));
            x.set("off_iso", s.off);
            x.set("worked_iso", s.worked);
            swaps.push_back(x);
        }
        // What the calendar gives today, as a check for the admin.
        const auto cal = proto::workingCalendar(cfg);
        const auto today = calendar::localDateAt(req.nowMs);
        data preview{data::type::list};
        for (const char* type : kTypes) {
            data x;
            x.set("type", type);
            const int n = cfg.replyDaysFor(type, "");
            x.set("days", std::to_string(n));
            x.set("due", viDate(calendar::formatIsoDate(cal.addWorkingDays(today, n))));
            preview.push_back(x);
        }
        data d;
        d.set("holidays", rows);
        d.set("swaps", swaps);
        d.set("preview", preview);
        d.set("today", viDate(calendar::formatIsoDate(today)));
        if (!error.empty()) d.set("error", t(error));
        return render("admin_calendar", "admin_calendar_title", d, status);
    }

    AdminReply calendarPost() {
        auto d = load();
        if (!d) return failed(d.error());
        const std::string op = f("op");
        auto arrayOf = [&](const char* key) -> json& {
            if (!d->doc.contains(key) || !d->doc[key].is_array()) d->doc[key] = json::array();
            return d->doc[key];
        };
        if (op == "add_holiday") {
            const std::string date = normaliseAdminDate(f("date"));
            if (date.empty()) return calendarPage("admin_error_date", 400);
            json& hol = arrayOf("holidays");
            if (std::find(hol.begin(), hol.end(), date) == hol.end()) hol.push_back(date);
            std::sort(hol.begin(), hol.end());
            return save(*d, "calendar", "holiday added: " + date);
        }
        if (op == "remove_holiday") {
            const std::string date = normaliseAdminDate(f("date"));
            json& hol = arrayOf("holidays");
            const auto before = hol.size();
            hol.erase(std::remove(hol.begin(), hol.end(), date), hol.end());
            if (hol.size() == before) return calendarPage("admin_error_date", 400);
            return save(*d, "calendar", "holiday removed: " + date);
        }
        if (op == "add_swap") {
            const std::string offRaw = f("off"), workedRaw = f("worked");
            const std::string off = normaliseAdminDate(offRaw),
                              worked = normaliseAdminDate(workedRaw);
            if ((!offRaw.empty() && off.empty()) || (!workedRaw.empty() && worked.empty()) ||
                (off.empty() && worked.empty()))
                return calendarPage("admin_error_date", 400);
            auto wd = [](const std::string& iso) {
                return calendar::weekday(*calendar::parseIsoDate(iso));
            };
            if (!off.empty() && (wd(off) == 0 || wd(off) == 6))
                return calendarPage("admin_error_swap_off", 400);
            if (!worked.empty() && wd(worked) != 0 && wd(worked) != 6)
                return calendarPage("admin_error_swap_worked", 400);
            json s = json::object();
            if (!off.empty()) s["off"] = off;
            if (!worked.empty()) s["worked"] = worked;
            arrayOf("swapped_days").push_back(s);
            return save(*d, "calendar", "swapped days added: " + off + " / " + worked);
        }
        if (op == "remove_swap") {
            const std::string off = f("off"), worked = f("worked");
            json& sw = arrayOf("swapped_days");
            for (auto it = sw.begin(); it != sw.end(); ++it)
                if (it->is_object() && it->value("off", "") == off &&
                    it->value("worked", "") == worked) {
                    sw.erase(it);
                    return save(*d, "calendar", "swapped days removed: " + off + " / " + worked);
                }
            return calendarPage("admin_error_date", 400);
        }
        return message(400, "error_bad_action");
    }

    // --- versions -----------------------------------------------------------------------------

    AdminReply versions() {
        auto stored = storage.config();
        if (!stored) return failed(stored.error());
        auto history = storage.configHistory(200);
        if (!history) return failed(history.error());
        data rows{data::type::list};
        for (const auto& h : *history) {
            data x;
            x.set("seq", std::to_string(h.seq));
            x.set("version", h.version);
            x.set("who", h.savedBy);
            x.set("when", localTime(h.savedAt));
            x.set("note", h.note);
            x.set("served", *stored && (*stored)->version == h.version);
            rows.push_back(x);
        }
        data d;
        d.set("rows", rows);
        d.set("served", *stored ? (*stored)->version : t("admin_versions_default"));
        return render("admin_versions", "admin_versions_title", d);
    }

    AdminReply route() {
        const std::string page = req.path.substr(std::string("/console/admin/").size());
        if (page == "agencies") return req.post ? agenciesPost() : agencies();
        if (page == "kiosks") return req.post ? kiosksPost() : kiosks();
        if (page == "categories") return req.post ? categoriesPost() : categories();
        if (page == "calendar") return req.post ? calendarPost() : calendarPage();
        if (page == "versions" && !req.post) return versions();
        return message(404, "error_not_found");
    }
};

}  // namespace

AdminReply AdminPages::handle(const AdminRequest& req) {
    Admin a{m_storage, m_service, m_strings, req};
    return a.route();
}

}  // namespace ksync::backend
