#include "test_support.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace testsupport {

std::filesystem::path fixturesDir() {
    if (const char* env = std::getenv("KIOSK_FIXTURES_DIR")) return env;
    return KIOSK_FIXTURES_DIR;
}

const std::vector<Fixture>& seedFixtures() {
    static const std::vector<Fixture> fixtures = [] {
        std::vector<Fixture> out;
        std::ifstream in(fixturesDir() / "seed_submissions.jsonl");
        if (!in) throw std::runtime_error("cannot open seed_submissions.jsonl");
        std::string line;
        auto str = [](const nlohmann::json& j, const char* key) {
            return j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                         : std::string{};
        };
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            auto j = nlohmann::json::parse(line);
            out.push_back(
                {str(j, "sender"), str(j, "sent_date"), str(j, "category"), str(j, "body")});
        }
        return out;
    }();
    return fixtures;
}

}  // namespace testsupport
