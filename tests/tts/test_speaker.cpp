// Speech through the real espeak-ng engine into WAV files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>

#include "test_support.hpp"
#include "text/strings.hpp"
#include "tts/speaker.hpp"
#include "tts/speech_worker.hpp"

using namespace platform::tts;

namespace {

struct Wav {
    int sampleRate = 0;
    int channels = 0;
    int bits = 0;
    size_t samples = 0;
    double seconds() const {
        return sampleRate > 0 ? static_cast<double>(samples) / sampleRate : 0;
    }
};

std::uint32_t le(const std::vector<std::uint8_t>& b, size_t at, int n) {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint32_t>(b.at(at + i)) << (8 * i);
    return v;
}

Wav readWav(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> b{std::istreambuf_iterator<char>(in),
                                      std::istreambuf_iterator<char>()};
    REQUIRE(b.size() >= 44);
    REQUIRE(std::memcmp(b.data(), "RIFF", 4) == 0);
    REQUIRE(std::memcmp(b.data() + 8, "WAVE", 4) == 0);
    REQUIRE(std::memcmp(b.data() + 36, "data", 4) == 0);
    Wav w;
    w.channels = static_cast<int>(le(b, 22, 2));
    w.sampleRate = static_cast<int>(le(b, 24, 4));
    w.bits = static_cast<int>(le(b, 34, 2));
    const std::uint32_t dataBytes = le(b, 40, 4);
    REQUIRE(dataBytes == b.size() - 44);
    w.samples = dataBytes / 2;
    return w;
}

std::unique_ptr<Speaker> wavSpeaker(const std::filesystem::path& path,
                                    std::string voice = "vi-vn-x-south") {
    SpeechOptions options;
    options.enabled = true;
    options.voice = std::move(voice);
    auto speaker = Speaker::create(options, std::make_unique<WavFileSink>(path));
    REQUIRE(speaker);
    return std::move(*speaker);
}

}  // namespace

TEST_CASE("a tracking code is spelled letter by letter the Vietnamese way with digits one by one") {
    CHECK(spellTrackingCode("PAKN-7K3M-000123-X") ==
          "pê, a, ca, en nờ. bảy, ca, ba, em mờ. không, không, không, một, hai, ba. ích xì.");
    CHECK(spellTrackingCode("SKGP-W9YZ-1000000-Q") ==
          "ét xì, ca, giê, pê. vê kép, chín, i dài, dét. một, không, không, không, không, không, "
          "không. quy.");
    CHECK(spellTrackingCode("") == "");
    CHECK(spellTrackingCode("--a b?") == "a, bê.");
}

TEST_CASE("speech is off by default and then writes nothing") {
    testsupport::TempDir dir;
    auto speaker = Speaker::create(SpeechOptions{}, std::make_unique<WavFileSink>(dir / "x.wav"));
    REQUIRE(speaker);
    auto r = (*speaker)->say("Xin chào");
    REQUIRE_FALSE(r);
    CHECK(r.error() == SpeechError::Disabled);
    CHECK_FALSE(std::filesystem::exists(dir / "x.wav"));
}

TEST_CASE("the WAV of a tracking code is non-empty and grows with the code length") {
    testsupport::TempDir dir;
    const auto strings = platform::text::Strings::load("vi");
    auto speaker = wavSpeaker(dir / "code.wav");
    double previous = 0;
    for (const char* code :
         {"PAKN-7K3M-000123-X", "PAKN-7K3M-0001234-X", "PAKN-7K3M-000123456-X"}) {
        INFO(code);
        REQUIRE((*speaker).say(strings.get("tts.code_intro") + " " + spellTrackingCode(code)));
        const Wav wav = readWav(dir / "code.wav");
        CHECK(wav.channels == 1);
        CHECK(wav.bits == 16);
        CHECK(wav.sampleRate == speaker->sampleRate());
        CHECK(wav.seconds() > 3.0);  // some twenty spoken syllables at 140 words per minute
        CHECK(wav.seconds() > previous);
        previous = wav.seconds();
    }
}

TEST_CASE(
    "the screen instruction is read with each Vietnamese voice and an unknown voice is refused") {
    testsupport::TempDir dir;
    for (const char* voice : {"vi-vn-x-south", "vi-vn-x-central", "vi"}) {
        INFO(voice);
        auto speaker = wavSpeaker(dir / "voice.wav", voice);
        REQUIRE(speaker->say("Vui lòng chọn lĩnh vực bạn muốn phản ánh."));
        CHECK(readWav(dir / "voice.wav").seconds() > 1.0);
    }
    SpeechOptions options;
    options.enabled = true;
    options.voice = "xx-no-such-voice";
    auto missing = Speaker::create(options, std::make_unique<WavFileSink>(dir / "none.wav"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error() == SpeechError::VoiceUnavailable);
}

TEST_CASE("the speech worker speaks on its own thread and reports each request") {
    testsupport::TempDir dir;
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<SpeechEvent> events;
    std::vector<std::thread::id> threads;
    {
        SpeechWorker worker(wavSpeaker(dir / "worker.wav"), [&](const SpeechEvent& e) {
            std::lock_guard lock(mutex);
            events.push_back(e);
            threads.push_back(std::this_thread::get_id());
            cv.notify_all();
        });
        const auto id =
            worker.speak("Mã số tra cứu của bạn là: " + spellTrackingCode("PAKN-7K3M-000123-X"));
        std::unique_lock lock(mutex);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] {
            return std::any_of(events.begin(), events.end(),
                               [&](const SpeechEvent& e) { return e.request == id; });
        }));
        const auto& last = events.back();
        CHECK(last.request == id);
        CHECK_FALSE(last.error.has_value());
        CHECK(threads.back() != std::this_thread::get_id());
    }
    CHECK(readWav(dir / "worker.wav").seconds() > 3.0);
}
