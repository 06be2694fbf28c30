// kioskctl end to end: the real binary on a real data directory.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "keys/device_key.hpp"
#include "record/tracking_code.hpp"
#include "run_process.hpp"
#include "test_support.hpp"

using testsupport::ProcessResult;

namespace {

ProcessResult ctl(std::vector<std::string> args, const std::string& input = {}) {
    return testsupport::runProcess(KIOSKCTL_PATH, args, input);
}

struct Kiosk {
    testsupport::TempDir tmp;
    std::string dir = (tmp.path() / "data").string();
    Kiosk() {
        auto r = ctl({"init", "--data-dir", dir, "--kiosk-id", "7K3M", "--centre", "Phường Sài Gòn"});
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
        return r.out.substr(0, r.out.size() - 1);
    }
};

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
    const std::string code = k.submit("Đèn đường ở hẻm 45 bị hỏng đã hai tuần. Buổi tối rất nguy hiểm.");
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
        if (c != '-') sloppy.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
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
    auto noConsent = k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi.", "--name",
                            "Nguyễn Văn An", "--phone", "0912 345 678"});
    CHECK(noConsent.exitCode == 1);
    CHECK(noConsent.err.find("đồng ý") != std::string::npos);
    auto ok = k.run({"submit", "--category", "GIAO_THONG", "--body", "Ổ gà trên đường Lê Lợi.", "--name",
                     "Nguyễn Văn An", "--phone", "0912 345 678", "--consent", "--json"});
    REQUIRE(ok.exitCode == 0);
    auto code = nlohmann::json::parse(ok.out)["tracking_code"].get<std::string>();
    auto show = nlohmann::json::parse(k.run({"show", code, "--json"}).out);
    CHECK(show["anonymous"] == false);
    CHECK(show["header"]["channel"] == "staff_entry");
}

TEST_CASE("kioskctl submit refuses bad input with one Vietnamese line and stores nothing") {
    Kiosk k;
    auto badPhone = k.run({"submit", "--category", "KHAC", "--body", "Nội dung", "--name", "A", "--phone", "12345",
                           "--consent"});
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
    auto longest = std::max_element(fixtures.begin(), fixtures.end(),
                                    [](const auto& a, const auto& b) { return a.body.size() < b.body.size(); });
    const auto file = k.tmp.path() / "body.txt";
    std::ofstream(file) << longest->body;
    auto ok = k.run({"submit", "--type", "SKGP", "--category", "KHAC", "--body-file", file.string(), "--json"});
    REQUIRE(ok.exitCode == 0);

    std::string tooLong;
    for (int i = 0; i < 64001; ++i) tooLong += "ư";
    auto refused = k.run({"submit", "--category", "KHAC", "--body-file", "-"}, tooLong);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err.find("64001") != std::string::npos);
    CHECK(refused.err.find("64000") != std::string::npos);
}

