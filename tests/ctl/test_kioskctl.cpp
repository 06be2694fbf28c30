// kioskctl end to end: the real binary on a real data directory.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "backend_process.hpp"
#include "child.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "record/tracking_code.hpp"
#include "run_process.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "text/strings.hpp"

using testsupport::ProcessResult;

namespace {

ProcessResult ctl(std::vector<std::string> args, const std::string& input = {}) {
    return testsupport::runProcess(KIOSKCTL_PATH, args, input);
}

struct Kiosk {
    testsupport::TempDir tmp;
    std::string dir = (tmp.path() / "data").string();
    Kiosk() {
        auto r =
            ctl({"init", "--data-dir", dir, "--kiosk-id", "7K3M", "--centre", "Phường Sài Gòn"});
        REQUIRE(r.exitCode == 0);
    }
    ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
        args.push_back("--data-dir");
        args.push_back(dir);
        return ctl(args, input);
    }
    std::string submit(const std::string& body) const {
        auto r = run({"submit", "--category", "MOI_TRUONG", "--body", body});
        REQUIRE(r.exitCode == 0);
        REQUIRE(r.out.size() > 2);
        return r.out.substr(0, r.out.find('\n'));  // the code; the receipt secret follows
    }
};

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < text.size()) {
        const auto nl = text.find('\n', from);
        out.push_back(text.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
        if (nl == std::string::npos) break;
        from = nl + 1;
    }
    return out;
}

