// The resident comes back (issue #14), on the real screens: a case made at this kiosk (its
// receipt secret from the real store), statuses in the kiosk's real status cache, then the
// resident looks the code up, and from the story adds information or rates the answer, typing
// the secret on the on-screen code keypad. What is committed is read back from the real SQLite
// store; the slip lands in the PNG printer's directory. Refusals (a code alone, a wrong secret,
// another case's secret, another receipt scanned, an old receipt, too many tries) are read on
// the screen, with nothing stored. Portrait and landscape, large text and high contrast.
#include <chrono>
#include <filesystem>
#include <thread>

#include "client/sync_client.hpp"
#include "client/sync_worker.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "kiosk_fixture.hpp"
#include "record/receipt_proof.hpp"
#include "record/validation.hpp"
#include "service/backend_service.hpp"
#include "sync_test_support.hpp"

using apptest::KioskFixture;
using kiosk::core::Screen;

namespace {

struct Case {
    std::string code;
    std::string secret;  // compact
};

Case addCase(KioskFixture& k) {
    ksync::record::Draft d;
    d.type = "PAKN";
    d.category = "GIAO_THONG";
    d.body = "Ổ gà lớn trước số nhà 25 đường Lê Lợi, xe máy đi qua rất nguy hiểm.";
    auto v = ksync::record::validateDraft(d);
    REQUIRE(v);
    auto r = k.store().createRecord(*v, "7K3M", "2027-01-11T02:00:00.000Z", true);
    REQUIRE(r);
    REQUIRE_FALSE(r->receiptSecret.empty());
    return {r->header.trackingCode, r->receiptSecret};
}

void status(KioskFixture& k, const std::string& code, std::string s, std::string at,
            std::string note = {}, std::string agency = {}, std::string officer = {}) {
    REQUIRE(k.store().applyStatus({code,
                                   std::move(s),
                                   std::move(note),
                                   std::move(agency),
                                   std::move(officer),
                                   {},
                                   std::move(at)}));
}

void settle(KioskFixture& k) {
    for (int i = 0; i < 100 && k.state().tracking.loading; ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (int i = 0; i < 3; ++i) k.frame();
}

// Types the code on the code keypad and looks it up; the story is on screen after.
void track(KioskFixture& k, const std::string& code) {
    k.tap("welcome_track");
    k.waitFor(Screen::TrackEntry);
    for (char c : code)
        if (c != '-') k.tap(std::string("kb_") + c);
    k.tap("track_search");
    k.waitFor(Screen::TrackResult);
    settle(k);
    REQUIRE(k.state().tracking.found);
}

// Whole on the screen and not hidden in a scroll area: a tap reaches it as it is.
bool reachable(const KioskFixture& k, std::string_view id, ImVec2 display) {
    const auto* r = k.rect(id);
    if (!r) return false;
    const auto* shown = k.probe().shown(id);
    const auto& v = shown ? shown->visible : *r;
    return r->min.x >= 0 && r->min.y >= 0 && r->max.x <= display.x + 1 &&
           r->max.y <= display.y + 1 && v.max.y - v.min.y >= r->max.y - r->min.y - 1;
}

void typeSecret(KioskFixture& k, const std::string& compact) {
    for (char c : compact) k.tap(std::string("kb_") + c);
}

// Frames until the background check or commit has answered.
void waitIdle(KioskFixture& k) {
    for (int i = 0; i < 500 && (k.state().addition.checking || k.state().addition.storing); ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE_FALSE(k.state().addition.checking);
    REQUIRE_FALSE(k.state().addition.storing);
    for (int i = 0; i < 3; ++i) k.frame();
}

int printed(const KioskFixture& k) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(k.dir() / "data" / "receipts"))
        n += e.is_regular_file() && e.path().extension() == ".png";
    return n;
}

std::uint64_t records(KioskFixture& k) {
    auto n = k.store().recordCount();
    REQUIRE(n);
    return *n;
}

bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

struct Layout {
    const char* name;
    ImVec2 display;
    bool large, contrast;
};

const Layout kLayouts[] = {{"portrait", {1080, 1920}, false, false},
                           {"landscape", {1920, 1080}, false, false},
                           {"portrait large contrast", {1080, 1920}, true, true},
                           {"landscape large contrast", {1920, 1080}, true, true}};

void prefs(KioskFixture& k, const Layout& l) {
    if (l.large) k.tap("tb_text_size");
    if (l.contrast) k.tap("tb_contrast");
}

const std::string kRequest = "Xin bổ sung ảnh chụp ổ gà và số nhà gần nhất.";

}  // namespace

