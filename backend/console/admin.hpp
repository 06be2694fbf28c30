#pragma once
// The admin pages of the officers' console (/console/admin/…): agencies, kiosks (ward of each
// kiosk, enrolment tokens), categories (names, reply days, common problems) and the
// working-day calendar (holidays, swapped days), plus the history of config versions.
//
// Everything an admin edits lives in the config document that kiosks pull: each save takes the
// served document, changes the one thing, checks it parses, and stores it as a new version
// (BackendStorage::saveConfigVersion: served + history with who and when, refused when another
// admin saved in between). The console checks the session, the admin role and the CSRF token
// before handing a request here. Thread-safety: an AdminPages is made per request.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "service/backend_service.hpp"
#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct AdminRequest {
    std::string path;  // "/console/admin/…"
    bool post = false;
    const std::map<std::string, std::string>& query;
    const std::map<std::string, std::string>& form;  // CSRF already checked
    std::string lang;                                // "vi" or "en"
    std::string userName;
    std::string csrf;
    std::int64_t nowMs = 0;
};

// What the console sends back: a storage error, a message page, a redirect or a page body
// (put in the layout by the console).
struct AdminReply {
    int status = 200;
    std::optional<StorageError> error;
    std::string messageKey;  // a console string key (without "console.")
    std::string location;    // 303 to here
    std::string title;
    std::string body;
};

// A console page template from the assets, checked: throws (naming it) when it is missing or
// does not parse. The console and its admin pages check every template at start.
std::string loadConsoleTemplate(const std::string& name);

class AdminPages {
public:
    // `strings`: lang -> console strings (keys without "console.", '.' as '_').
    AdminPages(BackendStorage& storage, BackendService& service,
               const std::map<std::string, nlohmann::json>& strings);
    AdminReply handle(const AdminRequest& req);

    // Throws std::runtime_error when an admin template is missing or broken (at start).
    static void checkTemplates();

private:
    BackendStorage& m_storage;
    BackendService& m_service;
    const std::map<std::string, nlohmann::json>& m_strings;
};

// "2026-09-02" or "02/09/2026" (how Vietnamese write it) -> "2026-09-02"; "" when not a date.
std::string normaliseAdminDate(const std::string& text);

}  // namespace ksync::backend