// The line of `out` that starts (after its indent) with `label` followed by ':', or "".
std::string row(const std::string& out, const std::string& label) {
    for (const auto& l : lines(out)) {
        const auto start = l.find_first_not_of(' ');
        if (start != std::string::npos && l.compare(start, label.size() + 1, label + ":") == 0)
            return l;
    }
    return {};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Every kioskctl label and wording of `prefixes` that differs between the two languages: none of
// the other language's may be in `out` (a run speaks one language). `skipLine`: a line of data
// (a resident's Vietnamese title) left out of the check.
void checkOneLanguage(const std::string& out, const std::string& lang,
                      std::vector<std::string> prefixes, const std::string& skipLine = {}) {
    const auto own = platform::text::Strings::load(lang);
    const auto other = platform::text::Strings::load(lang == "vi" ? "en" : "vi");
    std::string checked;
    for (const auto& l : lines(out))
        if (skipLine.empty() || !has(l, skipLine)) checked += l + "\n";
    for (const auto& [key, text] : other.all()) {
        bool ours = false;
        for (const auto& p : prefixes) ours = ours || key.starts_with(p);
        if (!ours || text == own.get(key)) continue;
        // A wording with placeholders: its first fixed part (long enough to mean something).
        const std::string fixed = text.substr(0, text.find('{'));
        if (fixed.size() < 4) continue;
        INFO(lang << " output holds the other language's " << key << " \"" << fixed << "\":\n"
                  << out);
        CHECK_FALSE(has(checked, fixed));
    }
    // The English words the Vietnamese output used to carry.
    if (lang == "vi")
        for (const char* legacy :
             {"created:", "channel:", "clock not synchronised", "staff-assisted", "staff_entry"}) {
            INFO(out);
            CHECK_FALSE(has(checked, legacy));
        }
}

const std::vector<std::string> kShowWords = {"ctl.show.", "ctl.upload.", "field.", "type.",
                                             "status."};

void rawExec(const std::string& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = OFF", nullptr, nullptr, nullptr);
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("kioskctl init writes kiosk.toml and a database, and status reports an empty queue") {
    Kiosk k;
    CHECK(std::filesystem::exists(k.tmp.path() / "data" / "kiosk.toml"));
    CHECK(std::filesystem::exists(k.tmp.path() / "data" / "kiosk.db"));
    auto r = k.run({"status", "--json"});
    REQUIRE(r.exitCode == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["kiosk_id"] == "7K3M");
    CHECK(j["queued"] == 0);
    CHECK(j["last_contact"].is_null());
    auto text = k.run({"status"});
    CHECK(text.out.find("chưa bao giờ") != std::string::npos);
}

TEST_CASE("kioskctl init refuses a malformed kiosk id with a Vietnamese reason") {
    testsupport::TempDir tmp;
    auto r = ctl({"init", "--data-dir", (tmp.path() / "d").string(), "--kiosk-id", "OOPS"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("Mã ki-ốt") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("kioskctl submit prints a tracking code that show, list and code check understand") {
    Kiosk k;
    const std::string code =
        k.submit("Đèn đường ở hẻm 45 bị hỏng đã hai tuần. Buổi tối rất nguy hiểm.");
    CHECK(code.starts_with("PAKN-7K3M-000001-"));
    auto show = k.run({"show", code, "--json"});
    REQUIRE(show.exitCode == 0);
    auto j = nlohmann::json::parse(show.out);
    CHECK(j["header"]["sequence"] == 1);
    CHECK(j["title"] == "Đèn đường ở hẻm 45 bị hỏng đã hai tuần");
    CHECK(j["outbox"] == "queued");
    CHECK(j["anonymous"] == true);
    // Forgiving: lower case, no dashes.
    std::string sloppy;
    for (char c : code)
        if (c != '-')
            sloppy.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    CHECK(k.run({"show", sloppy}).exitCode == 0);
    auto check = ctl({"code", "check", sloppy});
    CHECK(check.exitCode == 0);
    CHECK(check.out == code + "\n");
    auto list = k.run({"list", "--json"});
    REQUIRE(list.exitCode == 0);
    CHECK(nlohmann::json::parse(list.out).size() == 1);
}

TEST_CASE("kioskctl submit with contact details stores them and needs consent") {
    Kiosk k;
    auto noConsent =
        k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi.", "--name",
               "Nguyễn Văn An", "--phone", "0912 345 678"});
    CHECK(noConsent.exitCode == 1);
    CHECK(noConsent.err.find("đồng ý") != std::string::npos);
    auto ok = k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi.",
                     "--name", "Nguyễn Văn An", "--phone", "0912 345 678", "--consent", "--json"});
    REQUIRE(ok.exitCode == 0);
    auto code = nlohmann::json::parse(ok.out)["tracking_code"].get<std::string>();
    auto show = nlohmann::json::parse(k.run({"show", code, "--json"}).out);
    CHECK(show["anonymous"] == false);
    CHECK(show["header"]["channel"] == "staff_entry");
}

TEST_CASE("kioskctl submit refuses bad input with one Vietnamese line and stores nothing") {
    Kiosk k;
    auto badPhone = k.run({"submit", "--category", "KHAC", "--body", "Nội dung", "--name", "A",
                           "--phone", "12345", "--consent"});
    CHECK(badPhone.exitCode == 1);
    CHECK(badPhone.err.find("Số điện thoại chưa đúng") != std::string::npos);
    CHECK(std::count(badPhone.err.begin(), badPhone.err.end(), '\n') == 1);
    auto badCategory = k.run({"submit", "--category", "NO_SUCH", "--body", "Nội dung"});
    CHECK(badCategory.exitCode == 1);
    CHECK(badCategory.err.find("MOI_TRUONG") != std::string::npos);  // lists the valid codes
    auto status = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(status["records"] == 0);
}

TEST_CASE("kioskctl submit takes the longest fixture from a file and refuses 64,001 characters") {
    Kiosk k;
    const auto& fixtures = testsupport::seedFixtures();
    auto longest = std::max_element(
        fixtures.begin(), fixtures.end(),
        [](const auto& a, const auto& b) { return a.body.size() < b.body.size(); });
    const auto file = k.tmp.path() / "body.txt";
    std::ofstream(file) << longest->body;
    auto ok = k.run(
        {"submit", "--type", "SKGP", "--category", "KHAC", "--body-file", file.string(), "--json"});
    REQUIRE(ok.exitCode == 0);

    std::string tooLong;
    for (int i = 0; i < 64001; ++i) tooLong += "ư";
    auto refused = k.run({"submit", "--category", "KHAC", "--body-file", "-"}, tooLong);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("64001") != std::string::npos);
    CHECK(refused.err.find("64000") != std::string::npos);
}

TEST_CASE(
    "kioskctl verify passes on an intact database and names the sequence of a tampered record") {
    Kiosk k;
    for (int i = 1; i <= 5; ++i)
        k.submit("Phản ánh số " + std::to_string(i) + " về rác thải sinh hoạt.");
    auto ok = k.run({"verify"});
    CHECK(ok.exitCode == 0);
    CHECK(ok.out.find("5") != std::string::npos);

    rawExec(k.dir + "/kiosk.db", "UPDATE records SET category = 'DAT_DAI' WHERE seq = 3");
    auto altered = k.run({"verify"});
    CHECK(altered.exitCode == 1);
    CHECK(altered.err.find("3") != std::string::npos);
    CHECK(altered.err.find("THẤT BẠI") != std::string::npos);
}