TEST_CASE("kioskctl verify passes on an intact database and names the sequence of a tampered record") {
    Kiosk k;
    for (int i = 1; i <= 5; ++i) k.submit("Phản ánh số " + std::to_string(i) + " về rác thải sinh hoạt.");
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
    for (int i = 1; i <= 4; ++i) k.submit("Kiến nghị số " + std::to_string(i) + " về chiếu sáng công cộng.");
    rawExec(k.dir + "/kiosk.db", "DELETE FROM outbox WHERE seq = 2; DELETE FROM records WHERE seq = 2");
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
    const std::string code = ksync::record::makeTrackingCode(ksync::record::RecordType::Pakn, "7K3M", 123);
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

TEST_CASE("kioskctl receipt writes PNG, PDF and ESC/POS files, and the PNG's QR reads the tracking URL") {
    Kiosk k;
    const std::string code = k.submit("Vỉa hè trước chợ bị lấn chiếm, người đi bộ phải xuống lòng đường.");
    const auto png = k.tmp.path() / "r.png";
    REQUIRE(k.run({"receipt", code, "--out", png.string()}).exitCode == 0);
    auto qr = testsupport::runProcess("/usr/bin/zbarimg", {"-q", "--raw", "--nodbus", png.string()});
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

TEST_CASE("kioskctl print sends the receipt to the configured printer URI and explains a missing printer") {
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
    REQUIRE(ctl({"say", "Xin chào. Mã số tra cứu của bạn được in trên phiếu. Vui lòng giữ phiếu cẩn thận.", "--wav",
                 longWav.string()}).exitCode == 0);
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

TEST_CASE("kioskctl init --backend-key seals content from then on, and refuses a bad or a different key") {
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
    auto pin = k.run({"init", "--kiosk-id", "7K3M", "--backend-key", backend.publicKeyBase64(), "--json"});
    INFO(pin.err);
    REQUIRE(pin.exitCode == 0);
    CHECK(nlohmann::json::parse(pin.out)["backend_key_pinned"] == true);
    auto after = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(after["sealing"] == true);
    CHECK(after["unsealed"] == 0);  // the two older records were sealed when the key arrived

    const std::string code = k.submit("Đèn tín hiệu giao thông ở ngã tư Nguyễn Trãi không hoạt động.");
    auto show = nlohmann::json::parse(k.run({"show", code, "--json"}).out);
    CHECK(show["sealed"] == true);
    CHECK_FALSE(show.contains("title"));
    auto text = k.run({"show", code});
    CHECK(text.out.find("đã niêm phong") != std::string::npos);
    CHECK(text.out.find("Nguyễn Trãi") == std::string::npos);
    CHECK(k.run({"verify"}).exitCode == 0);
    // A reprint still works: the receipt never needed the content, only says the sender is withheld.
    CHECK(k.run({"receipt", code, "--out", (k.tmp.path() / "r.png").string()}).exitCode == 0);

    auto other = k.run({"init", "--kiosk-id", "7K3M", "--backend-key", platform::keys::DeviceKey::generate().publicKeyBase64()});
    CHECK(other.exitCode == 1);
    CHECK(other.err.find("khóa máy chủ khác") != std::string::npos);
    // The same key again is fine (re-running provisioning is idempotent).
    CHECK(k.run({"init", "--kiosk-id", "7K3M", "--backend-key", backend.publicKeyBase64()}).exitCode == 0);
}

TEST_CASE("kioskctl status words the stored sync error code in the language asked, and shows an older sentence as it is") {
    Kiosk k;
    const std::string db = (k.tmp.path() / "data" / "kiosk.db").string();
    rawExec(db, "INSERT OR REPLACE INTO sync_state(key, value) VALUES ('last_error', 'network.timeout: curl 28')");
    const auto vi = k.run({"status"});
    REQUIRE(vi.exitCode == 0);
    CHECK(vi.out.find("Lỗi gần nhất:      Máy chủ không trả lời kịp\n") != std::string::npos);
    const auto en = k.run({"status", "--lang", "en"});
    REQUIRE(en.exitCode == 0);
    CHECK(en.out.find("Last error:        The server did not answer in time\n") != std::string::npos);
    CHECK(en.out.find("network.timeout") == std::string::npos);
    const auto json = nlohmann::json::parse(k.run({"status", "--json", "--lang", "en"}).out);
    CHECK(json["last_error_code"] == "network.timeout");
    CHECK(json["last_error"] == "The server did not answer in time");

    // A database written before codes holds Vietnamese words: shown as stored, in either language.
    rawExec(db, "UPDATE sync_state SET value = 'Mạng yêu cầu đăng nhập (captive portal)' WHERE key = 'last_error'");
    CHECK(k.run({"status", "--lang", "en"}).out.find("Last error:        Mạng yêu cầu đăng nhập (captive portal)\n") !=
          std::string::npos);
    const auto old = nlohmann::json::parse(k.run({"status", "--json"}).out);
    CHECK(old["last_error"] == "Mạng yêu cầu đăng nhập (captive portal)");
    CHECK(old["last_error_code"].is_null());
}
