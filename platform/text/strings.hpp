#pragma once
// On-screen and console text by key, from assets/strings/<lang>.json (a flat JSON object of
// "dotted.key": "text"). Vietnamese is the reference language; a key missing in another
// language falls back to Vietnamese, and a key missing everywhere comes back as the key itself
// (so a missing string is visible, never a crash). Immutable after load: safe to share.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platform::text {

class Strings {
public:
    // Loads the embedded (or $KIOSK_ASSETS_DIR) table for `lang` ("vi", "en"), with "vi" as
    // the fallback. Unknown languages give the Vietnamese table.
    static Strings load(std::string_view lang);
    // Builds from JSON text; throws std::runtime_error on malformed JSON.
    static Strings fromJson(std::string_view json, std::string_view fallbackJson = {});

    const std::string& get(std::string_view key) const;
    bool has(std::string_view key) const;
    // get(key) with "{name}" placeholders replaced by the given values.
    std::string format(std::string_view key,
                       std::initializer_list<std::pair<std::string_view, std::string>> args) const;
    std::string format(std::string_view key, const std::map<std::string, std::string>& args) const;
    const std::map<std::string, std::string, std::less<>>& all() const { return m_table; }
    const std::string& language() const { return m_lang; }

private:
    std::string m_lang;
    std::map<std::string, std::string, std::less<>> m_table;
    std::map<std::string, std::string, std::less<>> m_fallback;
    // Missing keys are echoed back; nodes of std::map never move, so references stay valid.
    struct Missing {
        std::mutex mutex;
        std::map<std::string, std::string, std::less<>> keys;
    };
    std::shared_ptr<Missing> m_missing = std::make_shared<Missing>();
};

}  // namespace platform::text