TEST_CASE("kioskctl verify names a deleted record") {
    Kiosk k;
    for (int i = 1; i <= 4; ++i)
        k.submit("Kiến nghị số " + std::to_string(i) + " về chiếu sáng công cộng.");
    rawExec(k.dir + "/kiosk.db",
            "DELETE FROM outbox WHERE seq = 2; DELETE FROM records WHERE seq = 2");
    auto r = k.run({"verify", "--json"});
    CHECK(r.exitCode == 1);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["ok"] == false);
    CHECK(j["problems"][0]["sequence"] == 2);
}

TEST_CASE("kioskctl explains an uninitialised directory and a database from the future") {
    testsupport::TempDir tmp;
    auto none = ctl({"status", "--data-dir", (tmp.path() / "nothing").string()});
    CHECK(none.exitCode == 3);
    CHECK(none.err.find("chưa được khởi tạo") != std::string::npos);

    Kiosk k;
    rawExec(k.dir + "/kiosk.db", "PRAGMA user_version = 42");
    auto future = k.run({"status"});
    CHECK(future.exitCode == 4);
    CHECK(future.err.find("phiên bản mới hơn") != std::string::npos);
}

TEST_CASE("kioskctl code check accepts a valid code and rejects a mistyped or swapped one") {
    const std::string code =
        ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 123);
    auto good = ctl({"code", "check", code});
    CHECK(good.exitCode == 0);
    CHECK(good.out == code + "\n");
    std::string typo = code;
    typo[12] = typo[12] == '7' ? '8' : '7';
    auto bad = ctl({"code", "check", typo});
    CHECK(bad.exitCode == 1);
    CHECK(bad.err.find("gõ nhầm hoặc đảo chỗ") != std::string::npos);
    std::string swapped = code;
    std::swap(swapped[14], swapped[15]);  // "000123" -> "000132"
    CHECK(ctl({"code", "check", swapped}).exitCode == 1);
    CHECK(ctl({"code", "check"}).exitCode == 2);
}

TEST_CASE("kioskctl speaks English when asked") {
    auto r = ctl({"code", "check", "ZZZZ", "--lang", "en"});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("code") != std::string::npos);
}