TEST_CASE(
    "Bổ sung thông tin: the secret typed on the code keypad, what was asked shown, the supplement "
    "committed linked to its case, and a slip with its own title printed") {
    for (const Layout& l : kLayouts) {
        INFO(l.name);
        KioskFixture k(l.display);
        prefs(k, l);
        const Case c = addCase(k);
        status(k, c.code, "received", "2027-01-12T02:00:00.000Z", "", "UBND phường Sài Gòn",
               "Nguyễn Văn Hùng");
        status(k, c.code, "needs_info", "2027-01-14T03:00:00.000Z", kRequest,
               "Phòng Quản lý đô thị", "Trần Thị Bích");
        track(k, c.code);
        INFO(k.text());
        CHECK(has(k.text(), "Cơ quan xử lý đang chờ bạn bổ sung thông tin."));
        // Reachable as it stands: beside the story in landscape, under it in portrait.
        REQUIRE(reachable(k, "track_supplement", l.display));
        CHECK_FALSE(k.visible("track_rate_hai_long"));
        const auto before = records(k);
        k.tap("track_supplement");
        k.waitFor(Screen::AddProof);
        CHECK(has(k.text(), "Bước 1/4 — Mã bí mật"));
        CHECK(has(k.text(), "Hồ sơ: " + c.code));
        typeSecret(k, c.secret);
        CHECK(k.state().addition.secretTyped == ksync::record::formatSecret(c.secret));
        k.tap("nav_next");
        waitIdle(k);
        k.waitFor(Screen::AddText);
        const std::string asked = k.text();
        CHECK(has(asked, "Bước 2/4"));
        CHECK(has(asked, "Cơ quan xử lý cần bạn bổ sung:"));
        CHECK(has(asked, kRequest));
        CHECK_FALSE(has(asked, "mã bí mật sẽ được kiểm tra khi gửi lên"));  // checked here
        k.typeOnKeyboard("Anhr chupj oor gaf owr soos nhaf");
        const std::string body = "Ảnh chụp ổ gà ở số nhà";
        CHECK(k.state().addition.body == body);
        k.tap("nav_next");
        k.waitFor(Screen::AddReview);
        CHECK(has(k.text(), "Bước 3/4"));
        CHECK(has(k.text(), body));
        CHECK(records(k) == before);
        k.tap("nav_confirm");
        waitIdle(k);
        k.waitFor(Screen::AddDone);
        const std::string done = k.text();
        CHECK(has(done, "Đã bổ sung thông tin cho " + c.code));
        CHECK(has(done, "Đã lưu trên ki-ốt; sẽ tự động gửi khi có kết nối."));
        // Committed in the real store, linked to the case.
        REQUIRE(k.state().addition.done);
        const auto seq = static_cast<std::uint64_t>(k.state().addition.done->sequence);
        CHECK(records(k) == before + 1);
        auto parent = k.store().parentCodeOf(seq);
        REQUIRE(parent);
        REQUIRE(*parent);
        CHECK(**parent == c.code);
        auto rec = k.store().findBySeq(seq);
        REQUIRE(rec);
        REQUIRE(*rec);
        CHECK((*rec)->content.kind == ksync::record::RecordKind::Supplement);
        CHECK((*rec)->content.parentCode == c.code);
        CHECK((*rec)->content.body == body);
        // The slip lands in the printer's directory.
        for (int i = 0; i < 300 && k.state().print != kiosk::core::PrintState::Printed; ++i) {
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(k.state().print == kiosk::core::PrintState::Printed);
        CHECK(printed(k) == 1);
        CHECK(has(k.text(), "Đã in phiếu."));
        CHECK(reachable(k, "add_finish", l.display));
        k.tap("add_finish");
        k.waitFor(Screen::Welcome);
        CHECK(k.state().addition.done == std::nullopt);
    }
}

TEST_CASE(
    "the rating: three faces on the answered story, chưa hài lòng with a request to reopen that "
    "needs its reason, committed once") {
    for (const Layout& l : kLayouts) {
        INFO(l.name);
        KioskFixture k(l.display);
        prefs(k, l);
        const Case c = addCase(k);
        status(k, c.code, "forwarded", "2027-01-12T03:00:00.000Z", "", "Phòng Quản lý đô thị",
               "Trần Thị Bích");
        status(k, c.code, "answered", "2027-01-14T03:00:00.000Z",
               "Đã vá ổ gà trước số nhà 25 đường Lê Lợi.", "Phòng Quản lý đô thị", "Lê Văn Cường");
        track(k, c.code);
        INFO(k.text());
        CHECK(has(k.text(), "Bạn có hài lòng với kết quả giải quyết?"));
        CHECK_FALSE(k.visible("track_supplement"));
        for (const char* face :
             {"track_rate_hai_long", "track_rate_tam_chap_nhan", "track_rate_chua_hai_long"}) {
            INFO(face);
            REQUIRE(reachable(k, face, l.display));
            const auto* r = k.rect(face);
            CHECK(r->max.y - r->min.y >= 150.0f);  // large: a face and its words
        }
        for (const char* words : {"Hài lòng", "Tạm chấp nhận", "Chưa hài lòng"})
            CHECK(has(k.text(), words));
        const auto before = records(k);
        k.tap("track_rate_chua_hai_long");
        k.waitFor(Screen::AddProof);
        CHECK(has(k.text(), "Bước 1/3 — Mã bí mật"));
        typeSecret(k, c.secret);
        k.tap("kb_enter");  // "Xong" on the keypad checks it as the forward button does
        waitIdle(k);
        k.waitFor(Screen::Rate);
        CHECK(has(k.text(), "Bước 2/3"));
        CHECK(k.state().addition.rating == ksync::record::kRatingUnsatisfied);
        REQUIRE(k.visible("rate_reopen"));
        k.tap("rate_reopen");
        CHECK(k.state().addition.reopen);
        k.tap("nav_confirm");
        waitIdle(k);
        CHECK(k.state().screen == Screen::Rate);
        CHECK(has(k.text(), "Vui lòng nêu lý do đề nghị xem xét lại."));
        CHECK(records(k) == before);
        k.tap("field_reopen_reason");
        k.typeOnKeyboard("oor gaf vaanx conf");
        k.tap("nav_confirm");
        waitIdle(k);
        k.waitFor(Screen::RateDone);
        const std::string done = k.text();
        CHECK(has(done, "Cảm ơn bạn đã đánh giá"));
        CHECK(has(done, "Đánh giá của bạn cho hồ sơ " + c.code + ": Chưa hài lòng."));
        CHECK(has(done, "Bạn đã đề nghị xem xét lại hồ sơ."));
        REQUIRE(k.state().addition.done);
        const auto seq = static_cast<std::uint64_t>(k.state().addition.done->sequence);
        CHECK(records(k) == before + 1);
        auto rec = k.store().findBySeq(seq);
        REQUIRE(rec);
        REQUIRE(*rec);
        CHECK((*rec)->content.kind == ksync::record::RecordKind::Rating);
        CHECK((*rec)->content.parentCode == c.code);
        CHECK((*rec)->content.rating == ksync::record::kRatingUnsatisfied);
        CHECK((*rec)->content.reopen);
        CHECK((*rec)->content.reopenReason == "ổ gà vẫn còn");
        CHECK(printed(k) == 0);  // a rating has no slip
        k.tap("add_finish");
        k.waitFor(Screen::Welcome);
    }
}

TEST_CASE(
    "refused on screen with nothing stored: a code alone, a wrong secret, another case's secret, "
    "another case's receipt, an old receipt, too many tries") {
    for (const Layout& l : {kLayouts[0], kLayouts[3]}) {
        INFO(l.name);
        KioskFixture k(l.display);
        prefs(k, l);
        const Case a = addCase(k);
        const Case b = addCase(k);
        status(k, a.code, "needs_info", "2027-01-14T03:00:00.000Z", kRequest,
               "Phòng Quản lý đô thị", "Trần Thị Bích");
        const auto before = records(k);
        track(k, a.code);
        k.tap("track_supplement");
        k.waitFor(Screen::AddProof);
        // The code alone is not enough.
        k.tap("nav_next");
        CHECK(has(k.text(), "Chỉ mã số tra cứu thì không đủ."));
        // A wrong secret, then case B's secret: refused by this kiosk's verifier, counted.
        std::string wrong = ksync::record::newReceiptSecret();
        while (wrong == a.secret) wrong = ksync::record::newReceiptSecret();
        typeSecret(k, wrong);
        k.tap("nav_next");
        waitIdle(k);
        CHECK(k.state().screen == Screen::AddProof);
        CHECK(has(k.text(), "Mã bí mật không khớp với hồ sơ " + a.code + "."));
        CHECK(has(k.text(), "Bạn còn 4 lần nhập."));
        CHECK(k.state().addition.secretTyped.empty());  // typed again from the start
        typeSecret(k, b.secret);
        k.tap("nav_next");
        waitIdle(k);
        CHECK(k.state().screen == Screen::AddProof);
        CHECK(has(k.text(), "Mã bí mật không khớp với hồ sơ " + a.code + "."));
        CHECK(has(k.text(), "Bạn còn 3 lần nhập."));
        // Case B's receipt scanned here: the scanner types its QR into the field.
        const std::string qrB =
            ksync::record::receiptQrPayload("HTTPS://TRA.CUU.GOV.VN/T/" + b.code, b.secret);
        for (char ch : qrB) k.app().ui().onChar(static_cast<char32_t>(ch));
        k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
        k.frame();
        waitIdle(k);
        CHECK(k.state().screen == Screen::AddProof);
        CHECK(has(k.text(), "Phiếu vừa quét là của hồ sơ khác. Vui lòng quét phiếu của hồ sơ " +
                                a.code + "."));
        CHECK(records(k) == before);
        // Two more wrong secrets leave one try; the fifth closes the path for this session.
        for (int i = 0; i < 3; ++i) {
            k.tap("kb_clear");
            if (k.visible("kb_clear_yes")) k.tap("kb_clear_yes");
            typeSecret(k, wrong);
            k.tap("nav_next");
            waitIdle(k);
        }
        k.waitFor(Screen::TrackResult);
        const std::string closed = k.text();
        CHECK(has(closed, "Đã nhập sai mã bí mật quá nhiều lần."));
        CHECK(has(closed, "Bạn vẫn có thể tra cứu tình trạng hồ sơ."));
        CHECK_FALSE(k.visible("track_supplement"));
        CHECK(records(k) == before);
        k.tap("track_done");
        k.waitFor(Screen::Welcome);

        // A receipt printed before secrets (its QR has no '#'): lookup only, said on the story.
        track(k, a.code);
        k.tap("track_supplement");
        k.waitFor(Screen::AddProof);
        for (char ch : "HTTPS://TRA.CUU.GOV.VN/T/" + a.code)
            k.app().ui().onChar(static_cast<char32_t>(ch));
        k.app().ui().onKey(kiosk::input::SpecialKey::Enter);
        k.frame();
        k.waitFor(Screen::TrackResult);
        CHECK(has(k.text(), "được in trước khi có mã bí mật: chỉ dùng để tra cứu."));
        CHECK_FALSE(k.visible("track_supplement"));
        CHECK(records(k) == before);
    }
}

TEST_CASE(
    "online: the supplement and the rating made on the screens go through the real sync worker "
    "to the real backend on loopback, which attaches the supplement and counts the rating") {
    synctest::Backend backend;
    KioskFixture k(ImVec2(1920.0f, 1080.0f), backend.url());
    ksync::store::DataDir dir;
    dir.root = k.dir() / "data";
    {
        REQUIRE(platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir)));
        auto client = ksync::client::SyncClient::open(dir);
        REQUIRE(client);
        REQUIRE(client->enroll(backend.token("7K3M")));
    }
    const Case c = addCase(k);  // sealed to the backend's key, with its verifier inside
    ksync::client::SyncWorkerOptions o;
    o.idlePollMs = 60 * 60 * 1000;
    ksync::client::SyncWorker worker(
        dir, o, [&k](const ksync::client::SyncEvent& e) { k.queue().post(e.snapshot); });
    worker.start();
    auto uploaded = [&](std::int64_t n) {
        for (int i = 0; i < 500; ++i) {
            auto stats = k.store().outboxStats();
            REQUIRE(stats);
            if (stats->uploaded >= n && stats->queued == 0) return true;
            if (i % 50 == 0) worker.wake();
            k.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };
    // Statuses come back with the worker's passes into the kiosk's status cache.
    auto statusIs = [&](std::string_view want, bool is = true) {
        for (int i = 0; i < 500; ++i) {
            auto latest = k.store().latestStatus(c.code);
            REQUIRE(latest);
            if (*latest && ((*latest)->status == want) == is) return true;
            if (i % 50 == 0) worker.wake();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };
    worker.wake();
    REQUIRE(uploaded(1));
    const auto now = [] { return platform::clock::unixMillis(platform::clock::now()); };
    REQUIRE(ksync::backend::applyStaffUpdate(
        backend.storage(),
        {c.code, "needs_info", "Phòng Quản lý đô thị", "Trần Thị Bích", "", kRequest}, now()));
    REQUIRE(statusIs("needs_info"));

    track(k, c.code);
    REQUIRE(reachable(k, "track_supplement", ImVec2(1920.0f, 1080.0f)));
    k.tap("track_supplement");
    k.waitFor(Screen::AddProof);
    typeSecret(k, c.secret);
    k.tap("nav_next");
    waitIdle(k);
    k.waitFor(Screen::AddText);
    CHECK(has(k.text(), kRequest));
    k.typeOnKeyboard("Anhr chupj oor gaf");
    k.tap("nav_next");
    k.waitFor(Screen::AddReview);
    k.tap("nav_confirm");
    waitIdle(k);
    k.waitFor(Screen::AddDone);
    worker.wake();  // what Services does after each stored record
    REQUIRE(uploaded(2));
    for (int i = 0; i < 300 && !has(k.text(), "Đã gửi đến cơ quan xử lý."); ++i) {
        k.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(has(k.text(), "Đã gửi đến cơ quan xử lý."));
    // The backend attached it to the case, and the status moved on from needs_info (back to
    // where it was before), as this kiosk hears on its next pass.
    auto additions = backend.storage().caseAdditions(c.code);
    REQUIRE(additions);
    CHECK(additions->size() == 1);
    CHECK(statusIs("needs_info", false));
    k.tap("add_finish");
    k.waitFor(Screen::Welcome);

    REQUIRE(ksync::backend::applyStaffUpdate(
        backend.storage(),
        {c.code, "answered", "Phòng Quản lý đô thị", "Lê Văn Cường", "",
         "Đã vá ổ gà trước số nhà 25 đường Lê Lợi."},
        now()));
    REQUIRE(statusIs("answered"));
    track(k, c.code);
    REQUIRE(reachable(k, "track_rate_hai_long", ImVec2(1920.0f, 1080.0f)));
    k.tap("track_rate_hai_long");
    k.waitFor(Screen::AddProof);
    typeSecret(k, c.secret);
    k.tap("nav_next");
    waitIdle(k);
    k.waitFor(Screen::Rate);
    CHECK(k.state().addition.rating == ksync::record::kRatingSatisfied);
    k.tap("nav_confirm");
    waitIdle(k);
    k.waitFor(Screen::RateDone);
    worker.wake();
    REQUIRE(uploaded(3));
    auto rating = backend.storage().caseRating(c.code);
    REQUIRE(rating);
    REQUIRE(*rating);
    CHECK((*rating)->rating == ksync::record::kRatingSatisfied);
    CHECK_FALSE((*rating)->reopen);
    auto counts = backend.storage().ratingCounts();
    REQUIRE(counts);
    std::int64_t satisfied = 0;
    for (const auto& [key, n] : *counts)
        if (key == ksync::record::kRatingSatisfied) satisfied = n;
    CHECK(satisfied == 1);
    worker.stop();
}
TEST_CASE(
    "the receipt screen shows the receipt secret as printed, with why it is needed, and keeps its "
    "buttons on the screen at the largest text size") {
    namespace intent = kiosk::core::intent;
    for (const Layout& l : {Layout{"portrait x-large", {1080, 1920}, false, false},
                            Layout{"landscape", {1920, 1080}, false, true}}) {
        INFO(l.name);
        KioskFixture k(l.display);
        if (l.display.x < l.display.y)
            k.app().apply(intent::SetTextSize{kiosk::core::TextSize::ExtraLarge}, k.now());
        prefs(k, l);
        k.app().apply(intent::Start{"PAKN"}, k.now());
        k.waitFor(Screen::Category);
        k.app().apply(intent::PickCategory{"MOI_TRUONG"}, k.now());
        k.app().apply(intent::PickProblem{1}, k.now());
        k.waitFor(Screen::Content);
        k.app().apply(intent::Next{}, k.now());
        k.waitFor(Screen::Contact);
        k.app().apply(intent::ChooseContact{kiosk::core::ContactChoice::Anonymous}, k.now());
        k.app().apply(intent::Next{}, k.now());
        k.waitFor(Screen::Review);
        k.app().apply(intent::Confirm{}, k.now());
        k.waitFor(Screen::Receipt);
        REQUIRE(k.state().receipt);
        const std::string secret = k.state().receipt->secretText;
        REQUIRE(ksync::record::parseSecret(secret));
        CHECK(secret.size() == 15);  // K3M7-X9QA-RT5PW: three groups to type
        for (int i = 0; i < 3; ++i) k.frame();
        const std::string text = k.text();
        INFO(text);
        CHECK(has(text, secret));
        CHECK(has(text, "Cần mã bí mật để bổ sung thông tin hoặc đánh giá kết quả."));
        for (const char* id : {"done_print", "done_listen", "done_finish"}) {
            INFO(id);
            CHECK(reachable(k, id, l.display));
        }
    }
}
