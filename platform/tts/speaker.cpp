#include "tts/speaker.hpp"

#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

#include <array>
#include <cstring>
#include <mutex>

#include "print/font.hpp"  // toNfc
#include "print/image_writers.hpp"

namespace platform::tts {
namespace {

// Vietnamese names of the Latin letters (F, J, W, Z are foreign but named this way) and digits.
constexpr std::array<const char*, 26> kLetters = {
    "a",     "bê", "xê",   "dê",    "e",      "ép",     "giê",   "hát", "i",
    "gi",    "ca", "e lờ", "em mờ", "en nờ",  "o",      "pê",    "quy", "e rờ",
    "ét xì", "tê", "u",    "vê",    "vê kép", "ích xì", "i dài", "dét"};
constexpr std::array<const char*, 10> kDigits = {"không", "một", "hai", "ba",  "bốn",
                                                 "năm",   "sáu", "bảy", "tám", "chín"};

// espeak-ng keeps one engine per process: guard it, start it once.
std::mutex g_engineMutex;
bool g_engineStarted = false;
int g_engineSampleRate = 0;

struct SynthTarget {
    std::vector<std::int16_t>* samples;
    std::atomic<bool>* stop;
};

int onSynth(short* wav, int count, espeak_EVENT* events) {
    // Every event, including the terminator of an otherwise empty list, carries user_data.
    auto* target = events != nullptr ? static_cast<SynthTarget*>(events->user_data) : nullptr;
    if (target == nullptr) return 0;
    if (wav != nullptr && count > 0)
        target->samples->insert(target->samples->end(), wav, wav + count);
    return target->stop->load() ? 1 : 0;
}

// Starts the engine if needed; call with g_engineMutex held. Returns the sample rate or -1.
int startEngine() {
    if (!g_engineStarted) {
        const int rate =
            espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0) return -1;
        espeak_SetSynthCallback(onSynth);
        g_engineStarted = true;
        g_engineSampleRate = rate;
    }
    return g_engineSampleRate;
}

// Selects the voice; call with g_engineMutex held.
bool selectVoice(const std::string& voice) {
    if (espeak_SetVoiceByName(voice.c_str()) == EE_OK) return true;
    espeak_VOICE wanted{};
    wanted.languages = voice.c_str();
    return espeak_SetVoiceByProperties(&wanted) == EE_OK;
}

void putLe(std::vector<std::uint8_t>& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
}

}  // namespace

std::string messageKey(SpeechError) {
    return "tts.unavailable";
}

std::expected<void, SpeechError> WavFileSink::play(std::span<const std::int16_t> samples,
                                                   int sampleRate) {
    std::vector<std::uint8_t> wav;
    const auto dataBytes = static_cast<std::uint32_t>(samples.size() * 2);
    wav.insert(wav.end(), {'R', 'I', 'F', 'F'});
    putLe(wav, 36 + dataBytes, 4);
    wav.insert(wav.end(), {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
    putLe(wav, 16, 4);
    putLe(wav, 1, 2);  // PCM
    putLe(wav, 1, 2);  // mono
    putLe(wav, static_cast<std::uint32_t>(sampleRate), 4);
    putLe(wav, static_cast<std::uint32_t>(sampleRate * 2), 4);
    putLe(wav, 2, 2);
    putLe(wav, 16, 2);
    wav.insert(wav.end(), {'d', 'a', 't', 'a'});
    putLe(wav, dataBytes, 4);
    for (std::int16_t s : samples) putLe(wav, static_cast<std::uint16_t>(s), 2);
    if (!platform::print::writeFileAtomically(m_path, wav)) return std::unexpected(SpeechError::Io);
    return {};
}

std::expected<void, SpeechError> DeviceSink::play(std::span<const std::int16_t> samples,
                                                  int sampleRate) {
    audio_object* device = create_audio_device_object(nullptr, "kiosk", "Speech");
    if (device == nullptr) return std::unexpected(SpeechError::AudioDevice);
    std::expected<void, SpeechError> result;
    if (audio_object_open(device, AUDIO_OBJECT_FORMAT_S16LE, static_cast<uint32_t>(sampleRate),
                          1) != 0) {
        result = std::unexpected(SpeechError::AudioDevice);
    } else {
        if (audio_object_write(device, samples.data(), samples.size() * sizeof(std::int16_t)) !=
                0 ||
            audio_object_drain(device) != 0) {
            result = std::unexpected(SpeechError::AudioDevice);
        }
        audio_object_close(device);
    }
    audio_object_destroy(device);
    return result;
}

std::expected<std::unique_ptr<Speaker>, SpeechError> Speaker::create(
    SpeechOptions options, std::unique_ptr<AudioSink> sink) {
    if (!options.enabled)
        return std::unique_ptr<Speaker>(new Speaker(std::move(options), std::move(sink), 0));
    std::lock_guard lock(g_engineMutex);
    const int rate = startEngine();
    if (rate <= 0) return std::unexpected(SpeechError::EngineUnavailable);
    if (!selectVoice(options.voice)) return std::unexpected(SpeechError::VoiceUnavailable);
    return std::unique_ptr<Speaker>(new Speaker(std::move(options), std::move(sink), rate));
}

std::expected<std::vector<std::int16_t>, SpeechError> Speaker::synthesise(std::string_view text) {
    if (!m_options.enabled) return std::unexpected(SpeechError::Disabled);
    std::vector<std::int16_t> samples;
    const std::string nfc = platform::print::toNfc(text);
    if (nfc.empty()) return samples;
    m_stop = false;
    SynthTarget target{&samples, &m_stop};
    {
        std::lock_guard lock(g_engineMutex);
        if (!selectVoice(m_options.voice)) return std::unexpected(SpeechError::VoiceUnavailable);
        espeak_SetParameter(espeakRATE, m_options.rateWpm, 0);
        espeak_SetParameter(espeakVOLUME, m_options.volume, 0);
        const espeak_ERROR rc = espeak_Synth(nfc.c_str(), nfc.size() + 1, 0, POS_CHARACTER, 0,
                                             espeakCHARS_UTF8, nullptr, &target);
        if (rc != EE_OK) return std::unexpected(SpeechError::SynthesisFailed);
    }
    if (m_stop) return std::unexpected(SpeechError::Interrupted);
    return samples;
}

std::expected<void, SpeechError> Speaker::say(std::string_view text) {
    auto samples = synthesise(text);
    if (!samples) return std::unexpected(samples.error());
    if (samples->empty()) return {};
    return m_sink->play(*samples, m_sampleRate);
}

std::string spellTrackingCode(std::string_view code) {
    std::string out;
    bool groupOpen = false;
    for (char c : code) {
        const char* word = nullptr;
        if (c >= 'A' && c <= 'Z')
            word = kLetters[static_cast<size_t>(c - 'A')];
        else if (c >= 'a' && c <= 'z')
            word = kLetters[static_cast<size_t>(c - 'a')];
        else if (c >= '0' && c <= '9')
            word = kDigits[static_cast<size_t>(c - '0')];
        else if (c == '-' && groupOpen) {
            out += ". ";
            groupOpen = false;
            continue;
        }
        if (word == nullptr) continue;
        if (groupOpen) out += ", ";
        out += word;
        groupOpen = true;
    }
    if (groupOpen) out += ".";
    return out;
}

}  // namespace platform::tts