TEST_CASE(
    "kioskctl receipt writes PNG, PDF and ESC/POS files, and the PNG's QR reads the tracking URL") {
    Kiosk k;
    const std::string code =
        k.submit("Vỉa hè trước chợ bị lấn chiếm, người đi bộ phải xuống lòng đường.");
    const auto png = k.tmp.path() / "r.png";
    REQUIRE(k.run({"receipt", code, "--out", png.string()}).exitCode == 0);
    auto qr =
        testsupport::runProcess("/usr/bin/zbarimg", {"-q", "--raw", "--nodbus", png.string()});
    CHECK(qr.out == "HTTPS://TRA.CUU.GOV.VN/T/" + code + "\n");
    const auto pdf = k.tmp.path() / "r.pdf";
    REQUIRE(k.run({"receipt", code, "--out", pdf.string()}).exitCode == 0);
    std::ifstream in(pdf, std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    CHECK(head == "%PDF-");
    const auto bin = k.tmp.path() / "r.bin";
    REQUIRE(k.run({"receipt", code, "--out", bin.string(), "--paper", "58"}).exitCode == 0);
    CHECK(std::filesystem::file_size(bin) > 1000);
    CHECK(k.run({"receipt", code, "--out", (k.tmp.path() / "r.txt").string()}).exitCode == 2);
}

TEST_CASE(
    "kioskctl print sends the receipt to the configured printer URI and explains a missing "
    "printer") {
    Kiosk k;
    const std::string code = k.submit("Đề nghị bố trí thêm thùng rác ở công viên.");
    const auto dir = k.tmp.path() / "receipts";
    std::filesystem::create_directories(dir);
    auto ok = k.run({"print", code, "--printer", "png://" + dir.string()});
    CHECK(ok.exitCode == 0);
    CHECK(std::filesystem::exists(dir / (code + ".png")));
    auto none = k.run({"print", code});  // kiosk.toml says printer = none
    CHECK(none.exitCode == 1);
    CHECK(none.err.find("không có máy in") != std::string::npos);
}

TEST_CASE("kioskctl say writes a WAV that grows with the tracking code it spells") {
    testsupport::TempDir tmp;
    const auto shortWav = tmp.path() / "short.wav", longWav = tmp.path() / "long.wav";
    REQUIRE(ctl({"say", "--code", "PAKN-7K3M-000001-0", "--wav", shortWav.string()}).exitCode == 0);
    REQUIRE(ctl({"say",
                 "Xin chào. Mã số tra cứu của bạn được in trên phiếu. Vui lòng giữ phiếu cẩn thận.",
                 "--wav", longWav.string()})
                .exitCode == 0);
    CHECK(std::filesystem::file_size(shortWav) > 44);
    CHECK(std::filesystem::file_size(longWav) > 44);
}

TEST_CASE("kioskctl ime types keystroke lines through the engine in each mode") {
    auto telex = ctl({"ime", "telex"}, "DDaanf\nnguowif\nhoaf\nwindows\nhoanf<BS>\n");
    REQUIRE(telex.exitCode == 0);
    CHECK(telex.out == "Đần\nngười\nhòa\nwindows\nhòa\n");
    auto newStyle = ctl({"ime", "telex", "--new-style"}, "hoaf\nthuyr\n");
    CHECK(newStyle.out == "hoà\nthuỷ\n");
    auto vni = ctl({"ime", "vni"}, "Vie65t Nam\nd9u7o7ng2\n");
    CHECK(vni.out == "Việt Nam\nđường\n");
    auto simple = ctl({"ime", "simple"}, "ca<sac>\nduong<ư><ơ><huyen><đ>\n");
    CHECK(simple.out.substr(0, simple.out.find('\n')) == "cá");
    CHECK(ctl({"ime", "klingon"}).exitCode == 2);
}

TEST_CASE(
    "kioskctl init --backend-key seals content from then on, and refuses a bad or a different "
    "key") {
    Kiosk k;
    // Two records before the kiosk knows the key: plain, and status says sealing is off.
    k.submit("Nắp cống trước nhà số 12 bị vỡ, xe máy dễ sụp bánh.");
    k.submit("Cây xanh trên vỉa hè đường Hai Bà Trưng nghiêng, sắp đổ.");
    auto before = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(before["sealing"] == false);
    CHECK(before["unsealed"] == 2);
    CHECK(k.run({"status"}).out.find("CHƯA BẬT") != std::string::npos);

    auto bad = k.run({"init", "--kiosk-id", "7K3M", "--backend-key", "bm90IGEga2V5"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err.find("Khóa máy chủ không hợp lệ") != std::string::npos);

    const auto backend = platform::keys::DeviceKey::generate();
    auto pin =
        k.run({"init", "--kiosk-id", "7K3M", "--backend-key", backend.publicKeyBase64(), "--json"});
    INFO(pin.err);
    REQUIRE(pin.exitCode == 0);
    CHECK(nlohmann::json::parse(pin.out)["backend_key_pinned"] == true);
    auto after = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(after["sealing"] == true);
    CHECK(after["unsealed"] == 0);  // the two older records were sealed when the key arrived

    const std::string code =
        k.submit("Đèn tín hiệu giao thông ở ngã tư Nguyễn Trãi không hoạt động.");
    auto show = nlohmann::json::parse(k.run({"show", code, "--json"}).out);
    CHECK(show["sealed"] == true);
    CHECK_FALSE(show.contains("title"));
    auto text = k.run({"show", code});
    CHECK(text.out.find("đã niêm phong") != std::string::npos);
    CHECK(text.out.find("Nguyễn Trãi") == std::string::npos);
    CHECK(k.run({"verify"}).exitCode == 0);
    // A reprint still works: the receipt never needed the content, only says the sender is
    // withheld.
    CHECK(k.run({"receipt", code, "--out", (k.tmp.path() / "r.png").string()}).exitCode == 0);

    auto other = k.run({"init", "--kiosk-id", "7K3M", "--backend-key",
                        platform::keys::DeviceKey::generate().publicKeyBase64()});
    CHECK(other.exitCode == 1);
    CHECK(other.err.find("khóa máy chủ khác") != std::string::npos);
    // The same key again is fine (re-running provisioning is idempotent).
    CHECK(k.run({"init", "--kiosk-id", "7K3M", "--backend-key", backend.publicKeyBase64()})
              .exitCode == 0);
}

TEST_CASE(
    "kioskctl status words the stored sync error code in the language asked, and shows an older "
    "sentence as it is") {
    Kiosk k;
    const std::string db = (k.tmp.path() / "data" / "kiosk.db").string();
    rawExec(db,
            "INSERT OR REPLACE INTO sync_state(key, value) VALUES ('last_error', 'network.timeout: "
            "curl 28')");
    const auto vi = k.run({"status"});
    REQUIRE(vi.exitCode == 0);
    CHECK(vi.out.find("Lỗi gần nhất:      Máy chủ không trả lời kịp\n") != std::string::npos);
    const auto en = k.run({"status", "--lang", "en"});
    REQUIRE(en.exitCode == 0);
    CHECK(en.out.find("Last error:        The server did not answer in time\n") !=
          std::string::npos);
    CHECK(en.out.find("network.timeout") == std::string::npos);
    const auto json = nlohmann::json::parse(k.run({"status", "--json", "--lang", "en"}).out);
    CHECK(json["last_error_code"] == "network.timeout");
    CHECK(json["last_error"] == "The server did not answer in time");

    // A database written before codes holds Vietnamese words: shown as stored, in either language.
    rawExec(db,
            "UPDATE sync_state SET value = 'Mạng yêu cầu đăng nhập (captive portal)' WHERE key = "
            "'last_error'");
    CHECK(k.run({"status", "--lang", "en"})
              .out.find("Last error:        Mạng yêu cầu đăng nhập (captive portal)\n") !=
          std::string::npos);
    const auto old = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(old["last_error"] == "Mạng yêu cầu đăng nhập (captive portal)");
    CHECK(old["last_error_code"].is_null());
}

TEST_CASE(
    "kioskctl show speaks Vietnamese by default and English with --lang en, never both in one "
    "run") {
    Kiosk k;
    const std::string title = "Đèn đường ở hẻm 45 bị hỏng đã hai tuần";
    auto sub = k.run({"submit", "--category", "MOI_TRUONG", "--body",
                      title + ". Buổi tối rất nguy hiểm.", "--staff-assisted"});
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, sub.out.find('\n'));
    const bool clockSynced =
        nlohmann::json::parse(k.run({"show", code, "--json"}).out)["header"]["clock_synced"];

    auto vi = k.run({"show", code});
    REQUIRE(vi.exitCode == 0);
    checkOneLanguage(vi.out, "vi", kShowWords, title);
    CHECK(has(row(vi.out, "Loại"), "Phản ánh, kiến nghị"));
    CHECK(has(row(vi.out, "Trích yếu"), title));
    CHECK(has(row(vi.out, "Ki-ốt tiếp nhận lúc"), "giờ UTC theo đồng hồ ki-ốt"));
    CHECK(has(row(vi.out, "Ki-ốt tiếp nhận lúc"), "đồng hồ ki-ốt chưa được đồng bộ") ==
          !clockSynced);
    CHECK(has(row(vi.out, "Kênh tiếp nhận"),
              "cán bộ nhập từ đơn giấy hoặc điện thoại (có cán bộ hỗ trợ nhập)"));
    CHECK(has(row(vi.out, "Thông tin liên hệ"), "gửi ẩn danh"));

    auto en = k.run({"show", code, "--lang", "en"});
    REQUIRE(en.exitCode == 0);
    checkOneLanguage(en.out, "en", kShowWords, title);
    CHECK(has(row(en.out, "Type"), "Complaint or recommendation"));
    CHECK(has(row(en.out, "Received by the kiosk at"), "UTC, by the kiosk's clock"));
    CHECK(has(row(en.out, "Received by the kiosk at"), "clock was not synchronised") ==
          !clockSynced);
    CHECK(has(row(en.out, "Channel"),
              "keyed in by staff from paper or a phone call (entered with staff help)"));
    CHECK(has(row(en.out, "Contact details"), "sent anonymously"));
    // Outside the resident's title, nothing Vietnamese: only ASCII and the dash.
    for (const auto& l : lines(en.out)) {
        if (has(l, title)) continue;
        std::string rest = l;
        for (auto at = rest.find("—"); at != std::string::npos; at = rest.find("—"))
            rest.erase(at, std::string("—").size());
        INFO(l);
        CHECK(std::all_of(rest.begin(), rest.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    }

    // Contact details stay out of show, as before: only whether there are any.
    auto withContact =
        k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi.", "--name",
               "Nguyễn Văn An", "--phone", "0912 345 678", "--consent"});
    REQUIRE(withContact.exitCode == 0);
    auto shown = k.run({"show", withContact.out.substr(0, withContact.out.find('\n'))});
    CHECK(has(row(shown.out, "Thông tin liên hệ"), "có (không hiển thị ở đây)"));
    CHECK_FALSE(has(shown.out, "Nguyễn Văn An"));
    CHECK_FALSE(has(shown.out, "0912"));
}

TEST_CASE(
    "kioskctl show names the category in the chosen language, from the cached config or else the "
    "shipped defaults") {
    Kiosk k;
    const std::string environment = k.submit("Rác thải sinh hoạt để tràn ra vỉa hè trước chợ.");
    auto traffic =
        k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi."});
    REQUIRE(traffic.exitCode == 0);
    const std::string trafficCode = traffic.out.substr(0, traffic.out.find('\n'));
    CHECK(row(k.run({"show", environment}).out, "Lĩnh vực") ==
          "  Lĩnh vực:            Môi trường, vệ sinh");
    CHECK(has(row(k.run({"show", environment, "--lang", "en"}).out, "Category"),
              "Environment and sanitation"));
    CHECK_FALSE(has(k.run({"show", environment}).out, "MOI_TRUONG"));

    // A newer config from the backend renames one category and retires the other.
    auto doc = nlohmann::json::parse(ksync::proto::defaultBackendConfigJson());
    doc["version"] = "test-renamed";
    auto cats = nlohmann::json::array();
    for (auto c : doc["categories"]) {
        if (c["code"] == "MOI_TRUONG") continue;
        if (c["code"] == "GIAO_THONG") {
            c["name_vi"] = "Giao thông, đô thị";
            c["name_en"] = "Traffic and urban works";
        }
        cats.push_back(c);
    }
    doc["categories"] = cats;
    {
        auto store =
            ksync::store::Store::open(k.dir + "/kiosk.db", ksync::store::Store::Open::ExistingOnly);
        REQUIRE(store);
        REQUIRE(
            store->saveConfig({"test-renamed", "\"1\"", doc.dump(), "2026-12-01T00:00:00.000Z"}));
    }
    CHECK(has(row(k.run({"show", trafficCode}).out, "Lĩnh vực"), "Giao thông, đô thị"));
    CHECK(has(row(k.run({"show", trafficCode, "--lang", "en"}).out, "Category"),
              "Traffic and urban works"));
    // The retired category is named as the software shipped it.
    CHECK(has(row(k.run({"show", environment}).out, "Lĩnh vực"), "Môi trường, vệ sinh"));
    CHECK(nlohmann::json::parse(k.run({"show", environment, "--json"}).out)["category_name"] ==
          "Môi trường, vệ sinh");
}

TEST_CASE("kioskctl show --json counts the body in characters, not bytes") {
    Kiosk k;
    const std::string code = k.submit("Đường ngập nước");  // 15 characters, 21 bytes
    auto j = nlohmann::json::parse(k.run({"show", code, "--json"}).out);
    CHECK(j["body_chars"] == 15);
    CHECK(j["body_bytes"] == std::string("Đường ngập nước").size());
}

TEST_CASE(
    "kioskctl show puts the backend's latest status first and the upload state on a line of its "
    "own") {
    testsupport::TempDir tmp;
    const auto bdir = tmp.path() / "backend";
    const std::string kdir = (tmp.path() / "kiosk").string();
    testsupport::BackendProcess backend({}, bdir, {}, tmp.path() / "backend.log");
    backend.start(0);
    auto kctl = [&](std::vector<std::string> args) {
        args.push_back("--data-dir");
        args.push_back(kdir);
        return ctl(args);
    };
    REQUIRE(kctl({"init", "--kiosk-id", "7K3M", "--backend", backend.url()}).exitCode == 0);
    auto sub = kctl({"submit", "--category", "MOI_TRUONG", "--body",
                     "Cống thoát nước trước nhà số 12 bị tắc nhiều ngày."});
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, sub.out.find('\n'));

    auto before = lines(kctl({"show", code}).out);
    REQUIRE(before.size() > 3);
    CHECK(before[0] == code);
    CHECK(before[1] == "  Tình trạng xử lý:    chưa có cập nhật nào từ máy chủ");
    CHECK(before[2] == "  Gửi lên máy chủ:     đang chờ gửi");

    auto token = backend.cli({"issue-token", "--kiosk-id", "7K3M"});
    REQUIRE(token.exitCode == 0);
    auto enrolled = kctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))});
    INFO(enrolled.err);
    REQUIRE(enrolled.exitCode == 0);
    REQUIRE(kctl({"sync", "--once"}).exitCode == 0);
    auto sent = lines(kctl({"show", code}).out);
    CHECK(sent[1] == "  Tình trạng xử lý:    chưa có cập nhật nào từ máy chủ");
    CHECK(sent[2] == "  Gửi lên máy chủ:     đã gửi, máy chủ đã xác nhận");

    // Staff forward it, the kiosk pulls; then they answer it, and the kiosk pulls again.
    REQUIRE(backend
                .cli({"update", code, "--status", "forwarded", "--agency",
                      "Phòng Tài nguyên và Môi trường", "--officer", "Trần Thị Bình", "--expected",
                      "2026-12-10"})
                .exitCode == 0);
    REQUIRE(kctl({"sync", "--once"}).exitCode == 0);
    CHECK(has(lines(kctl({"show", code}).out)[1],
              "Tình trạng xử lý:    Đã chuyển cơ quan xử lý (máy chủ cập nhật lúc "));
    REQUIRE(
        backend
            .cli({"update", code, "--status", "answered", "--note", "Đã nạo vét cống ngày 05/12."})
            .exitCode == 0);
    REQUIRE(kctl({"sync", "--once"}).exitCode == 0);

    auto vi = kctl({"show", code});
    REQUIRE(vi.exitCode == 0);
    auto viLines = lines(vi.out);
    CHECK(has(viLines[1], "  Tình trạng xử lý:    Đã có trả lời (máy chủ cập nhật lúc "));
    CHECK(viLines[2] == "  Gửi lên máy chủ:     đã gửi, máy chủ đã xác nhận");
    CHECK(has(row(vi.out, "Lĩnh vực"), "Môi trường, vệ sinh"));
    // The history, oldest first, with each field named.
    const auto history = vi.out.find("  Quá trình xử lý (giờ UTC theo máy chủ):\n");
    REQUIRE(history != std::string::npos);
    const auto forwarded = vi.out.find("Đã chuyển cơ quan xử lý\n", history);
    const auto answered = vi.out.find("Đã có trả lời\n", history);
    CHECK(forwarded != std::string::npos);
    CHECK(answered != std::string::npos);
    CHECK(forwarded < answered);
    CHECK(has(row(vi.out, "Cơ quan xử lý"), "Phòng Tài nguyên và Môi trường"));
    CHECK(has(row(vi.out, "Người phụ trách"), "Trần Thị Bình"));
    CHECK(has(row(vi.out, "Dự kiến trả lời"), "2026-12-10"));
    CHECK(has(row(vi.out, "Ghi chú"), "Đã nạo vét cống ngày 05/12."));
    checkOneLanguage(vi.out, "vi", kShowWords, "Cống thoát nước");

    auto en = kctl({"show", code, "--lang", "en"});
    auto enLines = lines(en.out);
    CHECK(has(enLines[1], "  Handling status:          Answered (updated by the backend at "));
    CHECK(enLines[2] == "  Upload to the backend:    sent, acknowledged by the backend");
    CHECK(has(en.out, "  Handling history (UTC, by the backend's clock):\n"));
    CHECK(has(row(en.out, "Agency"), "Phòng Tài nguyên và Môi trường"));
    checkOneLanguage(en.out, "en", kShowWords, "Cống thoát nước");

    // list: the latest status before the upload state too.
    CHECK(has(kctl({"list"}).out, "Đã có trả lời · Đã gửi đến hệ thống"));
}

TEST_CASE("kioskctl enroll that fails says the enrolment failed and why, in the chosen language") {
    testsupport::TempDir tmp;
    const std::string kdir = (tmp.path() / "kiosk").string();
    testsupport::BackendProcess backend({}, tmp.path() / "backend", {}, tmp.path() / "backend.log");
    backend.start(0);
    REQUIRE(ctl({"init", "--data-dir", kdir, "--kiosk-id", "7K3M", "--backend", backend.url()})
                .exitCode == 0);

    // A token the backend never issued.
    auto bad = ctl({"enroll", "--token", "not-a-token", "--data-dir", kdir});
    CHECK(bad.exitCode == 1);
    CHECK(bad.err.starts_with(
        "kioskctl: Đăng ký ki-ốt với máy chủ không thành công: mã đăng ký (token) không đúng"));
    CHECK_FALSE(has(bad.err, "Đồng bộ"));
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    auto badEn = ctl({"enroll", "--token", "not-a-token", "--data-dir", kdir, "--lang", "en"});
    CHECK(badEn.exitCode == 1);
    CHECK(badEn.err.starts_with(
        "kioskctl: Enrolling this kiosk with the backend failed: the enrolment token is wrong"));
    CHECK_FALSE(has(badEn.err, "Sync"));

    // Nothing listening on the backend's port any more.
    backend.stop();
    auto closed = ctl({"enroll", "--token", "not-a-token", "--data-dir", kdir});
    CHECK(closed.exitCode == 1);
    CHECK(closed.err.starts_with(
        "kioskctl: Đăng ký ki-ốt với máy chủ không thành công: Không kết nối được máy chủ"));
    CHECK_FALSE(has(closed.err, "Đồng bộ"));
    auto closedEn = ctl({"enroll", "--token", "not-a-token", "--data-dir", kdir, "--lang", "en"});
    CHECK(closedEn.err.starts_with(
        "kioskctl: Enrolling this kiosk with the backend failed: Cannot reach the server"));
    // Still not enrolled: status says sealing is off.
    CHECK(nlohmann::json::parse(ctl({"status", "--json", "--data-dir", kdir}).out)["sealing"] ==
          false);
}

TEST_CASE("kioskctl status speaks one language per run") {
    Kiosk k;
    k.submit("Cây xanh trên vỉa hè đường Hai Bà Trưng nghiêng, sắp đổ.");
    auto vi = k.run({"status"});
    REQUIRE(vi.exitCode == 0);
    CHECK(vi.out.starts_with("Ki-ốt 7K3M — Phường Sài Gòn\n"));
    CHECK(has(row(vi.out, "Đang chờ gửi"), "1"));
    CHECK(has(row(vi.out, "Chờ lâu nhất"), "dưới 1 phút"));
    checkOneLanguage(vi.out, "vi", {"ctl.status.", "ctl.age.", "ctl.never", "ctl.sealing_"},
                     "Phường Sài Gòn");
    auto en = k.run({"status", "--lang", "en"});
    REQUIRE(en.exitCode == 0);
    CHECK(en.out.starts_with("Kiosk 7K3M — Phường Sài Gòn\n"));
    CHECK(has(row(en.out, "Waiting to send"), "1"));
    CHECK(has(row(en.out, "Oldest waiting"), "under a minute"));
    CHECK(has(row(en.out, "Last contact"), "never"));
    checkOneLanguage(en.out, "en", {"ctl.status.", "ctl.age.", "ctl.never", "ctl.sealing_"},
                     "Phường Sài Gòn");
}

TEST_CASE("kioskctl refuses a bad command in the chosen language") {
    Kiosk k;
    auto vi =
        k.run({"submit", "--category", "KHAC", "--body", "Nội dung", "--anonymous", "--name", "A"});
    CHECK(vi.exitCode == 2);
    CHECK(has(vi.err, "Không dùng --anonymous cùng với"));
    auto en = k.run({"submit", "--category", "KHAC", "--body", "Nội dung", "--anonymous", "--name",
                     "A", "--lang", "en"});
    CHECK(en.exitCode == 2);
    CHECK(has(en.err, "--anonymous cannot be combined with"));
    auto other = ctl({"init", "--data-dir", k.dir, "--kiosk-id", "K7AB"});
    CHECK(other.exitCode == 1);
    CHECK(has(other.err, "Thư mục đã được khởi tạo cho ki-ốt 7K3M"));
    CHECK(has(ctl({"ime", "klingon"}).err, "MODE phải là telex, vni, simple hoặc off"));
}

TEST_CASE(
    "kioskctl sync in the foreground words each pass's error in the chosen language, never as a "
    "code") {
    testsupport::TempDir tmp;
    const std::string kdir = (tmp.path() / "kiosk").string();
    // Port 9 (discard) on loopback: nothing listens, every pass fails to connect.
    REQUIRE(
        ctl({"init", "--data-dir", kdir, "--kiosk-id", "7K3M", "--backend", "http://127.0.0.1:9"})
            .exitCode == 0);
    REQUIRE(ctl({"submit", "--data-dir", kdir, "--category", "KHAC", "--body",
                 "Đề nghị lắp thêm ghế chờ."})
                .exitCode == 0);
    for (const std::string lang : {"vi", "en"}) {
        const auto out = tmp.path() / ("sync-" + lang + ".out");
        auto child = testsupport::Child::spawn(
            KIOSKCTL_PATH, {"sync", "--data-dir", kdir, "--poll-ms", "200", "--lang", lang}, out,
            tmp.path() / "sync.err");
        std::vector<std::string> got;
        for (int i = 0; i < 300 && got.size() < 2; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            std::ifstream in(out);
            got = lines(std::string(std::istreambuf_iterator<char>(in), {}));
        }
        ::kill(child.pid(), SIGTERM);
        child.wait();
        REQUIRE(got.size() >= 2);
        INFO(got[1]);
        CHECK_FALSE(has(got[1], "network."));
        CHECK_FALSE(has(got[1], "auth."));
        CHECK_FALSE(has(got[1], "ok ·"));
        if (lang == "vi") {
            CHECK(has(got[0], "Đang đồng bộ với http://127.0.0.1:9"));
            CHECK(has(got[1], " · chờ gửi: 1 · cần cán bộ kiểm tra: 0 · vừa gửi: 0"));
        } else {
            CHECK(has(got[0], "Syncing with http://127.0.0.1:9"));
            CHECK(has(got[1], " · waiting: 1 · needs staff: 0 · just sent: 0"));
        }
    }
}
